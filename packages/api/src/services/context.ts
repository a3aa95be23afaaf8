import { randomUUID } from "node:crypto";
import type { Clock } from "@dn/clock";
import type { Db } from "@dn/db";
import { insertAuditEvent } from "@dn/db";
import type { AuditEntity, Role, User } from "@dn/schema";
import { createMemoryLoginThrottle, type LoginThrottle } from "../auth/throttle.ts";
import type { JobQueue } from "../jobs/queue.ts";
import type { Mailer } from "./mailer.ts";

/** The signed-in user a service acts for, through one membership (organization). */
export interface Actor {
  userId: string;
  /** Null for principals without one: regulator API tokens act as their creator, read-only. */
  membershipId: string | null;
  organizationId: string;
  role: Role;
  practitionerId: string | null;
  /** The clinics a manager is limited to; null for the whole organization. */
  clinicIds: readonly string[] | null;
  /** The session the request came with; null for in-process callers (CLI, tests). */
  sessionId: string | null;
  /**
   * The organization requires a second factor of this admin or manager, who has none yet: only
   * signing out and their own account (enrolment) are open until they enrol.
   */
  mustEnrolSecondFactor?: boolean;
}

export function actorFromUser(user: User, sessionId: string | null = null): Actor {
  return {
    userId: user.id,
    membershipId: user.membershipId,
    organizationId: user.organizationId,
    role: user.role,
    practitionerId: user.practitionerId,
    clinicIds: user.clinicIds,
    sessionId,
  };
}

/** What the installation provides to sign-in and account use-cases. */
export interface AccountServices {
  /** Sends invitations and reset links; null when the installation has no mail configured. */
  mailer: Mailer | null;
  /** Counts failed sign-ins; one per process (memory) or shared through PostgreSQL. */
  throttle: LoginThrottle;
  /** The admin app's public base URL, for links in emails (no trailing slash). */
  appUrl: string;
  /** Where failures of background work (mail sent after answering) are reported. */
  reportError: (error: unknown, doing: string) => void;
}

/** For in-process callers without a host (CLI, tests): no mail, a private throttle. */
export function localAccountServices(overrides: Partial<AccountServices> = {}): AccountServices {
  return {
    mailer: null,
    throttle: createMemoryLoginThrottle(),
    appUrl: "http://localhost:3000",
    reportError: (error, doing) => console.error(`dn: failed ${doing}:`, error),
    ...overrides,
  };
}

let sharedLocalServices: AccountServices | null = null;

/**
 * A context for hosts' plain HTTP routes (files, exports, calendars), which never sign anyone
 * in: they share one set of local account services.
 */
export function baseContext(db: Db, now: Clock): PublicServiceContext {
  sharedLocalServices ??= localAccountServices();
  return {
    db,
    now,
    accounts: sharedLocalServices,
    origin: { clientAddress: null, userAgent: null },
  };
}

/** Where a request came from, for sessions and throttling; nulls for in-process callers. */
export interface RequestOrigin {
  clientAddress: string | null;
  userAgent: string | null;
}

/** What use-cases that run before anyone is signed in (login) need. */
export interface PublicServiceContext {
  db: Db;
  /** The caller's clock: services never read the wall clock themselves. */
  now: Clock;
  accounts: AccountServices;
  origin: RequestOrigin;
  /** The installation's job queue; absent for in-process callers without one (CLI, tests). */
  jobs?: JobQueue;
}

/** What every use-case needs: the database, who is acting, the clock and the installation. */
export interface ServiceContext extends PublicServiceContext {
  actor: Actor;
}

export interface AuditEntry {
  action: string;
  entityType: AuditEntity;
  entityId: string;
  before: unknown;
  after: unknown;
}

/**
 * Writes one audit-trail row, in the caller's transaction, stamped with the actor and `at`, as
 * the next link of the organization's hash chain (`insertAuditEvent` takes the per-organization
 * lock and opens a transaction of its own when `trx` is not one).
 */
export async function writeAudit(
  trx: Db,
  who: { organizationId: string; actorId: string | null },
  at: string,
  entry: AuditEntry,
): Promise<void> {
  await insertAuditEvent(trx, {
    id: randomUUID(),
    organizationId: who.organizationId,
    actorId: who.actorId,
    at,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  });
}

/** Audits a change made by the context's actor. */
export function auditByActor(trx: Db, ctx: ServiceContext, at: string, entry: AuditEntry) {
  return writeAudit(
    trx,
    { organizationId: ctx.actor.organizationId, actorId: ctx.actor.userId },
    at,
    entry,
  );
}

/** Runs `work` in one transaction, with a context whose `db` is that transaction. */
export function inTransaction<T>(
  ctx: ServiceContext,
  work: (tx: ServiceContext) => Promise<T>,
): Promise<T> {
  return ctx.db.transaction().execute((trx) => work({ ...ctx, db: trx }));
}
