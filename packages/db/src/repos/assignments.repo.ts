import type { StandardAssignment, TrainingRecord } from "@dn/schema";
import { sql } from "kysely";
import type { StandardAssignmentRow, TrainingRecordRow } from "../database.ts";
import { toTrainingRecord } from "../mappers.ts";
import { rowsAsArrays } from "../sqlite-writers.ts";
import { chunksOf, type Db, inClinics } from "./types.ts";

function toAssignment(row: StandardAssignmentRow): StandardAssignment {
  return { ...row };
}

export async function insertStandardAssignment(
  db: Db,
  assignment: StandardAssignment,
): Promise<StandardAssignment> {
  await db.insertInto("standardAssignments").values(assignment).execute();
  return assignment;
}

export async function findStandardAssignmentById(
  db: Db,
  id: string,
): Promise<StandardAssignment | null> {
  const row = await db
    .selectFrom("standardAssignments")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toAssignment(row) : null;
}

export async function findStandardAssignment(
  db: Db,
  key: Pick<StandardAssignment, "scope" | "scopeId" | "standardId">,
): Promise<StandardAssignment | null> {
  const row = await db
    .selectFrom("standardAssignments")
    .selectAll()
    .where("scope", "=", key.scope)
    .where("scopeId", "=", key.scopeId)
    .where("standardId", "=", key.standardId)
    .executeTakeFirst();
  return row ? toAssignment(row) : null;
}

export async function deleteStandardAssignment(db: Db, id: string): Promise<void> {
  await db.deleteFrom("standardAssignments").where("id", "=", id).execute();
}

/**
 * Every assignment of an organization, by scope then standard. With `clinicIds` (a manager
 * limited to clinics), only those of these clinics and of their practitioners.
 */
export async function listStandardAssignments(
  db: Db,
  organizationId: string,
  clinicIds?: readonly string[],
): Promise<StandardAssignment[]> {
  let query = db
    .selectFrom("standardAssignments")
    .selectAll()
    .where("organizationId", "=", organizationId);
  if (clinicIds) {
    query = query.where((eb) =>
      eb.or([
        eb.and([eb("scope", "=", "clinic"), inClinics("scopeId", clinicIds)]),
        eb.and([
          eb("scope", "=", "practitioner"),
          eb(
            "scopeId",
            "in",
            eb
              .selectFrom("practitioners")
              .select("practitioners.id")
              .where(inClinics("practitioners.clinicId", clinicIds)),
          ),
        ]),
      ]),
    );
  }
  const rows = await query.orderBy("scope").orderBy("standardId").orderBy("createdAt").execute();
  return rows.map(toAssignment);
}

/** The organization's practitioners (archived ones too, for as-of questions), by name. */
export async function listStaffOfOrganization(
  db: Db,
  organizationId: string,
  /** One clinic, or a manager's clinics; every clinic when undefined. */
  clinics?: string | readonly string[],
): Promise<
  {
    id: string;
    name: string;
    profession: "PT" | "PTA" | "other";
    clinicId: string;
    createdAt: string;
    archivedAt: string | null;
  }[]
> {
  let query = db
    .selectFrom("practitioners")
    .select(["id", "name", "profession", "clinicId", "createdAt", "archivedAt"])
    .where("organizationId", "=", organizationId);
  if (typeof clinics === "string") query = query.where("clinicId", "=", clinics);
  else if (clinics) query = query.where(inClinics("clinicId", clinics));
  return query.orderBy("name").orderBy("id").execute();
}

/** completed_on, then record id, then version: the order the engine reads a dossier in. */
function byCompletionThenVersion(a: TrainingRecord, b: TrainingRecord): number {
  if (a.completedOn !== b.completedOn) return a.completedOn < b.completedOn ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.version - b.version;
}

/**
 * A record version's row from its values in select order (SQLite's array rows). Written out as
 * one literal: V8 builds it in a tenth of the time a loop of keyed stores takes.
 */
function recordRowOf(values: readonly unknown[]): TrainingRecordRow {
  const row = {
    id: values[0],
    recordId: values[1],
    version: values[2],
    practitionerId: values[3],
    kind: values[4],
    title: values[5],
    provider: values[6],
    completedOn: values[7],
    hoursTheory: values[8],
    hoursPractical: values[9],
    hoursOnline: values[10],
    topicsJson: values[11],
    sessionCount: values[12],
    examType: values[13],
    passed: values[14],
    expiresOn: values[15],
    jurisdiction: values[16],
    notes: values[17],
    provenance: values[18],
    status: values[19],
    reviewedBy: values[20],
    reviewedAt: values[21],
    reviewReason: values[22],
    recordedAt: values[23],
    recordedBy: values[24],
    supersededAt: values[25],
  } satisfies Record<keyof TrainingRecordRow, unknown>;
  return row as TrainingRecordRow;
}

/** Every column of a record version, in select order: the order `recordRowOf` reads them in. */
const RECORD_VERSION_KEYS = Object.keys(
  recordRowOf(Array.from({ length: 26 }, (_, index) => index)),
) as (keyof TrainingRecordRow)[];

/** Those columns, each selected under the name the row type gives it. */
const RECORD_VERSION_COLUMNS = sql.raw(
  RECORD_VERSION_KEYS.map(
    (name) => `"${name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}" as "${name}"`,
  ).join(", "),
);

/**
 * Every version of every record of several practitioners, keyed by practitioner, ordered by
 * completion date, record id and version (a re-evaluation's batch, an export's page).
 */
export async function listRecordVersionsOfPractitioners(
  db: Db,
  practitionerIds: readonly string[],
): Promise<Map<string, TrainingRecord[]>> {
  const result = new Map<string, TrainingRecord[]>(practitionerIds.map((id) => [id, []]));
  // A re-evaluation reads every record of the organization here: the columns come back already
  // camelCased, so the plugin does not rebuild each row (a tenth of the re-evaluation), and
  // SQLite's come as arrays (ROWS_AS_ARRAYS: half of it; decision 058).
  const raw = db.withoutPlugins();
  for (const chunk of chunksOf(practitionerIds)) {
    // Sorted here, per practitioner, not by the database: an ORDER BY over a chunk's whole
    // record set made SQLite sort every row of it, the largest part of a re-evaluation's reads.
    const { rows } = await sql<unknown>`${rowsAsArrays}select ${RECORD_VERSION_COLUMNS}
      from training_records where practitioner_id in (${sql.join(chunk)})`.execute(raw);
    for (const values of rows) {
      const row = Array.isArray(values) ? recordRowOf(values) : (values as TrainingRecordRow);
      result.get(row.practitionerId)?.push(toTrainingRecord(row));
    }
  }
  for (const records of result.values()) records.sort(byCompletionThenVersion);
  return result;
}
