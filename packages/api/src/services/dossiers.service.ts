/**
 * The dossier (`dn-dossier` v1) in and out of the database. Export writes one practitioner's
 * licenses and every version of every record; import creates a practitioner from a dossier,
 * checked in full before anything is written, keeping each record version's recordedAt and
 * status so that `knownAt` questions about the imported history answer as they did at the source.
 */
import { randomUUID } from "node:crypto";
import {
  insertLicense,
  insertPractitioner,
  insertRecordVersion,
  supersedeRecordVersion,
} from "@dn/db";
import type {
  Dossier,
  DossierRecord,
  ImportDossier,
  ImportDossierResult,
  License,
  TrainingRecord,
} from "@dn/schema";
import { badRequest } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { loadDossier } from "./dossier.service.ts";
import { requireOpenClinic, requirePermission, requirePractitioner } from "./guards.ts";

/** One practitioner as a dossier, stamped with the export time. */
export async function exportDossier(ctx: ServiceContext, practitionerId: string): Promise<Dossier> {
  const practitioner = await requirePractitioner(
    ctx,
    practitionerId,
    "read",
    "training-record",
    "practitionerId",
  );
  return loadDossier(ctx.db, practitioner, { exportedAt: ctx.now().toISOString() });
}

interface RecordGroup {
  /** The dossier's id for the record. */
  sourceId: string;
  /** Versions in order, with their index in `dossier.records`. */
  versions: { index: number; record: DossierRecord; version: number }[];
}

/**
 * Groups record versions by id and checks the history is whole: versions 1, 2, ... without
 * gaps, each recorded after the one before, none recorded after `now`.
 */
function checkRecordHistory(dossier: Dossier, now: string): RecordGroup[] {
  const groups = new Map<string, RecordGroup>();
  dossier.records.forEach((record, index) => {
    const group = groups.get(record.id) ?? { sourceId: record.id, versions: [] };
    group.versions.push({ index, record, version: record.version ?? 1 });
    groups.set(record.id, group);
  });
  const nowMs = Date.parse(now);
  for (const group of groups.values()) {
    group.versions.sort((a, b) => a.version - b.version);
    group.versions.forEach((entry, position) => {
      const path = `dossier.records.${entry.index}`;
      if (entry.version !== position + 1) {
        throw badRequest(
          `record ${group.sourceId} has versions ${group.versions.map((v) => v.version).join(", ")}; versions must run 1, 2, 3, ... without gaps`,
          `${path}.version`,
        );
      }
      const recordedMs = Date.parse(entry.record.recordedAt);
      if (recordedMs > nowMs) throw badRequest("is in the future", `${path}.recordedAt`);
      const previous = group.versions[position - 1];
      if (previous && recordedMs <= Date.parse(previous.record.recordedAt)) {
        throw badRequest(
          `must be after version ${previous.version}'s (${previous.record.recordedAt})`,
          `${path}.recordedAt`,
        );
      }
    });
  }
  return [...groups.values()];
}

