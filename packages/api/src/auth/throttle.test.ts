import { createDb, type DbHandle } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  createLoginThrottle,
  LOGIN_THROTTLE_POLICY,
  type LoginThrottle,
  type ThrottleKeys,
  throttleStoreFor,
  tooManyAttemptsMessage,
} from "./throttle.ts";

const LOCKOUT = LOGIN_THROTTLE_POLICY.account.lockoutSeconds;
const ACCOUNT_LIMIT = LOGIN_THROTTLE_POLICY.account.maxFailures;
const ADDRESS_LIMIT = LOGIN_THROTTLE_POLICY.address.maxFailures;

describe("tooManyAttemptsMessage", () => {
  test.each([
    [900, "too many attempts, try again in 15 minutes"],
    [899, "too many attempts, try again in 15 minutes"],
    [61, "too many attempts, try again in 2 minutes"],
    [60, "too many attempts, try again in 1 minute"],
    [1, "too many attempts, try again in 1 minute"],
    [0, "too many attempts, try again in 1 minute"],
    [-30, "too many attempts, try again in 1 minute"],
    [Number.NaN, "too many attempts, try again in 1 minute"],
  ])("%d seconds reads %j", (seconds, message) => {
    expect(tooManyAttemptsMessage(seconds)).toBe(message);
  });
});

test("the policy is 5 failures per account and 50 per address, each in 15 minutes", () => {
  expect(LOGIN_THROTTLE_POLICY.account).toMatchObject({
    maxFailures: 5,
    windowSeconds: 900,
    lockoutSeconds: 900,
  });
  expect(LOGIN_THROTTLE_POLICY.address).toMatchObject({
    maxFailures: 50,
    windowSeconds: 900,
    lockoutSeconds: 900,
  });
  expect(LOGIN_THROTTLE_POLICY.account.keyPrefix).not.toBe(LOGIN_THROTTLE_POLICY.address.keyPrefix);
});

// Not pinged on purpose: destroy() must end a pool that only the throttle used (create-db.ts).
async function usedHandle<T extends DbHandle>(handle: T): Promise<T> {
  return handle;
}

