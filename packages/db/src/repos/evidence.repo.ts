import type { EvidenceDuplicate, EvidenceFile } from "@dn/schema";
import type { EvidenceFileRow } from "../database.ts";
import { chunksOf, type Db, inClinics } from "./types.ts";

export type EvidenceFileEntry = Omit<EvidenceFile, "duplicates" | "duplicateElsewhere">;

function toEvidenceFile(row: EvidenceFileRow): EvidenceFileEntry {
  return {
    id: row.id,
    recordId: row.recordId,
    practitionerId: row.practitionerId,
    sha256: row.sha256,
    mediaType: row.mediaType,
    sizeBytes: Number(row.sizeBytes),
    fileName: row.fileName,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt,
  };
}

export async function insertEvidenceFile(
  db: Db,
  file: EvidenceFileEntry & { organizationId: string },
): Promise<EvidenceFileEntry> {
  await db.insertInto("evidenceFiles").values(file).execute();
  return file;
}

export async function findEvidenceFileById(
  db: Db,
  id: string,
): Promise<(EvidenceFileEntry & { organizationId: string }) | null> {
  const row = await db
    .selectFrom("evidenceFiles")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? { ...toEvidenceFile(row), organizationId: row.organizationId } : null;
}

/** The file with `sha256` on record `recordId`, if it was attached already. */
export async function findEvidenceOnRecord(
  db: Db,
  recordId: string,
  sha256: string,
): Promise<EvidenceFileEntry | null> {
  const row = await db
    .selectFrom("evidenceFiles")
    .selectAll()
    .where("recordId", "=", recordId)
    .where("sha256", "=", sha256)
    .executeTakeFirst();
  return row ? toEvidenceFile(row) : null;
}

/** The files of several records, oldest upload first, keyed by record id. */
export async function listEvidenceOfRecords(
  db: Db,
  recordIds: readonly string[],
): Promise<Map<string, EvidenceFileEntry[]>> {
  const result = new Map<string, EvidenceFileEntry[]>(recordIds.map((id) => [id, []]));
  for (const chunk of chunksOf(recordIds)) {
    const rows = await db
      .selectFrom("evidenceFiles")
      .selectAll()
      .where("recordId", "in", chunk)
      .orderBy("uploadedAt")
      .orderBy("id")
      .execute();
    for (const row of rows) result.get(row.recordId)?.push(toEvidenceFile(row));
  }
  return result;
}

/** Which of `recordIds` have at least one evidence file (by the record index, chunked). */
export async function listRecordsWithEvidence(
  db: Db,
  recordIds: readonly string[],
): Promise<Set<string>> {
  const result = new Set<string>();
  for (const chunk of chunksOf(recordIds)) {
    const rows = await db
      .selectFrom("evidenceFiles")
      .select("recordId")
      .distinct()
      .where("recordId", "in", chunk)
      .execute();
    for (const row of rows) result.add(row.recordId);
  }
  return result;
}

/**
 * For each digest, the other records in the organization (with `clinicIds`: of practitioners at
 * these clinics) that carry the same file, with the current title of each record and its
 * practitioner's name.
 */
export async function findEvidenceDuplicates(
  db: Db,
  organizationId: string,
  digests: readonly string[],
  clinicIds?: readonly string[],
): Promise<Map<string, (EvidenceDuplicate & { sha256: string })[]>> {
  const result = new Map<string, (EvidenceDuplicate & { sha256: string })[]>();
  // Each digest's rows come from one chunk, so their upload order holds.
  for (const chunk of chunksOf(digests)) {
    let query = db
      .selectFrom("evidenceFiles as e")
      .innerJoin("practitioners as p", "p.id", "e.practitionerId")
      .innerJoin("trainingRecords as r", (join) =>
        join.onRef("r.recordId", "=", "e.recordId").on("r.supersededAt", "is", null),
      )
      .select([
        "e.sha256",
        "e.recordId",
        "e.practitionerId",
        "p.name as practitionerName",
        "r.title",
      ])
      .where("e.organizationId", "=", organizationId)
      .where("e.sha256", "in", chunk);
    if (clinicIds) query = query.where(inClinics("p.clinicId", clinicIds));
    const rows = await query.orderBy("e.uploadedAt").execute();
    for (const row of rows) {
      const list = result.get(row.sha256) ?? [];
      list.push(row);
      result.set(row.sha256, list);
    }
  }
  return result;
}

/** How many evidence rows point at `sha256` anywhere (a blob is kept while any does). */
export async function countEvidenceWithDigest(db: Db, sha256: string): Promise<number> {
  const row = await db
    .selectFrom("evidenceFiles")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("sha256", "=", sha256)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Pending (unverified) current records of an organization, and how many have no file. */
export async function countUnverifiedEvidence(
  db: Db,
  organizationId: string,
  /** One clinic, or a manager's clinics; every clinic when undefined. */
  clinics?: string | readonly string[],
): Promise<{
  pendingRecords: number;
  pendingWithoutEvidence: number;
  oldestPendingAt: string | null;
}> {
  // One aggregate in SQL: the pending records are counted where they are, never read into JS
  // (at 100,000 staff they are hundreds of thousands). A record has one current version.
  let query = db
    .selectFrom("trainingRecords as r")
    .innerJoin("practitioners as p", "p.id", "r.practitionerId")
    .select((eb) => [
      eb.fn.countAll<number | string>().as("pendingRecords"),
      eb.fn
        .sum<number | string | null>(
          eb
            .case()
            .when(
              eb.not(
                eb.exists(
                  eb
                    .selectFrom("evidenceFiles as e")
                    .select("e.id")
                    .whereRef("e.recordId", "=", "r.recordId"),
                ),
              ),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as("pendingWithoutEvidence"),
      eb.fn.min<string | null>("r.recordedAt").as("oldestPendingAt"),
    ])
    .where("p.organizationId", "=", organizationId)
    .where("p.archivedAt", "is", null)
    .where("r.supersededAt", "is", null)
    .where("r.status", "=", "pending");
  if (typeof clinics === "string") query = query.where("p.clinicId", "=", clinics);
  else if (clinics) query = query.where(inClinics("p.clinicId", clinics));
  const row = await query.executeTakeFirstOrThrow();
  return {
    pendingRecords: Number(row.pendingRecords),
    pendingWithoutEvidence: Number(row.pendingWithoutEvidence ?? 0),
    oldestPendingAt: row.oldestPendingAt ?? null,
  };
}
