import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import {
  countStaleEvaluations,
  countUnverifiedEvidence,
  type DbHandle,
  insertRecordVersion,
  markEvaluationsStale,
  readTalliedStates,
  TallyChanges,
} from "@dn/db";
import { buildClinic, buildPractitioner, createTestDb, testDialects } from "@dn/db/testing";
import { DASHBOARD_DEADLINES, type TrainingRecord } from "@dn/schema";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { pdfBytes } from "./evidence-fixtures.ts";
import { actorFromUser } from "./services/context.ts";
import { forgetStoredDashboards } from "./services/dashboard.service.ts";
import {
  pendingRecordsOf,
  pendingSummaryOf,
  reevaluateStale,
  refreshTrendMonths,
  validUntilOf,
} from "./services/evaluations.ts";
import { uploadEvidence } from "./services/evidence.service.ts";
import { LocalFileStore } from "./services/storage/local-file-store.ts";
import { clinicPolicy } from "./test-standards.ts";
import { buildOrgWorld, callerFor, expectTrpcError, type OrgWorld } from "./test-support.ts";
import { createContextInner } from "./trpc.ts";

const NOW = "2026-11-27T09:00:00.000Z";

describe.each(await testDialects())("stored evaluations on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });
  const as = (role: keyof OrgWorld["users"], now = NOW) =>
    callerFor(handle.db, world.users[role], now);

  const stateOf = (practitionerId: string) =>
    handle.db
      .selectFrom("evaluationStates")
      .selectAll()
      .where("practitionerId", "=", practitionerId)
      .executeTakeFirstOrThrow();
  /** Adds to a clinic's practitioner tally for a worst verdict, behind the services' back. */
  const bumpTally = (clinicId: string, worst: string, count: number, qualified = 0) =>
    handle.db
      .insertInto("verdictTallies")
      .values({
        organizationId: world.organization.id,
        clinicId,
        standardId: "",
        standardVersion: 0,
        verdict: worst,
        standardTitle: "",
        count,
        qualified,
        pendingRecords: 0,
        pendingWithoutEvidence: 0,
      })
      .onConflict((oc) =>
        oc
          .columns(["organizationId", "clinicId", "standardId", "standardVersion", "verdict"])
          .doUpdateSet({
            count: sql`verdict_tallies.count + ${count}`,
            qualified: sql`verdict_tallies.qualified + ${qualified}`,
          }),
      )
      .execute();
  /** Makes a practitioner inactive in their state and its tallies, behind the services' back. */
  const setInactive = async (practitionerId: string) => {
    const state = await stateOf(practitionerId);
    await handle.db
      .updateTable("evaluationStates")
      .set({ active: 0 })
      .where("practitionerId", "=", practitionerId)
      .execute();
    await bumpTally(state.clinicId, state.worst ?? "", -1, -state.qualified);
  };

  /** The dashboard, the matrix and each practitioner's compliance page say the same thing. */
  async function expectPagesAgree(): Promise<Map<string, Record<string, string>>> {
    const manager = as("manager");
    const [dashboard, matrix] = await Promise.all([
      manager.dashboard.summary({}),
      manager.dashboard.matrix({ limit: 500 }),
    ]);
    const expected = new Map<string, Record<string, string>>();
    const counts = new Map<string, number>();
    for (const practitioner of [world.self, world.colleague]) {
      const overview = await manager.compliance.overview({ practitionerId: practitioner.id });
      const cells: Record<string, string> = {};
      for (const entry of overview.standards) {
        if (!entry.evaluation) continue;
        cells[entry.standardId] = entry.evaluation.status;
        const key = `${entry.standardId}|${entry.evaluation.status}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        const one = await manager.compliance.evaluate({
          practitionerId: practitioner.id,
          standardId: entry.standardId,
        });
        expect(one.status).toBe(entry.evaluation.status);
        expect(one.standard.version).toBe(entry.evaluation.standard.version);
      }
      expected.set(practitioner.id, cells);
      const row = matrix.rows.find((r) => r.practitionerId === practitioner.id);
      expect(row?.cells).toEqual(cells);
    }
    const fromDashboard = new Map<string, number>();
    for (const standard of dashboard.byStandard) {
      for (const [verdict, count] of Object.entries(standard.counts)) {
        if (count > 0) fromDashboard.set(`${standard.standardId}|${verdict}`, count);
      }
    }
    expect(Object.fromEntries(fromDashboard)).toEqual(Object.fromEntries(counts));
    await expectTalliesCounted();
    return expected;
  }

  /** The tallies are what counting the active practitioners' stored rows gives. */
  async function expectTalliesCounted(): Promise<void> {
    const organizationId = world.organization.id;
    const counted = await sql<Record<string, string | number>>`
      select s.clinic_id, '' as standard_id, 0 as standard_version,
        coalesce(s.worst, '') as verdict, '' as standard_title, count(*) as count,
        sum(s.qualified) as qualified, sum(s.pending_records) as pending_records,
        sum(s.pending_without_evidence) as pending_without_evidence
      from evaluation_states s
      where s.organization_id = ${organizationId} and s.active = 1
      group by s.clinic_id, coalesce(s.worst, '')
      union all
      select s.clinic_id, e.standard_id, e.standard_version, e.verdict, max(e.standard_title),
        count(*), 0, 0, 0
      from stored_evaluations e
      join evaluation_states s on s.practitioner_id = e.practitioner_id
      where s.organization_id = ${organizationId} and s.active = 1
      group by s.clinic_id, e.standard_id, e.standard_version, e.verdict`.execute(handle.db);
    const tallied = await handle.db
      .selectFrom("verdictTallies")
      .select([
        "clinicId",
        "standardId",
        "standardVersion",
        "verdict",
        "standardTitle",
        "count",
        "qualified",
        "pendingRecords",
        "pendingWithoutEvidence",
      ])
      .where("organizationId", "=", organizationId)
      .where((eb) =>
        eb.or([
          eb("count", "<>", 0),
          eb("qualified", "<>", 0),
          eb("pendingRecords", "<>", 0),
          eb("pendingWithoutEvidence", "<>", 0),
        ]),
      )
      .execute();
    const normalized = (rows: readonly Record<string, string | number>[]) =>
      rows
        .map((row) =>
          [
            row.clinicId,
            row.standardId,
            Number(row.standardVersion),
            row.verdict,
            row.standardTitle,
            Number(row.count),
            Number(row.qualified),
            Number(row.pendingRecords),
            Number(row.pendingWithoutEvidence),
          ].join("|"),
        )
        .sort();
    expect(normalized(tallied)).toEqual(normalized(counted.rows));
    expect(tallied.length).toBeGreaterThan(0);

    const dues = new Map<string, number>();
    const states = await handle.db
      .selectFrom("evaluationStates")
      .select(["clinicId", "deadlinesJson"])
      .where("organizationId", "=", organizationId)
      .where("active", "=", 1)
      .execute();
    for (const state of states) {
      for (const { due } of JSON.parse(state.deadlinesJson) as { due: string }[]) {
        const key = `${state.clinicId}|${due}`;
        dues.set(key, (dues.get(key) ?? 0) + 1);
      }
    }
    const deadlineTallies = await handle.db
      .selectFrom("deadlineTallies")
      .select(["clinicId", "due", "count"])
      .where("organizationId", "=", organizationId)
      .where("count", "<>", 0)
      .execute();
    expect(
      Object.fromEntries(deadlineTallies.map((row) => [`${row.clinicId}|${row.due}`, row.count])),
    ).toEqual(Object.fromEntries(dues));
  }

  test("after a record is verified, a license changes, an assignment is added and a standard is published, the dashboard, matrix and compliance page agree on the next read", async () => {
    const first = await expectPagesAgree();
    expect(first.get(world.self.id)?.["us-md-dn"]).toBeDefined();

    await as("manager").records.review({
      id: world.selfRecord.id,
      decision: "verify",
      reason: null,
    });
    await expectPagesAgree();

    await as("manager").licenses.update({ id: world.colleagueLicense.id, status: "suspended" });
    const afterLicense = await expectPagesAgree();
    expect(afterLicense.get(world.colleague.id)).not.toEqual(first.get(world.colleague.id));

    await as("manager").assignments.add({
      scope: "practitioner",
      scopeId: world.self.id,
      standardId: "harbor-pt-dn-policy",
    });
    const afterAssignment = await expectPagesAgree();
    expect(afterAssignment.get(world.self.id)?.["harbor-pt-dn-policy"]).toBeDefined();
    expect(afterAssignment.get(world.colleague.id)?.["harbor-pt-dn-policy"]).toBeUndefined();

    await as("admin").standards.create({ document: clinicPolicy() });
    await as("admin").standards.publish({
      id: "harbor-clinic-dn-policy",
      version: 1,
      scope: "organization",
    });
    const afterPublish = await expectPagesAgree();
    expect(afterPublish.get(world.colleague.id)?.["harbor-clinic-dn-policy"]).toBeDefined();
    const dashboard = await as("manager").dashboard.summary({});
    expect(
      dashboard.byStandard.find((s) => s.standardId === "harbor-clinic-dn-policy")?.title,
    ).toBe("Harbor clinic DN policy");
  });

  test("the dashboard and matrix title Maryland by the version applied, not the December 2025 proposal", async () => {
    const dashboard = await as("manager").dashboard.summary({});
    const md = dashboard.byStandard.find((s) => s.standardId === "us-md-dn");
    const applied = await as("manager").compliance.evaluate({
      practitionerId: world.self.id,
      standardId: "us-md-dn",
    });
    expect(applied.standard.version).toBe(1);
    expect(md?.title).toBe(applied.standard.title);
    expect(md?.title).not.toContain("proposal");
    const matrix = await as("manager").dashboard.matrix({});
    expect(matrix.standards.find((s) => s.standardId === "us-md-dn")).toEqual({
      standardId: "us-md-dn",
      version: 1,
      title: applied.standard.title,
    });
    // The live path (a date other than today) titles by the version applied too.
    const past = await as("manager").dashboard.summary({ asOf: "2026-11-28" });
    expect(past.byStandard.find((s) => s.standardId === "us-md-dn")?.title).toBe(md?.title);
  });

  test("the dashboard's unverified figures agree with the pending records after one is logged, given evidence, verified and withdrawn", async () => {
    const manager = as("manager");
    const organizationId = world.organization.id;
    const expectAgreement = async () => {
      const dashboard = await manager.dashboard.summary({});
      expect(dashboard.unverified).toEqual(
        await countUnverifiedEvidence(handle.db, organizationId),
      );
      const clinic = await manager.dashboard.summary({ clinicId: world.clinic.id });
      expect(clinic.unverified).toEqual(
        await countUnverifiedEvidence(handle.db, organizationId, world.clinic.id),
      );
      await expectTalliesCounted();
      return dashboard.unverified;
    };
    const first = await expectAgreement();
    expect(first.pendingRecords).toBeGreaterThan(0);

    // Logged by the practitioner themselves: pending until a manager reviews it.
    const logged = await as("practitioner").records.create({
      practitionerId: world.self.id,
      kind: "dn-course",
      title: "Dry Needling Level 2",
      provider: "KinetaCore",
      completedOn: "2026-11-20",
      hours: { theory: 10, practical: 14, online: 0 },
      topics: ["trigger-points"],
    });
    const afterLog = await expectAgreement();
    expect(afterLog.pendingRecords).toBe(first.pendingRecords + 1);
    expect(afterLog.pendingWithoutEvidence).toBe(first.pendingWithoutEvidence + 1);

    const files = await mkdtemp(join(tmpdir(), "dn-evidence-"));
    try {
      await uploadEvidence(
        {
          ...createContextInner({ db: handle.db, now: fixedClock(NOW) }),
          actor: actorFromUser(world.users.practitioner),
        },
        new LocalFileStore(files),
        { recordId: logged.id, fileName: "certificate.pdf", bytes: pdfBytes() },
      );
    } finally {
      await rm(files, { recursive: true, force: true });
    }
    const afterEvidence = await expectAgreement();
    expect(afterEvidence.pendingRecords).toBe(afterLog.pendingRecords);
    expect(afterEvidence.pendingWithoutEvidence).toBe(afterLog.pendingWithoutEvidence - 1);

    await manager.records.review({ id: world.selfRecord.id, decision: "verify", reason: null });
    expect((await expectAgreement()).pendingRecords).toBe(afterLog.pendingRecords - 1);
    await as("practitioner").records.withdraw({ id: logged.id, reason: "Duplicate entry" });
    expect(await expectAgreement()).toMatchObject({
      pendingRecords: afterLog.pendingRecords - 2,
      pendingWithoutEvidence: first.pendingWithoutEvidence - 1,
    });
  });

  test("a dashboard is reused until the organization's audit chain moves or a clinic's date changes", async () => {
    await refreshTrendMonths(handle.db, {
      organizationId: world.organization.id,
      now: new Date(NOW),
    });
    const first = await as("manager").dashboard.summary({});
    // Edited behind the services' back (no audit row): the cached dashboard is what is served.
    const worstOf = (d: typeof first) =>
      d.byClinic.find((c) => c.clinicId === world.clinic.id)?.counts["not-permitted"] ?? 0;
    const addNotPermitted = (count: number) => bumpTally(world.clinic.id, "not-permitted", count);
    await addNotPermitted(5);
    expect(await as("manager").dashboard.summary({})).toEqual(first);
    expect(await as("manager").dashboard.summary({ clinicId: world.clinic.id })).not.toEqual(first);
    // Any audited change moves the head, whichever instance wrote it: the next load recomputes.
    await as("manager").licenses.create({
      practitionerId: world.colleague.id,
      jurisdiction: "US-VA",
      number: "VA-0099",
      status: "active",
      issuedOn: "2020-01-01",
      expiresOn: "2028-01-01",
    });
    const afterChange = await as("manager").dashboard.summary({});
    expect(worstOf(afterChange)).toBeGreaterThan(worstOf(first));
    // The next day is another key even with nothing changed.
    await addNotPermitted(-5);
    expect(await as("manager").dashboard.summary({})).toEqual(afterChange);
    const tomorrow = await as("manager", "2026-11-28T09:00:00.000Z").dashboard.summary({});
    expect(tomorrow.asOf).toBe("2026-11-28");
    expect(worstOf(tomorrow)).toBeLessThan(worstOf(afterChange));

    // The matrix keeps its view's total and standards the same way; its rows are read each time.
    const matrix = await as("manager").dashboard.matrix({});
    await setInactive(world.self.id);
    const sameView = await as("manager").dashboard.matrix({});
    expect(sameView.total).toBe(matrix.total);
    expect(sameView.rows).toHaveLength(matrix.rows.length - 1);
    await as("manager").licenses.create({
      practitionerId: world.colleague.id,
      jurisdiction: "US-DE",
      number: "DE-0099",
      status: "active",
      issuedOn: "2020-01-01",
      expiresOn: "2028-01-01",
    });
    expect((await as("manager").dashboard.matrix({})).total).toBe(matrix.total - 1);
  });

  test("a dashboard lists the soonest deadlines and counts them all, however many there are", async () => {
    const before = await as("manager").dashboard.summary({});
    const others = before.lapsingSoon.filter((d) => d.practitionerId !== world.self.id).length;
    // Thirty licenses lapsing on thirty days (27 of them within 30 days of the 27th), stored
    // behind the services' back, out of order.
    const deadlines = Array.from({ length: 30 }, (_, i) => ({
      practitionerId: world.self.id,
      practitionerName: "Self",
      kind: "license",
      due: `2026-12-${String(((i * 7) % 30) + 1).padStart(2, "0")}`,
      title: `License ${i}`,
      standardId: null,
      requirementId: null,
    }));
    // The state and its tallies, as saveEvaluations would change them.
    const tallies = new TallyChanges();
    const [old] = (await readTalliedStates(handle.db, [world.self.id])).values();
    if (!old) throw new Error("no state");
    const deadlinesJson = JSON.stringify(deadlines);
    tallies.add(old, [], -1);
    tallies.add({ ...old, deadlinesJson }, [], 1);
    await handle.db
      .updateTable("evaluationStates")
      .set({ deadlinesJson, firstDue: "2026-12-01" })
      .where("practitionerId", "=", world.self.id)
      .execute();
    await tallies.write(handle.db);
    await expectTalliesCounted();
    forgetStoredDashboards(handle.db);
    const dashboard = await as("manager").dashboard.summary({});
    const own = dashboard.lapsingSoon.filter((d) => d.practitionerId === world.self.id);
    expect(dashboard.lapsingSoon).toHaveLength(DASHBOARD_DEADLINES);
    expect(dashboard.lapsingSoonTotal).toBe(others + 27);
    expect(own[0]?.due).toBe("2026-12-01");
    const days = dashboard.lapsingSoon.map((d) => d.daysLeft);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    // The soonest of the full list, in its order: read from as few lists as hold them.
    const listed = await as("manager").alerts.deadlines({ withinDays: 30 });
    expect(listed).toHaveLength(dashboard.lapsingSoonTotal);
    expect(dashboard.lapsingSoon).toEqual(listed.slice(0, DASHBOARD_DEADLINES));
  });

  test("this month's qualified count is read from the active practitioners' tallies", async () => {
    const current = async () => {
      forgetStoredDashboards(handle.db);
      return (await as("manager").dashboard.summary({})).trend.at(-1);
    };
    const before = await current();
    expect(before).toMatchObject({ qualified: 0, total: 2 });
    // Edited behind the services' back: the count is what the tallies say.
    const self = await stateOf(world.self.id);
    await bumpTally(self.clinicId, self.worst ?? "", 0, 1);
    expect(await current()).toMatchObject({ qualified: 1, total: 2, share: 0.5 });
    await bumpTally(self.clinicId, self.worst ?? "", -1, -1);
    expect(await current()).toMatchObject({ qualified: 0, total: 1 });
  });

  test("today's date given explicitly reads the stored rows; a past date evaluates live and agrees with the engine", async () => {
    const stored = await as("manager").dashboard.summary({});
    const explicit = await as("manager").dashboard.summary({ asOf: stored.asOf });
    expect(explicit).toEqual(stored);
    await handle.db.deleteFrom("storedEvaluations").execute();
    await handle.db.deleteFrom("evaluationStates").execute();
    const past = await as("manager").dashboard.summary({ asOf: "2026-11-26" });
    expect(await handle.db.selectFrom("evaluationStates").selectAll().execute()).toEqual([]);
    expect(past.asOf).toBe("2026-11-26");
    expect(past.practitionerCount).toBe(0);
    const pastMatrix = await as("manager").dashboard.matrix({ asOf: "2026-11-28", limit: 1 });
    expect(pastMatrix.rows).toHaveLength(1);
    expect(pastMatrix.total).toBe(2);
    const rest = await as("manager").dashboard.matrix({
      asOf: "2026-11-28",
      cursor: pastMatrix.nextCursor as string,
    });
    expect([...pastMatrix.rows, ...rest.rows].map((r) => r.name)).toEqual([
      "Harbor Colleague",
      "Harbor Self",
    ]);
  });

  test("a change marks evaluations stale in its own transaction; a rollback leaves nothing stale", async () => {
    await as("manager").dashboard.summary({});
    expect(await countStaleEvaluations(handle.db, world.organization.id)).toBe(0);

    await expect(
      handle.db.transaction().execute(async (trx) => {
        await insertRecordVersion(trx, {
          ...world.colleagueRecord,
          id: randomUUID(),
          version: 1,
        });
        await markEvaluationsStale(trx, {
          organizationId: world.organization.id,
          practitionerIds: [world.colleague.id],
        });
        expect(await countStaleEvaluations(trx, world.organization.id)).toBe(1);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await countStaleEvaluations(handle.db, world.organization.id)).toBe(0);

    // A refused change (a record reviewed twice) leaves nothing stale either.
    await as("manager").records.review({
      id: world.selfRecord.id,
      decision: "verify",
      reason: null,
    });
    expect(await countStaleEvaluations(handle.db, world.organization.id)).toBe(1);
    await reevaluateStale(handle.db, { organizationId: world.organization.id, now: new Date(NOW) });
    expect(await countStaleEvaluations(handle.db, world.organization.id)).toBe(0);
    await expectTrpcError(
      as("manager").records.review({ id: world.selfRecord.id, decision: "verify", reason: null }),
      "CONFLICT",
    );
    expect(await countStaleEvaluations(handle.db, world.organization.id)).toBe(0);
  });

  test("the matrix is paged by keyset cursors, sorted and filtered in SQL", async () => {
    const names = ["Ada Moss", "Bo Lind", "Cy Park", "Di Roe", "Ed Fox"];
    for (const name of names)
      await buildPractitioner(handle.db, { clinicId: world.clinic.id, name });
    const all = [...names, "Harbor Colleague", "Harbor Self"].sort();
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await as("manager").dashboard.matrix({
        sort: "name",
        limit: 3,
        ...(cursor ? { cursor } : {}),
      });
      expect(page.total).toBe(all.length);
      pages.push(page.rows.map((r) => r.name));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(all);

    const worst = await as("manager").dashboard.matrix({ sort: "worst", limit: 500 });
    const rank = [
      "not-permitted",
      "not-qualified",
      "pending-verification",
      "expiring",
      "qualified",
    ];
    const ranks = worst.rows.map((r) => (r.worst === null ? 5 : rank.indexOf(r.worst)));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));

    const byMd = await as("manager").dashboard.matrix({
      sort: "standard",
      sortStandardId: "us-md-dn",
      limit: 2,
    });
    const next = await as("manager").dashboard.matrix({
      sort: "standard",
      sortStandardId: "us-md-dn",
      limit: 500,
      cursor: byMd.nextCursor as string,
    });
    expect([...byMd.rows, ...next.rows].map((r) => r.practitionerId).sort()).toEqual(
      worst.rows.map((r) => r.practitionerId).sort(),
    );

    const search = await as("manager").dashboard.matrix({ search: "park" });
    expect(search.rows.map((r) => r.name)).toEqual(["Cy Park"]);
    expect(search.total).toBe(1);
    const verdict = worst.rows[0]?.worst as "not-qualified";
    const filtered = await as("manager").dashboard.matrix({ verdict, limit: 500 });
    expect(filtered.rows.every((r) => r.worst === verdict)).toBe(true);
    expect(filtered.total).toBe(worst.rows.filter((r) => r.worst === verdict).length);

    await expectTrpcError(
      as("manager").dashboard.matrix({ cursor: "not-a-cursor" }),
      "BAD_REQUEST",
    );
    await expectTrpcError(as("manager").dashboard.matrix({ sort: "standard" }), "BAD_REQUEST");
  });

  test("the trend reads finished months from storage, filled by the background job and recomputed only when a standard version in force then changes", async () => {
    // Staff on record since January, so the past months count them.
    await handle.db
      .updateTable("practitioners")
      .set({ createdAt: "2026-01-01T00:00:00.000Z" })
      .where("organizationId", "=", world.organization.id)
      .execute();
    // One of the two joined in June: the months before count one practitioner, the others two.
    const [, joinedInJune] = await handle.db
      .selectFrom("practitioners")
      .select("id")
      .where("organizationId", "=", world.organization.id)
      .orderBy("id")
      .execute();
    await handle.db
      .updateTable("practitioners")
      .set({ createdAt: "2026-06-15T00:00:00.000Z" })
      .where("id", "=", joinedInJune?.id as string)
      .execute();
    const monthTurn = { organizationId: world.organization.id, now: new Date(NOW) };
    const fill = () => refreshTrendMonths(handle.db, monthTurn);
    // A page view computes no past month: until the job has run they are shown as pending.
    const before = await as("manager").dashboard.summary({});
    expect(before.trend.slice(0, -1).every((t) => t.pending)).toBe(true);
    expect(before.trend.at(-1)).toMatchObject({ month: "2026-11", pending: false, total: 2 });
    expect(await handle.db.selectFrom("trendMonths").selectAll().execute()).toEqual([]);

    // One month per turn when limited, as the job runs it, oldest first.
    const oneTurn = await refreshTrendMonths(handle.db, {
      organizationId: world.organization.id,
      now: new Date(NOW),
      limit: 1,
    });
    expect(oneTurn).toEqual({ computed: 1, remaining: true });
    const partial = await as("manager").dashboard.summary({});
    expect(partial.trend.filter((t) => !t.pending).map((t) => t.month)).toEqual([
      "2025-12",
      "2026-11",
    ]);
    expect(await fill()).toEqual({ computed: 10, remaining: false });
    expect(await fill()).toEqual({ computed: 0, remaining: false });

    const first = await as("manager").dashboard.summary({});
    expect(first.trend.some((t) => t.pending)).toBe(false);
    expect(first.trend.find((t) => t.month === "2026-05")).toMatchObject({ total: 1 });
    expect(first.trend.find((t) => t.month === "2026-06")).toMatchObject({ total: 2 });
    const stored = await handle.db.selectFrom("trendMonths").selectAll().execute();
    expect(new Set(stored.map((r) => r.month)).size).toBe(11);
    // Ten months computed in one pass over the staff are what ten one-month turns store.
    const figures = (rows: typeof stored) =>
      rows
        .map(({ computedAt: _computedAt, ...row }) => row)
        .sort((a, b) => `${a.month}${a.clinicId}`.localeCompare(`${b.month}${b.clinicId}`));
    await handle.db.deleteFrom("trendMonths").execute();
    let turns = 0;
    while ((await refreshTrendMonths(handle.db, { ...monthTurn, limit: 1 })).remaining) turns += 1;
    expect(turns).toBe(10);
    expect(figures(await handle.db.selectFrom("trendMonths").selectAll().execute())).toEqual(
      figures(stored),
    );
    // A stored figure is what the next load shows (no re-evaluation of the past).
    await handle.db
      .updateTable("trendMonths")
      .set({ qualified: 7, total: 9 })
      .where("month", "=", "2026-06")
      .where("clinicId", "=", world.clinic.id)
      .execute();
    forgetStoredDashboards(handle.db);
    const second = await as("manager").dashboard.summary({});
    expect(second.trend.find((t) => t.month === "2026-06")).toMatchObject({
      qualified: 7,
      total: 9,
    });
    expect(second.trend.at(-1)).toEqual(first.trend.at(-1));
    // A month whose versions key no longer matches is pending again, and the job recomputes it.
    await handle.db
      .updateTable("trendMonths")
      .set({ versionsKey: "an older set of versions" })
      .where("month", "=", "2026-06")
      .execute();
    forgetStoredDashboards(handle.db);
    const third = await as("manager").dashboard.summary({});
    expect(third.trend.find((t) => t.month === "2026-06")?.pending).toBe(true);
    expect(await fill()).toEqual({ computed: 1, remaining: false });
    const fourth = await as("manager").dashboard.summary({});
    expect(fourth.trend.find((t) => t.month === "2026-06")).toEqual(
      first.trend.find((t) => t.month === "2026-06"),
    );
  });

  test("compliance.evaluate reuses today's stored evaluation; knownAt audits evaluate live", async () => {
    await as("manager").dashboard.summary({});
    await handle.db
      .updateTable("storedEvaluations")
      .set({
        evaluationJson: sql`replace(evaluation_json, '"summary":"', '"summary":"(stored) ')`,
      })
      .where("practitionerId", "=", world.self.id)
      .where("standardId", "=", "us-md-dn")
      .execute();
    const stored = await as("manager").compliance.evaluate({
      practitionerId: world.self.id,
      standardId: "us-md-dn",
    });
    expect(stored.summary.startsWith("(stored) ")).toBe(true);
    const audit = await as("manager").compliance.evaluate({
      practitionerId: world.self.id,
      standardId: "us-md-dn",
      knownAt: NOW,
    });
    expect(audit.summary.startsWith("(stored) ")).toBe(false);
    // A change makes it stale: the live answer again.
    await as("manager").records.review({
      id: world.selfRecord.id,
      decision: "verify",
      reason: null,
    });
    const fresh = await as("manager").compliance.evaluate({
      practitionerId: world.self.id,
      standardId: "us-md-dn",
    });
    expect(fresh.summary.startsWith("(stored) ")).toBe(false);
  });

  test("a practitioner moved to another clinic leaves the old clinic's counts at once", async () => {
    const annex = await buildClinic(handle.db, {
      organizationId: world.organization.id,
      jurisdiction: world.clinic.jurisdiction,
    });
    const admin = as("admin");
    const before = await admin.dashboard.summary({ clinicId: world.clinic.id });
    expect(before.practitionerCount).toBe(2);

    await admin.practitioners.update({ id: world.colleague.id, clinicId: annex.id });
    // Moved with the practitioner, before any refresh: the tallies count them at the annex.
    await expectTalliesCounted();
    // The old clinic's view first: its refresh does not reach the colleague, now elsewhere.
    const home = await admin.dashboard.summary({ clinicId: world.clinic.id });
    expect(home.practitionerCount).toBe(1);
    const counted = (view: typeof home) =>
      view.byStandard.flatMap((s) => Object.values(s.counts)).reduce((sum, n) => sum + n, 0);
    expect(counted(home)).toBe(
      counted(await admin.dashboard.summary({ clinicId: world.clinic.id })),
    );
    const matrix = await admin.dashboard.matrix({ clinicId: world.clinic.id, limit: 50 });
    expect(matrix.rows.map((row) => row.practitionerId)).toEqual([world.self.id]);
    expect(counted(home)).toBe(
      matrix.rows.reduce((sum, row) => sum + Object.keys(row.cells).length, 0),
    );

    const annexView = await admin.dashboard.summary({ clinicId: annex.id });
    expect(annexView.practitionerCount).toBe(1);
    expect(annexView.byClinic.map((c) => c.clinicId)).toEqual([annex.id]);
    const whole = await admin.dashboard.summary({});
    expect(whole.practitionerCount).toBe(2);
    await expectTalliesCounted();
  });

  test("an archived practitioner leaves the organization's counts and applied standards", async () => {
    const admin = as("admin");
    const counted = (view: Awaited<ReturnType<typeof admin.dashboard.summary>>) =>
      view.byStandard.flatMap((s) => Object.values(s.counts)).reduce((sum, n) => sum + n, 0);
    const before = await admin.dashboard.summary({});
    expect(before.practitionerCount).toBe(2);
    await admin.practitioners.archive({ id: world.colleague.id });
    const after = await admin.dashboard.summary({});
    expect(after.practitionerCount).toBe(1);
    const matrix = await admin.dashboard.matrix({ limit: 50 });
    expect(matrix.rows.map((row) => row.practitionerId)).toEqual([world.self.id]);
    const selfCells = Object.keys(matrix.rows[0]?.cells ?? {});
    expect(counted(after)).toBe(selfCells.length);
    expect(matrix.standards.map((s) => s.standardId).sort()).toEqual([...selfCells].sort());
    await expectTalliesCounted();
  });

  test("a stored verdict holds on every day up to its valid-until date", async () => {
    await as("manager").dashboard.summary({});
    const rows = await handle.db.selectFrom("storedEvaluations").selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.validUntil >= row.asOf).toBe(true);
      const overview = await as("manager").compliance.overview({
        practitionerId: row.practitionerId,
      });
      expect(overview.standards.some((s) => s.standardId === row.standardId)).toBe(true);
      let day = row.asOf;
      while (day <= row.validUntil) {
        const live = await as("manager").compliance.evaluate({
          practitionerId: row.practitionerId,
          standardId: row.standardId,
          asOf: day,
        });
        expect(live.status, `${row.standardId} on ${day}`).toBe(row.verdict);
        const next = new Date(`${day}T00:00:00Z`);
        next.setUTCDate(next.getUTCDate() + 1);
        day = next.toISOString().slice(0, 10);
      }
    }
  });
});

test("valid-until stops the day before the next date an answer names, and never later than 31 days", () => {
  const dossier = {
    practitioner: { id: "p", name: "P", profession: "PT" as const },
    licenses: [],
    records: [],
  };
  expect(validUntilOf("2026-11-27", dossier as never, [], null)).toBe("2026-12-28");
  const answer = { horizonDays: 60, nextLapse: { on: "2027-06-30" }, standard: { version: 1 } };
  // 60 days before the lapse is when "expiring" starts: 2027-05-01; the day before holds.
  expect(validUntilOf("2027-04-20", dossier as never, [], answer as never)).toBe("2027-04-30");
});

test("a record counts as pending by its latest version, and without evidence unless a file is on it", () => {
  const version = (id: string, n: number, status: string, recordedAt: string) =>
    ({ id, version: n, status, recordedAt }) as TrainingRecord;
  const versions = [
    version("corrected-to-pending", 1, "verified", "2026-01-01T00:00:00.000Z"),
    version("corrected-to-pending", 2, "pending", "2026-03-01T00:00:00.000Z"),
    version("reviewed", 1, "pending", "2026-01-15T00:00:00.000Z"),
    version("reviewed", 2, "verified", "2026-02-01T00:00:00.000Z"),
    version("with-file", 1, "pending", "2026-02-10T00:00:00.000Z"),
  ];
  const pending = pendingRecordsOf(versions);
  expect(pending.map((r) => r.id).sort()).toEqual(["corrected-to-pending", "with-file"]);
  expect(pendingSummaryOf(pending, new Set(["with-file", "reviewed"]))).toEqual({
    pendingRecords: 2,
    pendingWithoutEvidence: 1,
    oldestPendingAt: "2026-02-10T00:00:00.000Z",
  });
  expect(pendingSummaryOf([], new Set())).toEqual({
    pendingRecords: 0,
    pendingWithoutEvidence: 0,
    oldestPendingAt: null,
  });
});
