import { randomUUID } from "node:crypto";
import type { Clock } from "@dn/clock";
import type { Db } from "@dn/db";
import { insertAuditEvent } from "@dn/db";
import type { AuditEntity, Role, User } from "@dn/schema";

/** The signed-in user a service acts for. */
export interface Actor {
  userId: string;
  organizationId: string;
  role: Role;
  practitionerId: string | null;
  /** The session the request came with; null for in-process callers (CLI, tests). */
  sessionId: string | null;
}

export function actorFromUser(user: User, sessionId: string | null = null): Actor {
  return {
    userId: user.id,
    organizationId: user.organizationId,
    role: user.role,
    practitionerId: user.practitionerId,
    sessionId,
  };
}

/** What every use-case needs: the database, who is acting, and the clock. */
export interface ServiceContext {
  db: Db;
  actor: Actor;
  /** The caller's clock: services never read the wall clock themselves. */
  now: Clock;
}

/** What use-cases that run before anyone is signed in (login) need. */
export interface PublicServiceContext {
  db: Db;
  now: Clock;
}

export interface AuditEntry {
  action: string;
  entityType: AuditEntity;
  entityId: string;
  before: unknown;
  after: unknown;
}

/** Writes one audit-trail row, in the caller's transaction, stamped with the actor and `at`. */
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
