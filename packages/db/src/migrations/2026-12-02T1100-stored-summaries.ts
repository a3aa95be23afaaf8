/**
 * Stored evaluations also keep the few fields the summary CSV prints (`summary_json`), so a
 * summary export parses a few hundred bytes per answer instead of the engine's whole answer
 * (decision 058). Rows written before have none: every practitioner's state is marked stale, so
 * the evaluation job rewrites them and no reader trusts a row without its summary meanwhile.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("stored_evaluations").addColumn("summary_json", "text").execute();
  await db.updateTable("evaluation_states").set({ stale: sql`stale + 1` }).execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("stored_evaluations").dropColumn("summary_json").execute();
}
