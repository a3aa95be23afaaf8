import { fixedClock } from "@dn/clock";
import { type DbHandle, listAuditEvents } from "@dn/db";
import { buildUser, createTestDb, testDialects } from "@dn/db/testing";
import type { OidcProvider, User } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createCaller } from "./root.ts";
import { EMAIL_NOT_VERIFIED, NO_ACTIVE_MEMBERSHIP } from "./services/sso.service.ts";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
  serveTrpc,
  trpcOverHttp,
} from "./test-support.ts";
import {
  type OidcTestAccount,
  type OidcTestProvider,
  startOidcTestProvider,
} from "./testing/oidc-test-provider.ts";
import { createContextFromRequest } from "./trpc.ts";

// The library and the provider check tokens against the real clock, so our clock (which expires
// sign-in rows) is stopped near real time: taken once, when the file starts.
const NOW = new Date(performance.timeOrigin + performance.now()).toISOString();
const minutesAfter = (minutes: number) =>
  new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

/** The callback of the app the callers' account services name (localAccountServices). */
const REDIRECT_URI = "http://localhost:3000/sso/callback";
const CLIENT = {
  clientId: "dn-admin",
  clientSecret: "sso-test-client-secret-9f2c4a7e1b3d5f60",
  redirectUris: [REDIRECT_URI],
};

