import { listAuditEvents as listAuditEventRows } from "@dn/db";
import type { AuditEvent, ListAuditEventsInput, Page } from "@dn/schema";
import { canAny } from "../auth/permissions.ts";
import { forbidden } from "../errors.ts";
import type { ServiceContext } from "./context.ts";

/** The actor's organization's audit trail, newest first (managers, admins, auditors). */
export async function listAuditEvents(
  ctx: ServiceContext,
  input: ListAuditEventsInput,
): Promise<Page<AuditEvent>> {
  if (!canAny(ctx.actor, "read:audit")) {
    throw forbidden(`your role (${ctx.actor.role}) may not read the audit trail`);
  }
  return listAuditEventRows(ctx.db, { organizationId: ctx.actor.organizationId, ...input });
}
