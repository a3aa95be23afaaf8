/**
 * Who may do what in the content library. Everyone in an organization reads its library and
 * course catalog; managers and admins write it and moderate comments; auditors also read the
 * moderation queue and follow-up items. Another organization's content is NOT_FOUND.
 * (docs/decisions/040-content-library.md)
 */
import type { Role } from "@dn/schema";
import { forbidden, notFound } from "../errors.ts";
import type { ServiceContext } from "./context.ts";

const EDITORS: readonly Role[] = ["admin", "manager"];
const QUEUE_READERS: readonly Role[] = ["admin", "manager", "auditor"];

export function canEditContent(role: Role): boolean {
  return EDITORS.includes(role);
}

export function requireContentEditor(ctx: ServiceContext, what = "the content library"): void {
  if (!canEditContent(ctx.actor.role)) {
    throw forbidden(`your role (${ctx.actor.role}) may not change ${what}`);
  }
}

export function requireModerator(ctx: ServiceContext): void {
  if (!EDITORS.includes(ctx.actor.role)) {
    throw forbidden(`your role (${ctx.actor.role}) may not moderate comments`);
  }
}

export function requireQueueReader(ctx: ServiceContext): void {
  if (!QUEUE_READERS.includes(ctx.actor.role)) {
    throw forbidden(`your role (${ctx.actor.role}) may not read the moderation queue`);
  }
}

/** `entity` if it belongs to the actor's organization; NOT_FOUND otherwise (or when null). */
export function requireOwn<T extends { organizationId: string }>(
  ctx: ServiceContext,
  entity: T | null,
  what: string,
  field: string | null = "id",
): T {
  if (!entity || entity.organizationId !== ctx.actor.organizationId) throw notFound(what, field);
  return entity;
}
