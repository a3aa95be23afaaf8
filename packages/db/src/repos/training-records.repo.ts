import { randomUUID } from "node:crypto";
import type { RecordKind, ReviewStatus, TrainingRecord } from "@dn/schema";
import { fromTrainingRecord, toTrainingRecord } from "../mappers.ts";
import { bulkInsert } from "./bulk-insert.ts";
import { afterKey, decodeCursor, type Page, type PageRequest, toPage } from "./cursor.ts";
import { chunksOf, type Db, inClinics, toStoredInstant } from "./types.ts";

/** Writes one version of a record (a new record is version 1). */
export async function insertRecordVersion(db: Db, record: TrainingRecord): Promise<TrainingRecord> {
  await db.insertInto("trainingRecords").values(fromTrainingRecord(record, randomUUID())).execute();
  return record;
}

/**
 * Several first versions in multi-row inserts (a bulk import's batch): 500 rows of 26 columns
 * stay inside SQLite's 32,766 variables.
 */
export async function insertRecordVersions(
  db: Db,
  records: readonly TrainingRecord[],
  versionId: () => string = randomUUID,
): Promise<void> {
  await bulkInsert(
    db,
    "trainingRecords",
    records.map((record) => fromTrainingRecord(record, versionId())),
  );
}

/**
 * Marks `version` of a record as replaced at `at`. Returns false when that version is no longer
 * the current one (someone else wrote a newer version first).
 */
