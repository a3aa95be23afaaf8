/**
 * An organization's own standard documents, one row per version. Versions are only ever
 * inserted: the unique key (organization, standard id, version) makes a concurrent save of the
 * same next version fail instead of overwriting.
 */
import { type StandardDocument, StandardDocumentSchema } from "@dn/schema";
import type { CustomStandardRow } from "../database.ts";
import type { Db } from "./types.ts";

/** One stored version of a custom standard. */
export interface CustomStandardVersion {
  /** The row id of this version. */
  id: string;
  organizationId: string;
  standard: StandardDocument;
  createdBy: string;
  createdAt: string;
}

function toCustomStandardVersion(row: CustomStandardRow): CustomStandardVersion {
  return {
    id: row.id,
    organizationId: row.organizationId,
    // Stored documents were validated on write; parsing again applies defaults added since.
    standard: StandardDocumentSchema.parse(JSON.parse(row.documentJson)),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

export async function insertCustomStandardVersion(
  db: Db,
  version: CustomStandardVersion,
): Promise<CustomStandardVersion> {
  await db
    .insertInto("customStandards")
    .values({
      id: version.id,
      organizationId: version.organizationId,
      standardId: version.standard.id,
      version: version.standard.version,
      documentJson: JSON.stringify(version.standard),
      createdBy: version.createdBy,
      createdAt: version.createdAt,
    })
    .execute();
  return version;
}

/** Every version of one custom standard of an organization, oldest first. */
export async function listCustomStandardVersions(
  db: Db,
  organizationId: string,
  standardId: string,
): Promise<CustomStandardVersion[]> {
  const rows = await db
    .selectFrom("customStandards")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .where("standardId", "=", standardId)
    .orderBy("version")
    .execute();
  return rows.map(toCustomStandardVersion);
}

/** Every version of every custom standard of an organization, by id then version. */
export async function listAllCustomStandardVersions(
  db: Db,
  organizationId: string,
): Promise<CustomStandardVersion[]> {
  const rows = await db
    .selectFrom("customStandards")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("standardId")
    .orderBy("version")
    .execute();
  return rows.map(toCustomStandardVersion);
}

/** The highest version number saved for a custom standard, or 0 when there is none. */
export async function latestCustomStandardVersion(
  db: Db,
  organizationId: string,
  standardId: string,
): Promise<number> {
  const row = await db
    .selectFrom("customStandards")
    .select((eb) => eb.fn.max("version").as("latest"))
    .where("organizationId", "=", organizationId)
    .where("standardId", "=", standardId)
    .executeTakeFirst();
  return row?.latest == null ? 0 : Number(row.latest);
}
