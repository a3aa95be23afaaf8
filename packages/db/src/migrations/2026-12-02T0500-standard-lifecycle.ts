/**
 * Custom standards get a draft → published life cycle (docs/decisions/056-standard-lifecycle.md).
 * A draft is editable and applies to nobody; publishing is an explicit, audited action that
 * stamps `published_at`/`published_by`, after which the version never changes. A published
 * clinic policy applies only where it is assigned, or to everyone through an organization-wide
 * include assignment chosen on publishing.
 *
 * Existing rows were in force as soon as they were saved, so they become published at the
 * instant they were saved. Existing clinic policies applied to every practitioner; those that no
 * manager assigned to a clinic or a practitioner get an organization-wide include, so they keep
 * applying to everyone. Those a manager did assign to clinics or practitioners apply from now
 * on only there, which is what the assignment asked for.
 *
 * Frozen like every migration: `Kysely<any>`, literal names, no app code.
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";

/** Marks the assignments this migration adds, so `down` removes only those. */
const MIGRATION_REASON =
  "Applied to the whole organization before standards had a draft/published life cycle; kept organization-wide by the 2026-12-02 migration (decision 056).";

interface Row {
  organization_id: string;
  standard_id: string;
  version: number | string;
  document_json: string;
  created_by: string;
  created_at: string;
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  // One column per statement: SQLite adds one column at a time. The default is the safe state:
  // a row written without a life cycle is a draft and applies to nobody.
  await db.schema
    .alterTable("custom_standards")
    .addColumn("lifecycle", "text", (c) =>
      c.notNull().defaultTo("draft").check(sql`lifecycle in ('draft', 'published')`),
    )
    .execute();
  await db.schema.alterTable("custom_standards").addColumn("published_at", "text").execute();
  /** The user who published (no foreign key, so SQLite can drop the column again). */
  await db.schema.alterTable("custom_standards").addColumn("published_by", "text").execute();

  await db
    .updateTable("custom_standards")
    .set({
      lifecycle: "published",
      published_at: sql`created_at`,
      published_by: sql`created_by`,
    })
    .execute();

  const rows = (await db
    .selectFrom("custom_standards")
    .select([
      "organization_id",
      "standard_id",
      "version",
      "document_json",
      "created_by",
      "created_at",
    ])
    .orderBy("organization_id")
    .orderBy("standard_id")
    .orderBy("version")
    .execute()) as Row[];
  // Per standard: the first version (who saved it and when) and the latest (its kind).
  const standards = new Map<string, { first: Row; latest: Row }>();
  for (const row of rows) {
    const key = `${row.organization_id}\u0000${row.standard_id}`;
    const seen = standards.get(key);
    standards.set(key, { first: seen?.first ?? row, latest: row });
  }
  for (const { first, latest } of standards.values()) {
    const kind = (JSON.parse(latest.document_json) as { kind?: unknown }).kind;
    if (kind !== "clinic-policy") continue;
    const assignments = (await db
      .selectFrom("standard_assignments")
      .select(["scope", "effect"])
      .where("organization_id", "=", first.organization_id)
      .where("standard_id", "=", first.standard_id)
      .execute()) as { scope: string; effect: string }[];
    const assignedSomewhere = assignments.some(
      (a) => a.effect === "include" && (a.scope === "clinic" || a.scope === "practitioner"),
    );
    // An organization-wide row already says it (include), or takes it from everyone (exclude).
    const organizationWide = assignments.some((a) => a.scope === "organization");
    if (assignedSomewhere || organizationWide) continue;
    await db
      .insertInto("standard_assignments")
      .values({
        id: randomUUID(),
        organization_id: first.organization_id,
        scope: "organization",
        scope_id: first.organization_id,
        standard_id: first.standard_id,
        effect: "include",
        reason: MIGRATION_REASON,
        // It has applied to everyone since its first version was saved, by whoever saved it.
        created_by: first.created_by,
        created_at: first.created_at,
      })
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("standard_assignments").where("reason", "=", MIGRATION_REASON).execute();
  // Drafts did not exist before: a version that was never published did not apply, so it goes.
  await db.deleteFrom("custom_standards").where("lifecycle", "=", "draft").execute();
  for (const column of ["published_by", "published_at", "lifecycle"]) {
    await db.schema.alterTable("custom_standards").dropColumn(column).execute();
  }
}
