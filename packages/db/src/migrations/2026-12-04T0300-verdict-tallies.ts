/**
 * The dashboard's and the staff matrix's counts, kept as the evaluations are written
 * (`verdict_tallies`): per organization, clinic, standard version and verdict, how many active
 * practitioners' stored evaluations say it; and per clinic and worst verdict (`standard_id` ''),
 * how many active practitioners there are, how many of them are qualified, and how many pending
 * records (and pending records without evidence) they have. Each state now carries its own
 * pending counts and its oldest pending record's time, computed with its evaluations.
 * `saveEvaluations` and a practitioner's move change the tallies in the transaction that changes
 * what they count, so a dashboard reads a few dozen rows at any size instead of counting every
 * stored evaluation and every pending record (decision 058, seventh pass). Backfilled.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("evaluation_states")
    .addColumn("pending_records", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("evaluation_states")
    .addColumn("pending_without_evidence", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("evaluation_states").addColumn("oldest_pending_at", "text").execute();
  // An active state's current pending records (the partial index holds exactly those).
  const pending = sql`from training_records r
    where r.practitioner_id = evaluation_states.practitioner_id
      and r.superseded_at is null and r.status = 'pending'`;
  await sql`update evaluation_states set
      pending_records = (select count(*) ${pending}),
      pending_without_evidence = (select count(*) ${pending}
        and not exists (select 1 from evidence_files f where f.record_id = r.record_id)),
      oldest_pending_at = (select min(r.recorded_at) ${pending})
    where active = 1`.execute(db);
  // The oldest pending record of a clinic: one seek per clinic.
  await db.schema
    .createIndex("evaluation_states_oldest_pending_idx")
    .on("evaluation_states")
    .columns(["organization_id", "clinic_id", "active", "oldest_pending_at"])
    .execute();
  await db.schema
    .createTable("verdict_tallies")
    .addColumn("organization_id", "text", (c) => c.notNull())
    .addColumn("clinic_id", "text", (c) => c.notNull())
    .addColumn("standard_id", "text", (c) => c.notNull())
    .addColumn("standard_version", "integer", (c) => c.notNull())
    .addColumn("verdict", "text", (c) => c.notNull())
    .addColumn("standard_title", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addColumn("qualified", "integer", (c) => c.notNull())
    .addColumn("pending_records", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("pending_without_evidence", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("verdict_tallies_pkey", [
      "organization_id",
      "clinic_id",
      "standard_id",
      "standard_version",
      "verdict",
    ])
    .execute();
  await sql`insert into verdict_tallies
      (organization_id, clinic_id, standard_id, standard_version, verdict, standard_title,
        count, qualified, pending_records, pending_without_evidence)
    select s.organization_id, s.clinic_id, '', 0, coalesce(s.worst, ''), '', count(*),
      sum(s.qualified), sum(s.pending_records), sum(s.pending_without_evidence)
    from evaluation_states s
    where s.active = 1
    group by s.organization_id, s.clinic_id, coalesce(s.worst, '')`.execute(db);
  await sql`insert into verdict_tallies
      (organization_id, clinic_id, standard_id, standard_version, verdict, standard_title,
        count, qualified)
    select s.organization_id, s.clinic_id, e.standard_id, e.standard_version, e.verdict,
      max(e.standard_title), count(*), 0
    from stored_evaluations e
    join evaluation_states s on s.practitioner_id = e.practitioner_id
    where s.active = 1
    group by s.organization_id, s.clinic_id, e.standard_id, e.standard_version, e.verdict`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("verdict_tallies").execute();
  await db.schema.dropIndex("evaluation_states_oldest_pending_idx").execute();
  for (const column of ["oldest_pending_at", "pending_without_evidence", "pending_records"]) {
    await db.schema.alterTable("evaluation_states").dropColumn(column).execute();
  }
}
