/**
 * An index for the refresh check's "computed for a later date" arm (listPractitionersToEvaluate):
 * with it, each reason a stored evaluation may not hold is a range of an index instead of a
 * filter over every practitioner of the organization (decision 058, sixth pass).
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("evaluation_states_as_of_idx")
    .on("evaluation_states")
    .columns(["organization_id", "as_of"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("evaluation_states_as_of_idx").execute();
}
