/**
 * Stored evaluations (docs/decisions/057-stored-evaluations.md):
 * - `evaluation_states`: one row per practitioner: whether their stored evaluations are stale,
 *   the date they were computed as of, the last date they hold (`valid_until`), the worst verdict
 *   (and its rank, for sorting), whether every applicable standard is met, the fingerprint of the
 *   inputs and the dated deadlines (licenses, CPR, requirement lapses) the dashboard lists.
 * - `stored_evaluations`: one row per practitioner x applicable standard: the version applied
 *   (and its title), the verdict and its rank, the engine's whole answer as JSON (requirement
 *   states, gaps), the next lapse, `valid_until` and the fingerprint.
 * - `trend_months`: a finished month's figures per clinic, keyed by the standard versions in force
 *   at that month's end.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import type { Kysely } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("evaluation_states")
    .addColumn("practitioner_id", "text", (c) =>
      c.primaryKey().references("practitioners.id").onDelete("cascade"),
    )
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("stale", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("active", "integer", (c) => c.notNull())
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("valid_until", "text", (c) => c.notNull())
    .addColumn("worst", "text")
    .addColumn("worst_rank", "integer", (c) => c.notNull())
    .addColumn("qualified", "integer", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("deadlines_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("first_due", "text")
    .addColumn("evaluated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("evaluation_states_refresh_idx")
    .on("evaluation_states")
    .columns(["organization_id", "stale", "valid_until"])
    .execute();
  await db.schema
    .createIndex("evaluation_states_due_idx")
    .on("evaluation_states")
    .columns(["organization_id", "first_due"])
    .execute();

  await db.schema
    .createTable("stored_evaluations")
    .addColumn("practitioner_id", "text", (c) =>
      c.notNull().references("practitioners.id").onDelete("cascade"),
    )
    .addColumn("standard_id", "text", (c) => c.notNull())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("standard_version", "integer", (c) => c.notNull())
    .addColumn("standard_title", "text", (c) => c.notNull())
    .addColumn("verdict", "text", (c) => c.notNull())
    .addColumn("verdict_rank", "integer", (c) => c.notNull())
    .addColumn("requirements_json", "text", (c) => c.notNull())
    .addColumn("evaluation_json", "text", (c) => c.notNull())
    .addColumn("next_lapse", "text")
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("valid_until", "text", (c) => c.notNull())
    .addColumn("fingerprint", "text", (c) => c.notNull())
    .addColumn("evaluated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("stored_evaluations_pk", ["practitioner_id", "standard_id"])
    .execute();
  await db.schema
    .createIndex("stored_evaluations_standard_idx")
    .on("stored_evaluations")
    .columns(["organization_id", "standard_id", "verdict_rank"])
    .execute();

  await db.schema
    .createTable("trend_months")
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("clinic_id", "text", (c) => c.notNull())
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("versions_key", "text", (c) => c.notNull())
    .addColumn("qualified", "integer", (c) => c.notNull())
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("computed_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("trend_months_pk", ["organization_id", "month", "clinic_id"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("trend_months").execute();
  await db.schema.dropTable("stored_evaluations").execute();
  await db.schema.dropTable("evaluation_states").execute();
}
