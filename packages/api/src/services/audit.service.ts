import {
  type AuditChainVerification,
  listAuditEvents as listAuditEventRows,
  verifyAuditChain,
} from "@dn/db";
import type { AuditEvent, ListAuditEventsInput, Page } from "@dn/schema";
import {
  type AuditCheckpointProblem,
  verifyAuditCheckpoints,
} from "./audit-checkpoints.service.ts";
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

export type AuditTrailVerification =
  | (Extract<AuditChainVerification, { ok: true }> & { checkpoints: number })
  | (Omit<Extract<AuditChainVerification, { ok: false }>, "problem" | "id"> & {
      /** The row found at the break; null when a checkpoint names a row that is gone. */
      id: string | null;
      problem: Extract<AuditChainVerification, { ok: false }>["problem"] | AuditCheckpointProblem;
      /** Checkpoints verified (0 when the chain itself broke). */
      checkpoints: number;
    });

/**
 * Recomputes the actor's organization's audit hash chain (decision 055) and reports the first
 * row that was changed, deleted or inserted, if any; then checks every signed checkpoint against
 * the chain, which catches deleted newest rows and a rewritten chain.
 */
export async function verifyAuditTrail(ctx: ServiceContext): Promise<AuditTrailVerification> {
  requirePermission(ctx, "read:audit");
  const chain = await verifyAuditChain(ctx.db, ctx.actor.organizationId);
  if (!chain.ok) return { ...chain, checkpoints: 0 };
  const checkpoints = await verifyAuditCheckpoints(ctx.db, ctx.actor.organizationId);
  if (checkpoints.ok) return { ...chain, checkpoints: checkpoints.checkpoints };
  return {
    ok: false,
    rows: chain.rows,
    seq: checkpoints.seq,
    id: null,
    problem: checkpoints.problem,
    message: checkpoints.message,
    checkpoints: checkpoints.checkpoints,
  };
}
