import { randomUUID } from "node:crypto";
import type { AuditEvent } from "@dn/schema";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { migrateDown, migrateToLatest } from "../migrate.ts";
import { migrations } from "../migrations/index.ts";
import { buildOrganization, TEST_NOW } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import {
  AUDIT_GENESIS_HASH,
  hashAuditRow,
  insertAuditEvent,
  listAuditEvents,
  serializeAuditRow,
  verifyAuditChain,
} from "./audit.repo.ts";

const CHAIN_MIGRATION = "2026-12-02T0200-audit-chain";

function event(organizationId: string, n: number, at = TEST_NOW): AuditEvent {
  return {
    id: randomUUID(),
    organizationId,
    actorId: null,
    at,
    action: "update",
    entityType: "practitioner",
    entityId: `p-${n}`,
    before: n === 1 ? null : { n: n - 1 },
    after: { n, name: 'Zoë \u2028 "quoted"' },
  };
}

describe("serializeAuditRow", () => {
  test("is the documented JSON array, stored JSON columns kept as text", () => {
    const row = {
      id: "e1",
      organizationId: "o1",
      actorId: null,
      at: "2026-01-01T00:00:00.000Z",
      action: "create",
      entityType: "clinic",
      entityId: "c1",
      beforeJson: null,
      afterJson: '{"a":1}',
      seq: 1,
      prevHash: AUDIT_GENESIS_HASH,
    };
    expect(serializeAuditRow(row)).toBe(
      `["dn-audit-v1","o1",1,"e1",null,"2026-01-01T00:00:00.000Z","create","clinic","c1",null,"{\\"a\\":1}","${"0".repeat(64)}"]`,
    );
    expect(hashAuditRow(row)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashAuditRow({ ...row, afterJson: '{"a":2}' })).not.toBe(hashAuditRow(row));
  });
});

