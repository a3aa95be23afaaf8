import type { Clinic, Organization } from "@dn/schema";
import { toClinic, toOrganization } from "../mappers.ts";
import type { Db } from "./types.ts";

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

export async function insertClinic(db: Db, clinic: Clinic): Promise<Clinic> {
  await db.insertInto("clinics").values(clinic).execute();
  return clinic;
}

export async function findClinicById(db: Db, id: string): Promise<Clinic | null> {
  const row = await db.selectFrom("clinics").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toClinic(row) : null;
}

/** An organization's clinics by name. */
export async function listClinics(db: Db, organizationId: string): Promise<Clinic[]> {
  const rows = await db
    .selectFrom("clinics")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map(toClinic);
}
