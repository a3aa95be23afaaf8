/**
 * Brute-force protection for sign-in: failed attempts are counted per account and per client
 * address (rate-limiter-flexible, docs/decisions/006-libraries.md). The login service asks
 * `check` before it verifies a password, `recordFailure` after a wrong one and `recordSuccess`
 * after a right one.
 *
 * Counts live in memory for SQLite (one process) and in a `login_throttle` table for PostgreSQL,
 * so every API instance on one database sees the same counts. Create one throttle per process
 * and share it: two memory throttles do not share counts.
 */
import { createHash } from "node:crypto";
import type { DbHandle } from "@dn/db";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterPostgres,
} from "rate-limiter-flexible";

export type ThrottleScope = "account" | "address";

export const LOGIN_THROTTLE_POLICY = {
  /** Per account (the lower-cased email): 5 failures in 15 minutes lock it for 15 minutes. */
  account: {
    maxFailures: 5,
    windowSeconds: 15 * 60,
    lockoutSeconds: 15 * 60,
    keyPrefix: "login-account",
  },
  /** Per client address: 50 failures in 15 minutes, whichever accounts they tried. */
  address: {
    maxFailures: 50,
    windowSeconds: 15 * 60,
    lockoutSeconds: 15 * 60,
    keyPrefix: "login-address",
  },
} as const satisfies Record<
  ThrottleScope,
  { maxFailures: number; windowSeconds: number; lockoutSeconds: number; keyPrefix: string }
>;

export const LOGIN_THROTTLE_TABLE = "login_throttle";

export interface ThrottleKeys {
  /** The email as typed; it is trimmed and lower-cased here. */
  account: string;
  /** The client address (clientAddressOf), or null when unknown: then only the account counts. */
  address: string | null;
}

export type ThrottleCheck =
  | { allowed: true }
  | { allowed: false; retryAfterSeconds: number; blockedBy: ThrottleScope };

export interface ThrottleFailure {
  /** Set only on the failure that caused the lockout, so it is audited once. */
  lockedOut: null | { by: ThrottleScope; retryAfterSeconds: number };
}

export interface LoginThrottle {
  /** Whether an attempt may proceed; consumes nothing. Call before verifying the password. */
  check(keys: ThrottleKeys): Promise<ThrottleCheck>;
  /** Counts one failure against the account and the address. */
  recordFailure(keys: ThrottleKeys): Promise<ThrottleFailure>;
  /** Clears the account's failures; the address keeps its count (one good password among many). */
  recordSuccess(keys: ThrottleKeys): Promise<void>;
}

type PgPool = NonNullable<DbHandle["pgPool"]>;

export type ThrottleStore = { kind: "memory" } | { kind: "postgres"; pool: PgPool };

/** The store for a database: memory for SQLite, the database itself for PostgreSQL. */
export function throttleStoreFor(handle: DbHandle): ThrottleStore {
  if (handle.dialect === "sqlite") return { kind: "memory" };
  if (!handle.pgPool) {
    throw new Error("throttleStoreFor: a PostgreSQL handle has no pgPool (open it with createDb)");
  }
  return { kind: "postgres", pool: handle.pgPool };
}

/** "too many attempts, try again in N minutes", N rounded up. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes =
    Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0
      ? Math.ceil(retryAfterSeconds / 60)
      : 1;
  return `too many attempts, try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

// SHA-256 so the store never holds an email (or an address) in clear, and every key fits the
// table's varchar(255) whatever length the caller sends.
function hashKey(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

function accountKey(keys: ThrottleKeys): string {
  return hashKey(keys.account.trim().toLowerCase());
}

function addressKey(keys: ThrottleKeys): string | null {
  return keys.address === null ? null : hashKey(keys.address);
}

function secondsOf(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Waits for RateLimiterPostgres to create its table; a creation error rejects. */
function createPostgresLimiter(
  pool: PgPool,
  scope: ThrottleScope,
  clearExpired: boolean,
): Promise<RateLimiterPostgres> {
  const policy = LOGIN_THROTTLE_POLICY[scope];
  return new Promise((resolve, reject) => {
    const limiter = new RateLimiterPostgres(
      {
        storeClient: pool,
        storeType: "pool",
        tableName: LOGIN_THROTTLE_TABLE,
        keyPrefix: policy.keyPrefix,
        points: policy.maxFailures,
        duration: policy.windowSeconds,
        clearExpiredByTimeout: clearExpired,
      },
      (error) => {
        if (error) {
          reject(
            new Error(
              `login throttle: cannot create table ${LOGIN_THROTTLE_TABLE}: ${error.message}`,
              {
                cause: error,
              },
            ),
          );
        } else {
          resolve(limiter);
        }
      },
    );
  });
}

