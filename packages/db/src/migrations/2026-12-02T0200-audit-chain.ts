/**
 * Audit chain: each organization's audit rows get a sequence number (1, 2, 3…, unique per
 * organization), the previous row's hash and their own hash, a SHA-256 over the canonical
 * serialization recorded in docs/decisions/055-tamper-evident-audit.md. Existing rows are chained
 * in (at, id) order per organization, in batches. Frozen: `Kysely<any>`, literal names, and the
 * serialization written out here rather than imported, so later changes to the app cannot change
 * what this migration computed. SQLite keeps the (never used) column defaults, as it cannot drop
 * a default without rebuilding the table; PostgreSQL drops them.
 */
import { createHash } from "node:crypto";
import { type Kysely, PostgresAdapter } from "kysely";

const GENESIS_HASH = "0".repeat(64);
const BATCH = 500;

interface OldRow {
  id: string;
  organization_id: string;
  actor_id: string | null;
  at: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
}

function hashRow(row: OldRow, seq: number, prevHash: string): string {
  const canonical = JSON.stringify([
    "dn-audit-v1",
    row.organization_id,
    seq,
    row.id,
    row.actor_id,
    row.at,
    row.action,
    row.entity_type,
    row.entity_id,
    row.before_json,
    row.after_json,
    prevHash,
  ]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("audit_events")
    .addColumn("seq", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("audit_events")
    .addColumn("prev_hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("audit_events")
    .addColumn("hash", "text", (c) => c.notNull().defaultTo(""))
    .execute();

  // Backfill, keyset-paged over (organization_id, at, id).
  let organizationId: string | null = null;
  let seq = 0;
  let prevHash = GENESIS_HASH;
  let after: OldRow | null = null;
  for (;;) {
    let query = db
      .selectFrom("audit_events")
      .select([
        "id",
        "organization_id",
        "actor_id",
        "at",
        "action",
        "entity_type",
        "entity_id",
        "before_json",
        "after_json",
      ]);
    if (after) {
      const last: OldRow = after;
      query = query.where((eb) =>
        eb.or([
          eb("organization_id", ">", last.organization_id),
          eb.and([
            eb("organization_id", "=", last.organization_id),
            eb.or([
              eb("at", ">", last.at),
              eb.and([eb("at", "=", last.at), eb("id", ">", last.id)]),
            ]),
          ]),
        ]),
      );
    }
    const rows = (await query
      .orderBy("organization_id")
      .orderBy("at")
      .orderBy("id")
      .limit(BATCH)
      .execute()) as OldRow[];
    for (const row of rows) {
      if (row.organization_id !== organizationId) {
        organizationId = row.organization_id;
        seq = 0;
        prevHash = GENESIS_HASH;
      }
      seq += 1;
      const hash = hashRow(row, seq, prevHash);
      await db
        .updateTable("audit_events")
        .set({ seq, prev_hash: prevHash, hash })
        .where("id", "=", row.id)
        .execute();
      prevHash = hash;
    }
    if (rows.length < BATCH) break;
    after = rows[rows.length - 1] ?? null;
  }

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const column of ["seq", "prev_hash", "hash"]) {
      await db.schema
        .alterTable("audit_events")
        .alterColumn(column, (c) => c.dropDefault())
        .execute();
    }
  }
  await db.schema
    .createIndex("audit_events_organization_seq_idx")
    .on("audit_events")
    .columns(["organization_id", "seq"])
    .unique()
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("audit_events_organization_seq_idx").execute();
  for (const column of ["hash", "prev_hash", "seq"]) {
    await db.schema.alterTable("audit_events").dropColumn(column).execute();
  }
}
