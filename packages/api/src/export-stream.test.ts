/**
 * A full-organization export reads in pages and evaluates in batches that yield to the event
 * loop (decision 058): on SQLite every query runs synchronously, so without the yields no timer
 * (and no other request of the API process) would run until the whole file was written.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type DbHandle, insertLicenses, insertPractitioners, insertRecordVersions } from "@dn/db";
import {
  buildClinic,
  buildOrganization,
  buildUser,
  createTestDb,
  TEST_NOW,
  testDialects,
} from "@dn/db/testing";
import { summaryCsv } from "@dn/exports";
import type { License, Practitioner, TrainingRecord } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { EXPORT_EVALUATION_BATCH, EXPORT_PAGE, planExport } from "./services/exports.service.ts";

const STAFF = 3 * EXPORT_PAGE + 17;

describe.each(await testDialects())("a large export on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("lets a timer fire between batches while it streams, and writes one row per practitioner and standard in name order", {
    timeout: 120_000,
  }, async () => {
    const org = await buildOrganization(handle.db);
    const clinic = await buildClinic(handle.db, { organizationId: org.id, jurisdiction: "US-FL" });
    const user = await buildUser(handle.db, { organizationId: org.id });
    const practitioners: Practitioner[] = Array.from({ length: STAFF }, (_, i) => ({
      id: randomUUID(),
      organizationId: org.id,
      clinicId: clinic.id,
      name: `Staff ${String(STAFF - i).padStart(4, "0")}`,
      email: null,
      profession: "PT",
      archivedAt: null,
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
    }));
    const licenses: License[] = practitioners.map((p, i) => ({
      id: randomUUID(),
      practitionerId: p.id,
      jurisdiction: "US-FL",
      number: `FL${i}`,
      issuedOn: "2020-01-01",
      expiresOn: "2028-01-01",
      status: "active",
      createdAt: TEST_NOW,
      updatedAt: TEST_NOW,
    }));
    const records: TrainingRecord[] = practitioners.map((p) => ({
      id: randomUUID(),
      version: 1,
      practitionerId: p.id,
      kind: "dn-course",
      title: "Dry Needling Level 1",
      provider: null,
      completedOn: "2025-03-15",
      hours: { theory: 12, practical: 15, online: 0 },
      topics: ["anatomy", "clean-needle-technique"],
      count: null,
      examType: null,
      passed: null,
      expiresOn: null,
      jurisdiction: null,
      notes: null,
      provenance: "self-reported",
      status: "verified",
      reviewedBy: user.id,
      reviewedAt: TEST_NOW,
      reviewReason: null,
      recordedAt: TEST_NOW,
      recordedBy: user.id,
    }));
    await handle.db.transaction().execute(async (trx) => {
      await insertPractitioners(trx, practitioners);
      await insertLicenses(trx, licenses);
      await insertRecordVersions(trx, records);
    });

    const plan = await planExport(handle.db, {
      exportId: randomUUID(),
      scope: { kind: "organization", asOf: "2026-11-01" },
      organizationId: org.id,
      generatedAt: TEST_NOW,
      generatedBy: { userId: user.id, name: user.name, role: "manager" },
    });
    expect(plan.count).toBe(STAFF);

    let ticks = 0;
    let written = 0;
    const timer = setInterval(() => {
      ticks += 1;
    }, 0);
    const chunks: Buffer[] = [];
    try {
      await pipeline(
        summaryCsv(plan.header, plan.practitioners()),
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            written += 1;
            callback();
          },
        }),
      );
    } finally {
      clearInterval(timer);
    }
    expect(written).toBeGreaterThan(0);
    // At least one tick per batch of evaluations (minus the first), not one at the very end.
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(STAFF / EXPORT_EVALUATION_BATCH) - 1);

    const lines = Buffer.concat(chunks).toString("utf8").trimEnd().split(/\r?\n/);
    const names = lines.slice(1).map((line) => line.match(/Staff \d{4}/)?.[0]);
    expect(names).toHaveLength(STAFF);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(STAFF);
  });
});
