/**
 * Custom standards: an organization's own standard documents (clinic policies, or rules the
 * shipped pack lacks). One row per version; a change writes the next version and never rewrites
 * an old one. Frozen like every migration: `Kysely<any>`, literal names, no app code.
 */
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("custom_standards")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    /** The document's `id` (a slug such as `harbor-clinic-dn-policy`). */
    .addColumn("standard_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    /** The validated StandardDocument as JSON text. */
    .addColumn("document_json", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("custom_standards_org_standard_version_key", [
      "organization_id",
      "standard_id",
      "version",
    ])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("custom_standards").execute();
}
