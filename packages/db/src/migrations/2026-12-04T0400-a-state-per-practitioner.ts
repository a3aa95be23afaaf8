/**
 * Every practitioner has an evaluation state: those without one get the state a new
 * practitioner is now inserted with (`insertNewEvaluationStates`: stale, inactive), so the refresh
 * check no longer looks for practitioners without a state (decision 058, seventh pass).
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await sql`insert into evaluation_states
      (practitioner_id, organization_id, clinic_id, stale, active, as_of, valid_until, worst,
        worst_rank, qualified, fingerprint, deadlines_json, first_due, pending_records,
        pending_without_evidence, oldest_pending_at, evaluated_at)
    select p.id, p.organization_id, p.clinic_id, 1, 0, '', '', null, 5, 0, '', '[]', null, 0, 0,
      null, ''
    from practitioners p
    where not exists (select 1 from evaluation_states s where s.practitioner_id = p.id)`.execute(
    db,
  );
}

/** The states it added are indistinguishable from a new practitioner's: they stay. */
export async function down(): Promise<void> {}
