/**
 * Notifications people can act on (docs/decisions/070-notifications-and-follow-ups.md):
 * - `notification_preferences`: one row per membership that chose its settings; today only
 *   whether new notifications are also emailed (no row: not emailed).
 * - follow-up items gain an owner and a due date: an adverse event is owed by someone, by a date.
 *   Existing items are owed by whoever flagged them, 3 days after they were raised.
 * Which emails were sent is recorded in `sent_emails` (2026-12-02T0400-jobs), by idempotency key.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import type { Kysely } from "kysely";

const FIRST_DUE_DAYS = 3;

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notification_preferences")
    .addColumn("membership_id", "text", (c) => c.primaryKey().references("memberships.id"))
    .addColumn("email_opt_in", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.references("users.id"))
    .execute();

  await db.schema
    .alterTable("follow_up_items")
    .addColumn("owner_id", "text", (c) => c.references("users.id"))
    .execute();
  await db.schema.alterTable("follow_up_items").addColumn("due_on", "text").execute();
  const items = await db
    .selectFrom("follow_up_items")
    .select(["id", "created_at", "created_by"])
    .execute();
  for (const item of items) {
    const due = new Date(Date.parse(String(item.created_at)) + FIRST_DUE_DAYS * 86_400_000);
    await db
      .updateTable("follow_up_items")
      .set({ owner_id: item.created_by, due_on: due.toISOString().slice(0, 10) })
      .where("id", "=", item.id)
      .execute();
  }
  await db.schema
    .createIndex("follow_up_items_owner_idx")
    .on("follow_up_items")
    .columns(["owner_id", "status", "due_on"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("follow_up_items_owner_idx").execute();
  await db.schema.alterTable("follow_up_items").dropColumn("due_on").execute();
  await db.schema.alterTable("follow_up_items").dropColumn("owner_id").execute();
  await db.schema.dropTable("notification_preferences").execute();
}
