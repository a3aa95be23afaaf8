/**
 * Each evaluation state names its practitioner's clinic (`clinic_id`, kept equal to
 * `practitioners.clinic_id`: written with the state and moved with the practitioner), so a
 * clinic's counts read the states' index alone instead of joining every state to its practitioner
 * (at 100,000 staff the clinic axis of the verdict counts spent 189 ms in that join; decision
 * 058, sixth pass). The counts index gains the clinic and replaces the one without it.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("evaluation_states").addColumn("clinic_id", "text").execute();
  await sql`update evaluation_states set clinic_id =
    (select p.clinic_id from practitioners p where p.id = evaluation_states.practitioner_id)`.execute(
    db,
  );
  await db.schema.dropIndex("evaluation_states_counts_idx").execute();
  await db.schema
    .createIndex("evaluation_states_counts_idx")
    .on("evaluation_states")
    .columns(["organization_id", "active", "clinic_id", "worst", "qualified", "practitioner_id"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("evaluation_states_counts_idx").execute();
  await db.schema
    .createIndex("evaluation_states_counts_idx")
    .on("evaluation_states")
    .columns(["organization_id", "active", "qualified", "worst", "practitioner_id"])
    .execute();
  await db.schema.alterTable("evaluation_states").dropColumn("clinic_id").execute();
}
