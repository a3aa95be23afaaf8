/**
 * Repositories at the scale of a whole organization (decision 058): lists of ids longer than
 * SQLite's 32,766-variable limit are read in chunks, bulk inserts write what single inserts
 * write, and a batch of audit events is the same hash chain one-at-a-time writes give.
 */
import { randomUUID } from "node:crypto";
import type { AuditEvent, License, Practitioner, TrainingRecord } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { buildClinic, buildOrganization, buildUser, TEST_NOW } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import { listRecordVersionsOfPractitioners } from "./assignments.repo.ts";
import { insertAuditEvent, insertAuditEvents, verifyAuditChain } from "./audit.repo.ts";
import { listEvidenceOfRecords } from "./evidence.repo.ts";
import { findImportedRowKeys, insertImportBatch, insertImportRows } from "./imports.repo.ts";
import { insertLicenses, listLicensesOfPractitioners } from "./licenses.repo.ts";
import { insertPractitioners } from "./practitioners.repo.ts";
import {
  countPendingRecords,
  insertRecordVersions,
  listRecordVersions,
} from "./training-records.repo.ts";

/** More ids than SQLite accepts as variables in one statement (32,766). */
const MANY = 45_000;

/** Even `n`: a pending CE activity; odd `n`: a verified version with every field set, each to its own value. */
function record(practitionerId: string, userId: string, n: number): TrainingRecord {
  const base = {
    id: randomUUID(),
    version: 1,
    practitionerId,
    kind: "ce-activity",
    title: `Course ${n}`,
    provider: null,
    completedOn: "2025-03-15",
    hours: { theory: 2, practical: 0, online: 0 },
    topics: [],
    count: null,
    examType: null,
    passed: null,
    expiresOn: null,
    jurisdiction: null,
    notes: null,
    provenance: "self-reported",
    status: n % 2 === 0 ? "pending" : "verified",
    reviewedBy: null,
    reviewedAt: null,
    reviewReason: null,
    recordedAt: TEST_NOW,
    recordedBy: userId,
  } satisfies TrainingRecord;
  if (n % 2 === 0) return base;
  return {
    ...base,
    provider: `Provider ${n}`,
    hours: { theory: 1.5, practical: 2.25, online: 3 },
    topics: ["anatomy", "jurisprudence"],
    count: 4,
    examType: "written",
    passed: true,
    expiresOn: "2027-03-15",
    jurisdiction: "US-MD",
    notes: `Notes ${n}`,
    reviewedBy: userId,
    reviewedAt: "2025-04-01T10:00:00.000Z",
    reviewReason: `Reason ${n}`,
    recordedAt: "2025-03-20T09:00:00.000Z",
  };
}

