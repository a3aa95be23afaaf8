import { fixedClock } from "@dn/clock";
import {
  countOrganizations,
  type DbHandle,
  findAccountByEmail,
  listAuditEvents,
  listAuditEventsForEntity,
  lockOrganizationCreation,
  updateAccount,
} from "@dn/db";
import { buildOrganization, createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import type { CreateOrganizationInput } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DomainError } from "./errors.ts";
import { createCaller } from "./root.ts";
import { localAccountServices } from "./services/context.ts";
import { createOrganization } from "./services/organizations.service.ts";
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

const ADMIN_PASSWORD = "lantern orchard velvet 42";

function setupInput(overrides: Partial<CreateOrganizationInput> = {}): CreateOrganizationInput {
  return {
    organizationName: "Pacific Spine & Sport",
    clinic: {
      name: "Pacific Spine Santa Monica",
      jurisdiction: "US-CA",
      timeZone: "America/Los_Angeles",
    },
    admin: { name: "Morgan Ellis", email: "morgan.ellis@pacific.test", password: ADMIN_PASSWORD },
    ...overrides,
  };
}

/** Rows in every table a set-up writes, so a refused one can be shown to write none. */
async function countSetupRows(handle: DbHandle): Promise<Record<string, number>> {
  const memberships = await handle.db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll().as("count"))
    .executeTakeFirstOrThrow();
  return {
    ...(await countRows(handle)),
    organizations: await countOrganizations(handle.db),
    memberships: Number(memberships.count),
  };
}

function callerWithToken(handle: DbHandle, token: string) {
  return createContextFromRequest({
    db: handle.db,
    authorization: `Bearer ${token}`,
    now: fixedClock(TEST_NOW),
  }).then(createCaller);
}