describe.each(await testDialects())("single sign-on on %s", (dialect) => {
  let handle: DbHandle;
  let harbor: OrgWorld;
  let summit: OrgWorld;
  let idp: OidcTestProvider;
  /** The provider's accounts; the harness reads their claims at each sign-in. */
  let accounts: Record<
    "member" | "manager" | "unverified" | "outsider" | "stranger",
    OidcTestAccount
  >;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    harbor = await buildOrgWorld(handle.db, "Harbor");
    summit = await buildOrgWorld(handle.db, "Summit");
    accounts = {
      member: account("sub-member", harbor.users.practitioner.email, true),
      manager: account("sub-manager", harbor.users.manager.email, true),
      unverified: account("sub-unverified", harbor.users.auditor.email, false),
      outsider: account("sub-outsider", summit.users.practitioner.email, true),
      stranger: account("sub-stranger", "nobody.here@example.test", true),
    };
    idp = await startOidcTestProvider({ clients: [CLIENT], accounts: Object.values(accounts) });
  });
  afterEach(async () => {
    await idp.close();
    await handle.destroy();
  });

  function account(subject: string, email: string, emailVerified: boolean): OidcTestAccount {
    return { subject, email: email.toUpperCase(), emailVerified, name: `Person ${subject}` };
  }

  const anonymous = (now = NOW) => callerFor(handle.db, null, now);

  function addProvider(world: OrgWorld = harbor): Promise<OidcProvider> {
    return callerFor(handle.db, world.users.admin, NOW).sso.providers.create({
      name: `${world.organization.name} IdP`,
      issuer: idp.issuer,
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
    });
  }

  /** Begins a sign-in and plays the browser at the provider; the callback is not yet used. */
  async function visitProvider(providerId: string, subject: string) {
    const start = await anonymous().sso.begin({ providerId, redirectUri: REDIRECT_URI });
    const callbackUrl = await idp.signIn(start.authorizationUrl, subject);
    return { ...start, callbackUrl };
  }

  async function signInAs(providerId: string, subject: string, now = NOW) {
    const { signInId, callbackUrl } = await visitProvider(providerId, subject);
    return anonymous(now).sso.complete({ callbackUrl, signInId });
  }

  async function callerWithToken(token: string) {
    return createCaller(
      await createContextFromRequest({
        db: handle.db,
        authorization: `Bearer ${token}`,
        now: fixedClock(NOW),
      }),
    );
  }

  async function ssoRows(): Promise<Record<string, number>> {
    const count = async (table: "oidcProviders" | "oidcSignIns" | "userIdentities") => {
      const row = await handle.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as("count"))
        .executeTakeFirstOrThrow();
      return Number(row.count);
    };
    return {
      ...(await countRows(handle)),
      oidcProviders: await count("oidcProviders"),
      oidcSignIns: await count("oidcSignIns"),
      userIdentities: await count("userIdentities"),
    };
  }

  function identitiesOf(user: User) {
    return handle.db
      .selectFrom("userIdentities")
      .select(["providerId", "subject"])
      .where("userId", "=", user.id)
      .execute();
  }

  function deactivate(user: User) {
    return handle.db
      .updateTable("memberships")
      .set({ status: "deactivated", deactivatedAt: NOW })
      .where("id", "=", user.membershipId)
      .execute();
  }

  describe("providers", () => {
    test("an admin adds a provider: discovered, listed with its sign-in link, audited", async () => {
      const provider = await addProvider();
      expect(provider).toEqual({
        id: expect.any(String),
        organizationId: harbor.organization.id,
        name: "Harbor IdP",
        issuer: idp.issuer,
        clientId: CLIENT.clientId,
        createdBy: harbor.users.admin.id,
        createdAt: NOW,
        archivedAt: null,
        signInUrl: `http://localhost:3000/sso/${provider.id}`,
      });
      const admin = callerFor(handle.db, harbor.users.admin, NOW);
      expect(await admin.sso.providers.list()).toEqual([provider]);
      // Another organization's admin sees none of it.
      expect(await callerFor(handle.db, summit.users.admin, NOW).sso.providers.list()).toEqual([]);

      const audit = await listAuditEvents(handle.db, {
        organizationId: harbor.organization.id,
        entityType: "oidc-provider",
        limit: 10,
      });
      expect(audit.items.map((e) => [e.action, e.entityId, e.actorId])).toEqual([
        ["oidc-provider.create", provider.id, harbor.users.admin.id],
      ]);
    });

    test("the client secret is in no list output and no audit row", async () => {
      const provider = await addProvider();
      const admin = callerFor(handle.db, harbor.users.admin, NOW);
      await admin.sso.providers.archive({ id: provider.id });
      const listed = await admin.sso.providers.list();
      expect(listed).toHaveLength(1);
      expect(Object.keys(listed[0] ?? {})).not.toContain("clientSecret");
      expect(JSON.stringify(listed)).not.toContain(CLIENT.clientSecret);

      const rows = await handle.db.selectFrom("auditEvents").selectAll().execute();
      expect(rows.map((row) => row.action)).toEqual(
        expect.arrayContaining(["oidc-provider.create", "oidc-provider.archive"]),
      );
      expect(JSON.stringify(rows)).not.toContain(CLIENT.clientSecret);
      // It is stored, for talking to the provider.
      const stored = await handle.db
        .selectFrom("oidcProviders")
        .select("clientSecret")
        .executeTakeFirstOrThrow();
      expect(stored.clientSecret).toBe(CLIENT.clientSecret);
    });

    test("only admins manage providers: a manager is FORBIDDEN and nothing is written", async () => {
      const provider = await addProvider();
      const before = await ssoRows();
      const manager = callerFor(handle.db, harbor.users.manager, NOW);
      await expectTrpcError(
        manager.sso.providers.create({
          name: "Manager IdP",
          issuer: idp.issuer,
          clientId: "other-client",
          clientSecret: "x",
        }),
        "FORBIDDEN",
      );
      await expectTrpcError(manager.sso.providers.list(), "FORBIDDEN");
      await expectTrpcError(manager.sso.providers.archive({ id: provider.id }), "FORBIDDEN");
      await expectTrpcError(
        callerFor(handle.db, harbor.users.auditor, NOW).sso.providers.list(),
        "FORBIDDEN",
      );
      await expectTrpcError(anonymous().sso.providers.list(), "UNAUTHORIZED");
      expect(await ssoRows()).toEqual(before);
    });

    test.each([
      ["plain http on a public host", "http://idp.example.test", /must use https/],
      ["not a URL", "idp.example.test", /must be a URL/],
      ["a javascript: URL", "javascript:alert(1)", /must use https/],
    ])(
      "an issuer that is %s is refused on issuer before discovery",
      async (_what, issuer, message) => {
        const before = await ssoRows();
        const error = await expectTrpcError(
          callerFor(handle.db, harbor.users.admin, NOW).sso.providers.create({
            name: "Bad",
            issuer,
            clientId: CLIENT.clientId,
            clientSecret: CLIENT.clientSecret,
          }),
          "BAD_REQUEST",
        );
        expect(fieldsNamed(error)).toEqual(["issuer"]);
        expect(error.message).toMatch(message);
        expect(await ssoRows()).toEqual(before);
      },
    );

    test("an issuer without a discovery document is refused on issuer, and nothing is written", async () => {
      const before = await ssoRows();
      const admin = callerFor(handle.db, harbor.users.admin, NOW);
      const create = (issuer: string) =>
        admin.sso.providers.create({
          name: "Wrong",
          issuer,
          clientId: CLIENT.clientId,
          clientSecret: CLIENT.clientSecret,
        });

      // A real server, but no OpenID provider at this path.
      const notThere = await expectTrpcError(create(`${idp.issuer}/not-an-issuer`), "BAD_REQUEST");
      expect(fieldsNamed(notThere)).toEqual(["issuer"]);
      expect(notThere.message).toMatch(/^issuer: /);
      // Nothing listening at all.
      const closed = await expectTrpcError(create("http://127.0.0.1:9/"), "BAD_REQUEST");
      expect(fieldsNamed(closed)).toEqual(["issuer"]);
      expect(closed.message).toBe("issuer: the identity provider could not be reached");
      expect(await ssoRows()).toEqual(before);
    });

    test("a second provider with the same issuer is a CONFLICT on issuer; another organization may", async () => {
      await addProvider();
      const before = await ssoRows();
      const error = await expectTrpcError(addProvider(), "CONFLICT");
      expect(fieldsNamed(error)).toEqual(["issuer"]);
      expect(await ssoRows()).toEqual(before);
      const other = await addProvider(summit);
      expect(other.organizationId).toBe(summit.organization.id);
    });

    test("archiving stops new sign-ins and the ones in progress; another organization's is NOT_FOUND", async () => {
      const provider = await addProvider();
      const inProgress = await visitProvider(provider.id, accounts.member.subject);
      await expectTrpcError(
        callerFor(handle.db, summit.users.admin, NOW).sso.providers.archive({ id: provider.id }),
        "NOT_FOUND",
      );
      const admin = callerFor(handle.db, harbor.users.admin, NOW);
      const archived = await admin.sso.providers.archive({ id: provider.id });
      expect(archived.archivedAt).toBe(NOW);
      const again = await expectTrpcError(
        admin.sso.providers.archive({ id: provider.id }),
        "CONFLICT",
      );
      expect(fieldsNamed(again)).toEqual(["id"]);

      const begin = await expectTrpcError(
        anonymous().sso.begin({ providerId: provider.id, redirectUri: REDIRECT_URI }),
        "NOT_FOUND",
      );
      expect(fieldsNamed(begin)).toEqual(["providerId"]);
      await expectTrpcError(
        anonymous().sso.complete({
          callbackUrl: inProgress.callbackUrl,
          signInId: inProgress.signInId,
        }),
        "UNAUTHORIZED",
      );
      expect((await countRows(handle)).sessions).toBe(0);
    });
  });

  describe("signing in", () => {
    test("a member signs in by verified email: the session works and the identity is linked", async () => {
      const provider = await addProvider();
      const member = harbor.users.practitioner;
      const signedIn = await signInAs(provider.id, accounts.member.subject);
      expect(signedIn).toMatchObject({ status: "signed-in", user: member });

      const me = await (await callerWithToken(signedIn.token)).auth.me();
      expect(me.user).toEqual(member);
      expect(me.organization.id).toBe(harbor.organization.id);
      expect(await identitiesOf(member)).toEqual([
        { providerId: provider.id, subject: accounts.member.subject },
      ]);
      const session = await handle.db
        .selectFrom("sessions")
        .select(["method", "membershipId"])
        .executeTakeFirstOrThrow();
      expect(session).toEqual({ method: "oidc", membershipId: member.membershipId });

      const audit = await listAuditEvents(handle.db, {
        organizationId: harbor.organization.id,
        limit: 20,
      });
      const actions = audit.items.map((e) => [e.action, e.actorId]);
      expect(actions).toContainEqual(["user.identity-link", member.id]);
      expect(actions).toContainEqual(["user.login", member.id]);
    });

    test("a later sign-in goes by the linked identity, even after the provider's email changed", async () => {
      const provider = await addProvider();
      const member = harbor.users.practitioner;
      await signInAs(provider.id, accounts.member.subject);

      // Now the provider says this subject is someone else's address, another member's even.
      accounts.member.email = harbor.users.manager.email;
      const again = await signInAs(provider.id, accounts.member.subject);
      expect(again.user).toEqual(member);
      accounts.member.email = "renamed.person@example.test";
      expect((await signInAs(provider.id, accounts.member.subject)).user).toEqual(member);
      expect(await identitiesOf(member)).toHaveLength(1);
      expect(await identitiesOf(harbor.users.manager)).toEqual([]);
    });

    test("a user with a second factor is not asked for it: the provider authenticated them", async () => {
      const provider = await addProvider();
      await handle.db
        .updateTable("users")
        .set({ totpSecret: "JBSWY3DPEHPK3PXP", totpEnabledAt: NOW })
        .where("id", "=", harbor.users.manager.id)
        .execute();
      const signedIn = await signInAs(provider.id, accounts.manager.subject);
      expect(signedIn.status).toBe("signed-in");
      expect(signedIn.user).toEqual(harbor.users.manager);
    });

    test("an email the provider did not verify is refused, and no identity is linked", async () => {
      const provider = await addProvider();
      const error = await expectTrpcError(
        signInAs(provider.id, accounts.unverified.subject),
        "UNAUTHORIZED",
      );
      expect(error.message).toBe(EMAIL_NOT_VERIFIED);
      expect(error.message).toMatch(/did not verify/);
      const rows = await ssoRows();
      expect(rows.sessions).toBe(0);
      expect(rows.userIdentities).toBe(0);
      const audit = await listAuditEvents(handle.db, {
        organizationId: harbor.organization.id,
        entityType: "oidc-provider",
        limit: 10,
      });
      expect(audit.items.find((e) => e.action === "oidc-provider.sign-in-refused")).toMatchObject({
        actorId: null,
        after: { reason: "email-not-verified", subject: accounts.unverified.subject },
      });
    });

    test("a member of another organization only is refused, worded as for an unknown email", async () => {
      const provider = await addProvider();
      const outsider = await expectTrpcError(
        signInAs(provider.id, accounts.outsider.subject),
        "UNAUTHORIZED",
      );
      const stranger = await expectTrpcError(
        signInAs(provider.id, accounts.stranger.subject),
        "UNAUTHORIZED",
      );
      expect(outsider.message).toBe(NO_ACTIVE_MEMBERSHIP);
      expect(stranger.message).toBe(outsider.message);
      const rows = await ssoRows();
      expect(rows.sessions).toBe(0);
      expect(rows.userIdentities).toBe(0);
      // No login is made for an unknown email: invitations are the way in.
      expect(
        await handle.db
          .selectFrom("users")
          .select("id")
          .where("email", "=", "nobody.here@example.test")
          .execute(),
      ).toEqual([]);
      // Summit's provider, by contrast, signs its own member in.
      const summitProvider = await callerFor(
        handle.db,
        summit.users.admin,
        NOW,
      ).sso.providers.create({
        name: "Summit IdP",
        issuer: idp.issuer,
        clientId: CLIENT.clientId,
        clientSecret: CLIENT.clientSecret,
      });
      const signedIn = await signInAs(summitProvider.id, accounts.outsider.subject);
      expect(signedIn.user).toEqual(summit.users.practitioner);
    });

    test("a login in both organizations signs in to the provider's organization", async () => {
      const provider = await addProvider(summit);
      const both = await buildUser(handle.db, {
        organizationId: summit.organization.id,
        role: "auditor",
        email: harbor.users.practitioner.email,
      });
      const signedIn = await signInAs(provider.id, accounts.member.subject);
      expect(signedIn.user.organizationId).toBe(summit.organization.id);
      expect(signedIn.user.membershipId).toBe(both.membershipId);
      const me = await (await callerWithToken(signedIn.token)).auth.me();
      expect(me.organization.id).toBe(summit.organization.id);
    });

    test("a deactivated membership is refused, by email and by linked identity", async () => {
      const provider = await addProvider();
      await signInAs(provider.id, accounts.member.subject);
      await deactivate(harbor.users.practitioner);
      const linked = await expectTrpcError(
        signInAs(provider.id, accounts.member.subject),
        "UNAUTHORIZED",
      );
      expect(linked.message).toBe(NO_ACTIVE_MEMBERSHIP);

      await deactivate(harbor.users.manager);
      const byEmail = await expectTrpcError(
        signInAs(provider.id, accounts.manager.subject),
        "UNAUTHORIZED",
      );
      expect(byEmail.message).toBe(NO_ACTIVE_MEMBERSHIP);
      expect(await identitiesOf(harbor.users.manager)).toEqual([]);
      expect((await countRows(handle)).sessions).toBe(1);
    });

    test("a replayed callback is refused: a sign-in is used once", async () => {
      const provider = await addProvider();
      const { signInId, callbackUrl } = await visitProvider(provider.id, accounts.member.subject);
      await anonymous().sso.complete({ callbackUrl, signInId });
      const replay = await expectTrpcError(
        anonymous().sso.complete({ callbackUrl, signInId }),
        "UNAUTHORIZED",
      );
      expect(fieldsNamed(replay)).toEqual(["callbackUrl"]);
      expect((await countRows(handle)).sessions).toBe(1);
    });

    test("the state of another sign-in is refused, for either sign-in's browser", async () => {
      const provider = await addProvider();
      const first = await visitProvider(provider.id, accounts.member.subject);
      const second = await anonymous().sso.begin({
        providerId: provider.id,
        redirectUri: REDIRECT_URI,
      });
      const secondState = new URL(second.authorizationUrl).searchParams.get("state") ?? "";
      expect(secondState).not.toBe("");

      // The first sign-in's callback, completed by the browser that began the second.
      const crossed = await expectTrpcError(
        anonymous().sso.complete({ callbackUrl: first.callbackUrl, signInId: second.signInId }),
        "UNAUTHORIZED",
      );
      expect(fieldsNamed(crossed)).toEqual(["callbackUrl"]);

      // The first sign-in's code under the second's state: the PKCE verifier does not match.
      const swapped = new URL(first.callbackUrl);
      swapped.searchParams.set("state", secondState);
      await expectTrpcError(
        anonymous().sso.complete({ callbackUrl: swapped.href, signInId: second.signInId }),
        "UNAUTHORIZED",
      );
      expect((await countRows(handle)).sessions).toBe(0);
      // That attempt spent the second sign-in; the first is still unused and completes.
      const signedIn = await anonymous().sso.complete({
        callbackUrl: first.callbackUrl,
        signInId: first.signInId,
      });
      expect(signedIn.user).toEqual(harbor.users.practitioner);
    });

    test("a sign-in not completed within ten minutes is refused", async () => {
      const provider = await addProvider();
      const { signInId, callbackUrl } = await visitProvider(provider.id, accounts.member.subject);
      await expectTrpcError(
        anonymous(minutesAfter(10)).sso.complete({ callbackUrl, signInId }),
        "UNAUTHORIZED",
      );
      expect((await countRows(handle)).sessions).toBe(0);
    });

    test("a redirect URI other than the app's callback is BAD_REQUEST on redirectUri; nothing is written", async () => {
      const provider = await addProvider();
      const before = await ssoRows();
      for (const redirectUri of [
        "https://attacker.example/sso/callback",
        "http://localhost:3000/sso/callback/../../evil",
        "http://localhost:3000/sso/callback?next=https://attacker.example",
        "http://localhost:3000.attacker.example/sso/callback",
      ]) {
        const error = await expectTrpcError(
          anonymous().sso.begin({ providerId: provider.id, redirectUri }),
          "BAD_REQUEST",
        );
        expect(fieldsNamed(error)).toEqual(["redirectUri"]);
      }
      expect(await ssoRows()).toEqual(before);
    });

    test("malformed input is refused by field before anything is looked up", async () => {
      const provider = await addProvider();
      const before = await ssoRows();
      const notUuid = await expectTrpcError(
        anonymous().sso.begin({ providerId: "not-a-uuid", redirectUri: REDIRECT_URI }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(notUuid)).toEqual(["providerId"]);
      const { signInId } = await anonymous().sso.begin({
        providerId: provider.id,
        redirectUri: REDIRECT_URI,
      });
      const noState = await expectTrpcError(
        anonymous().sso.complete({ callbackUrl: `${REDIRECT_URI}?code=abc`, signInId }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(noState)).toEqual(["callbackUrl"]);
      const notUrl = await expectTrpcError(
        anonymous().sso.complete({ callbackUrl: "not a url", signInId }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(notUrl)).toEqual(["callbackUrl"]);
      const unknown = await expectTrpcError(
        anonymous().sso.begin({ providerId: harbor.organization.id, redirectUri: REDIRECT_URI }),
        "NOT_FOUND",
      );
      expect(fieldsNamed(unknown)).toEqual(["providerId"]);
      expect((await ssoRows()).oidcSignIns).toBe((before.oidcSignIns ?? 0) + 1);
    });
  });

  test("over HTTP: begin, the provider's forms, complete, and the session works", async () => {
    const provider = await addProvider();
    const server = await serveTrpc(handle.db, { now: fixedClock(NOW) });
    try {
      const api = trpcOverHttp(server.base);
      const begun = await api.mutation("sso.begin", {
        providerId: provider.id,
        redirectUri: REDIRECT_URI,
      });
      const { signInId, authorizationUrl } = begun.data as {
        signInId: string;
        authorizationUrl: string;
      };
      const callbackUrl = await idp.signIn(authorizationUrl, accounts.member.subject);
      const completed = await api.mutation("sso.complete", { callbackUrl, signInId });
      const session = completed.data as { status: string; token: string };
      expect(session.status).toBe("signed-in");
      const me = await api.query("auth.me", undefined, session.token);
      expect((me.data as { user: { email: string } }).user.email).toBe(
        harbor.users.practitioner.email,
      );
      const replayed = await api.mutation("sso.complete", { callbackUrl, signInId });
      expect(replayed.error?.code).toBe("UNAUTHORIZED");
      const elsewhere = await api.mutation("sso.begin", {
        providerId: provider.id,
        redirectUri: "https://evil.example/sso/callback",
      });
      expect(Object.keys(elsewhere.error?.fieldErrors ?? {})).toEqual(["redirectUri"]);
    } finally {
      await server.close();
    }
  });
});
