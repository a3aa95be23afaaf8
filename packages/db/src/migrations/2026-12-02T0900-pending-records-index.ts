/**
 * Pending records by a partial index instead of the status index (decision 058). Every query
 * that asks for pending records (a page's pending counts in `practitioners.list`, the
 * dashboard's unverified-evidence figures, the review queue) names `superseded_at is null and
 * status = 'pending'`; with an index on `status` alone the planner read every pending record of
 * the database and then each one's row. The partial index holds only current pending versions,
 * by practitioner, with the columns those queries read. Frozen: `Kysely<any>` and literal names
 * only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("training_records_status_idx").execute();
  await sql`create index training_records_pending_idx on training_records
    (practitioner_id, recorded_at, record_id)
    where superseded_at is null and status = 'pending'`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("training_records_pending_idx").execute();
  await db.schema
    .createIndex("training_records_status_idx")
    .on("training_records")
    .column("status")
    .execute();
}
