import type { ClinicSummary, Jurisdiction, Practitioner } from "@dn/schema";
import { sql } from "kysely";
import type { PractitionerRow } from "../database.ts";
import { toPractitioner } from "../mappers.ts";
import { bulkInsert } from "./bulk-insert.ts";
import {
  afterKey,
  containsPattern,
  decodeStringCursor,
  type Page,
  type PageRequest,
  toPage,
} from "./cursor.ts";
import { insertNewEvaluationStates } from "./evaluations.repo.ts";
import { type Db, inClinics } from "./types.ts";
import { readTalliedStates, TallyChanges } from "./verdict-tallies.ts";

/** A practitioner and their first evaluation state (`insertNewEvaluationStates`). */
export async function insertPractitioner(
  db: Db,
  practitioner: Practitioner,
): Promise<Practitioner> {
  await db.insertInto("practitioners").values(practitioner).execute();
  await insertNewEvaluationStates(db, [practitioner]);
  return practitioner;
}

/** Several practitioners and their first states in multi-row inserts (a bulk import's batch). */
export async function insertPractitioners(
  db: Db,
  practitioners: readonly Practitioner[],
): Promise<void> {
  await bulkInsert(db, "practitioners", practitioners as unknown as Record<string, unknown>[]);
  await insertNewEvaluationStates(db, practitioners);
}

export async function findPractitionerById(db: Db, id: string): Promise<Practitioner | null> {
  const row = await db
    .selectFrom("practitioners")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toPractitioner(row) : null;
}

export type PractitionerChanges = Partial<
  Pick<Practitioner, "clinicId" | "name" | "email" | "profession" | "archivedAt" | "updatedAt">
>;

/**
 * Applies `changes` and returns the practitioner as stored afterwards. A move takes the stored
 * evaluation state's clinic along (call it in the change's transaction), so a clinic's counts
 * never hold someone who left; the caller marks the state stale for its new clinic's rules.
 */
export async function updatePractitioner(
  db: Db,
  id: string,
  changes: PractitionerChanges,
): Promise<Practitioner> {
  await db.updateTable("practitioners").set(changes).where("id", "=", id).execute();
  if (changes.clinicId !== undefined) await moveEvaluationState(db, id, changes.clinicId);
  const row = await db
    .selectFrom("practitioners")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return toPractitioner(row);
}

/** The state's clinic follows the practitioner, and its tallies move from clinic to clinic. */
async function moveEvaluationState(db: Db, practitionerId: string, clinicId: string) {
  const state = (await readTalliedStates(db, [practitionerId])).get(practitionerId);
  if (!state || state.clinicId === clinicId) return;
  await db
    .updateTable("evaluationStates")
    .set({ clinicId })
    .where("practitionerId", "=", practitionerId)
    .execute();
  const evaluations = await db
    .selectFrom("storedEvaluations")
    .select(["standardId", "standardVersion", "standardTitle", "verdict"])
    .where("practitionerId", "=", practitionerId)
    .execute();
  const tallies = new TallyChanges();
  tallies.add(state, evaluations, -1);
  tallies.add({ ...state, clinicId }, evaluations, 1);
  await tallies.write(db);
}

export interface ListPractitionersFilter extends PageRequest {
  organizationId: string;
  /** Case-insensitive substring of the name or email. */
  search?: string;
  clinicId?: string;
  /** Only practitioners of these clinics (a manager limited to clinics); none when empty. */
  clinicIds?: readonly string[];
  /** Holding a license in this jurisdiction, or working at a clinic there. */
  jurisdiction?: Jurisdiction;
  includeArchived?: boolean;
  /** Only this practitioner (a practitioner's own view). */
  practitionerId?: string;
}

export type PractitionerWithClinic = Practitioner & { clinic: ClinicSummary };

/** One page of an organization's practitioners, ordered by name then id (keyset cursor). */
export async function listPractitioners(
  db: Db,
  filter: ListPractitionersFilter,
): Promise<Page<PractitionerWithClinic>> {
  let query = db
    .selectFrom("practitioners as p")
    .innerJoin("clinics as c", "c.id", "p.clinicId")
    .selectAll("p")
    .select(["c.name as clinicName", "c.jurisdiction as clinicJurisdiction"])
    .where("p.organizationId", "=", filter.organizationId);

  if (!filter.includeArchived) query = query.where("p.archivedAt", "is", null);
  if (filter.clinicId) query = query.where("p.clinicId", "=", filter.clinicId);
  if (filter.clinicIds) query = query.where(inClinics("p.clinicId", filter.clinicIds));
  if (filter.practitionerId) query = query.where("p.id", "=", filter.practitionerId);
  const search = filter.search?.trim();
  if (search) {
    const pattern = containsPattern(search);
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(${eb.ref("p.name")}) like ${pattern} escape '\\'`,
        sql<boolean>`lower(coalesce(${eb.ref("p.email")}, '')) like ${pattern} escape '\\'`,
      ]),
    );
  }
  const jurisdiction = filter.jurisdiction;
  if (jurisdiction) {
    query = query.where((eb) =>
      eb.or([
        eb("c.jurisdiction", "=", jurisdiction),
        eb.exists(
          eb
            .selectFrom("licenses as l")
            .select("l.id")
            .whereRef("l.practitionerId", "=", "p.id")
            .where("l.jurisdiction", "=", jurisdiction),
        ),
      ]),
    );
  }
  if (filter.cursor) {
    const [name, id] = decodeStringCursor(filter.cursor, 2) as [string, string];
    query = query.where(afterKey(["p.name", "p.id"], [name, id]));
  }

  const rows = await query
    .orderBy("p.name")
    .orderBy("p.id")
    .limit(filter.limit + 1)
    .execute();
  return toPage(
    rows,
    filter.limit,
    (row) => ({
      ...toPractitioner(row as PractitionerRow),
      clinic: {
        id: row.clinicId,
        name: row.clinicName,
        jurisdiction: row.clinicJurisdiction as Jurisdiction,
      },
    }),
    (row) => [row.name, row.id],
  );
}
