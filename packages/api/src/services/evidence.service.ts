/**
 * Evidence files: certificates attached to training records. The type comes from the content
 * (evidence/content.ts); bytes are stored content-addressed in a FileStore; each attachment is a
 * row audited like any other change. Reading a file is authorized exactly like reading its record.
 */
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import {
  type EvidenceFileEntry,
  findEvidenceDuplicates,
  findEvidenceFileById,
  findEvidenceOnRecord,
  insertEvidenceFile,
  listEvidenceOfRecords,
  markEvaluationsStale,
} from "@dn/db";
import { type EvidenceFile, EvidenceFileNameSchema } from "@dn/schema";
import { reachOf } from "../auth/permissions.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { checkEvidenceContent } from "../evidence/content.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireNotArchived, requireRecord } from "./guards.ts";
import { openContent, putContent, sha256Hex } from "./storage/content.ts";
import type { FileStore } from "./storage/file-store.ts";

export interface UploadEvidence {
  recordId: string;
  fileName: string;
  bytes: Uint8Array;
}

async function withDuplicates(
  ctx: ServiceContext,
  files: readonly EvidenceFileEntry[],
): Promise<EvidenceFile[]> {
  // Detail only for what the reader may read: a manager limited to clinics hears whose copies
  // are in those clinics, a practitioner of their own records; of the rest only that they exist.
  const reach = reachOf(ctx.actor, "read:training-record");
  const digests = files.map((file) => file.sha256);
  const everywhere = await findEvidenceDuplicates(ctx.db, ctx.actor.organizationId, digests);
  const readable =
    reach?.kind === "clinics"
      ? await findEvidenceDuplicates(ctx.db, ctx.actor.organizationId, digests, reach.clinicIds)
      : everywhere;
  const visible = (other: { practitionerId: string }) =>
    reach !== null && (reach.kind !== "own" || other.practitionerId === reach.practitionerId);
  return files.map((file) => {
    const others = (list: typeof everywhere) =>
      (list.get(file.sha256) ?? []).filter((other) => other.recordId !== file.recordId);
    const shown = others(readable).filter(visible);
    return {
      ...file,
      duplicates: shown.map(({ sha256: _sha, ...other }) => other),
      duplicateElsewhere: others(everywhere).length > shown.length,
    };
  });
}

/**
 * Attaches a certificate to a record. Refused with a message naming the problem, and nothing
 * stored, when the content is not a complete PDF/PNG/JPEG or is over 10 MB. The same file on the
 * same record again is a no-op; on another record it is stored once and flagged.
 */
export async function uploadEvidence(
  ctx: ServiceContext,
  store: FileStore,
  input: UploadEvidence,
): Promise<EvidenceFile> {
  const name = EvidenceFileNameSchema.safeParse(input.fileName);
  if (!name.success) throw badRequest("must be a file name of 1 to 255 characters", "fileName");
  const { record, practitioner } = await requireRecord(ctx, input.recordId, "correct");
  requireNotArchived(practitioner, "recordId");
  if (record.status === "withdrawn") {
    throw conflict("a withdrawn record cannot take new evidence", "recordId");
  }
  const check = checkEvidenceContent(input.bytes);
  if (!check.ok) throw badRequest(check.problem, "file");

  const sha256 = sha256Hex(input.bytes);
  const existing = await findEvidenceOnRecord(ctx.db, record.id, sha256);
  if (existing) return (await withDuplicates(ctx, [existing]))[0] as EvidenceFile;

  await putContent(store, input.bytes);
  const file = await inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const entry: EvidenceFileEntry = {
      id: randomUUID(),
      recordId: record.id,
      practitionerId: practitioner.id,
      sha256,
      mediaType: check.mediaType,
      sizeBytes: input.bytes.length,
      fileName: name.data,
      uploadedBy: tx.actor.userId,
      uploadedAt: at,
    };
    await insertEvidenceFile(tx.db, { ...entry, organizationId: practitioner.organizationId });
    // The practitioner's stored state counts their pending records without evidence.
    await markEvaluationsStale(tx.db, {
      organizationId: practitioner.organizationId,
      practitionerIds: [practitioner.id],
    });
    await auditByActor(tx.db, tx, at, {
      action: "evidence-file.attach",
      entityType: "evidence-file",
      entityId: entry.id,
      before: null,
      after: { ...entry, recordVersion: record.version },
    });
    return entry;
  });
  return (await withDuplicates(ctx, [file]))[0] as EvidenceFile;
}

/** The files attached to a record, if the actor may read the record. */
export async function listEvidence(
  ctx: ServiceContext,
  input: { recordId: string },
): Promise<EvidenceFile[]> {
  await requireRecord(ctx, input.recordId, "read");
  const files = await listEvidenceOfRecords(ctx.db, [input.recordId]);
  return withDuplicates(ctx, files.get(input.recordId) ?? []);
}

/** The files of several records at once (the review queue); each record is checked. */
export async function listEvidenceOfMany(
  ctx: ServiceContext,
  input: { recordIds: string[] },
): Promise<Record<string, EvidenceFile[]>> {
  const ids = [...new Set(input.recordIds)];
  for (const id of ids) await requireRecord(ctx, id, "read");
  const files = await listEvidenceOfRecords(ctx.db, ids);
  const all = await withDuplicates(ctx, [...files.values()].flat());
  const result: Record<string, EvidenceFile[]> = {};
  for (const id of ids) result[id] = all.filter((file) => file.recordId === id);
  return result;
}

/** A file's metadata and a stream of its bytes, authorized exactly like reading its record. */
export async function readEvidence(
  ctx: ServiceContext,
  store: FileStore,
  id: string,
): Promise<{ file: EvidenceFileEntry; content: Readable }> {
  const file = await findEvidenceFileById(ctx.db, id);
  if (!file || file.organizationId !== ctx.actor.organizationId) throw notFound("evidence file");
  try {
    await requireRecord(ctx, file.recordId, "read");
  } catch {
    throw notFound("evidence file");
  }
  const content = await openContent(store, file.sha256);
  if (!content) throw notFound("evidence file content");
  const { organizationId: _org, ...entry } = file;
  return { file: entry, content };
}
