/**
 * Compliance exports: each organization's Ed25519 signing key, the export jobs (history) and
 * regulators' read-only API tokens. Frozen like every migration: `Kysely<any>` and literal names
 * only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("organization_keys")
    .addColumn("organization_id", "text", (c) => c.primaryKey().references("organizations.id"))
    .addColumn("public_key_pem", "text", (c) => c.notNull())
    .addColumn("private_key_pem", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("jurisdiction", "text")
    /** SHA-256 (hex) of the secret; the secret itself is never stored. */
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("last_used_at", "text")
    .execute();
  await db.schema
    .createIndex("api_tokens_organization_idx")
    .on("api_tokens")
    .columns(["organization_id", "created_at"])
    .execute();

  await db.schema
    .createTable("export_jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("kind", "text", (c) =>
      c.notNull().check(sql`kind in ('bundle', 'json', 'csv-summary', 'csv-detail', 'pdf-report')`),
    )
    .addColumn("scope_json", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`),
    )
    .addColumn("progress", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total", "integer")
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    /** Set when a regulator's token asked for it (then created_by is null). */
    .addColumn("api_token_id", "text", (c) => c.references("api_tokens.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("started_at", "text")
    .addColumn("finished_at", "text")
    .addColumn("file_name", "text")
    .addColumn("storage_key", "text")
    .addColumn("sha256", "text")
    .addColumn("size_bytes", "integer")
    .addColumn("error", "text")
    .execute();
  await db.schema
    .createIndex("export_jobs_organization_created_idx")
    .on("export_jobs")
    .columns(["organization_id", "created_at", "id"])
    .execute();
  await db.schema
    .createIndex("export_jobs_status_idx")
    .on("export_jobs")
    .column("status")
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["export_jobs", "api_tokens", "organization_keys"]) {
    await db.schema.dropTable(table).execute();
  }
}
