import { fixedClock } from "@dn/clock";
import { type DbHandle, listAuditEventsForEntity, listMembershipsOfUser } from "@dn/db";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  buildUser,
  createTestDb,
  TEST_NOW,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import type { Practitioner, User } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createCaller } from "./root.ts";
import { type AccountServices, actorFromUser, localAccountServices } from "./services/context.ts";
import { INVALID_INVITATION_LINK } from "./services/invitations.service.ts";
import { createSmtpMailer, type Mailer } from "./services/mailer.ts";
import {
  buildOrgWorld,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
  serveTrpc,
} from "./test-support.ts";
import { type SmtpTestServer, startSmtpTestServer } from "./testing/smtp-test-server.ts";
import { createContextFromRequest, createContextInner } from "./trpc.ts";

const APP_URL = "https://dn.example.test";
const NEW_PASSWORD = "violet kettle drums at noon";
const DAY_MS = 24 * 60 * 60 * 1000;

/** An instant `ms` after TEST_NOW. */
function later(ms: number): string {
  return new Date(Date.parse(TEST_NOW) + ms).toISOString();
}

/** countRows plus the tables accounts work writes to. */
async function countAccountRows(handle: DbHandle): Promise<Record<string, number>> {
  const counts = await countRows(handle);
  for (const table of ["invitations", "memberships", "userTokens", "importBatches"] as const) {
    const row = await handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as("count"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}

/** A minimal tRPC-over-HTTP call: a GET for queries, a POST for mutations. */
async function overHttp<T>(
  base: string,
  kind: "query" | "mutation",
  path: string,
  input: unknown,
  token?: string,
): Promise<{ status: number; data?: T; error?: { message: string; data: { code: string } } }> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response =
    kind === "query"
      ? await fetch(`${base}/trpc/${path}${query}`, { headers })
      : await fetch(`${base}/trpc/${path}`, {
          method: "POST",
          headers,
          body: JSON.stringify(input),
        });
  const body = (await response.json()) as {
    result?: { data: T };
    error?: { message: string; data: { code: string } };
  };
  return { status: response.status, data: body.result?.data, error: body.error };
}

describe.each(await testDialects())("invitations on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let smtp: SmtpTestServer;
  let mailer: Mailer;
  let accounts: AccountServices;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    smtp = await startSmtpTestServer();
    mailer = createSmtpMailer({ url: smtp.url, from: "dn <invitations@dn.test>" });
    accounts = localAccountServices({ mailer, appUrl: APP_URL });
  });
  afterEach(async () => {
    mailer.close();
    await smtp.stop();
    await handle.destroy();
  });

  /** A caller acting as `user` (null: anonymous) with mail, at `now`. */
  function as(user: User | null, now: string = TEST_NOW, services: AccountServices = accounts) {
    return createCaller(
      createContextInner({
        db: handle.db,
        actor: user ? actorFromUser(user) : null,
        now: fixedClock(now),
        accounts: services,
      }),
    );
  }

  /** The token of the invitation link in the last email to `email`. */
  async function linkTokenSentTo(email: string): Promise<string> {
    const text = await smtp.lastTextTo(email);
    const match = new RegExp(`${APP_URL}/invite/([A-Za-z0-9_-]+)`).exec(text ?? "");
    if (!match?.[1]) throw new Error(`no invitation link in the email to ${email}:\n${text}`);
    return match[1];
  }

  function inviteColleague(by: User = world.users.admin, now: string = TEST_NOW) {
    return as(by, now).invitations.create({
      email: world.colleague.email as string,
      role: "practitioner",
      practitionerId: world.colleague.id,
    });
  }

  async function auditActions(entityType: "invitation" | "membership", id: string) {
    return (await listAuditEventsForEntity(handle.db, entityType, id)).map((e) => e.action);
  }

  test("over HTTP: invite, the email's link, preview, accept as someone new, signed in; a second accept is refused", async () => {
    const server = await serveTrpc(handle.db, { accounts });
    try {
      const login = await overHttp<{ token: string }>(server.base, "mutation", "auth.login", {
        email: world.users.admin.email,
        password: TEST_PASSWORD,
      });
      const adminToken = login.data?.token as string;
      const created = await overHttp<{ id: string; status: string; sendCount: number }>(
        server.base,
        "mutation",
        "invitations.create",
        {
          email: (world.colleague.email as string).toUpperCase(),
          role: "practitioner",
          practitionerId: world.colleague.id,
        },
        adminToken,
      );
      expect(created.status).toBe(200);
      expect(created.data).toMatchObject({ status: "pending", sendCount: 1 });

      const email = world.colleague.email as string;
      const mail = smtp.messages.find((m) => m.to.includes(email));
      expect(mail?.from).toBe("invitations@dn.test");
      const text = (await smtp.lastTextTo(email)) ?? "";
      expect(text).toContain(`to join ${world.organization.name}`);
      expect(text).toContain("as a practitioner");
      const token = await linkTokenSentTo(email);
      // Only the hash is stored.
      const stored = await handle.db.selectFrom("invitations").select("tokenHash").execute();
      expect(stored.map((r) => r.tokenHash)).not.toContain(token);

      const preview = await overHttp(server.base, "query", "invitations.preview", { token });
      expect(preview.data).toEqual({
        organizationName: world.organization.name,
        email,
        role: "practitioner",
        hasAccount: false,
        expiresAt: later(7 * DAY_MS),
      });

      const accepted = await overHttp<{ status: string; token: string; user: User }>(
        server.base,
        "mutation",
        "invitations.accept",
        { token, name: "Casey Colleague", password: NEW_PASSWORD },
      );
      expect(accepted.data?.status).toBe("signed-in");
      expect(accepted.data?.user).toMatchObject({
        email,
        name: "Casey Colleague",
        role: "practitioner",
        practitionerId: world.colleague.id,
        organizationId: world.organization.id,
      });
      const me = await overHttp<{ user: User }>(
        server.base,
        "query",
        "auth.me",
        undefined,
        accepted.data?.token,
      );
      expect(me.data?.user.practitionerId).toBe(world.colleague.id);

      const again = await overHttp(server.base, "mutation", "invitations.accept", {
        token,
        name: "Casey Colleague",
        password: NEW_PASSWORD,
      });
      expect(again.error?.data.code).toBe("NOT_FOUND");
      expect(again.error?.message).toBe(`token: ${INVALID_INVITATION_LINK}`);

      // The new person signs in with the password they chose.
      const signIn = await overHttp<{ status: string }>(server.base, "mutation", "auth.login", {
        email,
        password: NEW_PASSWORD,
      });
      expect(signIn.data?.status).toBe("signed-in");

      const invitationId = (created.data as { id: string }).id;
      // Both at the server's stopped clock: compared as a set.
      expect((await auditActions("invitation", invitationId)).sort()).toEqual([
        "invitation.accept",
        "invitation.create",
      ]);
      const membershipId = (accepted.data as { user: User }).user.membershipId;
      const membershipAudit = await listAuditEventsForEntity(handle.db, "membership", membershipId);
      expect(membershipAudit.map((e) => [e.action, e.actorId])).toEqual([
        ["membership.create", accepted.data?.user.id],
      ]);
      const list = await as(world.users.admin).invitations.list({});
      expect(list.find((i) => i.id === invitationId)).toMatchObject({
        status: "accepted",
        practitionerName: world.colleague.name,
        invitedByName: world.users.admin.name,
      });
    } finally {
      await server.close();
    }
  });

  test("a link past its 7 days is refused with the one message; within them it works", async () => {
    await inviteColleague();
    const token = await linkTokenSentTo(world.colleague.email as string);
    const almost = later(7 * DAY_MS - 60_000);
    expect((await as(null, almost).invitations.preview({ token })).role).toBe("practitioner");
    const past = later(7 * DAY_MS + 1000);
    // Thunks, so each call starts only when awaited (no rejection waits unhandled).
    for (const attempt of [
      () => as(null, past).invitations.preview({ token }),
      () => as(null, past).invitations.accept({ token, name: "Casey", password: NEW_PASSWORD }),
    ]) {
      const error = await expectTrpcError(attempt(), "NOT_FOUND");
      expect(fieldsNamed(error)).toEqual(["token"]);
      expect(error.message).toBe(`token: ${INVALID_INVITATION_LINK}`);
    }
    const listed = await as(world.users.admin, past).invitations.list({ status: "expired" });
    expect(listed.map((i) => i.email)).toEqual([world.colleague.email]);
  });

  test("an unknown token gets the same message as a used one", async () => {
    const error = await expectTrpcError(
      as(null).invitations.preview({ token: "A".repeat(43) }),
      "NOT_FOUND",
    );
    expect(error.message).toBe(`token: ${INVALID_INVITATION_LINK}`);
  });

  test("revoking kills the link, is audited, and cannot be done twice", async () => {
    const invitation = await inviteColleague();
    const token = await linkTokenSentTo(world.colleague.email as string);
    const revoked = await as(world.users.manager, later(60_000)).invitations.revoke({
      id: invitation.id,
    });
    expect(revoked.status).toBe("revoked");
    await expectTrpcError(as(null).invitations.preview({ token }), "NOT_FOUND");
    await expectTrpcError(
      as(null).invitations.accept({ token, name: "Casey", password: NEW_PASSWORD }),
      "NOT_FOUND",
    );
    const again = await expectTrpcError(
      as(world.users.admin).invitations.revoke({ id: invitation.id }),
      "CONFLICT",
    );
    expect(fieldsNamed(again)).toEqual(["id"]);
    const audit = await listAuditEventsForEntity(handle.db, "invitation", invitation.id);
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([
      ["invitation.create", world.users.admin.id],
      ["invitation.revoke", world.users.manager.id],
    ]);
    // Revoked, the practitioner can be invited again.
    expect((await inviteColleague()).status).toBe("pending");
  });

  test("resending issues a new link and expiry: the old link stops working, the new one works", async () => {
    const invitation = await inviteColleague();
    const email = world.colleague.email as string;
    const oldToken = await linkTokenSentTo(email);
    const resentAt = later(3 * DAY_MS);
    const resent = await as(world.users.admin, resentAt).invitations.resend({ id: invitation.id });
    expect(resent).toMatchObject({
      status: "pending",
      sendCount: 2,
      sentAt: resentAt,
      expiresAt: later(10 * DAY_MS),
    });
    const newToken = await linkTokenSentTo(email);
    expect(newToken).not.toBe(oldToken);
    expect(smtp.messages.filter((m) => m.to.includes(email))).toHaveLength(2);
    await expectTrpcError(as(null, resentAt).invitations.preview({ token: oldToken }), "NOT_FOUND");
    // Past the first link's expiry, the new one still works.
    const accepted = await as(null, later(8 * DAY_MS)).invitations.accept({
      token: newToken,
      name: "Casey Colleague",
      password: NEW_PASSWORD,
    });
    expect(accepted.status).toBe("signed-in");
    const audit = await listAuditEventsForEntity(handle.db, "invitation", invitation.id);
    expect(audit.map((e) => e.action)).toEqual([
      "invitation.create",
      "invitation.resend",
      "invitation.accept",
    ]);
    expect(audit[1]?.after).toEqual({ status: "pending", expiresAt: later(10 * DAY_MS) });
    await expectTrpcError(
      as(world.users.admin).invitations.resend({ id: invitation.id }),
      "CONFLICT",
    );
  });

  test("a manager invites practitioners and auditors, never admins or managers", async () => {
    const before = await countAccountRows(handle);
    for (const role of ["admin", "manager"] as const) {
      const error = await expectTrpcError(
        as(world.users.manager).invitations.create({ email: `new.${role}@example.test`, role }),
        "FORBIDDEN",
      );
      expect(fieldsNamed(error)).toEqual(["role"]);
      expect(error.message).toBe(
        "role: your role (manager) may invite practitioners and auditors only: ask an admin",
      );
    }
    expect(await countAccountRows(handle)).toEqual(before);
    expect(smtp.messages).toHaveLength(0);
    const auditor = await as(world.users.manager).invitations.create({
      email: "new.auditor@example.test",
      role: "auditor",
    });
    expect(auditor).toMatchObject({ role: "auditor", status: "pending", sendCount: 1 });
    // Practitioners and auditors may not invite anyone.
    for (const role of ["practitioner", "auditor"] as const) {
      await expectTrpcError(
        as(world.users[role]).invitations.create({ email: "x@example.test", role: "auditor" }),
        "FORBIDDEN",
      );
      await expectTrpcError(as(world.users[role]).invitations.list({}), "FORBIDDEN");
    }
  });

  test("a manager limited to one clinic invites only that clinic's practitioners and sees only those invitations", async () => {
    const uptown = await buildClinic(handle.db, {
      organizationId: world.organization.id,
      name: "Uptown",
    });
    const uptownPt = await buildPractitioner(handle.db, { clinicId: uptown.id });
    const scoped = await buildUser(handle.db, {
      organizationId: world.organization.id,
      role: "manager",
      clinicIds: [world.clinic.id],
    });
    const before = await countAccountRows(handle);
    const outside = await expectTrpcError(
      as(scoped).invitations.create({
        email: uptownPt.email as string,
        role: "practitioner",
        practitionerId: uptownPt.id,
      }),
      "FORBIDDEN",
    );
    expect(fieldsNamed(outside)).toEqual(["practitionerId"]);
    const auditor = await expectTrpcError(
      as(scoped).invitations.create({ email: "aud@example.test", role: "auditor" }),
      "FORBIDDEN",
    );
    expect(fieldsNamed(auditor)).toEqual(["role"]);
    expect(auditor.message).toBe(
      "role: your role (manager of one clinic) may invite practitioners of your clinics only: ask an admin",
    );
    expect(await countAccountRows(handle)).toEqual(before);

    await inviteColleague(scoped);
    const uptownInvite = await as(world.users.admin).invitations.create({
      email: uptownPt.email as string,
      role: "practitioner",
      practitionerId: uptownPt.id,
    });
    expect((await as(scoped).invitations.list({})).map((i) => i.practitionerId)).toEqual([
      world.colleague.id,
    ]);
    expect((await as(world.users.admin).invitations.list({})).length).toBe(2);
    // Another clinic's invitation is not theirs to resend or revoke.
    await expectTrpcError(as(scoped).invitations.revoke({ id: uptownInvite.id }), "NOT_FOUND");
    await expectTrpcError(as(scoped).invitations.resend({ id: uptownInvite.id }), "NOT_FOUND");
    expect((await as(scoped).invitations.invitable()).map((p) => p.id)).toEqual([]);
  });

  test("bad input is refused naming the field, and nothing is written or sent", async () => {
    const bay = await buildOrgWorld(handle.db, "Bay");
    const archived = await buildPractitioner(handle.db, {
      clinicId: world.clinic.id,
      archivedAt: TEST_NOW,
    });
    const base = { email: "fresh.person@example.test" };
    const cases: {
      name: string;
      input: Record<string, unknown>;
      code: "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT";
      field: string;
    }[] = [
      {
        name: "not an email",
        input: { email: "nope", role: "auditor" },
        code: "BAD_REQUEST",
        field: "email",
      },
      {
        name: "unknown role",
        input: { ...base, role: "owner" },
        code: "BAD_REQUEST",
        field: "role",
      },
      {
        name: "practitioner without record",
        input: { ...base, role: "practitioner" },
        code: "BAD_REQUEST",
        field: "practitionerId",
      },
      {
        name: "not a UUID",
        input: { ...base, role: "practitioner", practitionerId: "42" },
        code: "BAD_REQUEST",
        field: "practitionerId",
      },
      {
        name: "another organization's practitioner",
        input: { ...base, role: "practitioner", practitionerId: bay.colleague.id },
        code: "NOT_FOUND",
        field: "practitionerId",
      },
      {
        name: "archived practitioner",
        input: { ...base, role: "practitioner", practitionerId: archived.id },
        code: "CONFLICT",
        field: "practitionerId",
      },
      {
        name: "practitioner with a login",
        input: { ...base, role: "practitioner", practitionerId: world.self.id },
        code: "CONFLICT",
        field: "practitionerId",
      },
      {
        name: "clinics for an auditor",
        input: { ...base, role: "auditor", clinicIds: [world.clinic.id] },
        code: "BAD_REQUEST",
        field: "clinicIds",
      },
      {
        name: "another organization's clinic",
        input: { ...base, role: "manager", clinicIds: [bay.clinic.id] },
        code: "BAD_REQUEST",
        field: "clinicIds",
      },
      {
        name: "empty clinic list",
        input: { ...base, role: "manager", clinicIds: [] },
        code: "BAD_REQUEST",
        field: "clinicIds",
      },
      {
        name: "an active member's email",
        input: { email: world.users.auditor.email, role: "auditor" },
        code: "CONFLICT",
        field: "email",
      },
      {
        name: "a NUL character",
        input: { email: "a\u0000@example.test", role: "auditor" },
        code: "BAD_REQUEST",
        field: "email",
      },
    ];
    const before = await countAccountRows(handle);
    for (const { name, input, code, field } of cases) {
      const error = await expectTrpcError(
        // biome-ignore lint/suspicious/noExplicitAny: hostile input on purpose
        as(world.users.admin).invitations.create(input as any),
        code,
      );
      expect(fieldsNamed(error), name).toContain(field);
    }
    expect(await countAccountRows(handle)).toEqual(before);
    expect(smtp.messages).toHaveLength(0);

    await inviteColleague();
    const duplicate = await expectTrpcError(
      as(world.users.admin).invitations.create({
        email: world.colleague.email as string,
        role: "auditor",
      }),
      "CONFLICT",
    );
    expect(fieldsNamed(duplicate)).toEqual(["email"]);
    const samePractitioner = await expectTrpcError(
      as(world.users.admin).invitations.create({
        email: "other.address@example.test",
        role: "practitioner",
        practitionerId: world.colleague.id,
      }),
      "CONFLICT",
    );
    expect(fieldsNamed(samePractitioner)).toEqual(["practitionerId"]);
  });

  test("without a mail server an invitation is refused before anything is written", async () => {
    const before = await countAccountRows(handle);
    const error = await expectTrpcError(
      as(world.users.admin, TEST_NOW, localAccountServices()).invitations.create({
        email: "someone@example.test",
        role: "auditor",
      }),
      "BAD_REQUEST",
    );
    expect(error.message).toMatch(/sends no email/);
    expect(await countAccountRows(handle)).toEqual(before);
  });

  test("when the email fails the invitation is kept unsent and says so; resending delivers it", async () => {
    const broken = createSmtpMailer({ url: "smtp://127.0.0.1:1", from: "dn <x@dn.test>" });
    try {
      const error = await expectTrpcError(
        as(
          world.users.admin,
          TEST_NOW,
          localAccountServices({ mailer: broken, appUrl: APP_URL }),
        ).invitations.create({ email: "unlucky@example.test", role: "auditor" }),
        "INTERNAL_SERVER_ERROR",
      );
      expect(error.message).toBe(
        "the invitation to unlucky@example.test was saved, but the email could not be sent: resend the invitation",
      );
    } finally {
      broken.close();
    }
    const [saved] = await as(world.users.admin).invitations.list({});
    expect(saved).toMatchObject({ email: "unlucky@example.test", status: "pending", sendCount: 0 });
    expect(await auditActions("invitation", saved?.id as string)).toEqual(["invitation.create"]);
    const resent = await as(world.users.admin).invitations.resend({ id: saved?.id as string });
    expect(resent.sendCount).toBe(1);
    expect(await smtp.lastTextTo("unlucky@example.test")).toContain(`${APP_URL}/invite/`);
  });

  test("someone new must give a name and an acceptable password; a refusal leaves the link usable", async () => {
    await inviteColleague();
    const token = await linkTokenSentTo(world.colleague.email as string);
    const before = await countAccountRows(handle);
    const cases: { input: { name?: string; password: string }; field: string }[] = [
      { input: { password: NEW_PASSWORD }, field: "name" },
      { input: { name: "Casey", password: "short" }, field: "password" },
      { input: { name: "Casey", password: "1qaz2wsx3edc" }, field: "password" },
      { input: { name: "Casey", password: "aaaaaaaaaaaaaaaa" }, field: "password" },
      {
        input: { name: "Casey Colleague", password: "colleague rules the day" },
        field: "password",
      },
    ];
    for (const { input, field } of cases) {
      const error = await expectTrpcError(
        as(null).invitations.accept({ token, ...input }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(error), JSON.stringify(input)).toEqual([field]);
    }
    const malformed = await expectTrpcError(
      as(null).invitations.accept({ token: "short", password: NEW_PASSWORD }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(malformed)).toEqual(["token"]);
    expect(await countAccountRows(handle)).toEqual(before);
    const accepted = await as(null).invitations.accept({
      token,
      name: "Casey Colleague",
      password: NEW_PASSWORD,
    });
    expect(accepted.status).toBe("signed-in");
  });

  test("someone with a login joins a second organization with its password: one login, two memberships, switching works", async () => {
    const bay = await buildOrganization(handle.db, { name: "Bay Physio" });
    await buildClinic(handle.db, { organizationId: bay.id });
    const bayAdmin = await buildUser(handle.db, { organizationId: bay.id, role: "admin" });
    const harborManager = world.users.manager;
    const invitation = await as(bayAdmin).invitations.create({
      email: harborManager.email,
      role: "auditor",
    });
    const token = await linkTokenSentTo(harborManager.email);
    expect(await as(null).invitations.preview({ token })).toMatchObject({
      organizationName: "Bay Physio",
      hasAccount: true,
      role: "auditor",
    });

    const before = await countAccountRows(handle);
    const wrong = await expectTrpcError(
      as(null).invitations.accept({ token, password: "not my password at all" }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(wrong)).toEqual(["password"]);
    const afterWrong = await countAccountRows(handle);
    // The failed check is audited (as a sign-in failure is); nothing else changed.
    expect({ ...afterWrong, auditEvents: before.auditEvents }).toEqual(before);
    const failures = await listAuditEventsForEntity(handle.db, "user", harborManager.id);
    expect(failures.map((e) => e.action)).toEqual(["user.password-check-failed"]);

    const accepted = await as(null, later(60_000)).invitations.accept({
      token,
      password: TEST_PASSWORD,
    });
    if (accepted.status !== "signed-in") throw new Error("expected a session");
    expect(accepted.user).toMatchObject({
      id: harborManager.id,
      organizationId: bay.id,
      role: "auditor",
    });
    const counts = await countAccountRows(handle);
    expect(counts.users).toBe(before.users);
    expect(counts.memberships).toBe(Number(before.memberships) + 1);
    const memberships = await listMembershipsOfUser(handle.db, harborManager.id);
    expect(memberships.map((m) => [m.organizationName, m.role])).toEqual([
      [world.organization.name, "manager"],
      ["Bay Physio", "auditor"],
    ]);
    const session = createCaller(
      await createContextFromRequest({
        db: handle.db,
        authorization: `Bearer ${accepted.token}`,
        now: fixedClock(later(60_000)),
        accounts,
      }),
    );
    expect((await session.auth.me()).organization.id).toBe(bay.id);
    const switched = await session.auth.switchOrganization({
      organizationId: world.organization.id,
    });
    expect(switched.user).toMatchObject({ organizationId: world.organization.id, role: "manager" });
    expect(await auditActions("invitation", invitation.id)).toEqual([
      "invitation.create",
      "invitation.accept",
    ]);
  });

  test("a practitioner's login status goes none → invited → active", async () => {
    const status = () =>
      as(world.users.manager).members.loginStatus({ practitionerId: world.colleague.id });
    expect(await status()).toEqual({ status: "none" });
    const invitation = await inviteColleague();
    expect(await status()).toEqual({
      status: "invited",
      invitationId: invitation.id,
      email: world.colleague.email,
      expiresAt: invitation.expiresAt,
    });
    const invitable = await as(world.users.admin).invitations.invitable();
    expect(invitable.map((p) => p.id)).not.toContain(world.colleague.id);
    const accepted = await as(null).invitations.accept({
      token: await linkTokenSentTo(world.colleague.email as string),
      name: "Casey Colleague",
      password: NEW_PASSWORD,
    });
    if (accepted.status !== "signed-in") throw new Error("expected a session");
    expect(await status()).toEqual({
      status: "active",
      membershipId: accepted.user.membershipId,
      email: world.colleague.email,
    });
  });

  describe("roster import with inviteImported", () => {
    const HEADER =
      "name,email,profession,clinic,license_state,license_number,license_issued,license_expires";
    function roster(people: Pick<Practitioner, "name" | "email">[]): string {
      return [
        HEADER,
        ...people.map(
          (p, i) => `${p.name},${p.email},PT,${world.clinic.name},US-MD,MD9${i}000,2020-01-01,`,
        ),
        "",
      ].join("\n");
    }

    test("invites each imported practitioner once, reports who was left out and why, audited", async () => {
      const content = roster([
        { name: "Avery New", email: "avery.new@example.test" },
        { name: "Blake New", email: "blake.new@example.test" },
        { name: world.self.name, email: world.self.email },
      ]);
      const report = await as(world.users.manager).imports.run({
        kind: "roster",
        fileName: "roster.csv",
        content,
        inviteImported: true,
      });
      expect(report).toMatchObject({ applied: true, rowsImported: 3 });
      expect(report.invitations).toEqual({
        invited: 2,
        skipped: [
          {
            name: world.self.name,
            email: world.self.email,
            reason: `${world.self.name} already has an active login here`,
          },
        ],
      });
      for (const email of ["avery.new@example.test", "blake.new@example.test"]) {
        expect(await smtp.lastTextTo(email)).toContain(`${APP_URL}/invite/`);
      }
      const invitations = await as(world.users.manager).invitations.list({});
      expect(invitations.map((i) => [i.email, i.role, i.status]).sort()).toEqual([
        ["avery.new@example.test", "practitioner", "pending"],
        ["blake.new@example.test", "practitioner", "pending"],
      ]);
      const audit = await listAuditEventsForEntity(
        handle.db,
        "invitation",
        invitations[0]?.id as string,
      );
      expect(
        audit.map((e) => [e.action, (e.after as { importBatchId: string }).importBatchId]),
      ).toEqual([["invitation.create", report.batchId]]);
    });

    test("without a mail server the option is refused up front and nothing is imported", async () => {
      const before = await countAccountRows(handle);
      const error = await expectTrpcError(
        as(world.users.manager, TEST_NOW, localAccountServices()).imports.run({
          kind: "roster",
          fileName: "roster.csv",
          content: roster([{ name: "Avery New", email: "avery.new@example.test" }]),
          inviteImported: true,
        }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(error)).toEqual(["inviteImported"]);
      expect(await countAccountRows(handle)).toEqual(before);
    });
  });
});
