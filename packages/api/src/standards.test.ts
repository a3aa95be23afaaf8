import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import {
  buildClinic,
  buildLicense,
  buildPractitioner,
  createTestDb,
  testDialects,
} from "@dn/db/testing";
import type { ExportPractitioner } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { planExport } from "./services/exports.service.ts";
import { resolveStandardVersions } from "./services/standard-source.ts";
import { clinicPolicy } from "./test-standards.ts";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
} from "./test-support.ts";

describe.each(await testDialects())("standards procedures on %s", (dialect) => {
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

  test("lists the pack with filters by kind, jurisdiction and in force on a date", async () => {
    const all = await world.as.practitioner.standards.list({ asOf: "2026-06-01" });
    expect(all.length).toBeGreaterThan(25);
    expect(all.every((s) => s.source === "pack")).toBe(true);

    const ce = await world.as.auditor.standards.list({
      kind: "state-board",
      jurisdiction: "US-MD",
    });
    expect(ce.map((s) => s.id).sort()).toEqual(["us-md-dn", "us-md-pt-ce"]);

    const md = ce.find((s) => s.id === "us-md-dn");
    expect(md?.draftVersions).toEqual([2]);
    expect(md?.inForceVersion).toBe(1);

    const co2015 = await world.as.manager.standards.list({
      jurisdiction: "US-CO",
      asOf: "2015-01-01",
    });
    const co2026 = await world.as.manager.standards.list({
      jurisdiction: "US-CO",
      asOf: "2026-06-01",
    });
    expect([co2015[0]?.inForceVersion, co2026[0]?.inForceVersion]).toEqual([1, 2]);

    const inForce = await world.as.manager.standards.list({ inForce: true, asOf: "2026-06-01" });
    expect(inForce.every((s) => s.inForceVersion !== null)).toBe(true);
    expect(inForce.length).toBeLessThanOrEqual(all.length);
  });

  test("byId gives the version in force on a date, or the version asked for", async () => {
    const inForce = await world.as.practitioner.standards.byId({
      id: "us-md-dn",
      asOf: "2026-06-01",
    });
    expect(inForce.standard.version).toBe(1);
    const draft = await world.as.practitioner.standards.byId({ id: "us-md-dn", version: 2 });
    expect(draft.standard.draft).toBe(true);
    const versions = await world.as.practitioner.standards.versions({ id: "us-co-dn" });
    expect(versions.map((v) => v.standard.version)).toEqual([1, 2]);
    const missing = await expectTrpcError(
      world.as.practitioner.standards.byId({ id: "us-md-dn", version: 9 }),
      "NOT_FOUND",
    );
    expect(missing.message).toMatch(/^version: us-md-dn has no version 9/);
    await expectTrpcError(
      world.as.practitioner.standards.byId({ id: "no-such-standard" }),
      "NOT_FOUND",
    );
  });

  test("a manager saves a draft, edits it, publishes it; each later version starts as a draft, all audited", async () => {
    const at = (iso: string) => callerFor(handle.db, world.users.manager, iso);
    const v1 = await at("2026-02-01T10:00:00.000Z").standards.create({ document: clinicPolicy() });
    expect(v1).toMatchObject({
      source: "custom",
      createdBy: world.users.manager.id,
      lifecycle: "draft",
      publishedAt: null,
    });
    // A draft is editable: saving version 1 again rewrites it.
    const edited = await at("2026-02-02T10:00:00.000Z").standards.update({
      document: clinicPolicy({ title: "Harbor clinic DN policy (draft 2)" }),
    });
    expect(edited).toMatchObject({ lifecycle: "draft", standard: { version: 1 } });
    // Not published yet: the shared lookup every evaluation uses does not see it.
    expect(
      await resolveStandardVersions(handle.db, world.organization.id, "harbor-clinic-dn-policy"),
    ).toEqual([]);

    const published = await at("2026-02-03T10:00:00.000Z").standards.publish({
      id: "harbor-clinic-dn-policy",
      version: 1,
      scope: "assigned",
    });
    expect(published).toMatchObject({
      lifecycle: "published",
      publishedAt: "2026-02-03T10:00:00.000Z",
      publishedBy: world.users.manager.id,
      standard: { title: "Harbor clinic DN policy (draft 2)" },
    });
    const v2 = await at("2026-03-01T10:00:00.000Z").standards.update({
      document: clinicPolicy({ version: 2, title: "Harbor clinic DN policy (2026)" }),
    });
    expect(v2).toMatchObject({ lifecycle: "draft", standard: { version: 2 } });

    const versions = await world.as.auditor.standards.versions({ id: "harbor-clinic-dn-policy" });
    expect(versions.map((v) => [v.standard.version, v.standard.title, v.lifecycle])).toEqual([
      [1, "Harbor clinic DN policy (draft 2)", "published"],
      [2, "Harbor clinic DN policy (2026)", "draft"],
    ]);
    const listed = await world.as.practitioner.standards.list({ source: "custom" });
    expect(
      listed.map((s) => [s.id, s.versionCount, s.latestVersion, s.unpublishedVersion, s.published]),
    ).toEqual([["harbor-clinic-dn-policy", 2, 2, 2, true]]);
    // The shared lookup every service uses sees the published version only.
    expect(
      (
        await resolveStandardVersions(handle.db, world.organization.id, "harbor-clinic-dn-policy")
      ).map((v) => v.version),
    ).toEqual([1]);

    const audit = await listAuditEventsForEntity(handle.db, "standard", "harbor-clinic-dn-policy");
    expect(audit.map((e) => e.action)).toEqual([
      "standard.create",
      "standard.update",
      "standard.publish",
      "standard.update",
    ]);
    expect(audit[2]?.before).toMatchObject({ lifecycle: "draft", scope: "assigned" });
    expect(audit[2]?.after).toMatchObject({ lifecycle: "published", scope: "assigned" });
    expect(audit[3]?.before).toMatchObject({ version: 1 });
    expect(audit[3]?.after).toMatchObject({ version: 2 });
  });

  test("a published version is never overwritten: saving it again, or skipping a version, is a conflict", async () => {
    await world.as.admin.standards.create({ document: clinicPolicy() });
    await world.as.admin.standards.publish({
      id: "harbor-clinic-dn-policy",
      version: 1,
      scope: "assigned",
    });
    const before = await countRows(handle);
    const again = await expectTrpcError(
      world.as.admin.standards.update({ document: clinicPolicy({ version: 1, title: "Changed" }) }),
      "CONFLICT",
    );
    expect(again.message).toMatch(/^document\.version: must be 2/);
    await expectTrpcError(
      world.as.admin.standards.update({ document: clinicPolicy({ version: 3 }) }),
      "CONFLICT",
    );
    const dup = await expectTrpcError(
      world.as.admin.standards.create({ document: clinicPolicy() }),
      "CONFLICT",
    );
    expect(dup.message).toMatch(/^document\.id: already exists/);
    const republish = await expectTrpcError(
      world.as.admin.standards.publish({
        id: "harbor-clinic-dn-policy",
        version: 1,
        scope: "organization",
      }),
      "CONFLICT",
    );
    expect(republish.message).toMatch(/^version: version 1 is already published/);
    expect(await countRows(handle)).toEqual(before);
    const [only] = await world.as.admin.standards.versions({ id: "harbor-clinic-dn-policy" });
    expect(only?.standard.title).toBe("Harbor clinic DN policy");

    // While version 2 is a draft, a third cannot be started.
    await world.as.admin.standards.update({ document: clinicPolicy({ version: 2 }) });
    const third = await expectTrpcError(
      world.as.admin.standards.update({ document: clinicPolicy({ version: 3 }) }),
      "CONFLICT",
    );
    expect(third.message).toMatch(/^document\.version: must be 2: version 2 is a draft/);
  });

  test("only managers and admins publish; the pack, unknown standards and versions are refused by the field", async () => {
    await world.as.manager.standards.create({ document: clinicPolicy() });
    const input = { id: "harbor-clinic-dn-policy", version: 1, scope: "assigned" as const };
    await expectTrpcError(world.as.practitioner.standards.publish(input), "FORBIDDEN");
    await expectTrpcError(world.as.auditor.standards.publish(input), "FORBIDDEN");
    await expectTrpcError(other.as.admin.standards.publish(input), "NOT_FOUND");
    const pack = await expectTrpcError(
      world.as.admin.standards.publish({ ...input, id: "us-md-dn" }),
      "CONFLICT",
    );
    expect(pack.message).toMatch(/^id:/);
    const missing = await expectTrpcError(
      world.as.admin.standards.publish({ ...input, version: 4 }),
      "NOT_FOUND",
    );
    expect(missing.message).toMatch(/^version:/);
    const badScope = await expectTrpcError(
      world.as.admin.standards.publish({ ...input, scope: "everyone" as "assigned" }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(badScope)).toEqual(["scope"]);
    const [draft] = await world.as.admin.standards.versions({ id: "harbor-clinic-dn-policy" });
    expect(draft?.lifecycle).toBe("draft");
  });

  test("a pack id cannot be taken or overwritten by a custom standard", async () => {
    const taken = await expectTrpcError(
      world.as.admin.standards.create({
        document: clinicPolicy({ id: "harbor-pt-dn-policy" }),
      }),
      "CONFLICT",
    );
    expect(taken.message).toMatch(/^document\.id: is a standard of the shipped pack/);
    await expectTrpcError(
      world.as.admin.standards.update({
        document: clinicPolicy({ id: "harbor-pt-dn-policy", version: 2 }),
      }),
      "CONFLICT",
    );
  });

  test("invalid documents are refused with the path of each bad field, nothing saved", async () => {
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.manager.standards.create({
        document: clinicPolicy({
          effectiveTo: "2024-01-01",
          requirements: [
            {
              id: "sessions",
              title: "",
              citation: { text: "§ 1" },
              kind: "supervised-sessions",
              minSessions: 0,
            },
          ],
        }),
      }),
      "BAD_REQUEST",
    );
    const fields = fieldsNamed(error);
    expect(fields).toEqual(
      expect.arrayContaining([
        "document.effectiveTo",
        "document.requirements.0.title",
        "document.requirements.0.minSessions",
      ]),
    );
    expect(await countRows(handle)).toEqual(before);
  });

  test("a custom standard citing a javascript: URL is refused, so no page ever links to script", async () => {
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.manager.standards.create({
        document: clinicPolicy({
          citations: [
            { text: "Clinic policy", url: "javascript:fetch('/steal?'+document.cookie)" },
          ],
        }),
      }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(error)).toEqual(["document.citations.0.url"]);
    expect(await countRows(handle)).toEqual(before);
  });

  test("only managers and admins save; custom standards stay in their organization", async () => {
    await expectTrpcError(
      world.as.practitioner.standards.create({ document: clinicPolicy() }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      world.as.auditor.standards.create({ document: clinicPolicy() }),
      "FORBIDDEN",
    );
    await world.as.manager.standards.create({ document: clinicPolicy() });
    await world.as.manager.standards.publish({
      id: "harbor-clinic-dn-policy",
      version: 1,
      scope: "organization",
    });
    await expectTrpcError(
      other.as.admin.standards.versions({ id: "harbor-clinic-dn-policy" }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      other.as.admin.standards.update({ document: clinicPolicy({ version: 2 }) }),
      "NOT_FOUND",
    );
    expect(await other.as.admin.standards.list({ source: "custom" })).toEqual([]);
    // Another organization may use the same id for its own standard.
    const theirs = await other.as.admin.standards.create({ document: clinicPolicy() });
    expect(theirs.standard.version).toBe(1);
  });

  describe("issue 14: a policy for the Baltimore clinic", () => {
    const POLICY = "harbor-clinic-dn-policy";
    // The staff are on the books from TEST_NOW (2026-11-27); the dashboard counts them from then.
    const ASOF = "2026-11-27";
    let tampa: Awaited<ReturnType<typeof buildPractitioner>>;

    beforeEach(async () => {
      // world.clinic is in Maryland (Baltimore); a second clinic in Florida (Tampa).
      const tampaClinic = await buildClinic(handle.db, {
        organizationId: world.organization.id,
        name: "Tampa",
        jurisdiction: "US-FL",
      });
      tampa = await buildPractitioner(handle.db, { clinicId: tampaClinic.id, name: "Tampa PT" });
      await buildLicense(handle.db, { practitionerId: tampa.id, jurisdiction: "US-FL" });
    });

    /** Which practitioners each view judges under the policy. */
    async function judgedBy() {
      const applicable = async (practitionerId: string) =>
        (await world.as.manager.assignments.applicable({ practitionerId })).some(
          (s) => s.standardId === POLICY,
        );
      const overview = async (practitionerId: string) =>
        (await world.as.manager.compliance.overview({ practitionerId, asOf: ASOF })).standards.some(
          (s) => s.standardId === POLICY,
        );
      const matrix = await world.as.manager.dashboard.matrix({ asOf: ASOF, limit: 500 });
      const inMatrix = (id: string) =>
        matrix.rows.find((r) => r.practitionerId === id)?.cells[POLICY] !== undefined;
      const summary = await world.as.manager.dashboard.summary({ asOf: ASOF });
      const counted = Object.values(
        summary.byStandard.find((s) => s.standardId === POLICY)?.counts ?? {},
      ).reduce((a, b) => a + b, 0);
      const plan = await planExport(handle.db, {
        exportId: "00000000-0000-4000-8000-000000000001",
        scope: { kind: "organization", asOf: ASOF },
        organizationId: world.organization.id,
        generatedAt: "2026-06-01T12:00:00.000Z",
        generatedBy: { userId: world.users.manager.id, name: "Manager", role: "manager" },
      });
      const exported: ExportPractitioner[] = [];
      for await (const p of plan.practitioners()) exported.push(p);
      const inExport = (id: string) =>
        exported.find((p) => p.id === id)?.evaluations.some((e) => e.standardId === POLICY) ??
        false;
      const views = async (id: string) => ({
        applicable: await applicable(id),
        overview: await overview(id),
        matrix: inMatrix(id),
        export: inExport(id),
      });
      return {
        baltimore: await views(world.self.id),
        tampa: await views(tampa.id),
        dashboardCount: counted,
        exportHeader: plan.header.standards.some((s) => s.id === POLICY),
      };
    }
    const everywhere = { applicable: true, overview: true, matrix: true, export: true };
    const nowhere = { applicable: false, overview: false, matrix: false, export: false };

    test("a draft applies to nobody, even when assigned; published 'assigned only' it judges Baltimore, not Tampa", async () => {
      await world.as.manager.standards.create({ document: clinicPolicy() });
      await world.as.manager.assignments.add({
        scope: "clinic",
        scopeId: world.clinic.id,
        standardId: POLICY,
        reason: "Baltimore's own policy",
      });
      expect(await judgedBy()).toEqual({
        baltimore: nowhere,
        tampa: nowhere,
        dashboardCount: 0,
        exportHeader: false,
      });

      await world.as.manager.standards.publish({ id: POLICY, version: 1, scope: "assigned" });
      // Baltimore: world.self and world.colleague; Tampa: nobody.
      expect(await judgedBy()).toEqual({
        baltimore: everywhere,
        tampa: nowhere,
        dashboardCount: 2,
        exportHeader: true,
      });
      const [why] = (
        await world.as.manager.assignments.applicable({ practitionerId: world.self.id })
      ).filter((s) => s.standardId === POLICY);
      expect(why).toMatchObject({ reasons: ["clinic-policy"] });
      expect(why?.explanation).not.toMatch(/policy of the clinic/);
    });

    test("published to the whole organization it judges Tampa too; published 'assigned only' again it stops", async () => {
      await world.as.manager.standards.create({ document: clinicPolicy() });
      await world.as.manager.standards.publish({ id: POLICY, version: 1, scope: "organization" });
      expect(await judgedBy()).toMatchObject({
        baltimore: everywhere,
        tampa: everywhere,
        dashboardCount: 3,
      });
      const detail = await world.as.auditor.standards.detail({ id: POLICY, asOf: ASOF });
      expect(detail).toMatchObject({ scope: "organization", inForceVersion: 1 });
      const [whole] = await world.as.manager.assignments.list();
      expect(whole).toMatchObject({ scope: "organization", standardId: POLICY, effect: "include" });
      const trail = await listAuditEventsForEntity(
        handle.db,
        "standard-assignment",
        whole?.id ?? "",
      );
      expect(trail.map((e) => e.action)).toEqual(["standard-assignment.include"]);

      // The next version, published for assigned places only, takes it from everyone unassigned.
      await world.as.manager.standards.update({ document: clinicPolicy({ version: 2 }) });
      expect((await judgedBy()).tampa).toEqual(everywhere);
      await world.as.manager.standards.publish({ id: POLICY, version: 2, scope: "assigned" });
      expect(await judgedBy()).toMatchObject({
        baltimore: nowhere,
        tampa: nowhere,
        dashboardCount: 0,
      });
      expect(await world.as.manager.assignments.list()).toEqual([]);
    });

    test("a past audit does not see a version published after its knownAt, though the draft was saved before", async () => {
      const at = (iso: string) => callerFor(handle.db, world.users.manager, iso);
      await at("2026-01-10T00:00:00.000Z").standards.create({ document: clinicPolicy() });
      await at("2026-03-01T00:00:00.000Z").standards.publish({
        id: POLICY,
        version: 1,
        scope: "organization",
      });
      const before = await expectTrpcError(
        world.as.auditor.compliance.evaluate({
          practitionerId: world.self.id,
          standardId: POLICY,
          asOf: "2026-02-01",
          knownAt: "2026-02-01T00:00:00.000Z",
        }),
        "BAD_REQUEST",
      );
      expect(before.message).toMatch(/^knownAt:/);
      const after = await world.as.auditor.compliance.evaluate({
        practitionerId: world.self.id,
        standardId: POLICY,
        asOf: "2026-02-01",
        knownAt: "2026-03-02T00:00:00.000Z",
      });
      expect(after.standard.version).toBe(1);
    });
  });

  test("issue 14: after v2 is saved from v1's date, the standard's page, the list, the compliance page and the export all use v2", async () => {
    const POLICY = "harbor-clinic-dn-policy";
    const ASOF = "2026-06-01";
    await world.as.manager.standards.create({ document: clinicPolicy() });
    await world.as.manager.standards.publish({ id: POLICY, version: 1, scope: "organization" });
    // v2 from the same date as v1, whose range stays open: both cover ASOF.
    await world.as.manager.standards.update({
      document: clinicPolicy({ version: 2, title: "Harbor clinic DN policy, v2" }),
    });
    const inForce = async () => {
      const detail = await world.as.manager.standards.detail({ id: POLICY, asOf: ASOF });
      const [listed] = await world.as.manager.standards.list({ source: "custom", asOf: ASOF });
      const byId = await world.as.manager.standards.byId({ id: POLICY, asOf: ASOF });
      const overview = await world.as.manager.compliance.overview({
        practitionerId: world.self.id,
        asOf: ASOF,
      });
      const plan = await planExport(handle.db, {
        exportId: "00000000-0000-4000-8000-000000000002",
        scope: { kind: "practitioner", practitionerId: world.self.id, asOf: ASOF },
        organizationId: world.organization.id,
        generatedAt: "2026-06-01T12:00:00.000Z",
        generatedBy: { userId: world.users.manager.id, name: "Manager", role: "manager" },
      });
      return {
        page: detail.inForceVersion,
        list: listed?.inForceVersion,
        byId: byId.standard.version,
        compliance: overview.standards.find((s) => s.standardId === POLICY)?.evaluation?.standard
          .version,
        export: plan.header.standards.find((s) => s.id === POLICY)?.version,
      };
    };
    // The draft v2 is not in force anywhere yet.
    expect(await inForce()).toEqual({ page: 1, list: 1, byId: 1, compliance: 1, export: 1 });
    await world.as.manager.standards.publish({ id: POLICY, version: 2, scope: "organization" });
    expect(await inForce()).toEqual({ page: 2, list: 2, byId: 2, compliance: 2, export: 2 });
  });
});