describe.each(await testDialects())("the audit hash chain on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  async function writeMany(organizationId: string, count: number): Promise<AuditEvent[]> {
    const written: AuditEvent[] = [];
    for (let n = 1; n <= count; n++) {
      written.push(await insertAuditEvent(handle.db, event(organizationId, n)));
    }
    return written;
  }

  test("many writes at one instant form a gapless chain that verifies, batch by batch", async () => {
    const organization = await buildOrganization(handle.db);
    const other = await buildOrganization(handle.db);
    const written = await writeMany(organization.id, 23);
    await writeMany(other.id, 3);
    const rows = await handle.db
      .selectFrom("auditEvents")
      .select(["id", "seq", "prevHash", "hash"])
      .where("organizationId", "=", organization.id)
      .orderBy("seq")
      .execute();
    expect(rows.map((row) => row.seq)).toEqual(written.map((_, i) => i + 1));
    expect(rows.map((row) => row.id)).toEqual(written.map((e) => e.id));
    expect(rows[0]?.prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(await verifyAuditChain(handle.db, organization.id, { batchSize: 5 })).toEqual({
      ok: true,
      rows: 23,
      head: { seq: 23, hash: rows[22]?.hash },
    });
    expect(await verifyAuditChain(handle.db, other.id)).toMatchObject({ ok: true, rows: 3 });
    expect(await verifyAuditChain(handle.db, randomUUID())).toEqual({
      ok: true,
      rows: 0,
      head: null,
    });
  });

  test("the listing orders same-instant rows by seq, newest first, across pages", async () => {
    const organization = await buildOrganization(handle.db);
    const written = await writeMany(organization.id, 7);
    const first = await listAuditEvents(handle.db, { organizationId: organization.id, limit: 4 });
    const second = await listAuditEvents(handle.db, {
      organizationId: organization.id,
      limit: 4,
      cursor: first.nextCursor,
    });
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(
      written.map((e) => e.id).reverse(),
    );
    expect(second.nextCursor).toBeNull();
  });

  test("an UPDATE of one row's after_json is caught at that seq", async () => {
    const organization = await buildOrganization(handle.db);
    const written = await writeMany(organization.id, 12);
    await handle.db
      .updateTable("auditEvents")
      .set({ afterJson: '{"n":7,"name":"someone else"}' })
      .where("id", "=", written[6]?.id ?? "")
      .execute();
    expect(await verifyAuditChain(handle.db, organization.id, { batchSize: 4 })).toMatchObject({
      ok: false,
      rows: 6,
      seq: 7,
      id: written[6]?.id,
      problem: "hash-mismatch",
    });
  });

  test("rehashing a changed row is caught at the next row", async () => {
    const organization = await buildOrganization(handle.db);
    const written = await writeMany(organization.id, 5);
    const row = await handle.db
      .selectFrom("auditEvents")
      .selectAll()
      .where("id", "=", written[2]?.id ?? "")
      .executeTakeFirstOrThrow();
    const forged = { ...row, action: "delete" };
    await handle.db
      .updateTable("auditEvents")
      .set({ action: forged.action, hash: hashAuditRow(forged) })
      .where("id", "=", row.id)
      .execute();
    expect(await verifyAuditChain(handle.db, organization.id)).toMatchObject({
      ok: false,
      seq: 4,
      problem: "prev-hash-mismatch",
    });
  });

  test("a DELETE is caught as a seq gap", async () => {
    const organization = await buildOrganization(handle.db);
    const written = await writeMany(organization.id, 9);
    await handle.db
      .deleteFrom("auditEvents")
      .where("id", "in", [written[3]?.id ?? "", written[4]?.id ?? ""])
      .execute();
    expect(await verifyAuditChain(handle.db, organization.id, { batchSize: 3 })).toMatchObject({
      ok: false,
      rows: 3,
      seq: 4,
      id: written[5]?.id,
      problem: "seq-gap",
      message: expect.stringContaining("seq 4-5 missing"),
    });
  });

  test("concurrent writers outside and inside transactions take distinct, gapless seqs", async () => {
    const organization = await buildOrganization(handle.db);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? insertAuditEvent(handle.db, event(organization.id, i + 1))
          : handle.db
              .transaction()
              .execute((trx) => insertAuditEvent(trx, event(organization.id, i + 1))),
      ),
    );
    const seqs = await handle.db
      .selectFrom("auditEvents")
      .select("seq")
      .where("organizationId", "=", organization.id)
      .orderBy("seq")
      .execute();
    expect(seqs.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyAuditChain(handle.db, organization.id)).toMatchObject({
      ok: true,
      rows: 20,
    });
  });

  test("the migration chains existing rows per organization in (at, id) order", async () => {
    // Revert down to just before the chain migration, whatever was added after it.
    const names = Object.keys(migrations);
    for (let i = names.length - 1; i >= names.indexOf(CHAIN_MIGRATION); i--) {
      expect(await migrateDown(handle.db)).toEqual([names[i]]);
    }
    const a = await buildOrganization(handle.db);
    const b = await buildOrganization(handle.db);
    const oldRows = [
      { id: "e-3", org: a.id, at: "2026-03-01T00:00:00.000Z" },
      { id: "e-1", org: a.id, at: "2026-03-01T00:00:00.000Z" },
      { id: "e-0", org: a.id, at: "2026-04-01T00:00:00.000Z" },
      { id: "e-9", org: a.id, at: "2026-02-01T00:00:00.000Z" },
      { id: "e-5", org: b.id, at: "2026-01-01T00:00:00.000Z" },
    ];
    for (const row of oldRows) {
      await sql`insert into audit_events (id, organization_id, actor_id, at, action, entity_type, entity_id, before_json, after_json)
        values (${row.id}, ${row.org}, ${null}, ${row.at}, ${"create"}, ${"clinic"}, ${"c1"}, ${null}, ${'{"x":1}'})`.execute(
        handle.db,
      );
    }
    await migrateToLatest(handle.db);
    const chained = await handle.db
      .selectFrom("auditEvents")
      .select(["id", "seq"])
      .where("organizationId", "=", a.id)
      .orderBy("seq")
      .execute();
    expect(chained).toEqual([
      { id: "e-9", seq: 1 },
      { id: "e-1", seq: 2 },
      { id: "e-3", seq: 3 },
      { id: "e-0", seq: 4 },
    ]);
    expect(await verifyAuditChain(handle.db, a.id)).toMatchObject({ ok: true, rows: 4 });
    expect(await verifyAuditChain(handle.db, b.id)).toMatchObject({ ok: true, rows: 1 });
    // New writes continue the backfilled chain.
    await insertAuditEvent(handle.db, event(a.id, 1));
    expect(await verifyAuditChain(handle.db, a.id)).toMatchObject({ ok: true, rows: 5 });
  });
});
