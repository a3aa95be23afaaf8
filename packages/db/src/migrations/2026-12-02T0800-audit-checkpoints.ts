/**
 * Signed checkpoints of each organization's audit chain (docs/decisions/055-tamper-evident-audit.md):
 * one row per checkpoint, holding the chain head (`seq`, `hash`) at `signed_at` and the Ed25519
 * signature, made with the organization's export key, over the canonical checkpoint text.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_checkpoints")
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("signed_at", "text", (c) => c.notNull())
    .addColumn("key_fingerprint", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("audit_checkpoints_pk", ["organization_id", "seq"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_checkpoints").execute();
}
