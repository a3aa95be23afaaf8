import { listAuditEvents as listAuditEventRows } from "@dn/db";
import type { AuditEvent, ListAuditEventsInput, Page } from "@dn/schema";
import type { ServiceContext } from "./context.ts";
import { requirePermission } from "./guards.ts";

/**
 * The actor's organization's audit trail, newest first (organization-wide managers, admins,
 * auditors: the trail spans every clinic).
 */
export async function listAuditEvents(
  ctx: ServiceContext,
  input: ListAuditEventsInput,
): Promise<Page<AuditEvent>> {
  requirePermission(ctx, "read:audit");
  return listAuditEventRows(ctx.db, { organizationId: ctx.actor.organizationId, ...input });
}