describe.each(await testDialects())("login throttle on %s", (dialect) => {
  let handle: DbHandle;
  let throttle: LoginThrottle;
  beforeEach(async () => {
    handle = await usedHandle(await createTestDb({ dialect }));
    throttle = await createLoginThrottle(throttleStoreFor(handle));
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const ann: ThrottleKeys = { account: "ann@example.org", address: "203.0.113.7" };

  async function failTimes(keys: ThrottleKeys, times: number) {
    const results = [];
    for (let i = 0; i < times; i += 1) results.push(await throttle.recordFailure(keys));
    return results;
  }

  test("the fifth failure locks the account for about 15 minutes, and says so once", async () => {
    const first = await failTimes(ann, ACCOUNT_LIMIT - 1);
    expect(first.map((r) => r.lockedOut)).toEqual([null, null, null, null]);
    expect(await throttle.check(ann)).toEqual({ allowed: true });

    expect(await throttle.recordFailure(ann)).toEqual({
      lockedOut: { by: "account", retryAfterSeconds: LOCKOUT },
    });
    const refused = await throttle.check(ann);
    expect(refused).toMatchObject({ allowed: false, blockedBy: "account" });
    const retryAfter = refused.allowed ? 0 : refused.retryAfterSeconds;
    expect(retryAfter).toBeGreaterThan(LOCKOUT - 30);
    expect(retryAfter).toBeLessThanOrEqual(LOCKOUT);
    expect(tooManyAttemptsMessage(retryAfter)).toBe("too many attempts, try again in 15 minutes");

    // Failures recorded during the lockout neither report it again nor lengthen it.
    expect((await failTimes(ann, 3)).map((r) => r.lockedOut)).toEqual([null, null, null]);
    const still = await throttle.check(ann);
    expect(still).toMatchObject({ allowed: false, blockedBy: "account" });
    expect(still.allowed ? Number.POSITIVE_INFINITY : still.retryAfterSeconds).toBeLessThanOrEqual(
      retryAfter,
    );
  });

  test("a lockout is reported exactly once when failures arrive together", async () => {
    const results = await Promise.all(
      Array.from({ length: ACCOUNT_LIMIT * 2 }, () => throttle.recordFailure(ann)),
    );
    const reported = results.filter((r) => r.lockedOut !== null);
    expect(reported).toEqual([{ lockedOut: { by: "account", retryAfterSeconds: LOCKOUT } }]);
    expect(await throttle.check(ann)).toMatchObject({ allowed: false, blockedBy: "account" });
  });

  test("check consumes nothing", async () => {
    for (let i = 0; i < ACCOUNT_LIMIT * 3; i += 1) {
      expect(await throttle.check(ann)).toEqual({ allowed: true });
    }
    await failTimes(ann, ACCOUNT_LIMIT - 1);
    expect(await throttle.check(ann)).toEqual({ allowed: true });
    expect((await throttle.recordFailure(ann)).lockedOut).toMatchObject({ by: "account" });
  });

  test("the account is the email whatever its case and surrounding spaces", async () => {
    await failTimes({ ...ann, account: "Ann@Example.ORG" }, ACCOUNT_LIMIT - 1);
    const fifth = await throttle.recordFailure({ ...ann, account: "  ann@example.org " });
    expect(fifth.lockedOut).toMatchObject({ by: "account" });
    expect(await throttle.check({ ...ann, account: "ANN@EXAMPLE.ORG" })).toMatchObject({
      allowed: false,
      blockedBy: "account",
    });
    expect(await throttle.check({ ...ann, account: "bob@example.org" })).toEqual({ allowed: true });
  });

  test("the account is locked from every address, and counted without one", async () => {
    await failTimes({ ...ann, address: null }, ACCOUNT_LIMIT - 1);
    expect((await throttle.recordFailure(ann)).lockedOut).toMatchObject({ by: "account" });
    expect(await throttle.check({ ...ann, address: "198.51.100.1" })).toMatchObject({
      allowed: false,
      blockedBy: "account",
    });
    expect(await throttle.check({ ...ann, address: null })).toMatchObject({
      allowed: false,
      blockedBy: "account",
    });
  });

  test("a success clears the account's failures", async () => {
    await failTimes(ann, ACCOUNT_LIMIT - 1);
    await throttle.recordSuccess(ann);
    const again = await failTimes(ann, ACCOUNT_LIMIT - 1);
    expect(again.every((r) => r.lockedOut === null)).toBe(true);
    expect(await throttle.check(ann)).toEqual({ allowed: true });
    expect((await throttle.recordFailure(ann)).lockedOut).toMatchObject({ by: "account" });
  });

  test("50 failures from one address lock it for every account, but not other addresses", async () => {
    const address = "203.0.113.99";
    // A different account each time: no account reaches its own limit.
    for (let i = 1; i < ADDRESS_LIMIT; i += 1) {
      const result = await throttle.recordFailure({ account: `user${i}@example.org`, address });
      expect(result.lockedOut).toBeNull();
    }
    expect(await throttle.check({ account: "fresh@example.org", address })).toEqual({
      allowed: true,
    });
    expect(await throttle.recordFailure({ account: "last@example.org", address })).toEqual({
      lockedOut: { by: "address", retryAfterSeconds: LOCKOUT },
    });

    const refused = await throttle.check({ account: "fresh@example.org", address });
    expect(refused).toMatchObject({ allowed: false, blockedBy: "address" });
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeGreaterThan(LOCKOUT - 30);
    expect(await throttle.check({ account: "fresh@example.org", address: "198.51.100.1" })).toEqual(
      { allowed: true },
    );
    expect(await throttle.check({ account: "fresh@example.org", address: null })).toEqual({
      allowed: true,
    });
  });

  test("a success does not clear the address's failures", async () => {
    const address = "203.0.113.50";
    for (let i = 1; i < ADDRESS_LIMIT; i += 1) {
      await throttle.recordFailure({ account: `user${i}@example.org`, address });
    }
    await throttle.recordSuccess({ account: "user1@example.org", address });
    expect(await throttle.recordFailure({ account: "user1@example.org", address })).toEqual({
      lockedOut: { by: "address", retryAfterSeconds: LOCKOUT },
    });
  });

  test("a failure that locks account and address at once reports the address", async () => {
    const address = "203.0.113.60";
    for (let i = 0; i < ADDRESS_LIMIT - ACCOUNT_LIMIT; i += 1) {
      await throttle.recordFailure({ account: `user${i}@example.org`, address });
    }
    await failTimes({ ...ann, address }, ACCOUNT_LIMIT - 1);
    expect(await throttle.recordFailure({ ...ann, address })).toEqual({
      lockedOut: { by: "address", retryAfterSeconds: LOCKOUT },
    });
    expect(await throttle.check({ ...ann, address: null })).toMatchObject({
      allowed: false,
      blockedBy: "account",
    });
  });
});

describe.runIf((await testDialects()).includes("postgres"))("login throttle on PostgreSQL", () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  const others: DbHandle[] = [];
  beforeEach(async () => {
    handle = await usedHandle(await createTestDb({ dialect: "postgres" }));
  });
  afterEach(async () => {
    for (const other of others.splice(0)) await other.destroy();
    await handle.destroy();
  });

  async function secondHandle(options: { searchPath?: string } = {}): Promise<DbHandle> {
    if (!handle.url) throw new Error("createTestDb gave no url for its PostgreSQL database");
    const other = createDb({ databaseUrl: handle.url, poolSize: 2, ...options });
    others.push(other);
    return usedHandle(other);
  }

  const ann: ThrottleKeys = { account: "ann@example.org", address: "203.0.113.7" };

  test("the store is the pool kysely uses", () => {
    expect(throttleStoreFor(handle)).toEqual({ kind: "postgres", pool: handle.pgPool });
    expect(handle.pgPool).toBeDefined();
    const withoutPool: DbHandle = { db: handle.db, dialect: "postgres", destroy: handle.destroy };
    expect(() => throttleStoreFor(withoutPool)).toThrow(/no pgPool/);
  });

  test("two API instances on one database share their counts", async () => {
    const one = await createLoginThrottle(throttleStoreFor(handle));
    const two = await createLoginThrottle(throttleStoreFor(await secondHandle()));
    await one.recordFailure(ann);
    await two.recordFailure(ann);
    await one.recordFailure(ann);
    await two.recordFailure(ann);
    expect(await two.check(ann)).toEqual({ allowed: true });
    expect((await one.recordFailure(ann)).lockedOut).toMatchObject({ by: "account" });
    expect(await two.check(ann)).toMatchObject({ allowed: false, blockedBy: "account" });
    // Neither instance reports the lockout again.
    expect((await two.recordFailure(ann)).lockedOut).toBeNull();

    await two.recordSuccess(ann);
    expect(await one.check(ann)).toEqual({ allowed: true });
  });

  test("the table holds only hashed keys, never the email or the address", async () => {
    const throttle = await createLoginThrottle(throttleStoreFor(handle));
    await throttle.recordFailure({ account: "Ann@Example.org", address: "203.0.113.7" });
    const { rows } = await sql<{
      key: string;
    }>`select key from login_throttle order by key`.execute(handle.db);
    expect(rows.map((r) => r.key)).toEqual([
      expect.stringMatching(/^login-account:[0-9a-f]{64}$/),
      expect.stringMatching(/^login-address:[0-9a-f]{64}$/),
    ]);
    const stored = rows.map((r) => r.key).join(" ");
    expect(stored.toLowerCase()).not.toContain("ann@example.org");
    expect(stored).not.toContain("203.0.113.7");
  });

  test("a table that cannot be created fails the factory, naming the table", async () => {
    // No such schema on the search path: CREATE TABLE has nowhere to go.
    const broken = await secondHandle({ searchPath: "no_such_schema" });
    await expect(createLoginThrottle(throttleStoreFor(broken))).rejects.toThrow(
      /login throttle: cannot create table login_throttle/,
    );
  });
});
