import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { trendDates } from "./services/evaluations.ts";
import { buildOrgWorld, callerFor, expectTrpcError, type OrgWorld } from "./test-support.ts";

const NOW = "2026-11-27T09:00:00.000Z";

test("the trend covers the 12 months ending with asOf, each as of its last day", () => {
  const dates = trendDates("2026-11-27");
  expect(dates).toHaveLength(12);
  expect(dates[0]).toEqual({
    month: "2025-12",
    asOf: "2025-12-31",
    knownAt: "2025-12-31T23:59:59.999Z",
  });
  expect(dates[2]).toMatchObject({ month: "2026-02", asOf: "2026-02-28" });
  expect(dates[11]).toEqual({ month: "2026-11", asOf: "2026-11-27" });
});

describe.each(await testDialects())("assignments and the dashboard on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let other: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    other = await buildOrgWorld(handle.db, "Elsewhere");
  });
  afterEach(async () => {
    await handle.destroy();
  });
  const as = (role: keyof OrgWorld["users"]) => callerFor(handle.db, world.users[role], NOW);

  test("standards apply by clinic jurisdiction and license; managers include and exclude, audited", async () => {
    const ids = async () =>
      (await as("manager").assignments.applicable({ practitionerId: world.self.id })).map(
        (s) => s.standardId,
      );
    const base = await ids();
    expect(base).toContain("us-md-dn");
    expect(base).not.toContain("harbor-pt-dn-policy");

    const policy = await as("manager").assignments.add({
      scope: "organization",
      standardId: "harbor-pt-dn-policy",
      reason: "Harbor's own DN policy applies at every clinic",
    });
    expect(await ids()).toContain("harbor-pt-dn-policy");
    const exempt = await as("manager").assignments.add({
      scope: "practitioner",
      scopeId: world.self.id,
      standardId: "us-md-dn",
      effect: "exclude",
      reason: "Not needling in Maryland",
    });
    expect(await ids()).not.toContain("us-md-dn");
    // The colleague is untouched by the personal exemption.
    const colleague = await as("manager").assignments.applicable({
      practitionerId: world.colleague.id,
    });
    expect(colleague.map((s) => s.standardId)).toEqual(
      expect.arrayContaining(["us-md-dn", "harbor-pt-dn-policy"]),
    );

    await as("manager").assignments.remove({ id: exempt.id });
    expect(await ids()).toContain("us-md-dn");
    const trail = await listAuditEventsForEntity(handle.db, "standard-assignment", exempt.id);
    expect(trail.map((e) => e.action).sort()).toEqual([
      "standard-assignment.exclude",
      "standard-assignment.remove",
    ]);
    expect((await as("manager").assignments.list()).map((a) => a.id)).toEqual([policy.id]);
  });

  test("assignments are refused for unknown standards, other organizations and non-managers", async () => {
    await expectTrpcError(
      as("manager").assignments.add({ scope: "organization", standardId: "no-such-standard" }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      as("manager").assignments.add({
        scope: "practitioner",
        scopeId: other.self.id,
        standardId: "us-md-dn",
      }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      as("manager").assignments.add({ scope: "clinic", standardId: "us-md-dn" }),
      "BAD_REQUEST",
    );
    await expectTrpcError(
      as("practitioner").assignments.add({ scope: "organization", standardId: "us-md-dn" }),
      "FORBIDDEN",
    );
    const mine = await as("manager").assignments.add({
      scope: "organization",
      standardId: "us-md-dn",
    });
    await expectTrpcError(
      callerFor(handle.db, other.users.manager, NOW).assignments.remove({ id: mine.id }),
      "NOT_FOUND",
    );
  });

  test("the dashboard counts verdicts per standard and clinic, pending evidence and a 12-month trend", async () => {
    const dashboard = await as("manager").dashboard.summary({});
    expect(dashboard.asOf).toBe("2026-11-27");
    expect(dashboard.practitionerCount).toBe(2);
    const md = dashboard.byStandard.find((s) => s.standardId === "us-md-dn");
    expect(md).toBeDefined();
    expect(Object.values(md?.counts ?? {}).reduce((a, b) => a + b, 0)).toBe(2);
    const clinic = dashboard.byClinic.find((c) => c.clinicId === world.clinic.id);
    expect(Object.values(clinic?.counts ?? {}).reduce((a, b) => a + b, 0)).toBe(2);
    expect(dashboard.unverified.pendingRecords).toBe(2);
    expect(dashboard.unverified.pendingWithoutEvidence).toBe(2);
    expect(dashboard.trend).toHaveLength(12);
    expect(dashboard.trend.at(-1)).toMatchObject({ month: "2026-11", total: 2 });

    const matrix = await as("auditor").dashboard.matrix({ sort: "name" });
    expect(matrix.rows.map((r) => r.practitionerId).sort()).toEqual(
      [world.self.id, world.colleague.id].sort(),
    );
    expect(matrix.standards.map((s) => s.standardId)).toContain("us-md-dn");
    const filtered = await as("manager").dashboard.matrix({ search: "Colleague" });
    expect(filtered.rows.map((r) => r.practitionerId)).toEqual([world.colleague.id]);

    await expectTrpcError(as("practitioner").dashboard.summary({}), "FORBIDDEN");
    await expectTrpcError(
      as("manager").dashboard.summary({ clinicId: other.clinic.id }),
      "NOT_FOUND",
    );
  });
});
