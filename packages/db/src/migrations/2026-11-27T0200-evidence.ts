/**
 * The clinic manager's audit: evidence files attached to records, standard assignments,
 * the notification inbox, calendar feed tokens and idempotent bulk imports. Frozen like every
 * migration: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  // One row per file attached to a logical record; the bytes live in the blob store under sha256.
  await db.schema
    .createTable("evidence_files")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("practitioner_id", "text", (c) => c.notNull().references("practitioners.id"))
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("media_type", "text", (c) =>
      c.notNull().check(sql`media_type in ('application/pdf', 'image/png', 'image/jpeg')`),
    )
    .addColumn("size_bytes", "integer", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("uploaded_at", "text", (c) => c.notNull())
    .addUniqueConstraint("evidence_files_record_sha_unique", ["record_id", "sha256"])
    .execute();
  await db.schema
    .createIndex("evidence_files_record_idx")
    .on("evidence_files")
    .column("record_id")
    .execute();
  await db.schema
    .createIndex("evidence_files_org_sha_idx")
    .on("evidence_files")
    .columns(["organization_id", "sha256"])
    .execute();

  // A manager's change to which standards apply: include adds one, exclude removes a derived one.
  await db.schema
    .createTable("standard_assignments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("scope", "text", (c) =>
      c.notNull().check(sql`scope in ('organization', 'clinic', 'practitioner')`),
    )
    /** The clinic or practitioner id; the organization id for scope organization. */
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("standard_id", "text", (c) => c.notNull())
    .addColumn("effect", "text", (c) => c.notNull().check(sql`effect in ('include', 'exclude')`))
    .addColumn("reason", "text")
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("standard_assignments_unique", ["scope", "scope_id", "standard_id"])
    .execute();
  await db.schema
    .createIndex("standard_assignments_org_idx")
    .on("standard_assignments")
    .column("organization_id")
    .execute();

  await db.schema
    .createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("link", "text")
    /** The same alert is never raised twice for a user. */
    .addColumn("dedupe_key", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("read_at", "text")
    .addUniqueConstraint("notifications_user_dedupe_unique", ["user_id", "dedupe_key"])
    .execute();
  await db.schema
    .createIndex("notifications_user_created_idx")
    .on("notifications")
    .columns(["user_id", "created_at"])
    .execute();

  await db.schema
    .createTable("calendar_feeds")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
    /** SHA-256 (hex) of the feed token; the token itself is never stored. */
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("import_batches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('roster', 'completions')`))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("file_sha256", "text", (c) => c.notNull())
    .addColumn("rows_total", "integer", (c) => c.notNull())
    .addColumn("rows_imported", "integer", (c) => c.notNull())
    .addColumn("rows_already", "integer", (c) => c.notNull())
    .addColumn("rows_invalid", "integer", (c) => c.notNull())
    .addColumn("imported_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("imported_at", "text", (c) => c.notNull())
    .execute();

  // The idempotency keys: one per imported row, so a re-run imports nothing twice.
  await db.schema
    .createTable("import_rows")
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("row_key", "text", (c) => c.notNull())
    .addColumn("batch_id", "text", (c) => c.notNull().references("import_batches.id"))
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("import_rows_pk", ["organization_id", "kind", "row_key"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("import_rows").execute();
  await db.schema.dropTable("import_batches").execute();
  await db.schema.dropTable("calendar_feeds").execute();
  await db.schema.dropTable("notifications").execute();
  await db.schema.dropTable("standard_assignments").execute();
  await db.schema.dropTable("evidence_files").execute();
}
