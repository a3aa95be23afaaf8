/**
 * Signing in safely, through real HTTP on each dialect: lockout after repeated failures, the
 * TOTP second factor and recovery codes, password change and reset (mail through a real SMTP
 * server), the list of sessions, a mandatory second factor, and rehashing old password hashes.
 */
import { randomBytes, scryptSync } from "node:crypto";
import type { Clock } from "@dn/clock";
import { type DbHandle, findUserCredentialsById, listAuditEventsForEntity } from "@dn/db";
import { buildUser, createTestDb, TEST_NOW, TEST_PASSWORD, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createLoginThrottle, LOGIN_THROTTLE_POLICY, throttleStoreFor } from "./auth/throttle.ts";
import { totpCodeAt } from "./auth/totp.ts";
import { localAccountServices } from "./services/context.ts";
import { createSmtpMailer } from "./services/mailer.ts";
import {
  buildOrgWorld,
  countRows,
  type OrgWorld,
  serveTrpc,
  type TrpcTestServer,
  trpcOverHttp,
} from "./test-support.ts";
import { type SmtpTestServer, startSmtpTestServer } from "./testing/smtp-test-server.ts";

const NEW_PASSWORD = "a long walk by the harbor at dusk";

describe.each(await testDialects())("accounts over HTTP on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let smtp: SmtpTestServer;
  let server: TrpcTestServer;
  let api: ReturnType<typeof trpcOverHttp>;
  /** The server's clock: tests move it. */
  const clock = { at: TEST_NOW };
  const now: Clock = () => new Date(clock.at);
  const minutesLater = (minutes: number) =>
    new Date(Date.parse(TEST_NOW) + minutes * 60_000).toISOString();

  beforeEach(async () => {
    clock.at = TEST_NOW;
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    smtp = await startSmtpTestServer();
    server = await serveTrpc(handle.db, {
      now,
      accounts: localAccountServices({
        mailer: createSmtpMailer({ url: smtp.url, from: "dn <no-reply@dn.test>" }),
        throttle: await createLoginThrottle(throttleStoreFor(handle)),
        appUrl: "https://dn.example.test",
      }),
    });
    api = trpcOverHttp(server.base, { "user-agent": "vitest-browser/1.0" });
  });
  afterEach(async () => {
    await server.close();
    await smtp.stop();
    await handle.destroy();
  });

  async function signIn(email: string, password = TEST_PASSWORD): Promise<string> {
    const reply = await api.mutation("auth.login", { email, password });
    expect(reply.error).toBeNull();
    const data = reply.data as { status: string; token: string };
    expect(data.status).toBe("signed-in");
    return data.token;
  }

  test("five wrong passwords lock the account with a clear message; the right one waits too", async () => {
    const email = world.users.manager.email;
    for (let attempt = 1; attempt < LOGIN_THROTTLE_POLICY.account.maxFailures; attempt++) {
      const reply = await api.mutation("auth.login", { email, password: `wrong ${attempt}` });
      expect(reply.error).toMatchObject({
        code: "UNAUTHORIZED",
        message: "email or password is incorrect",
      });
    }
    const locking = await api.mutation("auth.login", { email, password: "wrong again" });
    expect(locking.status).toBe(429);
    expect(locking.error?.message).toBe("too many attempts, try again in 15 minutes");
    const right = await api.mutation("auth.login", { email, password: TEST_PASSWORD });
    expect(right.error).toMatchObject({ code: "TOO_MANY_REQUESTS" });

    const audit = await listAuditEventsForEntity(handle.db, "user", world.users.manager.id);
    expect(audit.filter((e) => e.action === "user.login-failed")).toHaveLength(5);
    expect(audit.filter((e) => e.action === "user.locked-out")).toHaveLength(1);
    // Another account from another address is not affected.
    await signIn(world.users.admin.email);
  });

  test("an unknown email fails exactly like a wrong password, and is locked out alike", async () => {
    const known = await api.mutation("auth.login", {
      email: world.users.auditor.email,
      password: "not it",
    });
    const unknown = await api.mutation("auth.login", {
      email: "nobody@example.test",
      password: "not it",
    });
    expect(unknown.status).toBe(known.status);
    expect(unknown.error).toEqual(known.error);
    for (let attempt = 0; attempt < LOGIN_THROTTLE_POLICY.account.maxFailures; attempt++) {
      await api.mutation("auth.login", { email: "nobody@example.test", password: "x" });
    }
    const locked = await api.mutation("auth.login", {
      email: "nobody@example.test",
      password: "x",
    });
    expect(locked.error?.code).toBe("TOO_MANY_REQUESTS");
  });

  test("TOTP: enrol with a QR code, then sign-in asks for a code; a code works once", async () => {
    const email = world.users.admin.email;
    const token = await signIn(email);
    const enrolment = (await api.mutation("account.beginTotp", undefined, token)).data as {
      secret: string;
      uri: string;
      qrSvg: string;
    };
    expect(enrolment.uri).toContain(`otpauth://totp/`);
    expect(enrolment.qrSvg).toMatch(/^<svg/);
    const wrong = await api.mutation("account.confirmTotp", { code: "000000" }, token);
    expect(wrong.error?.fieldErrors.code).toEqual([
      "is not the current code from your authenticator app",
    ]);
    const confirmed = await api.mutation(
      "account.confirmTotp",
      { code: totpCodeAt(enrolment.secret, now()) },
      token,
    );
    const { recoveryCodes } = confirmed.data as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);

    // The next sign-in stops at the second factor.
    clock.at = minutesLater(1);
    const first = (await api.mutation("auth.login", { email, password: TEST_PASSWORD })).data as {
      status: string;
      challenge: string;
    };
    expect(first.status).toBe("second-factor-required");
    const signedIn = await api.mutation("auth.verifySecondFactor", {
      challenge: first.challenge,
      code: totpCodeAt(enrolment.secret, now()),
    });
    expect((signedIn.data as { status: string }).status).toBe("signed-in");

    // The same code (same time step) cannot sign in again, and the challenge is single-use.
    const again = (await api.mutation("auth.login", { email, password: TEST_PASSWORD })).data as {
      challenge: string;
    };
    const replay = await api.mutation("auth.verifySecondFactor", {
      challenge: again.challenge,
      code: totpCodeAt(enrolment.secret, now()),
    });
    expect(replay.error?.code).toBe("UNAUTHORIZED");
    const reused = await api.mutation("auth.verifySecondFactor", {
      challenge: first.challenge,
      code: totpCodeAt(enrolment.secret, new Date(Date.parse(clock.at) + 30_000)),
    });
    expect(reused.error?.code).toBe("UNAUTHORIZED");

    // A recovery code signs in once, typed loosely.
    const third = (await api.mutation("auth.login", { email, password: TEST_PASSWORD })).data as {
      challenge: string;
    };
    const code = recoveryCodes[0] as string;
    const recovered = await api.mutation("auth.verifySecondFactor", {
      challenge: third.challenge,
      recoveryCode: ` ${code.toUpperCase().replace("-", " ")} `,
    });
    expect((recovered.data as { status: string }).status).toBe("signed-in");
    const fourth = (await api.mutation("auth.login", { email, password: TEST_PASSWORD })).data as {
      challenge: string;
    };
    const spent = await api.mutation("auth.verifySecondFactor", {
      challenge: fourth.challenge,
      recoveryCode: code,
    });
    expect(spent.error?.code).toBe("UNAUTHORIZED");
    const me = (await api.query("auth.me", undefined, token)).data as {
      secondFactor: { enabled: boolean; recoveryCodesLeft: number };
    };
    expect(me.secondFactor).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });
    const audit = await listAuditEventsForEntity(handle.db, "user", world.users.admin.id);
    expect(audit.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        "user.second-factor-enabled",
        "user.second-factor-failed",
        "user.recovery-code-used",
      ]),
    );
  });

  test("an organization can require a second factor of admins and managers", async () => {
    await handle.db
      .updateTable("organizations")
      .set({ mfaRequired: 1 })
      .where("id", "=", world.organization.id)
      .execute();
    const managerToken = await signIn(world.users.manager.email);
    const blocked = await api.query("practitioners.list", {}, managerToken);
    expect(blocked.error?.code).toBe("FORBIDDEN");
    expect(blocked.error?.message).toContain("requires two-factor authentication");
    const me = (await api.query("auth.me", undefined, managerToken)).data as {
      secondFactor: { required: boolean; enabled: boolean };
    };
    expect(me.secondFactor).toEqual({ required: true, enabled: false, recoveryCodesLeft: 0 });
    const { secret } = (await api.mutation("account.beginTotp", undefined, managerToken)).data as {
      secret: string;
    };
    await api.mutation("account.confirmTotp", { code: totpCodeAt(secret, now()) }, managerToken);
    expect((await api.query("practitioners.list", {}, managerToken)).error).toBeNull();
    // Practitioners are not asked.
    const ptToken = await signIn(world.users.practitioner.email);
    expect((await api.query("records.list", {}, ptToken)).error).toBeNull();
  });

  test("changing the password checks the old one and the policy, and ends the other sessions", async () => {
    const email = world.users.practitioner.email;
    const here = await signIn(email);
    const elsewhere = await signIn(email);
    const before = await countRows(handle);
    const weak = await api.mutation(
      "account.changePassword",
      { currentPassword: TEST_PASSWORD, newPassword: "qwerty123456" },
      here,
    );
    expect(weak.error?.fieldErrors).toEqual({
      newPassword: ["is one of the most common passwords; choose another"],
    });
    const short = await api.mutation(
      "account.changePassword",
      { currentPassword: TEST_PASSWORD, newPassword: "short" },
      here,
    );
    expect(Object.keys(short.error?.fieldErrors ?? {})).toEqual(["newPassword"]);
    const wrongCurrent = await api.mutation(
      "account.changePassword",
      { currentPassword: "not my password", newPassword: NEW_PASSWORD },
      here,
    );
    expect(wrongCurrent.error?.fieldErrors).toEqual({
      currentPassword: ["is not your current password"],
    });
    const { auditEvents: _failedCheck, ...unchanged } = await countRows(handle);
    const { auditEvents: _before, ...beforeRest } = before;
    expect(unchanged).toEqual(beforeRest);

    const changed = await api.mutation(
      "account.changePassword",
      { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      here,
    );
    expect(changed.error).toBeNull();
    expect((await api.query("auth.me", undefined, here)).error).toBeNull();
    expect((await api.query("auth.me", undefined, elsewhere)).error?.code).toBe("UNAUTHORIZED");
    expect((await api.mutation("auth.login", { email, password: TEST_PASSWORD })).error?.code).toBe(
      "UNAUTHORIZED",
    );
    await signIn(email, NEW_PASSWORD);
  });

  test("a reset link is emailed, works once within 30 minutes, and ends every session", async () => {
    const email = world.users.practitioner.email;
    const session = await signIn(email);
    const unknown = await api.mutation("auth.requestPasswordReset", {
      email: "nobody@example.test",
    });
    const known = await api.mutation("auth.requestPasswordReset", { email });
    expect(unknown).toEqual(known);
    await expect.poll(() => smtp.messages.length).toBe(1);
    const text = (await smtp.lastTextTo(email)) ?? "";
    const link = /https:\/\/dn\.example\.test\/reset-password\/([A-Za-z0-9_-]+)/.exec(text);
    expect(link).not.toBeNull();
    const token = link?.[1] as string;

    const weak = await api.mutation("auth.resetPassword", { token, newPassword: "qwerty123456" });
    expect(Object.keys(weak.error?.fieldErrors ?? {})).toEqual(["newPassword"]);
    clock.at = minutesLater(10);
    const reset = await api.mutation("auth.resetPassword", { token, newPassword: NEW_PASSWORD });
    expect(reset.error).toBeNull();
    expect((await api.query("auth.me", undefined, session)).error?.code).toBe("UNAUTHORIZED");
    await signIn(email, NEW_PASSWORD);
    const again = await api.mutation("auth.resetPassword", { token, newPassword: NEW_PASSWORD });
    expect(again.error?.fieldErrors.token).toEqual([
      "this reset link has expired or was already used: ask for a new one",
    ]);

    // A later link expires after 30 minutes.
    await api.mutation("auth.requestPasswordReset", { email });
    await expect.poll(() => smtp.messages.length).toBe(2);
    const later = /reset-password\/([A-Za-z0-9_-]+)/.exec((await smtp.lastTextTo(email)) ?? "");
    clock.at = minutesLater(41);
    const expired = await api.mutation("auth.resetPassword", {
      token: later?.[1],
      newPassword: "another long passphrase here",
    });
    expect(expired.error?.code).toBe("BAD_REQUEST");
  });

  test("a user lists their sessions, ends one, and signs out everywhere", async () => {
    const email = world.users.auditor.email;
    const first = await signIn(email);
    const second = await signIn(email);
    const sessions = (await api.query("account.sessions", undefined, first)).data as {
      id: string;
      current: boolean;
      userAgent: string | null;
    }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);
    expect(sessions[0]?.userAgent).toBe("vitest-browser/1.0");
    const other = sessions.find((s) => !s.current);
    await api.mutation("account.revokeSession", { id: other?.id }, first);
    expect((await api.query("auth.me", undefined, second)).error?.code).toBe("UNAUTHORIZED");
    const stranger = await signIn(world.users.manager.email);
    const notMine = await api.mutation(
      "account.revokeSession",
      { id: sessions.find((s) => s.current)?.id },
      stranger,
    );
    expect(notMine.error?.code).toBe("NOT_FOUND");
    const third = await signIn(email);
    const everywhere = await api.mutation("account.signOutEverywhere", undefined, third);
    expect(everywhere.data).toEqual({ ended: 2 });
    expect((await api.query("auth.me", undefined, first)).error?.code).toBe("UNAUTHORIZED");
  });

  test("a hash made with older scrypt parameters is replaced at the next sign-in", async () => {
    const user = await buildUser(handle.db, { organizationId: world.organization.id });
    // The parameters dn used before: N=2^15, r=8, p=1.
    const salt = randomBytes(16);
    const key = scryptSync(TEST_PASSWORD, salt, 64, { N: 2 ** 15, r: 8, p: 1, maxmem: 2 ** 26 });
    const stored = `scrypt$32768$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
    await handle.db
      .updateTable("users")
      .set({ passwordHash: stored })
      .where("id", "=", user.id)
      .execute();
    await signIn(user.email);
    const after = await findUserCredentialsById(handle.db, user.id);
    expect(after?.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$/);
    await signIn(user.email);
  });

  test("a login in two organizations sees each only while switched to it", async () => {
    const other = await buildOrgWorld(handle.db, "Bayside");
    // The Harbor manager also manages at Bayside: one login, a second membership.
    await buildUser(handle.db, {
      organizationId: other.organization.id,
      email: world.users.manager.email,
      role: "manager",
    });
    // Both memberships were made at the same instant: say which organization to start in.
    const start = await api.mutation("auth.login", {
      email: world.users.manager.email,
      password: TEST_PASSWORD,
      organizationId: world.organization.id,
    });
    const { token } = start.data as { token: string };
    const names = async () =>
      (
        (await api.query("practitioners.list", {}, token)).data as { items: { name: string }[] }
      ).items
        .map((p) => p.name)
        .sort();
    expect(await names()).toEqual(["Harbor Colleague", "Harbor Self"]);
    const me = (await api.query("auth.me", undefined, token)).data as {
      memberships: { organizationName: string }[];
    };
    expect(me.memberships.map((m) => m.organizationName).sort()).toEqual(["Bayside", "Harbor"]);
    expect((await api.query("practitioners.byId", { id: other.self.id }, token)).error?.code).toBe(
      "NOT_FOUND",
    );

    const switched = await api.mutation(
      "auth.switchOrganization",
      { organizationId: other.organization.id },
      token,
    );
    expect((switched.data as { organization: { name: string } }).organization.name).toBe("Bayside");
    expect(await names()).toEqual(["Bayside Colleague", "Bayside Self"]);
    expect((await api.query("practitioners.byId", { id: world.self.id }, token)).error?.code).toBe(
      "NOT_FOUND",
    );
    // Not a member: refused, and the session stays where it was.
    const stranger = await buildOrgWorld(handle.db, "Elsewhere");
    const refused = await api.mutation(
      "auth.switchOrganization",
      { organizationId: stranger.organization.id },
      token,
    );
    expect(refused.error?.fieldErrors).toEqual({
      organizationId: ["you are not an active member of this organization"],
    });
    expect(await names()).toEqual(["Bayside Colleague", "Bayside Self"]);
    const audit = await handle.db
      .selectFrom("auditEvents")
      .select(["organizationId", "action"])
      .where("action", "=", "user.switch-organization")
      .execute();
    expect(audit.map((row) => row.organizationId).sort()).toEqual(
      [world.organization.id, other.organization.id].sort(),
    );
  });
});
