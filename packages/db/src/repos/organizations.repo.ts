import type { Clinic, Organization } from "@dn/schema";
import { sql } from "kysely";
import { toClinic, toOrganization } from "../mappers.ts";
import { isPostgres } from "../migrate.ts";
import type { Db } from "./types.ts";

/** Any fixed 64-bit key: only the creation of organizations takes this advisory lock. */
const ORGANIZATION_CREATION_LOCK_KEY = 5_120_260_001;

export async function insertOrganization(
  db: Db,
  organization: Organization,
): Promise<Organization> {
  await db
    .insertInto("organizations")
    .values({ ...organization, mfaRequired: organization.mfaRequired ? 1 : 0 })
    .execute();
  return organization;
}

export async function findOrganizationById(db: Db, id: string): Promise<Organization | null> {
  const row = await db
    .selectFrom("organizations")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toOrganization(row) : null;
}

export async function countOrganizations(db: Db): Promise<number> {
  const row = await db
    .selectFrom("organizations")
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Makes the caller's transaction the only one creating an organization until it ends, so a check
 * such as "no organization exists yet" stays true until its inserts commit. PostgreSQL: a
 * transaction-scoped advisory lock. SQLite: nothing to do, every transaction already begins
 * IMMEDIATE and so holds the one write lock from its first statement. Call it inside a
 * transaction, before reading what it protects.
 */
export async function lockOrganizationCreation(trx: Db): Promise<void> {
  if (!isPostgres(trx)) return;
  await sql`select pg_advisory_xact_lock(${ORGANIZATION_CREATION_LOCK_KEY})`.execute(trx);
}

export async function updateOrganization(
  db: Db,
  id: string,
  changes: Partial<Pick<Organization, "name" | "mfaRequired">>,
): Promise<void> {
  const { mfaRequired, ...rest } = changes;
  await db
    .updateTable("organizations")
    .set({ ...rest, ...(mfaRequired === undefined ? {} : { mfaRequired: mfaRequired ? 1 : 0 }) })
    .where("id", "=", id)
    .execute();
}

export async function insertClinic(db: Db, clinic: Clinic): Promise<Clinic> {
  await db.insertInto("clinics").values(clinic).execute();
  return clinic;
}

export async function findClinicById(db: Db, id: string): Promise<Clinic | null> {
  const row = await db.selectFrom("clinics").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toClinic(row) : null;
}

/** An organization's clinics by name, archived ones included unless `activeOnly`. */
export async function listClinics(
  db: Db,
  organizationId: string,
  options: { activeOnly?: boolean } = {},
): Promise<Clinic[]> {
  let query = db.selectFrom("clinics").selectAll().where("organizationId", "=", organizationId);
  if (options.activeOnly) query = query.where("archivedAt", "is", null);
  const rows = await query.orderBy("name").orderBy("id").execute();
  return rows.map(toClinic);
}

export async function updateClinic(
  db: Db,
  id: string,
  changes: Partial<Pick<Clinic, "name" | "jurisdiction" | "timeZone" | "archivedAt">>,
): Promise<void> {
  await db.updateTable("clinics").set(changes).where("id", "=", id).execute();
}

/** How many practitioners at the clinic are not archived. */
export async function countActivePractitionersAtClinic(db: Db, clinicId: string): Promise<number> {
  const row = await db
    .selectFrom("practitioners")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("clinicId", "=", clinicId)
    .where("archivedAt", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
