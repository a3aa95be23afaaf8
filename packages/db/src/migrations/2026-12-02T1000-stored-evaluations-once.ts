/**
 * Stored evaluations keep the engine's answer once: `requirements_json` repeated the
 * requirements already inside `evaluation_json` and nothing read it, yet every recomputation
 * serialised and wrote it (decision 057). Frozen: `Kysely<any>` and literal names only. Runs
 * unchanged on SQLite (3.35+) and PostgreSQL.
 */
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("stored_evaluations").dropColumn("requirements_json").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("stored_evaluations")
    .addColumn("requirements_json", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
}
