/**
 * Background work that survives crashes and a second instance (docs/decisions/060-background-jobs.md):
 * - `jobs`: the embedded queue used on SQLite (PostgreSQL uses pg-boss's own schema instead);
 *   a claimed job holds a lease its worker renews, so a job whose process died is taken again.
 * - `scheduled_runs`: one row per daily run (kind, organization, time zone, local date); the
 *   scheduler that inserts the row is the only one that queues the run.
 * - `sent_emails`: every email sent, by idempotency key (user, kind, period), so a retried or
 *   doubled job never sends the same email twice.
 * - export jobs gain an attempt count, a lease (run token and heartbeat) and stay queued while a
 *   retry is pending.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("jobs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("queue", "text", (c) => c.notNull())
    .addColumn("data_json", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) =>
      c.notNull().check(sql`state in ('created', 'active', 'completed', 'failed')`),
    )
    /** Runs started so far; the job fails for good after retry_limit + 1. */
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("retry_limit", "integer", (c) => c.notNull())
    .addColumn("singleton_key", "text")
    .addColumn("run_after", "text", (c) => c.notNull())
    .addColumn("lease_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema
    .createIndex("jobs_claim_idx")
    .on("jobs")
    .columns(["queue", "state", "run_after"])
    .execute();
  // At most one waiting job per singleton key and queue (e.g. one recovery per export).
  await sql`create unique index jobs_singleton_key on jobs (queue, singleton_key) where state = 'created' and singleton_key is not null`.execute(
    db,
  );

  await db.schema
    .createTable("scheduled_runs")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("local_date", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("scheduled_runs_pk", [
      "kind",
      "organization_id",
      "time_zone",
      "local_date",
    ])
    .execute();

  await db.schema
    .createTable("sent_emails")
    .addColumn("idempotency_key", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.references("organizations.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('sending', 'sent')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .execute();
  await db.schema
    .createIndex("sent_emails_organization_idx")
    .on("sent_emails")
    .columns(["organization_id", "created_at"])
    .execute();

  await db.schema
    .alterTable("export_jobs")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("export_jobs").addColumn("run_token", "text").execute();
  await db.schema.alterTable("export_jobs").addColumn("heartbeat_at", "text").execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("export_jobs").dropColumn("heartbeat_at").execute();
  await db.schema.alterTable("export_jobs").dropColumn("run_token").execute();
  await db.schema.alterTable("export_jobs").dropColumn("attempts").execute();
  await db.schema.dropTable("sent_emails").execute();
  await db.schema.dropTable("scheduled_runs").execute();
  await db.schema.dropTable("jobs").execute();
}