function createMemoryLimiter(scope: ThrottleScope): RateLimiterMemory {
  const policy = LOGIN_THROTTLE_POLICY[scope];
  return new RateLimiterMemory({
    keyPrefix: policy.keyPrefix,
    points: policy.maxFailures,
    duration: policy.windowSeconds,
  });
}

/** A throttle for one process (SQLite installations, tests). */
export function createMemoryLoginThrottle(): LoginThrottle {
  return throttleOver({
    account: createMemoryLimiter("account"),
    address: createMemoryLimiter("address"),
  });
}

export async function createLoginThrottle(store: ThrottleStore): Promise<LoginThrottle> {
  let limiters: Record<ThrottleScope, RateLimiterAbstract>;
  if (store.kind === "memory") return createMemoryLoginThrottle();
  {
    // One after the other: both create the same table, and concurrent CREATE TABLE IF NOT EXISTS
    // can fail. They share the table, so one limiter's sweep of expired rows covers both.
    const account = await createPostgresLimiter(store.pool, "account", true);
    const address = await createPostgresLimiter(store.pool, "address", false);
    limiters = { account, address };
  }
  return throttleOver(limiters);
}

function throttleOver(limiters: Record<ThrottleScope, RateLimiterAbstract>): LoginThrottle {
  /** Seconds until `key` may try again, or null when it is not locked out. */
  async function lockedFor(scope: ThrottleScope, key: string | null): Promise<number | null> {
    if (key === null) return null;
    const res = await limiters[scope].get(key);
    // A memory record past its expiry can linger until its timer fires: msBeforeNext <= 0.
    if (res === null || res.msBeforeNext <= 0) return null;
    return res.consumedPoints >= LOGIN_THROTTLE_POLICY[scope].maxFailures
      ? secondsOf(res.msBeforeNext)
      : null;
  }

  /** Counts a failure; the lockout's length when this very failure reached the limit. */
  async function fail(scope: ThrottleScope, key: string | null): Promise<number | null> {
    if (key === null) return null;
    const policy = LOGIN_THROTTLE_POLICY[scope];
    // penalty, not consume: it never rejects, and its count is read from one atomic upsert, so
    // of concurrent failures exactly one sees the limit reached.
    const res = await limiters[scope].penalty(key, 1);
    if (res.consumedPoints !== policy.maxFailures) return null;
    // The lockout runs from this failure, not from the start of the window.
    await limiters[scope].block(key, policy.lockoutSeconds);
    return policy.lockoutSeconds;
  }

  return {
    async check(keys) {
      const [account, address] = await Promise.all([
        lockedFor("account", accountKey(keys)),
        lockedFor("address", addressKey(keys)),
      ]);
      // Report the longer lock: the attempt is refused until both have run out.
      if (address !== null && (account === null || address > account)) {
        return { allowed: false, retryAfterSeconds: address, blockedBy: "address" };
      }
      if (account !== null) {
        return { allowed: false, retryAfterSeconds: account, blockedBy: "account" };
      }
      return { allowed: true };
    },

    async recordFailure(keys) {
      const [account, address] = await Promise.all([
        fail("account", accountKey(keys)),
        fail("address", addressKey(keys)),
      ]);
      // Both at once: the address lockout is reported, as it shuts out every account from there.
      if (address !== null) return { lockedOut: { by: "address", retryAfterSeconds: address } };
      if (account !== null) return { lockedOut: { by: "account", retryAfterSeconds: account } };
      return { lockedOut: null };
    },

    async recordSuccess(keys) {
      await limiters.account.delete(accountKey(keys));
    },
  };
}