describe("a list of 45,000 ids on sqlite", () => {
  let handle: DbHandle;
  afterEach(async () => {
    await handle.destroy();
  });

  test("every bulk reader answers for 45,000 practitioners, records and keys without a variable-limit error", {
    timeout: 120_000,
  }, async () => {
    handle = await createTestDb({ dialect: "sqlite" });
    const org = await buildOrganization(handle.db);
    const clinic = await buildClinic(handle.db, { organizationId: org.id });
    const user = await buildUser(handle.db, { organizationId: org.id });
    const practitioners: Practitioner[] = Array.from({ length: MANY }, (_, i) => ({
      id: randomUUID(),
      organizationId: org.id,
      clinicId: clinic.id,
      name: `Staff ${i}`,
      email: null,
      profession: "PT",
      archivedAt: null,
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
    }));
    const ids = practitioners.map((p) => p.id);
    // The first, a middle and the last practitioner have a license and two records each.
    const holders = [ids[0], ids[MANY / 2], ids[MANY - 1]] as string[];
    const licenses: License[] = holders.map((practitionerId, i) => ({
      id: randomUUID(),
      practitionerId,
      jurisdiction: "US-MD",
      number: `MD${i}`,
      issuedOn: "2020-01-01",
      expiresOn: null,
      status: "active",
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
    }));
    const records = holders.flatMap((p, i) => [
      record(p, user.id, 2 * i),
      record(p, user.id, 2 * i + 1),
    ]);
    await handle.db.transaction().execute(async (trx) => {
      await insertPractitioners(trx, practitioners);
      await insertLicenses(trx, licenses);
      await insertRecordVersions(trx, records);
    });

    const byPractitioner = await listLicensesOfPractitioners(handle.db, ids);
    expect(byPractitioner.size).toBe(MANY);
    expect(holders.map((id) => byPractitioner.get(id)?.map((l) => l.number))).toEqual([
      ["MD0"],
      ["MD1"],
      ["MD2"],
    ]);
    const pending = await countPendingRecords(handle.db, ids);
    expect(pending.size).toBe(MANY);
    expect(holders.map((id) => pending.get(id))).toEqual([1, 1, 1]);
    expect(pending.get(ids[1] as string)).toBe(0);
    const versions = await listRecordVersionsOfPractitioners(handle.db, ids);
    expect(versions.size).toBe(MANY);
    expect(holders.map((id) => versions.get(id)?.length)).toEqual([2, 2, 2]);
    // Every field comes back as the per-record read gives it, in completion order.
    for (const id of holders) {
      const expected = (
        await Promise.all(
          [...new Set((versions.get(id) ?? []).map((v) => v.id))].map((recordId) =>
            listRecordVersions(handle.db, recordId),
          ),
        )
      )
        .flat()
        .sort(
          (a, b) =>
            a.completedOn.localeCompare(b.completedOn) ||
            a.id.localeCompare(b.id) ||
            a.version - b.version,
        );
      expect(versions.get(id)).toEqual(expected);
    }
    const evidence = await listEvidenceOfRecords(
      handle.db,
      Array.from({ length: MANY }, () => randomUUID()),
    );
    expect(evidence.size).toBe(MANY);

    const batchId = randomUUID();
    await insertImportBatch(handle.db, {
      id: batchId,
      organizationId: org.id,
      kind: "roster",
      fileName: "roster.csv",
      fileSha256: "0".repeat(64),
      rowsTotal: 3,
      rowsImported: 3,
      rowsAlready: 0,
      rowsInvalid: 0,
      importedBy: user.id,
      importedAt: TEST_NOW,
    });
    const keys = Array.from({ length: MANY }, (_, i) => `key-${i}`);
    await insertImportRows(
      handle.db,
      [0, 20_000, MANY - 1].map((i) => ({
        organizationId: org.id,
        kind: "roster",
        rowKey: keys[i] as string,
        batchId,
        entityId: randomUUID(),
      })),
    );
    const found = await findImportedRowKeys(handle.db, org.id, "roster", keys);
    expect([...found].sort()).toEqual(["key-0", "key-20000", `key-${MANY - 1}`].sort());
  });
});

describe.each(await testDialects())("batched audit events on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const event = (organizationId: string, n: number): AuditEvent => ({
    id: randomUUID(),
    organizationId,
    actorId: null,
    at: TEST_NOW,
    action: "license.import",
    entityType: "license",
    entityId: `l-${n}`,
    before: null,
    after: { n },
  });

  test("a batch continues the chain of single writes in order, across insert chunks, and verifies", async () => {
    const org = await buildOrganization(handle.db);
    await insertAuditEvent(handle.db, event(org.id, 0));
    const batch = Array.from({ length: 1_203 }, (_, i) => event(org.id, i + 1));
    await handle.db.transaction().execute((trx) => insertAuditEvents(trx, org.id, batch));
    await insertAuditEvent(handle.db, event(org.id, 1_204));
    const rows = await handle.db
      .selectFrom("auditEvents")
      .select(["seq", "entityId"])
      .where("organizationId", "=", org.id)
      .orderBy("seq")
      .execute();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 1_205 }, (_, i) => i + 1));
    expect(rows.map((r) => r.entityId)).toEqual(Array.from({ length: 1_205 }, (_, i) => `l-${i}`));
    expect(await verifyAuditChain(handle.db, org.id)).toMatchObject({ ok: true, rows: 1_205 });
  });

  test("a batch refuses to run outside a transaction or for another organization, writing nothing", async () => {
    const org = await buildOrganization(handle.db);
    const other = await buildOrganization(handle.db);
    await expect(insertAuditEvents(handle.db, org.id, [event(org.id, 1)])).rejects.toThrow(
      /inside a transaction/,
    );
    await expect(
      handle.db
        .transaction()
        .execute((trx) => insertAuditEvents(trx, org.id, [event(org.id, 1), event(other.id, 2)])),
    ).rejects.toThrow(/another organization/);
    expect(await verifyAuditChain(handle.db, org.id)).toMatchObject({ ok: true, rows: 0 });
  });
});