function checkLicenses(dossier: Dossier): void {
  const seen = new Map<string, number>();
  dossier.licenses.forEach((license, index) => {
    const key = `${license.jurisdiction} ${license.number}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw badRequest(
        `repeats the ${license.jurisdiction} license number of licenses.${first}`,
        `dossier.licenses.${index}.number`,
      );
    }
    seen.set(key, index);
  });
}

/** One dossier record version as a stored training-record version. */
function toTrainingRecord(
  record: DossierRecord,
  ids: { recordId: string; practitionerId: string; recordedBy: string; version: number },
): TrainingRecord {
  const reviewed = record.status === "verified" || record.status === "rejected";
  const hours =
    record.kind === "dn-course" || record.kind === "ce-activity"
      ? { ...record.hours }
      : { theory: 0, practical: 0, online: 0 };
  const topics =
    record.kind === "dn-course" || record.kind === "ce-activity" || record.kind === "exam"
      ? [...new Set(record.topics)].sort()
      : [];
  return {
    id: ids.recordId,
    version: ids.version,
    practitionerId: ids.practitionerId,
    kind: record.kind,
    title: record.title,
    provider: record.provider ?? null,
    completedOn: record.completedOn,
    hours,
    topics,
    count: record.kind === "supervised-sessions" ? record.count : null,
    examType: record.kind === "exam" ? record.examType : null,
    passed: record.kind === "exam" ? record.passed : null,
    expiresOn: record.kind === "cpr" ? record.expiresOn : null,
    jurisdiction: record.kind === "board-notification" ? record.jurisdiction : null,
    notes: null,
    provenance: record.provenance ?? "self-reported",
    status: record.status,
    reviewedBy: null,
    reviewedAt: reviewed ? new Date(record.recordedAt).toISOString() : null,
    reviewReason: record.reviewReason ?? null,
    recordedAt: new Date(record.recordedAt).toISOString(),
    recordedBy: ids.recordedBy,
  };
}

/**
 * Creates a practitioner in `clinicId` from a dossier: their licenses and every record version.
 * Everything is checked first; on any problem nothing is written. Audited: the practitioner,
 * each license and each record.
 */
export async function importDossier(
  ctx: ServiceContext,
  input: ImportDossier,
): Promise<ImportDossierResult> {
  return inTransaction(ctx, async (tx) => {
    const reach = requirePermission(tx, "create:practitioner");
    const clinic = await requireOpenClinic(tx, input.clinicId, reach);
    const { dossier } = input;
    const at = tx.now().toISOString();
    checkLicenses(dossier);
    const groups = checkRecordHistory(dossier, at);

    const practitioner = await insertPractitioner(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      clinicId: clinic.id,
      name: dossier.practitioner.name,
      email: null,
      profession: dossier.practitioner.profession,
      archivedAt: null,
      createdAt: at,
      updatedAt: at,
    });
    await auditByActor(tx.db, tx, at, {
      action: "practitioner.import",
      entityType: "practitioner",
      entityId: practitioner.id,
      before: null,
      after: {
        ...practitioner,
        importedFrom: {
          practitionerId: dossier.practitioner.id,
          exportedAt: dossier.exportedAt ?? null,
          licenses: dossier.licenses.length,
          records: groups.length,
          recordVersions: dossier.records.length,
        },
      },
    });

    for (const source of dossier.licenses) {
      const license: License = await insertLicense(tx.db, {
        id: randomUUID(),
        practitionerId: practitioner.id,
        jurisdiction: source.jurisdiction,
        number: source.number,
        issuedOn: source.issuedOn,
        expiresOn: source.expiresOn ?? null,
        status: source.status,
        createdAt: at,
        updatedAt: at,
      });
      await auditByActor(tx.db, tx, at, {
        action: "license.import",
        entityType: "license",
        entityId: license.id,
        before: null,
        after: license,
      });
    }

    for (const group of groups) {
      const recordId = randomUUID();
      const written: TrainingRecord[] = [];
      for (const entry of group.versions) {
        const version = toTrainingRecord(entry.record, {
          recordId,
          practitionerId: practitioner.id,
          recordedBy: tx.actor.userId,
          version: entry.version,
        });
        const previous = written[written.length - 1];
        if (previous) {
          await supersedeRecordVersion(tx.db, recordId, previous.version, version.recordedAt);
        }
        written.push(await insertRecordVersion(tx.db, version));
      }
      await auditByActor(tx.db, tx, at, {
        action: "training-record.import",
        entityType: "training-record",
        entityId: recordId,
        before: null,
        after: { importedFrom: group.sourceId, versions: written },
      });
    }

    return {
      practitioner,
      licenses: dossier.licenses.length,
      records: groups.length,
      recordVersions: dossier.records.length,
    };
  });
}
