import { countStoredDeadlines, type DbHandle, listStoredDeadlines, saveEvaluations } from "@dn/db";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  createTestDb,
  testDialects,
} from "@dn/db/testing";
import type { Clinic, Organization } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { listSoonestDeadlines } from "./services/evaluations.ts";

describe.each(await testDialects())("the dashboard's deadlines on %s", (dialect) => {
  let handle: DbHandle;
  let org: Organization;
  let east: Clinic;
  let west: Clinic;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    org = await buildOrganization(handle.db);
    east = await buildClinic(handle.db, { organizationId: org.id });
    west = await buildClinic(handle.db, { organizationId: org.id });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  /** A stored state as of `asOf` listing deadlines on `dues`, over the practitioner's first. */
  async function store(
    practitioner: { id: string; clinicId: string },
    asOf: string,
    dues: string[],
  ) {
    await saveEvaluations(handle.db, [
      {
        staleSeen: 1,
        evaluations: [],
        state: {
          practitionerId: practitioner.id,
          organizationId: org.id,
          clinicId: practitioner.clinicId,
          active: 1,
          asOf,
          validUntil: "2026-12-14",
          worst: null,
          worstRank: 5,
          qualified: 0,
          fingerprint: "f",
          deadlinesJson: JSON.stringify(
            dues.map((due) => ({ practitionerId: practitioner.id, kind: "license", due })),
          ),
          firstDue: [...dues].sort()[0] ?? null,
          pendingRecords: 0,
          pendingWithoutEvidence: 0,
          oldestPendingAt: null,
          evaluatedAt: "2026-11-27T09:00:00.000Z",
        },
      },
    ]);
  }

  test("the soonest deadlines are read from as few lists as hold them, and counted per clinic's window", async () => {
    // East's date is the 10th, west's the 11th: a deadline a day later at west is as soon.
    const windows = [
      { clinicIds: [east.id], from: "2026-12-10", until: "2027-01-09" },
      { clinicIds: [west.id], from: "2026-12-11", until: "2027-01-10" },
    ];
    const dateOf = new Map([
      [east.id, "2026-12-10"],
      [west.id, "2026-12-11"],
    ]);
    const build = async (clinic: Clinic, name: string, dues: string[]) => {
      const practitioner = await buildPractitioner(handle.db, { clinicId: clinic.id, name });
      await store(practitioner, dateOf.get(clinic.id) as string, dues);
      return practitioner;
    };
    for (let i = 0; i < 25; i += 1) {
      await build(east, `east ${String(i).padStart(2, "0")}`, ["2026-12-15", "2027-01-10"]);
    }
    for (let i = 0; i < 5; i += 1) await build(west, `a west ${i}`, ["2026-12-16", "2027-01-10"]);
    for (let i = 0; i < 10; i += 1) await build(east, `late ${i}`, ["2026-12-25"]);

    const clinicDates = [
      { clinicIds: [east.id], date: "2026-12-10" },
      { clinicIds: [west.id], date: "2026-12-11" },
    ];
    const scope = { organizationId: org.id };
    const soonest = await listSoonestDeadlines(handle.db, scope, clinicDates, "2027-01-10", 25);
    const all = await listStoredDeadlines(handle.db, { organizationId: org.id }, "2027-01-10");
    // By brute force: every deadline as days from its clinic's date, the 25 soonest with ties.
    const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;
    const ranked = all
      .flatMap((row) =>
        (JSON.parse(row.deadlinesJson) as { due: string }[]).map((d) => ({
          practitionerId: row.practitionerId,
          daysLeft: days(dateOf.get(row.clinicId) as string, d.due),
        })),
      )
      .sort((a, b) => a.daysLeft - b.daysLeft);
    const cutoff = ranked[24]?.daysLeft ?? 0;
    const needed = new Set(ranked.filter((d) => d.daysLeft <= cutoff).map((d) => d.practitionerId));
    const read = new Set(soonest.map((row) => row.practitionerId));
    expect([...needed].filter((id) => !read.has(id))).toEqual([]);
    expect(read.size).toBe(30);
    expect(all).toHaveLength(40);

    // East's 2027-01-10 deadlines are a day past its window; west's are on its last day.
    expect(await countStoredDeadlines(handle.db, { organizationId: org.id }, windows)).toBe(
      25 + 5 + 5 + 10,
    );
    expect(
      await countStoredDeadlines(handle.db, { organizationId: org.id, clinics: west.id }, windows),
    ).toBe(10);
  });
});