describe.each(await testDialects())("first run on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("an empty installation needs setting up; the set-up creates the organization, clinic and admin and signs the admin in", async () => {
    const anonymous = callerFor(handle.db, null);
    expect(await anonymous.setup.status()).toEqual({ needsSetup: true });

    const session = await anonymous.setup.createOrganization(setupInput());
    expect(session.status).toBe("signed-in");
    expect(await anonymous.setup.status()).toEqual({ needsSetup: false });

    const me = await (await callerWithToken(handle, session.token)).auth.me();
    expect(me.user).toMatchObject({
      email: "morgan.ellis@pacific.test",
      name: "Morgan Ellis",
      role: "admin",
      clinicIds: null,
      practitionerId: null,
    });
    expect(me.organization).toMatchObject({ name: "Pacific Spine & Sport", mfaRequired: false });
    const clinics = await (await callerWithToken(handle, session.token)).clinics.list();
    expect(clinics).toEqual([
      expect.objectContaining({
        name: "Pacific Spine Santa Monica",
        jurisdiction: "US-CA",
        timeZone: "America/Los_Angeles",
        archivedAt: null,
        createdAt: TEST_NOW,
      }),
    ]);
    // The admin signs in again later with the password chosen on the page.
    const again = await signInWithPassword(handle.db, "Morgan.Ellis@pacific.test", ADMIN_PASSWORD);
    expect(again.user.id).toBe(me.user.id);

    const audit = await listAuditEvents(handle.db, {
      organizationId: me.organization.id,
      limit: 20,
    });
    // One instant, one actor: the new admin, for each row the set-up wrote.
    expect(audit.items.map((e) => [e.action, e.actorId, e.at]).sort()).toEqual([
      ["clinic.create", me.user.id, TEST_NOW],
      ["membership.create", me.user.id, TEST_NOW],
      ["organization.create", me.user.id, TEST_NOW],
      ["user.create", me.user.id, TEST_NOW],
      ["user.login", me.user.id, TEST_NOW],
      // ... and the sign-in afterwards.
      ["user.login", me.user.id, TEST_NOW],
    ]);
    const created = audit.items.find((e) => e.action === "organization.create");
    expect(created?.after).toMatchObject({ name: "Pacific Spine & Sport", source: "setup-page" });
    // The trail never holds the password or its hash.
    expect(JSON.stringify(audit.items)).not.toContain(ADMIN_PASSWORD);
    expect(JSON.stringify(audit.items)).not.toContain("scrypt$");
  });

  test("once an organization exists the set-up is refused and writes nothing", async () => {
    await buildOrganization(handle.db, { name: "Already Here PT" });
    const before = await countSetupRows(handle);
    const anonymous = callerFor(handle.db, null);
    expect(await anonymous.setup.status()).toEqual({ needsSetup: false });
    const error = await expectTrpcError(
      anonymous.setup.createOrganization(setupInput()),
      "FORBIDDEN",
    );
    expect(error.message).toBe("this installation is already set up");
    expect(await countSetupRows(handle)).toEqual(before);
    expect(await findAccountByEmail(handle.db, "morgan.ellis@pacific.test")).toBeNull();
  });

  test("two set-ups racing each other make one organization; the other is refused", async () => {
    const anonymous = callerFor(handle.db, null);
    const results = await Promise.allSettled([
      anonymous.setup.createOrganization(setupInput()),
      anonymous.setup.createOrganization(
        setupInput({
          organizationName: "Second Attempt PT",
          admin: { name: "Rae Quinn", email: "rae.quinn@second.test", password: ADMIN_PASSWORD },
        }),
      ),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(String(refused.reason)).toContain("this installation is already set up");
    expect(await countOrganizations(handle.db)).toBe(1);
    const counts = await countSetupRows(handle);
    expect([counts.clinics, counts.users, counts.memberships]).toEqual([1, 1, 1]);
  });

  test("the creation lock holds a second creator until the first has committed", async () => {
    let inserted: () => void = () => {};
    const firstInserted = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const first = handle.db.transaction().execute(async (trx) => {
      await lockOrganizationCreation(trx);
      expect(await countOrganizations(trx)).toBe(0);
      await buildOrganization(trx, { name: "First PT" });
      inserted();
      // Stay open a while: a second creator that did not wait would count zero meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    await firstInserted;
    const seenBySecond = await handle.db.transaction().execute(async (trx) => {
      await lockOrganizationCreation(trx);
      return countOrganizations(trx);
    });
    await first;
    expect(seenBySecond).toBe(1);
  });

  test.each([
    ["a short password", { password: "short" }, "admin.password", "must be at least 12 characters"],
    [
      "a common password",
      { password: "qwerty123456" },
      "admin.password",
      "is one of the most common passwords; choose another",
    ],
    [
      "the email inside the password",
      { password: "morgan.ellis-2026!" },
      "admin.password",
      "must not contain your email address",
    ],
    ["a malformed email", { email: "morgan@" }, "admin.email", "must be an email address"],
    ["an empty name", { name: "  " }, "admin.name", "must not be empty"],
  ])("%s is refused on its field and nothing is written", async (_, admin, field, message) => {
    const before = await countSetupRows(handle);
    const error = await expectTrpcError(
      callerFor(handle.db, null).setup.createOrganization(
        setupInput({ admin: { ...setupInput().admin, ...admin } }),
      ),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(error)).toEqual([field]);
    expect(error.message).toContain(message);
    expect(await countSetupRows(handle)).toEqual(before);
    expect(await callerFor(handle.db, null).setup.status()).toEqual({ needsSetup: true });
  });

  test.each([
    ["an unknown time zone", { timeZone: "Mars/Olympus_Mons" }, "clinic.timeZone"],
    ["a time zone with odd characters", { timeZone: "America/New_York; drop" }, "clinic.timeZone"],
    ["an unknown jurisdiction", { jurisdiction: "US-ZZ" }, "clinic.jurisdiction"],
    ["an empty clinic name", { name: "" }, "clinic.name"],
  ])("%s for the first clinic is refused on its field", async (_, clinic, field) => {
    const before = await countSetupRows(handle);
    const error = await expectTrpcError(
      callerFor(handle.db, null).setup.createOrganization(
        // @ts-expect-error: hostile input the schema must refuse
        setupInput({ clinic: { ...setupInput().clinic, ...clinic } }),
      ),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(error)).toEqual([field]);
    expect(await countSetupRows(handle)).toEqual(before);
  });

  test("the organization name is required, and unknown fields are not a way in", async () => {
    const error = await expectTrpcError(
      callerFor(handle.db, null).setup.createOrganization({
        ...setupInput(),
        organizationName: "",
      }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(error)).toEqual(["organizationName"]);
    // A role smuggled into the input changes nothing: the first user is an admin, and only that.
    const session = await callerFor(handle.db, null).setup.createOrganization({
      ...setupInput(),
      admin: { ...setupInput().admin, role: "auditor" } as CreateOrganizationInput["admin"],
    });
    expect(session.user.role).toBe("admin");
  });

  test("the CLI's creation may add a further organization; an email that already signs in is refused on admin.email", async () => {
    const ctx = {
      db: handle.db,
      now: fixedClock(TEST_NOW),
      accounts: localAccountServices(),
      origin: { clientAddress: null, userAgent: null },
    };
    const first = await createOrganization(ctx, setupInput(), {
      onlyIfFirst: false,
      source: "cli",
    });
    const second = await createOrganization(
      ctx,
      setupInput({
        organizationName: "Gulf Coast Rehab",
        clinic: { name: "Gulf Coast Tampa", jurisdiction: "US-FL", timeZone: "America/New_York" },
        admin: { name: "Sam Ortiz", email: "sam.ortiz@gulf.test", password: ADMIN_PASSWORD },
      }),
      { onlyIfFirst: false, source: "cli" },
    );
    expect(second.organization.id).not.toBe(first.organization.id);
    expect(second.admin).toMatchObject({ organizationId: second.organization.id, role: "admin" });
    expect(await countOrganizations(handle.db)).toBe(2);
    const created = await listAuditEventsForEntity(
      handle.db,
      "organization",
      second.organization.id,
    );
    expect(
      created.map((e) => [e.action, e.actorId, (e.after as { source: string }).source]),
    ).toEqual([["organization.create", second.admin.id, "cli"]]);

    const before = await countSetupRows(handle);
    const refused = await createOrganization(ctx, setupInput({ organizationName: "Third PT" }), {
      onlyIfFirst: false,
      source: "cli",
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "CONFLICT", field: "admin.email" });
    expect(await countSetupRows(handle)).toEqual(before);
  });
});

describe.each(await testDialects())("organization settings on %s", (dialect) => {
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

  test("every member reads their own organization", async () => {
    for (const role of ["admin", "manager", "auditor", "practitioner"] as const) {
      expect(await world.as[role].organizations.current()).toEqual(world.organization);
    }
    expect(await other.as.admin.organizations.current()).toEqual(other.organization);
  });

  test("an admin renames the organization, audited with before and after; a change to nothing writes nothing", async () => {
    const renamed = await world.as.admin.organizations.update({ name: "Harbor PT Group" });
    expect(renamed).toEqual({ ...world.organization, name: "Harbor PT Group" });
    expect(await world.as.manager.organizations.current()).toEqual(renamed);
    expect(await other.as.admin.organizations.current()).toEqual(other.organization);
    const trail = await listAuditEventsForEntity(handle.db, "organization", world.organization.id);
    expect(trail.map((e) => [e.action, e.actorId, e.before, e.after])).toEqual([
      ["organization.update", world.users.admin.id, world.organization, renamed],
    ]);

    const before = await countRows(handle);
    await world.as.admin.organizations.update({ name: "Harbor PT Group", mfaRequired: false });
    await world.as.admin.organizations.update({});
    expect(await countRows(handle)).toEqual(before);
  });

  test.each(["manager", "auditor", "practitioner"] as const)(
    "a %s may not change the organization's settings",
    async (role) => {
      const before = await countRows(handle);
      await expectTrpcError(world.as[role].organizations.update({ name: "Mine now" }), "FORBIDDEN");
      await expectTrpcError(
        world.as[role].organizations.update({ mfaRequired: true }),
        "FORBIDDEN",
      );
      expect(await countRows(handle)).toEqual(before);
      expect(await world.as.admin.organizations.current()).toEqual(world.organization);
    },
  );

  test("a bad name is refused on the name field", async () => {
    const before = await countRows(handle);
    for (const name of ["", "   ", "x".repeat(201)]) {
      const error = await expectTrpcError(
        world.as.admin.organizations.update({ name }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(error)).toEqual(["name"]);
    }
    const error = await expectTrpcError(
      // @ts-expect-error: hostile input the schema must refuse
      world.as.admin.organizations.update({ mfaRequired: "yes" }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(error)).toEqual(["mfaRequired"]);
    expect(await countRows(handle)).toEqual(before);
  });

  test("requiring two-factor sign-in needs the admin's own second factor first, then holds managers to it", async () => {
    const before = await countRows(handle);
    const refused = await expectTrpcError(
      world.as.admin.organizations.update({ mfaRequired: true }),
      "CONFLICT",
    );
    expect(fieldsNamed(refused)).toEqual(["mfaRequired"]);
    expect(await countRows(handle)).toEqual(before);
    expect((await world.as.admin.organizations.current()).mfaRequired).toBe(false);

    await updateAccount(handle.db, world.users.admin.id, {
      totpSecret: "JBSWY3DPEHPK3PXP",
      totpEnabledAt: TEST_NOW,
    });
    const updated = await world.as.admin.organizations.update({ mfaRequired: true });
    expect(updated.mfaRequired).toBe(true);
    const trail = await listAuditEventsForEntity(handle.db, "organization", world.organization.id);
    expect(trail.map((e) => [e.action, e.before, e.after])).toEqual([
      [
        "organization.update",
        { ...world.organization, mfaRequired: false },
        { ...world.organization, mfaRequired: true },
      ],
    ]);

    // A manager without a second factor now reaches only their account until they enrol.
    const manager = await signInWithPassword(
      handle.db,
      world.users.manager.email,
      "correct horse battery staple",
    );
    const asManager = await callerWithToken(handle, manager.token);
    expect((await asManager.auth.me()).secondFactor).toMatchObject({
      required: true,
      enabled: false,
    });
    await expectTrpcError(asManager.clinics.list(), "FORBIDDEN");
    // Practitioners are not held to it; the other organization is untouched.
    const practitioner = await signInWithPassword(
      handle.db,
      world.users.practitioner.email,
      "correct horse battery staple",
    );
    expect(await (await callerWithToken(handle, practitioner.token)).clinics.list()).toHaveLength(
      1,
    );
    expect((await other.as.admin.organizations.current()).mfaRequired).toBe(false);

    // Turning it off needs nothing more.
    expect((await world.as.admin.organizations.update({ mfaRequired: false })).mfaRequired).toBe(
      false,
    );
    // (The next request of the same session.)
    const nextRequest = await callerWithToken(handle, manager.token);
    await expect(nextRequest.clinics.list()).resolves.toHaveLength(1);
  });
});
