import type { DbHandle } from "@dn/db";
import { buildLicense, buildTrainingRecord, createTestDb, testDialects } from "@dn/db/testing";
import type { EvaluationView } from "@dn/schema";
import { listStandardIds, standardsPack } from "@dn/standards";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { clinicPolicy } from "./test-standards.ts";
import {
  buildOrgWorld,
  callerFor,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
} from "./test-support.ts";

const POLICY = "harbor-clinic-dn-policy";

/** An evaluation without the records it notes as written after knownAt. */
function withoutLaterRecords(evaluation: EvaluationView): EvaluationView {
  return {
    ...evaluation,
    requirements: evaluation.requirements.map((r) => ({
      ...r,
      excluded: r.excluded.filter((e) => e.reason !== "recorded-after-known-at"),
    })),
  };
}

describe.each(await testDialects())("compliance procedures on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let other: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    other = await buildOrgWorld(handle.db, "Elsewhere");
    await world.as.manager.standards.create({ document: clinicPolicy() });
    await world.as.manager.standards.publish({ id: POLICY, version: 1, scope: "organization" });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  /** Ten verified supervised sessions and a current CPR card: meets the clinic policy. */
  async function giveSessionsAndCpr(recordedAt: string) {
    const sessions = await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.manager.id,
      kind: "supervised-sessions",
      title: "Supervised DN sessions, Q1",
      hours: { theory: 0, practical: 0, online: 0 },
      topics: [],
      count: 10,
      completedOn: "2026-01-10",
      status: "verified",
      recordedAt,
    });
    const cpr = await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.manager.id,
      kind: "cpr",
      title: "BLS for healthcare providers",
      hours: { theory: 0, practical: 0, online: 0 },
      topics: [],
      completedOn: "2026-01-05",
      expiresOn: "2031-01-05",
      status: "verified",
      recordedAt,
    });
    return { sessions, cpr };
  }

  test("a practitioner's verdict against one standard explains each requirement", async () => {
    await giveSessionsAndCpr("2026-02-01T00:00:00.000Z");
    const evaluation = await world.as.practitioner.compliance.evaluate({
      practitionerId: world.self.id,
      standardId: POLICY,
      asOf: "2026-06-01",
    });
    expect(evaluation.status).toBe("qualified");
    expect(evaluation.standard).toMatchObject({ id: POLICY, version: 1 });
    const sessions = evaluation.requirements.find((r) => r.id === "sessions");
    expect(sessions).toMatchObject({ met: true, have: 10, need: 10 });
    expect(sessions?.counted.map((c) => c.title)).toEqual(["Supervised DN sessions, Q1"]);

    const before = await world.as.auditor.compliance.evaluate({
      practitionerId: world.self.id,
      standardId: POLICY,
      asOf: "2026-01-07",
    });
    expect(before.status).toBe("not-qualified");
    const excluded = before.requirements.find((r) => r.id === "sessions")?.excluded ?? [];
    expect(excluded.map((e) => e.reason)).toEqual(["completed-after-as-of"]);
  });

  test("a past audit re-run with the same asOf and knownAt gives the identical verdict after records are added or corrected and the standard changes", async () => {
    const { sessions, cpr } = await giveSessionsAndCpr("2029-06-01T00:00:00.000Z");
    const audit = { practitionerId: world.self.id, standardId: POLICY, asOf: "2029-12-31" };
    const knownAt = "2030-01-01T00:00:00.000Z";
    const first = await world.as.auditor.compliance.evaluate({ ...audit, knownAt });
    expect(first.status).toBe("qualified");

    // A month later: a correction, a withdrawal, a new record and a stricter policy version.
    const later = callerFor(handle.db, world.users.manager, "2030-02-01T00:00:00.000Z");
    await later.records.correct({
      id: sessions.id,
      kind: "supervised-sessions",
      title: sessions.title,
      completedOn: sessions.completedOn,
      count: 2,
    });
    await later.records.withdraw({ id: cpr.id, reason: "card was not valid" });
    await later.records.create({
      practitionerId: world.self.id,
      kind: "supervised-sessions",
      title: "Supervised DN sessions, Q2",
      completedOn: "2026-04-10",
      count: 1,
    });
    await later.standards.update({
      document: clinicPolicy({
        version: 2,
        requirements: [
          {
            id: "sessions",
            title: "Fifty supervised sessions",
            citation: { text: "Harbor PT policy manual § 12.2 (2030)" },
            kind: "supervised-sessions",
            minSessions: 50,
          },
        ],
      }),
    });
    await later.standards.publish({ id: POLICY, version: 2, scope: "organization" });

    // Identical verdict, requirements, counted records, gaps and lapse. The only difference the
    // engine allows: records written after knownAt are listed as not counted, with that reason.
    const again = await world.as.auditor.compliance.evaluate({ ...audit, knownAt });
    expect(withoutLaterRecords(again)).toEqual(first);
    expect(again.requirements.flatMap((r) => r.excluded.map((e) => e.reason))).toEqual([
      "recorded-after-known-at",
    ]);
    const overview = await world.as.manager.compliance.overview({
      practitionerId: world.self.id,
      asOf: audit.asOf,
      knownAt,
    });
    const fromOverview = overview.standards.find((s) => s.standardId === POLICY)?.evaluation;
    expect(fromOverview && withoutLaterRecords(fromOverview)).toEqual(first);

    // Without knownAt the changes show: the check above could fail.
    const today = await world.as.auditor.compliance.evaluate(audit);
    expect(today.status).toBe("not-qualified");
    expect(today.standard.version).toBe(2);
  });

  test("applicable standards: the clinic's state, each active license's DN and CE rules, and clinic policies", async () => {
    await buildLicense(handle.db, { practitionerId: world.self.id, jurisdiction: "US-FL" });
    await buildLicense(handle.db, {
      practitionerId: world.self.id,
      jurisdiction: "US-VA",
      status: "expired",
    });
    const applicable = await world.as.practitioner.compliance.applicable({
      practitionerId: world.self.id,
    });
    expect(applicable.map((a) => a.standardId)).toEqual([
      "us-md-dn",
      "us-fl-dn",
      "us-md-pt-ce",
      POLICY,
    ]);
    expect(applicable[0]).toMatchObject({
      reasons: ["clinic-jurisdiction", "license"],
      source: "pack",
      kind: "state-board",
    });
    expect(applicable[3]).toMatchObject({ reasons: ["clinic-policy"], source: "custom" });

    const overview = await world.as.practitioner.compliance.overview({
      practitionerId: world.self.id,
      asOf: "2026-06-01",
    });
    expect(overview.standards.map((s) => s.standardId)).toEqual(
      applicable.map((a) => a.standardId),
    );
    for (const standard of overview.standards) {
      expect(standard.evaluation?.status ?? standard.notInForceReason).toBeTruthy();
    }
    expect(overview.uncovered).toEqual([]);
  });

  test("portability evaluates one practitioner against every state's DN rule at once", async () => {
    const view = await world.as.manager.compliance.portability({
      practitionerId: world.self.id,
      asOf: "2026-06-01",
    });
    const stateDn = listStandardIds().filter((id) =>
      standardsPack.some((s) => s.id === id && s.kind === "state-board" && id.endsWith("-dn")),
    );
    expect([...view.entries.map((e) => e.standardId), ...view.notInForce].sort()).toEqual(stateDn);
    expect(view.entries.find((e) => e.jurisdiction === "US-CA")?.status).toBe("not-permitted");
    const fl = view.entries.find((e) => e.jurisdiction === "US-FL");
    expect(fl?.status).toBe("not-qualified");
    expect(fl?.gaps.length).toBeGreaterThan(0);
    expect(Object.values(view.counts).reduce((a, b) => a + b, 0)).toBe(view.entries.length);
  });

  test("what-if shows which verdicts change with hypothetical records", async () => {
    const answer = await world.as.practitioner.compliance.whatIf({
      practitionerId: world.self.id,
      standardIds: [POLICY, "us-fl-dn"],
      asOf: "2026-06-01",
      records: [
        {
          kind: "supervised-sessions",
          title: "Planned supervised sessions",
          completedOn: "2026-05-01",
          count: 10,
        },
        {
          kind: "cpr",
          title: "Planned CPR renewal",
          completedOn: "2026-05-01",
          expiresOn: "2028-05-01",
        },
      ],
    });
    const policy = answer.results.find((r) => r.standardId === POLICY);
    expect(policy).toMatchObject({
      before: "not-qualified",
      after: "qualified",
      statusChanged: true,
    });
    expect(policy?.changes.map((c) => c.requirementId).sort()).toEqual(["cpr", "sessions"]);
    expect(answer.results.find((r) => r.standardId === "us-fl-dn")?.statusChanged).toBe(false);
    // Nothing hypothetical was written.
    const real = await world.as.practitioner.compliance.evaluate({
      practitionerId: world.self.id,
      standardId: POLICY,
      asOf: "2026-06-01",
    });
    expect(real.status).toBe("not-qualified");
  });

  test("bad questions name the field at fault", async () => {
    const noStandard = await expectTrpcError(
      world.as.manager.compliance.evaluate({
        practitionerId: world.self.id,
        standardId: "us-zz-dn",
      }),
      "NOT_FOUND",
    );
    expect(noStandard.message).toMatch(/^standardId:/);
    const notInForce = await expectTrpcError(
      world.as.manager.compliance.evaluate({
        practitionerId: world.self.id,
        standardId: "us-md-dn",
        asOf: "1990-01-01",
      }),
      "BAD_REQUEST",
    );
    expect(notInForce.message).toMatch(/^asOf: no version of us-md-dn is in force on 1990-01-01/);
    const beforePolicy = await expectTrpcError(
      world.as.manager.compliance.evaluate({
        practitionerId: world.self.id,
        standardId: POLICY,
        knownAt: "2020-01-01T00:00:00.000Z",
      }),
      "BAD_REQUEST",
    );
    expect(beforePolicy.message).toMatch(/^knownAt: harbor-clinic-dn-policy was not yet saved/);
    const badRecord = await expectTrpcError(
      world.as.manager.compliance.whatIf({
        practitionerId: world.self.id,
        records: [{ kind: "supervised-sessions", title: "No count", completedOn: "2026-01-01" }],
      }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(badRecord)).toContain("records.0.count");
  });

  test("a practitioner asks only about themself; no one sees another organization", async () => {
    const input = { practitionerId: world.colleague.id, standardId: POLICY };
    await expectTrpcError(world.as.practitioner.compliance.evaluate(input), "NOT_FOUND");
    await expectTrpcError(
      world.as.practitioner.compliance.portability({ practitionerId: world.colleague.id }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      other.as.admin.compliance.overview({ practitionerId: world.self.id }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      other.as.auditor.compliance.evaluate({
        practitionerId: world.self.id,
        standardId: "us-md-dn",
      }),
      "NOT_FOUND",
    );
    // A custom standard of another organization does not exist for this one.
    await expectTrpcError(
      other.as.admin.compliance.evaluate({ practitionerId: other.self.id, standardId: POLICY }),
      "NOT_FOUND",
    );
    for (const role of ["manager", "auditor", "admin"] as const) {
      const evaluation = await world.as[role].compliance.evaluate(input);
      expect(evaluation.practitioner.id).toBe(world.colleague.id);
    }
  });
});
