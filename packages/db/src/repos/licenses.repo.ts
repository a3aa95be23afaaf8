import type { License } from "@dn/schema";
import { toLicense } from "../mappers.ts";
import { bulkInsert } from "./bulk-insert.ts";
import { chunksOf, type Db } from "./types.ts";

export async function insertLicense(db: Db, license: License): Promise<License> {
  await db.insertInto("licenses").values(license).execute();
  return license;
}

/** Several licenses in multi-row inserts (a bulk import's batch). */
export async function insertLicenses(db: Db, licenses: readonly License[]): Promise<void> {
  await bulkInsert(db, "licenses", licenses as unknown as Record<string, unknown>[]);
}

export async function findLicenseById(db: Db, id: string): Promise<License | null> {
  const row = await db.selectFrom("licenses").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toLicense(row) : null;
}

export type LicenseChanges = Partial<
  Pick<License, "jurisdiction" | "number" | "issuedOn" | "expiresOn" | "status" | "updatedAt">
>;

export async function updateLicense(db: Db, id: string, changes: LicenseChanges): Promise<License> {
  await db.updateTable("licenses").set(changes).where("id", "=", id).execute();
  const row = await db
    .selectFrom("licenses")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return toLicense(row);
}

/** A practitioner's licenses, by jurisdiction then issue date. */
export async function listLicenses(db: Db, practitionerId: string): Promise<License[]> {
  const byPractitioner = await listLicensesOfPractitioners(db, [practitionerId]);
  return byPractitioner.get(practitionerId) ?? [];
}

/** The licenses of several practitioners at once, keyed by practitioner id. */
export async function listLicensesOfPractitioners(
  db: Db,
  practitionerIds: readonly string[],
): Promise<Map<string, License[]>> {
  const result = new Map<string, License[]>(practitionerIds.map((id) => [id, []]));
  // In chunks (a whole organization's ids exceed SQLite's variable limit); each practitioner's
  // licenses come in one chunk, so their order holds.
  for (const chunk of chunksOf(practitionerIds)) {
    const rows = await db
      .selectFrom("licenses")
      .selectAll()
      .where("practitionerId", "in", chunk)
      .orderBy("jurisdiction")
      .orderBy("issuedOn")
      .orderBy("id")
      .execute();
    for (const row of rows) result.get(row.practitionerId)?.push(toLicense(row));
  }
  return result;
}
