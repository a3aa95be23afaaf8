/**
 * An organization's own standard documents, one row per version. A version starts as a draft,
 * which may be rewritten until it is published; a published version is never changed again
 * (every write below is limited to drafts). The unique key (organization, standard id, version)
 * makes a concurrent save of the same next version fail instead of overwriting.
 */
import { type StandardDocument, StandardDocumentSchema } from "@dn/schema";
import type { CustomStandardRow } from "../database.ts";
import type { Db } from "./types.ts";

/** Where a version is in its life cycle: a draft applies to nobody; published is final. */
export type CustomStandardLifecycle = "draft" | "published";

/** One stored version of a custom standard. */
export interface CustomStandardVersion {
  /** The row id of this version. */
  id: string;
  organizationId: string;
  standard: StandardDocument;
  createdBy: string;
  createdAt: string;
  lifecycle: CustomStandardLifecycle;
  /** When and by whom it was published; null while a draft. */
  publishedAt: string | null;
  publishedBy: string | null;
}

function toCustomStandardVersion(row: CustomStandardRow): CustomStandardVersion {
  return {
    id: row.id,
    organizationId: row.organizationId,
    // Stored documents were validated on write; parsing again applies defaults added since.
    standard: StandardDocumentSchema.parse(JSON.parse(row.documentJson)),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lifecycle: row.lifecycle,
    publishedAt: row.publishedAt,
    publishedBy: row.publishedBy,
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
      lifecycle: version.lifecycle,
      publishedAt: version.publishedAt,
      publishedBy: version.publishedBy,
    })
    .execute();
  return version;
}

/** One version of one custom standard, or null. */
export async function findCustomStandardVersion(
  db: Db,
  organizationId: string,
  standardId: string,
  version: number,
): Promise<CustomStandardVersion | null> {
  const row = await db
    .selectFrom("customStandards")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .where("standardId", "=", standardId)
    .where("version", "=", version)
    .executeTakeFirst();
  return row ? toCustomStandardVersion(row) : null;
}

/**
 * Rewrites a draft's document. Returns false (and changes nothing) when the version is not a
 * draft any more, e.g. published a moment ago: a published version is never rewritten.
 */
export async function updateCustomStandardDraft(
  db: Db,
  organizationId: string,
  standard: StandardDocument,
): Promise<boolean> {
  const result = await db
    .updateTable("customStandards")
    .set({ documentJson: JSON.stringify(standard) })
    .where("organizationId", "=", organizationId)
    .where("standardId", "=", standard.id)
    .where("version", "=", standard.version)
    .where("lifecycle", "=", "draft")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Publishes a draft version. Returns false (and changes nothing) when it is not a draft, so two
 * managers publishing at once cannot both succeed.
 */
export async function publishCustomStandardVersion(
  db: Db,
  organizationId: string,
  standardId: string,
  version: number,
  by: { publishedBy: string; publishedAt: string },
): Promise<boolean> {
  const result = await db
    .updateTable("customStandards")
    .set({ lifecycle: "published", publishedAt: by.publishedAt, publishedBy: by.publishedBy })
    .where("organizationId", "=", organizationId)
    .where("standardId", "=", standardId)
    .where("version", "=", version)
    .where("lifecycle", "=", "draft")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
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
