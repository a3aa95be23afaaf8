import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import {
  buildClinic,
  buildLicense,
  buildPractitioner,
  createTestDb,
  TEST_NOW,
  testDialects,
} from "@dn/db/testing";
import type { Clinic, Practitioner } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
} from "./test-support.ts";

describe.each(await testDialects())("clinics on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let other: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    other = await buildOrgWorld(handle.db, "Lakeside");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("an admin creates a clinic with its time zone; everyone in the organization sees it, audited", async () => {
    const clinic = await world.as.admin.clinics.create({
      name: "Harbor PT Santa Monica",
      jurisdiction: "US-CA",
      timeZone: "America/Los_Angeles",
    });
    expect(clinic).toMatchObject({
      organizationId: world.organization.id,
      name: "Harbor PT Santa Monica",
      jurisdiction: "US-CA",
      timeZone: "America/Los_Angeles",
      archivedAt: null,
      createdAt: TEST_NOW,
    });
    for (const role of ["admin", "manager", "auditor", "practitioner"] as const) {
      expect((await world.as[role].clinics.list()).map((c) => c.id)).toContain(clinic.id);
    }
    expect((await other.as.admin.clinics.list()).map((c) => c.id)).not.toContain(clinic.id);
    const trail = await listAuditEventsForEntity(handle.db, "clinic", clinic.id);
    expect(trail.map((e) => [e.action, e.actorId, e.organizationId, e.after])).toEqual([
      ["clinic.create", world.users.admin.id, world.organization.id, clinic],
    ]);
  });

  test.each(["manager", "auditor", "practitioner"] as const)(
    "a %s may read clinics but not create, change or archive them",
    async (role) => {
      const spare = await buildClinic(handle.db, { organizationId: world.organization.id });
      const before = await countRows(handle);
      const as = world.as[role];
      await expectTrpcError(
        as.clinics.create({ name: "Mine", jurisdiction: "US-MD", timeZone: "America/New_York" }),
        "FORBIDDEN",
      );
      await expectTrpcError(as.clinics.update({ id: spare.id, name: "Mine" }), "FORBIDDEN");
      await expectTrpcError(as.clinics.archive({ id: spare.id }), "FORBIDDEN");
      await expectTrpcError(as.clinics.unarchive({ id: spare.id }), "FORBIDDEN");
      expect(await countRows(handle)).toEqual(before);
    },
  );

  test.each([
    ["an unknown time zone", { timeZone: "Mars/Olympus_Mons" }, "timeZone"],
    ["a time zone that is no IANA name", { timeZone: "../../etc/passwd" }, "timeZone"],
    ["an empty time zone", { timeZone: "" }, "timeZone"],
    ["an unknown jurisdiction", { jurisdiction: "US-ZZ" }, "jurisdiction"],
    ["an empty name", { name: " " }, "name"],
    ["a name too long", { name: "x".repeat(201) }, "name"],
  ])("%s is refused on its field and nothing is written", async (_, fields, field) => {
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.admin.clinics.create({
        name: "Harbor PT Annapolis",
        jurisdiction: "US-MD",
        timeZone: "America/New_York",
        ...fields,
      } as never),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(error)).toEqual([field]);
    expect(await countRows(handle)).toEqual(before);
    const update = await expectTrpcError(
      world.as.admin.clinics.update({ id: world.clinic.id, ...fields } as never),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(update)).toEqual([field]);
    expect(await countRows(handle)).toEqual(before);
  });

  test("a second clinic of the same name (ignoring case) is refused on the name", async () => {
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.admin.clinics.create({
        name: world.clinic.name.toUpperCase(),
        jurisdiction: "US-MD",
        timeZone: "America/New_York",
      }),
      "CONFLICT",
    );
    expect(fieldsNamed(error)).toEqual(["name"]);
    expect(await countRows(handle)).toEqual(before);
    // Another organization may use the name.
    await expect(
      other.as.admin.clinics.create({
        name: world.clinic.name,
        jurisdiction: "US-MD",
        timeZone: "America/New_York",
      }),
    ).resolves.toMatchObject({ name: world.clinic.name });
  });

  test("an admin renames a clinic and changes its time zone, audited with before and after", async () => {
    const renamed = await world.as.admin.clinics.update({
      id: world.clinic.id,
      name: "Harbor PT Fells Point",
      timeZone: "America/Chicago",
    });
    expect(renamed).toEqual({
      ...world.clinic,
      name: "Harbor PT Fells Point",
      timeZone: "America/Chicago",
    });
    expect(await world.as.manager.clinics.list()).toEqual([renamed]);
    const trail = await listAuditEventsForEntity(handle.db, "clinic", world.clinic.id);
    expect(trail.map((e) => [e.action, e.actorId, e.before, e.after])).toEqual([
      ["clinic.update", world.users.admin.id, world.clinic, renamed],
    ]);
    // Saving the same values again changes nothing and writes no row.
    const before = await countRows(handle);
    await world.as.admin.clinics.update({ id: world.clinic.id, name: "Harbor PT Fells Point" });
    expect(await countRows(handle)).toEqual(before);
  });

  test("another organization's clinic is not found, and nothing changes", async () => {
    const before = await countRows(handle);
    const calls = [
      () => world.as.admin.clinics.update({ id: other.clinic.id, name: "Taken over" }),
      () => world.as.admin.clinics.archive({ id: other.clinic.id }),
      () => world.as.admin.clinics.unarchive({ id: other.clinic.id }),
      () =>
        world.as.admin.clinics.update({
          id: "00000000-0000-4000-8000-000000000000",
          name: "Nobody",
        }),
    ];
    for (const call of calls) {
      const error = await expectTrpcError(call(), "NOT_FOUND");
      expect(fieldsNamed(error)).toEqual(["id"]);
    }
    expect(await countRows(handle)).toEqual(before);
    expect(await other.as.admin.clinics.list()).toEqual([other.clinic]);
  });

  test("a clinic with active practitioners cannot be archived; the refusal names how many", async () => {
    await buildClinic(handle.db, { organizationId: world.organization.id, name: "Harbor Spare" });
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.admin.clinics.archive({ id: world.clinic.id }),
      "CONFLICT",
    );
    expect(fieldsNamed(error)).toEqual(["id"]);
    expect(error.message).toContain("still has 2 active practitioners");
    expect(await countRows(handle)).toEqual(before);
    expect((await world.as.admin.clinics.list()).map((c) => c.id)).toContain(world.clinic.id);

    await world.as.manager.practitioners.archive({ id: world.colleague.id });
    const one = await expectTrpcError(
      world.as.admin.clinics.archive({ id: world.clinic.id }),
      "CONFLICT",
    );
    expect(one.message).toContain("still has 1 active practitioner:");
  });

  test("an admin archives an empty clinic (hidden from pickers, listed on request) and unarchives it, audited", async () => {
    const spare = await world.as.admin.clinics.create({
      name: "Harbor PT Towson",
      jurisdiction: "US-MD",
      timeZone: "America/New_York",
    });
    const archived = await callerFor(
      handle.db,
      world.users.admin,
      "2026-11-28T10:00:00.000Z",
    ).clinics.archive({ id: spare.id });
    expect(archived).toEqual({ ...spare, archivedAt: "2026-11-28T10:00:00.000Z" });
    expect((await world.as.manager.clinics.list()).map((c) => c.id)).toEqual([world.clinic.id]);
    expect(
      (await world.as.manager.clinics.list({ includeArchived: true })).map((c) => c.id).sort(),
    ).toEqual([world.clinic.id, spare.id].sort());

    const before = await countRows(handle);
    await expectTrpcError(world.as.admin.clinics.archive({ id: spare.id }), "CONFLICT");
    const locked = await expectTrpcError(
      world.as.admin.clinics.update({ id: spare.id, name: "Renamed while archived" }),
      "CONFLICT",
    );
    expect(fieldsNamed(locked)).toEqual(["id"]);
    await expectTrpcError(world.as.admin.clinics.unarchive({ id: world.clinic.id }), "CONFLICT");
    expect(await countRows(handle)).toEqual(before);

    const back = await callerFor(
      handle.db,
      world.users.admin,
      "2026-11-29T10:00:00.000Z",
    ).clinics.unarchive({ id: spare.id });
    expect(back).toEqual(spare);
    const trail = await listAuditEventsForEntity(handle.db, "clinic", spare.id);
    expect(trail.map((e) => [e.action, e.before, e.after])).toEqual([
      ["clinic.create", null, spare],
      ["clinic.archive", spare, archived],
      ["clinic.unarchive", archived, spare],
    ]);
  });

  test("the organization's last open clinic cannot be archived", async () => {
    await world.as.manager.practitioners.archive({ id: world.self.id });
    await world.as.manager.practitioners.archive({ id: world.colleague.id });
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.admin.clinics.archive({ id: world.clinic.id }),
      "CONFLICT",
    );
    expect(error.message).toContain("only open clinic");
    expect(await countRows(handle)).toEqual(before);
  });
});

