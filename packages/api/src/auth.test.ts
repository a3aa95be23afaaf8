import { fixedClock } from "@dn/clock";
import { type DbHandle, listAuditEvents } from "@dn/db";
import { createTestDb, TEST_NOW, TEST_PASSWORD, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { SESSION_TTL_MS } from "./auth/session.ts";
import { createCaller } from "./root.ts";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  type OrgWorld,
  signInWithPassword,
} from "./test-support.ts";
import { createContextFromRequest } from "./trpc.ts";

describe.each(await testDialects())("auth on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  /** A request bearing `token`, served with a clock stopped at `now` (default TEST_NOW). */
  async function callerWithToken(token: string, now: string = TEST_NOW) {
    return createCaller(
      await createContextFromRequest({
        db: handle.db,
        authorization: `Bearer ${token}`,
        now: fixedClock(now),
      }),
    );
  }

  test("login opens a 7-day session whose token works as a bearer token, and is audited", async () => {
    const user = world.users.practitioner;
    const session = await signInWithPassword(handle.db, user.email.toUpperCase(), TEST_PASSWORD);
    expect(session.user).toEqual(user);
    expect(Date.parse(session.expiresAt) - Date.parse(TEST_NOW)).toBe(SESSION_TTL_MS);

    const me = await (await callerWithToken(session.token)).auth.me();
    expect(me).toMatchObject({
      user,
      organization: world.organization,
      practitioner: world.self,
      memberships: [{ organizationId: world.organization.id, role: "practitioner" }],
      secondFactor: { enabled: false, required: false, recoveryCodesLeft: 0 },
    });
    expect(me.permissions).toContain("create:training-record:own");
    expect(me.permissions).not.toContain("review:training-record:any");

    const audit = await listAuditEvents(handle.db, {
      organizationId: world.organization.id,
      entityType: "session",
      limit: 10,
    });
    expect(audit.items.map((e) => [e.action, e.actorId])).toEqual([["user.login", user.id]]);
  });

  test("an unknown email and a wrong password get the same UNAUTHORIZED message", async () => {
    const anonymous = callerFor(handle.db, null);
    const unknown = await expectTrpcError(
      anonymous.auth.login({ email: "nobody@example.test", password: TEST_PASSWORD }),
      "UNAUTHORIZED",
    );
    const wrong = await expectTrpcError(
      anonymous.auth.login({ email: world.users.manager.email, password: "wrong password" }),
      "UNAUTHORIZED",
    );
    expect(unknown.message).toBe("email or password is incorrect");
    expect(wrong.message).toBe(unknown.message);
  });

  test("logout ends the session at once", async () => {
    const session = await signInWithPassword(handle.db, world.users.manager.email, TEST_PASSWORD);
    const caller = await callerWithToken(session.token);
    expect(await caller.auth.logout()).toEqual({ ok: true });
    await expectTrpcError((await callerWithToken(session.token)).auth.me(), "UNAUTHORIZED");
  });

  test("an expired session or an unknown token is UNAUTHORIZED", async () => {
    const session = await signInWithPassword(handle.db, world.users.auditor.email, TEST_PASSWORD);
    const eightDaysLater = new Date(Date.parse(TEST_NOW) + 8 * 86_400_000).toISOString();
    await expectTrpcError(
      (await callerWithToken(session.token, eightDaysLater)).auth.me(),
      "UNAUTHORIZED",
    );
    await expectTrpcError((await callerWithToken("not-a-token")).auth.me(), "UNAUTHORIZED");
  });

  test("a login removes sessions that have expired", async () => {
    const email = world.users.auditor.email;
    const old = await signInWithPassword(handle.db, email, TEST_PASSWORD);
    await signInWithPassword(handle.db, email, TEST_PASSWORD);
    expect((await countRows(handle)).sessions).toBe(2);
    const later = new Date(Date.parse(old.expiresAt) + 1000).toISOString();
    const fresh = await signInWithPassword(handle.db, email, TEST_PASSWORD, later);
    // Both earlier sessions expired by `later`; only the new one is left.
    expect((await countRows(handle)).sessions).toBe(1);
    await (await callerWithToken(fresh.token, later)).auth.me();
  });

  test("a malformed login is refused before any lookup, and writes nothing", async () => {
    const before = await countRows(handle);
    await expectTrpcError(
      callerFor(handle.db, null).auth.login({ email: "not-an-email", password: "x" }),
      "BAD_REQUEST",
    );
    expect(await countRows(handle)).toEqual(before);
  });
});
