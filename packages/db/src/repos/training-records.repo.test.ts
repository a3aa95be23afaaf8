import type { Practitioner, TrainingRecord, User } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  TEST_NOW,
} from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import {
  findCurrentRecord,
  insertRecordVersion,
  listCurrentRecords,
  listRecordsKnownAt,
  listRecordVersions,
  listReviewQueue,
  supersedeRecordVersion,
} from "./training-records.repo.ts";

describe.each(await testDialects())("training records repository on %s", (dialect) => {
  let handle: DbHandle;
  let organizationId: string;
  let practitioner: Practitioner;
  let user: User;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    const org = await buildOrganization(handle.db);
    organizationId = org.id;
    const clinic = await buildClinic(handle.db, { organizationId });
    practitioner = await buildPractitioner(handle.db, {
      clinicId: clinic.id,
      name: "Dana Whitfield",
    });
    user = await buildUser(handle.db, { organizationId });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  /** Writes the next version of `record` at `at`, the way the services do. */
  async function nextVersion(record: TrainingRecord, at: string, changes: Partial<TrainingRecord>) {
    expect(await supersedeRecordVersion(handle.db, record.id, record.version, at)).toBe(true);
    return insertRecordVersion(handle.db, {
      ...record,
      ...changes,
      version: record.version + 1,
      recordedAt: at,
    });
  }

  test("round-trips every field of a record, booleans and arrays included", async () => {
    const built = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
      kind: "exam",
      title: "DN Competency Exam",
      examType: "written-and-practical",
      passed: false,
      hours: { theory: 1.5, practical: 2.25, online: 0 },
      topics: ["anatomy", "psychomotor-skills"],
      count: 3,
      notes: "Retake scheduled",
    });
    expect(await findCurrentRecord(handle.db, built.id)).toEqual(built);
  });

  test("a new version replaces the current one and keeps the old on file", async () => {
    const v1 = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
      recordedAt: "2026-01-01T10:00:00.000Z",
    });
    const v2 = await nextVersion(v1, "2026-01-05T10:00:00.000Z", {
      status: "verified",
      reviewedBy: user.id,
    });
    expect(await findCurrentRecord(handle.db, v1.id)).toEqual(v2);
    expect((await listRecordVersions(handle.db, v1.id)).map((r) => [r.version, r.status])).toEqual([
      [1, "pending"],
      [2, "verified"],
    ]);
    // Superseding a version that is no longer current reports the lost race.
    expect(await supersedeRecordVersion(handle.db, v1.id, 1, "2026-01-06T10:00:00.000Z")).toBe(
      false,
    );
  });

  test("knownAt returns the version that was current at that instant", async () => {
    const v1 = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
      recordedAt: "2026-01-01T10:00:00.000Z",
      title: "Original",
    });
    await nextVersion(v1, "2026-02-01T10:00:00.000Z", { title: "Corrected" });
    const knownAt = async (at: string) =>
      (await listRecordsKnownAt(handle.db, practitioner.id, at)).map(
        (r) => `${r.title} v${r.version}`,
      );
    expect(await knownAt("2025-12-31T23:59:59.999Z")).toEqual([]);
    expect(await knownAt("2026-01-01T10:00:00.000Z")).toEqual(["Original v1"]);
    expect(await knownAt("2026-02-01T09:59:59.999Z")).toEqual(["Original v1"]);
    expect(await knownAt("2026-02-01T10:00:00.000Z")).toEqual(["Corrected v2"]);
    // Offsets are normalised: 05:00-05:00 is 10:00Z.
    expect(await knownAt("2026-02-01T05:00:00-05:00")).toEqual(["Corrected v2"]);
    expect(await knownAt("2030-01-01T00:00:00.000Z")).toEqual(["Corrected v2"]);
  });

  test("lists current versions only, newest completion first, filtered and paged", async () => {
    const dates = ["2024-01-10", "2025-06-01", "2023-03-03", "2025-06-01"];
    const built: TrainingRecord[] = [];
    for (const completedOn of dates) {
      built.push(
        await buildTrainingRecord(handle.db, {
          practitionerId: practitioner.id,
          recordedBy: user.id,
          completedOn,
        }),
      );
    }
    await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
      kind: "cpr",
      title: "BLS",
      completedOn: "2022-01-01",
      expiresOn: "2024-01-31",
      status: "verified",
    });
    const first = built[0] as TrainingRecord;
    await nextVersion(first, TEST_NOW, { status: "verified" });

    const all: TrainingRecord[] = [];
    let cursor: string | null = null;
    do {
      const page = await listCurrentRecords(handle.db, { organizationId, limit: 2, cursor });
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(all.map((r) => r.completedOn)).toEqual([
      "2025-06-01",
      "2025-06-01",
      "2024-01-10",
      "2023-03-03",
      "2022-01-01",
    ]);
    expect(new Set(all.map((r) => r.id)).size).toBe(5);
    expect(all.find((r) => r.id === first.id)?.version).toBe(2);

    const verified = await listCurrentRecords(handle.db, {
      organizationId,
      limit: 10,
      status: "verified",
    });
    expect(verified.items.map((r) => r.kind).sort()).toEqual(["cpr", "dn-course"]);
    const cprOnly = await listCurrentRecords(handle.db, { organizationId, limit: 10, kind: "cpr" });
    expect(cprOnly.items).toHaveLength(1);
    const otherOrg = await listCurrentRecords(handle.db, {
      organizationId: crypto.randomUUID(),
      limit: 10,
    });
    expect(otherOrg.items).toEqual([]);
  });

  test("the review queue holds current pending records, oldest recorded first, with names", async () => {
    const older = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
      recordedAt: "2026-03-01T00:00:00.000Z",
    });
    const newer = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
      recordedAt: "2026-04-01T00:00:00.000Z",
    });
    const reviewed = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
      recordedAt: "2026-02-01T00:00:00.000Z",
    });
    await nextVersion(reviewed, "2026-02-02T00:00:00.000Z", { status: "rejected" });

    const page1 = await listReviewQueue(handle.db, { organizationId, limit: 1 });
    expect(page1.items.map((r) => [r.id, r.practitionerName])).toEqual([
      [older.id, "Dana Whitfield"],
    ]);
    const page2 = await listReviewQueue(handle.db, {
      organizationId,
      limit: 1,
      cursor: page1.nextCursor,
    });
    expect(page2.items.map((r) => r.id)).toEqual([newer.id]);
    expect(page2.nextCursor).toBeNull();
  });
});