describe.each(await testDialects())("clinic-local today on %s", (dialect) => {
  // 03:00 UTC on the 28th: 19:00 on the 27th in Los Angeles, already the 28th in London.
  const LATE = "2026-11-28T03:00:00.000Z";
  let handle: DbHandle;
  let world: OrgWorld;
  let losAngeles: Clinic;
  let london: Clinic;
  let west: Practitioner;
  let east: Practitioner;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    losAngeles = await buildClinic(handle.db, {
      organizationId: world.organization.id,
      name: "Harbor PT Santa Monica",
      jurisdiction: "US-CA",
      timeZone: "America/Los_Angeles",
    });
    london = await buildClinic(handle.db, {
      organizationId: world.organization.id,
      name: "Harbor PT London",
      jurisdiction: "US-MD",
      timeZone: "Europe/London",
    });
    west = await buildPractitioner(handle.db, { clinicId: losAngeles.id, name: "Wes West" });
    east = await buildPractitioner(handle.db, { clinicId: london.id, name: "Eve East" });
    // Both licenses run out on the 27th.
    for (const practitioner of [west, east]) {
      await buildLicense(handle.db, {
        practitionerId: practitioner.id,
        number: `LIC-${practitioner.name.split(" ")[0]}`,
        expiresOn: "2026-11-27",
      });
    }
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const licenseDeadlines = <D extends { kind: string; title: string }>(deadlines: D[]) =>
    deadlines.filter((d) => d.kind === "license" && d.title.includes("LIC-"));

  test("a license due on the 27th is due today in Los Angeles at 03:00 UTC on the 28th, not overdue", async () => {
    const manager = callerFor(handle.db, world.users.manager, LATE);
    const mine = await manager.alerts.deadlines({ practitionerId: west.id });
    expect(licenseDeadlines(mine)).toEqual([
      expect.objectContaining({ practitionerId: west.id, due: "2026-11-27", daysLeft: 0 }),
    ]);
    // In London it is the 28th: the license lapsed yesterday and is no longer upcoming.
    expect(licenseDeadlines(await manager.alerts.deadlines({ practitionerId: east.id }))).toEqual(
      [],
    );
    const everyone = licenseDeadlines(await manager.alerts.deadlines({}));
    expect(everyone.map((d) => d.practitionerName)).toEqual(["Wes West"]);

    // A date the caller names holds for everyone.
    expect(
      licenseDeadlines(
        await manager.alerts.deadlines({ practitionerId: west.id, asOf: "2026-11-28" }),
      ),
    ).toEqual([]);
  });

  test("moving the clinic to another time zone moves its today", async () => {
    await callerFor(handle.db, world.users.admin, LATE).clinics.update({
      id: losAngeles.id,
      timeZone: "Etc/UTC",
    });
    const deadlines = await callerFor(handle.db, world.users.manager, LATE).alerts.deadlines({
      practitionerId: west.id,
    });
    expect(licenseDeadlines(deadlines)).toEqual([]);
  });

  test("the dashboard and matrix evaluate each practitioner on their own clinic's date", async () => {
    const manager = callerFor(handle.db, world.users.manager, LATE);
    const dashboard = await manager.dashboard.summary({});
    // The headline date is the latest any open clinic has reached.
    expect(dashboard.asOf).toBe("2026-11-28");
    expect(licenseDeadlines(dashboard.lapsingSoon)).toEqual([
      expect.objectContaining({ practitionerId: west.id, daysLeft: 0 }),
    ]);
    const atLosAngeles = await manager.dashboard.summary({ clinicId: losAngeles.id });
    expect(atLosAngeles.asOf).toBe("2026-11-27");
    expect(atLosAngeles.practitionerCount).toBe(1);

    const matrix = await manager.dashboard.matrix({ clinicId: losAngeles.id });
    expect(matrix.asOf).toBe("2026-11-27");
    expect(matrix.rows.map((row) => row.practitionerId)).toEqual([west.id]);

    // A clinic's view counts and lists only the standards its own staff were evaluated against.
    const westStored = await handle.db
      .selectFrom("storedEvaluations")
      .select(["standardId", "verdict"])
      .where("practitionerId", "=", west.id)
      .orderBy("standardId")
      .execute();
    expect(westStored.length).toBeGreaterThan(0);
    expect(matrix.standards.map((s) => s.standardId)).toEqual(westStored.map((s) => s.standardId));
    expect(
      atLosAngeles.byStandard.map((s) => ({
        standardId: s.standardId,
        counted: Object.values(s.counts).reduce((sum, n) => sum + n, 0),
      })),
    ).toEqual(westStored.map((s) => ({ standardId: s.standardId, counted: 1 })));
    const counted = (view: typeof dashboard) =>
      view.byStandard.flatMap((s) => Object.values(s.counts)).reduce((sum, n) => sum + n, 0);
    expect(counted(dashboard)).toBeGreaterThan(counted(atLosAngeles));
  });

  test("the alert job raises the Los Angeles alert as due today and audits each clinic's date", async () => {
    const manager = callerFor(handle.db, world.users.manager, LATE);
    await manager.alerts.run();
    const inbox = await manager.alerts.inbox({});
    const titles = inbox.items.map((n) => n.title);
    expect(titles).toContain("Wes West: license expires today");
    expect(titles.some((title) => title.startsWith("Eve East: license"))).toBe(false);
    const runs = await listAuditEventsForEntity(handle.db, "organization", world.organization.id);
    expect(runs.map((e) => [e.action, (e.after as { asOf: unknown }).asOf])).toEqual([
      [
        "alerts.run",
        {
          [world.clinic.id]: "2026-11-27",
          [losAngeles.id]: "2026-11-27",
          [london.id]: "2026-11-28",
        },
      ],
    ]);
  });
});
