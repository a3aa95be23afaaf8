/**
 * Signed checkpoints of an organization's audit chain (docs/decisions/055-tamper-evident-audit.md):
 * the chain head signed with the organization's export key, written daily by the scheduler tick
 * and on demand by `dn audit checkpoint`. `verifyAuditCheckpoints` checks every checkpoint
 * against the chain, which catches what the chain alone cannot: deleted newest rows and a chain
 * rewritten with recomputed hashes.
 */
import {
  type AuditCheckpoint,
  type Db,
  findAuditChainHead,
  findAuditHashesAtSeqs,
  findOrganizationKey,
  insertAuditCheckpoint,
  listAuditCheckpoints,
} from "@dn/db";
import { signAuditCheckpoint, verifyAuditCheckpoint } from "@dn/exports";
import type { ServiceContext } from "./context.ts";
import { ensureOrganizationKey } from "./exports.service.ts";
import { requirePermission } from "./guards.ts";

/**
 * Signs the organization's current chain head and records it; returns the checkpoint (the one
 * already recorded when the head has not moved since), or null for an organization without
 * audit rows. Writes no audit row itself: that would move the head it signs.
 */
export async function checkpointAuditChain(
  db: Db,
  organizationId: string,
  now: Date,
): Promise<AuditCheckpoint | null> {
  const key = await ensureOrganizationKey(db, organizationId, now);
  const head = await findAuditChainHead(db, organizationId);
  if (!head) return null;
  const signed = signAuditCheckpoint(
    { organizationId, seq: head.seq, hash: head.hash, signedAt: now.toISOString() },
    key,
  );
  if (await insertAuditCheckpoint(db, signed)) return signed;
  const existing = (await listAuditCheckpoints(db, organizationId)).find(
    (checkpoint) => checkpoint.seq === head.seq,
  );
  return existing ?? signed;
}

/** `dn audit checkpoint`: the actor's organization's head, signed now. */
export async function createAuditCheckpoint(ctx: ServiceContext): Promise<AuditCheckpoint | null> {
  requirePermission(ctx, "read:audit");
  return checkpointAuditChain(ctx.db, ctx.actor.organizationId, ctx.now());
}

export type AuditCheckpointProblem =
  | "checkpoint-signature"
  | "checkpoint-truncated"
  | "checkpoint-mismatch";

export type AuditCheckpointVerification =
  | { ok: true; checkpoints: number }
  | {
      ok: false;
      checkpoints: number;
      /** The checkpoint's seq. */
      seq: number;
      problem: AuditCheckpointProblem;
      message: string;
    };

/**
 * Checks every checkpoint of the organization, oldest first: its signature under the
 * organization's export key, and that the chain still has a row at its seq with its hash.
 * Reports the first that fails.
 */
export async function verifyAuditCheckpoints(
  db: Db,
  organizationId: string,
): Promise<AuditCheckpointVerification> {
  const checkpoints = await listAuditCheckpoints(db, organizationId);
  if (checkpoints.length === 0) return { ok: true, checkpoints: 0 };
  const key = await findOrganizationKey(db, organizationId);
  const hashes = await findAuditHashesAtSeqs(
    db,
    organizationId,
    checkpoints.map((checkpoint) => checkpoint.seq),
  );
  for (const [index, checkpoint] of checkpoints.entries()) {
    const broken = (problem: AuditCheckpointProblem, message: string) =>
      ({ ok: false, checkpoints: index, seq: checkpoint.seq, problem, message }) as const;
    if (
      !key ||
      checkpoint.keyFingerprint !== key.fingerprint ||
      !verifyAuditCheckpoint(checkpoint, key.publicKeyPem)
    ) {
      return broken(
        "checkpoint-signature",
        `checkpoint at seq ${checkpoint.seq} (signed ${checkpoint.signedAt}) is not validly signed by the organization's export key: it was forged or altered`,
      );
    }
    const hash = hashes.get(checkpoint.seq);
    if (hash === undefined) {
      return broken(
        "checkpoint-truncated",
        `checkpoint at seq ${checkpoint.seq} (signed ${checkpoint.signedAt}) names a row that is gone: rows were deleted from the end of the chain`,
      );
    }
    if (hash !== checkpoint.hash) {
      return broken(
        "checkpoint-mismatch",
        `row at seq ${checkpoint.seq} has hash ${hash}, but the checkpoint signed ${checkpoint.signedAt} says ${checkpoint.hash}: the chain was rewritten`,
      );
    }
  }
  return { ok: true, checkpoints: checkpoints.length };
}
