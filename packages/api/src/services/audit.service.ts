import {
  type AuditChainVerification,
  listAuditEvents as listAuditEventRows,
  verifyAuditChain,
} from "@dn/db";
import type { AuditEvent, ListAuditEventsInput, Page } from "@dn/schema";
import type { ServiceContext } from "./context.ts";
import { requirePermission } from "./guards.ts";

/**
 * The actor's organization's audit trail, newest first by chain position (`seq`), so rows
 * written at the same instant keep the order they were written in (organization-wide managers,
 * admins, auditors: the trail spans every clinic).
 */
export async function listAuditEvents(
  ctx: ServiceContext,
  input: ListAuditEventsInput,
): Promise<Page<AuditEvent>> {
  requirePermission(ctx, "read:audit");
  return listAuditEventRows(ctx.db, { organizationId: ctx.actor.organizationId, ...input });
}

/**
 * Recomputes the actor's organization's audit hash chain (decision 055) and reports the first
 * row that was changed, deleted or inserted, if any.
 */
export async function verifyAuditTrail(ctx: ServiceContext): Promise<AuditChainVerification> {
  requirePermission(ctx, "read:audit");
  return verifyAuditChain(ctx.db, ctx.actor.organizationId);
}
