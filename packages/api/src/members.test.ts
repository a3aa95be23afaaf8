import { fixedClock } from "@dn/clock";
import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import {
  buildClinic,
  buildPractitioner,
  buildUser,
  createTestDb,
  TEST_NOW,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import type { User } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createCaller } from "./root.ts";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
  signInWithPassword,
} from "./test-support.ts";
import { createContextFromRequest } from "./trpc.ts";

/** An instant `ms` after TEST_NOW. */
function later(ms: number): string {
  return new Date(Date.parse(TEST_NOW) + ms).toISOString();
}

async function countMemberRows(handle: DbHandle): Promise<Record<string, number>> {
  const counts = await countRows(handle);
  const row = await handle.db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return { ...counts, activeMemberships: Number(row.count) };
}

describe.each(await testDialects())("memberships on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const as = (user: User, now: string = TEST_NOW) => callerFor(handle.db, user, now);

  /** A request bearing `token`, as the API host would serve it. */
  async function withToken(token: string, now: string = TEST_NOW) {
    return createCaller(
      await createContextFromRequest({
        db: handle.db,
        authorization: `Bearer ${token}`,
        now: fixedClock(now),
      }),
    );
  }

  test("admins and managers list the organization's members with login, role and practitioner", async () => {
    const members = await as(world.users.admin).members.list({});
    expect(members.map((m) => [m.email, m.role, m.status]).sort()).toEqual(
      (["admin", "manager", "practitioner", "auditor"] as const)
        .map((role) => [world.users[role].email, role, "active"])
        .sort(),
    );
    expect(members.find((m) => m.role === "practitioner")).toMatchObject({
      id: world.users.practitioner.membershipId,
      userId: world.users.practitioner.id,
      name: world.users.practitioner.name,
      practitionerId: world.self.id,
      practitionerName: world.self.name,
      clinicIds: null,
    });
    expect(await as(world.users.manager).members.list({})).toEqual(members);
    for (const role of ["practitioner", "auditor"] as const) {
      await expectTrpcError(as(world.users[role]).members.list({}), "FORBIDDEN");
    }
  });

  test("a manager limited to clinics sees only their clinics' practitioners' logins and their own", async () => {
    const uptown = await buildClinic(handle.db, { organizationId: world.organization.id });
    const uptownPt = await buildPractitioner(handle.db, { clinicId: uptown.id });
    const uptownUser = await buildUser(handle.db, {
      organizationId: world.organization.id,
      role: "practitioner",
      practitionerId: uptownPt.id,
    });
    const scoped = await buildUser(handle.db, {
      organizationId: world.organization.id,
      role: "manager",
      clinicIds: [uptown.id],
    });
    const seen = await as(scoped).members.list({});
    expect(seen.map((m) => m.userId).sort()).toEqual([uptownUser.id, scoped.id].sort());
    expect(seen.find((m) => m.userId === scoped.id)?.clinicIds).toEqual([uptown.id]);
    // Harbor's own practitioner is outside their clinics: not theirs to see or deactivate.
    await expectTrpcError(
      as(scoped).members.deactivate({ id: world.users.practitioner.membershipId }),
      "NOT_FOUND",
    );
    expect((await as(scoped).members.deactivate({ id: uptownUser.membershipId })).status).toBe(
      "deactivated",
    );
  });

  test("deactivating a membership ends its sessions at once; reactivating lets them sign in again", async () => {
    const pt = world.users.practitioner;
    const session = await signInWithPassword(handle.db, pt.email, TEST_PASSWORD);
    expect((await (await withToken(session.token)).auth.me()).user.id).toBe(pt.id);

    const at = later(60_000);
    const deactivated = await as(world.users.manager, at).members.deactivate({
      id: pt.membershipId,
    });
    expect(deactivated).toMatchObject({ status: "deactivated", deactivatedAt: at });
    await expectTrpcError((await withToken(session.token, at)).auth.me(), "UNAUTHORIZED");
    const sessions = await handle.db
      .selectFrom("sessions")
      .select("id")
      .where("membershipId", "=", pt.membershipId)
      .execute();
    expect(sessions).toEqual([]);
    await expectTrpcError(
      callerFor(handle.db, null, at).auth.login({ email: pt.email, password: TEST_PASSWORD }),
      "FORBIDDEN",
    );
    expect(
      await as(world.users.auditor, at).members.loginStatus({ practitionerId: world.self.id }),
    ).toEqual({ status: "deactivated", membershipId: pt.membershipId, email: pt.email });

    const again = later(120_000);
    await expectTrpcError(
      as(world.users.admin, again).members.deactivate({ id: pt.membershipId }),
      "CONFLICT",
    );
    const reactivated = await as(world.users.admin, again).members.reactivate({
      id: pt.membershipId,
    });
    expect(reactivated).toMatchObject({ status: "active", deactivatedAt: null });
    expect((await signInWithPassword(handle.db, pt.email, TEST_PASSWORD, again)).user.id).toBe(
      pt.id,
    );

    const audit = await listAuditEventsForEntity(handle.db, "membership", pt.membershipId);
    expect(audit.map((e) => [e.action, e.actorId, e.after])).toEqual([
      [
        "membership.deactivate",
        world.users.manager.id,
        { status: "deactivated", deactivatedAt: at, sessionsEnded: 1 },
      ],
      ["membership.reactivate", world.users.admin.id, { status: "active" }],
    ]);
  });

  test("managers (de)activate practitioners' logins only; nobody deactivates themselves or the last admin", async () => {
    const bay = await buildOrgWorld(handle.db, "Bay");
    const before = await countMemberRows(handle);
    for (const role of ["admin", "auditor"] as const) {
      const error = await expectTrpcError(
        as(world.users.manager).members.deactivate({ id: world.users[role].membershipId }),
        "FORBIDDEN",
      );
      expect(error.message).toBe(
        "your role (manager) may deactivate or reactivate practitioners' logins only",
      );
    }
    const self = await expectTrpcError(
      as(world.users.admin).members.deactivate({ id: world.users.admin.membershipId }),
      "FORBIDDEN",
    );
    expect(fieldsNamed(self)).toEqual(["id"]);
    for (const role of ["practitioner", "auditor"] as const) {
      await expectTrpcError(
        as(world.users[role]).members.deactivate({ id: world.users.manager.membershipId }),
        "FORBIDDEN",
      );
    }
    await expectTrpcError(
      as(world.users.admin).members.deactivate({ id: bay.users.manager.membershipId }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
      as(world.users.admin).members.deactivate({ id: "not-a-uuid" } as any),
      "BAD_REQUEST",
    );
    expect(await countMemberRows(handle)).toEqual(before);

    // Two admins: one may deactivate the other, but then the one left is the last.
    const second = await buildUser(handle.db, {
      organizationId: world.organization.id,
      role: "admin",
    });
    await as(second).members.deactivate({ id: world.users.admin.membershipId });
    // A stale caller (the admin just deactivated) cannot take the last admin away.
    const last = await expectTrpcError(
      as(world.users.admin).members.deactivate({ id: second.membershipId }),
      "CONFLICT",
    );
    expect(last.message).toContain("is the last active admin");
    const demote = await expectTrpcError(
      as(world.users.admin).members.update({ id: second.membershipId, role: "manager" }),
      "CONFLICT",
    );
    expect(fieldsNamed(demote)).toEqual(["role"]);
  });

  test("an admin changes another member's role and clinic scope, audited; bad changes name the field", async () => {
    const uptown = await buildClinic(handle.db, { organizationId: world.organization.id });
    const manager = world.users.manager;
    const updated = await as(world.users.admin).members.update({
      id: manager.membershipId,
      role: "manager",
      clinicIds: [uptown.id, uptown.id],
    });
    expect(updated).toMatchObject({ role: "manager", clinicIds: [uptown.id] });
    const demoted = await as(world.users.admin, later(60_000)).members.update({
      id: manager.membershipId,
      role: "auditor",
    });
    expect(demoted).toMatchObject({ role: "auditor", clinicIds: null });
    // The change holds at the next request: the membership is read on every call.
    const session = await signInWithPassword(handle.db, manager.email, TEST_PASSWORD);
    expect((await (await withToken(session.token)).auth.me()).user.role).toBe("auditor");

    const audit = await listAuditEventsForEntity(handle.db, "membership", manager.membershipId);
    expect(audit.map((e) => [e.action, e.before, e.after])).toEqual([
      [
        "membership.update",
        { role: "manager", clinicIds: null, practitionerId: null, status: "active" },
        { role: "manager", clinicIds: [uptown.id], practitionerId: null, status: "active" },
      ],
      [
        "membership.update",
        { role: "manager", clinicIds: [uptown.id], practitionerId: null, status: "active" },
        { role: "auditor", clinicIds: null, practitionerId: null, status: "active" },
      ],
    ]);

    const bay = await buildOrgWorld(handle.db, "Bay");
    const before = await countMemberRows(handle);
    const auditor = world.users.auditor.membershipId;
    const cases: { input: Record<string, unknown>; code: string; field: string }[] = [
      { input: { id: auditor, role: "owner" }, code: "BAD_REQUEST", field: "role" },
      {
        input: { id: auditor, role: "practitioner" },
        code: "BAD_REQUEST",
        field: "practitionerId",
      },
      {
        input: { id: auditor, role: "practitioner", practitionerId: world.self.id },
        code: "CONFLICT",
        field: "practitionerId",
      },
      {
        input: { id: auditor, role: "practitioner", practitionerId: bay.colleague.id },
        code: "NOT_FOUND",
        field: "practitionerId",
      },
      {
        input: { id: auditor, role: "auditor", clinicIds: [uptown.id] },
        code: "BAD_REQUEST",
        field: "clinicIds",
      },
      {
        input: { id: auditor, role: "manager", clinicIds: [bay.clinic.id] },
        code: "BAD_REQUEST",
        field: "clinicIds",
      },
      {
        input: { id: world.users.admin.membershipId, role: "manager" },
        code: "FORBIDDEN",
        field: "id",
      },
    ];
    for (const { input, code, field } of cases) {
      const error = await expectTrpcError(
        // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
        as(world.users.admin).members.update(input as any),
        code as "BAD_REQUEST",
      );
      expect(fieldsNamed(error), JSON.stringify(input)).toEqual([field]);
    }
    await expectTrpcError(
      as(world.users.manager).members.update({ id: auditor, role: "manager" }),
      "FORBIDDEN",
    );
    expect(await countMemberRows(handle)).toEqual(before);
    const unchanged = await listAuditEventsForEntity(handle.db, "membership", auditor);
    expect(unchanged).toEqual([]);

    // Linking the auditor to the colleague's record as a practitioner is allowed.
    const linked = await as(world.users.admin).members.update({
      id: auditor,
      role: "practitioner",
      practitionerId: world.colleague.id,
    });
    expect(linked).toMatchObject({
      role: "practitioner",
      practitionerId: world.colleague.id,
      practitionerName: world.colleague.name,
    });
  });

  test("a practitioner's login status is readable by those who may read the practitioner", async () => {
    expect(
      await as(world.users.manager).members.loginStatus({ practitionerId: world.self.id }),
    ).toEqual({
      status: "active",
      membershipId: world.users.practitioner.membershipId,
      email: world.users.practitioner.email,
    });
    expect(
      await as(world.users.admin).members.loginStatus({ practitionerId: world.colleague.id }),
    ).toEqual({ status: "none" });
    await expectTrpcError(
      as(world.users.practitioner).members.loginStatus({ practitionerId: world.colleague.id }),
      "NOT_FOUND",
    );
    const bay = await buildOrgWorld(handle.db, "Bay");
    const error = await expectTrpcError(
      as(world.users.admin).members.loginStatus({ practitionerId: bay.self.id }),
      "NOT_FOUND",
    );
    expect(fieldsNamed(error)).toEqual(["practitionerId"]);
  });
});