export async function supersedeRecordVersion(
  db: Db,
  recordId: string,
  version: number,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable("trainingRecords")
    .set({ supersededAt: at })
    .where("recordId", "=", recordId)
    .where("version", "=", version)
    .where("supersededAt", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The current version of a record, or null when there is no such record. */
export async function findCurrentRecord(db: Db, recordId: string): Promise<TrainingRecord | null> {
  const row = await db
    .selectFrom("trainingRecords")
    .selectAll()
    .where("recordId", "=", recordId)
    .where("supersededAt", "is", null)
    .executeTakeFirst();
  return row ? toTrainingRecord(row) : null;
}

/** Every version of a record, oldest first. */
export async function listRecordVersions(db: Db, recordId: string): Promise<TrainingRecord[]> {
  const rows = await db
    .selectFrom("trainingRecords")
    .selectAll()
    .where("recordId", "=", recordId)
    .orderBy("version")
    .execute();
  return rows.map(toTrainingRecord);
}

export interface ListCurrentRecordsFilter extends PageRequest {
  organizationId: string;
  /** Only records of practitioners at these clinics (a manager limited to clinics). */
  clinicIds?: readonly string[];
  practitionerId?: string;
  status?: ReviewStatus;
  kind?: RecordKind;
}

/** One page of current record versions, most recently completed first (keyset cursor). */
export async function listCurrentRecords(
  db: Db,
  filter: ListCurrentRecordsFilter,
): Promise<Page<TrainingRecord>> {
  let query = db
    .selectFrom("trainingRecords as r")
    .innerJoin("practitioners as p", "p.id", "r.practitionerId")
    .selectAll("r")
    .where("p.organizationId", "=", filter.organizationId)
    .where("r.supersededAt", "is", null);
  if (filter.clinicIds) query = query.where(inClinics("p.clinicId", filter.clinicIds));
  if (filter.practitionerId) query = query.where("r.practitionerId", "=", filter.practitionerId);
  if (filter.status) query = query.where("r.status", "=", filter.status);
  if (filter.kind) query = query.where("r.kind", "=", filter.kind);
  if (filter.cursor) {
    const [completedOn, recordId] = decodeCursor(filter.cursor, 2).map(String) as [string, string];
    query = query.where((eb) =>
      eb.or([
        eb("r.completedOn", "<", completedOn),
        eb.and([eb("r.completedOn", "=", completedOn), eb("r.recordId", ">", recordId)]),
      ]),
    );
  }
  const rows = await query
    .orderBy("r.completedOn", "desc")
    .orderBy("r.recordId")
    .limit(filter.limit + 1)
    .execute();
  return toPage(rows, filter.limit, toTrainingRecord, (row) => [row.completedOn, row.recordId]);
}

/** Every current record version of one practitioner, most recently completed first. */
export async function listCurrentRecordsOfPractitioner(
  db: Db,
  practitionerId: string,
): Promise<TrainingRecord[]> {
  const rows = await db
    .selectFrom("trainingRecords")
    .selectAll()
    .where("practitionerId", "=", practitionerId)
    .where("supersededAt", "is", null)
    .orderBy("completedOn", "desc")
    .orderBy("recordId")
    .execute();
  return rows.map(toTrainingRecord);
}

/**
 * A practitioner's records as they were known at instant `knownAt`: for each record, the version
 * recorded at or before `knownAt` and not yet superseded then.
 */
export async function listRecordsKnownAt(
  db: Db,
  practitionerId: string,
  knownAt: string,
): Promise<TrainingRecord[]> {
  const at = toStoredInstant(knownAt);
  const rows = await db
    .selectFrom("trainingRecords")
    .selectAll()
    .where("practitionerId", "=", practitionerId)
    .where("recordedAt", "<=", at)
    .where((eb) => eb.or([eb("supersededAt", "is", null), eb("supersededAt", ">", at)]))
    .orderBy("completedOn", "desc")
    .orderBy("recordId")
    .execute();
  return rows.map(toTrainingRecord);
}

export type ReviewQueueRecord = TrainingRecord & { practitionerName: string };

/**
 * An organization's pending records, oldest recorded first (keyset cursor); with `clinicIds`,
 * only those of practitioners at these clinics.
 */
export async function listReviewQueue(
  db: Db,
  filter: { organizationId: string; clinicIds?: readonly string[] } & PageRequest,
): Promise<Page<ReviewQueueRecord>> {
  let query = db
    .selectFrom("trainingRecords as r")
    .innerJoin("practitioners as p", "p.id", "r.practitionerId")
    .selectAll("r")
    .select("p.name as practitionerName")
    .where("p.organizationId", "=", filter.organizationId)
    .where("r.supersededAt", "is", null)
    .where("r.status", "=", "pending");
  if (filter.clinicIds) query = query.where(inClinics("p.clinicId", filter.clinicIds));
  if (filter.cursor) {
    const [recordedAt, recordId] = decodeCursor(filter.cursor, 2).map(String) as [string, string];
    query = query.where(afterKey(["r.recordedAt", "r.recordId"], [recordedAt, recordId]));
  }
  const rows = await query
    .orderBy("r.recordedAt")
    .orderBy("r.recordId")
    .limit(filter.limit + 1)
    .execute();
  return toPage(
    rows,
    filter.limit,
    (row) => ({ ...toTrainingRecord(row), practitionerName: row.practitionerName }),
    (row) => [row.recordedAt, row.recordId],
  );
}

/** How many current versions are pending review, per practitioner (0 included). */
export async function countPendingRecords(
  db: Db,
  practitionerIds: readonly string[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>(practitionerIds.map((id) => [id, 0]));
  for (const chunk of chunksOf(practitionerIds)) {
    // Read from the partial index `training_records_pending_idx` (the WHERE clause implies
    // its condition): only the page's practitioners' current pending versions are touched.
    const rows = await db
      .selectFrom("trainingRecords")
      .select(["practitionerId", (eb) => eb.fn.countAll<number | string>().as("pending")])
      .where("practitionerId", "in", chunk)
      .where("supersededAt", "is", null)
      .where("status", "=", "pending")
      .groupBy("practitionerId")
      .execute();
    for (const row of rows) counts.set(row.practitionerId, Number(row.pending));
  }
  return counts;
}

/** How many version rows exist (all records, all versions): tests assert nothing was written. */
export async function countRecordVersions(db: Db): Promise<number> {
  const row = await db
    .selectFrom("trainingRecords")
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Every version of every record of one practitioner (superseded ones included), so an
 * evaluation can apply `knownAt` itself and a dossier export can reproduce past audits.
 */
export async function listAllRecordVersionsOfPractitioner(
  db: Db,
  practitionerId: string,
): Promise<TrainingRecord[]> {
  const rows = await db
    .selectFrom("trainingRecords")
    .selectAll()
    .where("practitionerId", "=", practitionerId)
    .orderBy("completedOn")
    .orderBy("recordId")
    .orderBy("version")
    .execute();
  return rows.map(toTrainingRecord);
}
