/**
 * The content library's organization boundary: another organization's content is NOT_FOUND.
 * Who reads and writes it is in the permission table (auth/permissions.ts: article, video,
 * literature-reference, author, course, comment, follow-up; docs/decisions/040-content-library.md
 * and 053-permissions.md).
 */
import { notFound } from "../errors.ts";
import type { ServiceContext } from "./context.ts";

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
