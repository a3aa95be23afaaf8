import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
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

  test("a manager creates a custom standard and each update is a new version, audited", async () => {
    const at = (iso: string) => callerFor(handle.db, world.users.manager, iso);
    const v1 = await at("2026-02-01T10:00:00.000Z").standards.create({ document: clinicPolicy() });
    expect(v1).toMatchObject({ source: "custom", createdBy: world.users.manager.id });
    const v2 = await at("2026-03-01T10:00:00.000Z").standards.update({
      document: clinicPolicy({ version: 2, title: "Harbor clinic DN policy (2026)" }),
    });
    expect(v2.standard.version).toBe(2);

    const versions = await world.as.auditor.standards.versions({ id: "harbor-clinic-dn-policy" });
    expect(versions.map((v) => [v.standard.version, v.standard.title])).toEqual([
      [1, "Harbor clinic DN policy"],
      [2, "Harbor clinic DN policy (2026)"],
    ]);
    const listed = await world.as.practitioner.standards.list({ source: "custom" });
    expect(listed.map((s) => [s.id, s.versionCount, s.latestVersion])).toEqual([
      ["harbor-clinic-dn-policy", 2, 2],
    ]);
    // The shared lookup every service uses sees it too.
    expect(
      (await resolveStandardVersions(handle.db, world.organization.id, "harbor-clinic-dn-policy"))
        .length,
    ).toBe(2);

    const audit = await listAuditEventsForEntity(handle.db, "standard", "harbor-clinic-dn-policy");
    expect(audit.map((e) => e.action)).toEqual(["standard.create", "standard.update"]);
    expect(audit[1]?.before).toMatchObject({ version: 1 });
    expect(audit[1]?.after).toMatchObject({ version: 2 });
  });

  test("a version is never overwritten: saving an old or skipped version is a conflict", async () => {
    await world.as.admin.standards.create({ document: clinicPolicy() });
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
    expect(await countRows(handle)).toEqual(before);
    const [only] = await world.as.admin.standards.versions({ id: "harbor-clinic-dn-policy" });
    expect(only?.standard.title).toBe("Harbor clinic DN policy");
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
});
