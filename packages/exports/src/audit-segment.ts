/**
 * Audit chain checkpoints and the audit segment of a bundle (docs/decisions/055-tamper-evident-audit.md).
 *
 * A checkpoint is an organization's chain head (`seq`, `hash`) at `signedAt`, signed with the
 * organization's Ed25519 export key over the canonical text
 * `["dn-audit-checkpoint-v1",organizationId,seq,hash,signedAt]` (JSON, no whitespace).
 *
 * A bundle's audit segment (`audit/chain.jsonl`) is the chain from seq 1 to the head when the
 * bundle was written, one JSON object per line: the full row for rows about the export's scope
 * (its practitioners, their records and licenses, the organization, the export), only
 * `{seq, prevHash, hash}` for the others, so every link can be checked without revealing what is
 * out of scope. `audit/checkpoint.json` is the newest checkpoint at or before that head.
 */
import { createHash, createPublicKey, sign, verify } from "node:crypto";
import { publicKeyFingerprint } from "./keys.ts";

export const AUDIT_SEGMENT_PATH = "audit/chain.jsonl";
export const AUDIT_CHECKPOINT_PATH = "audit/checkpoint.json";
const GENESIS = "0".repeat(64);

export interface AuditCheckpointFields {
  organizationId: string;
  seq: number;
  hash: string;
  signedAt: string;
}

export interface SignedAuditCheckpoint extends AuditCheckpointFields {
  keyFingerprint: string;
  /** Base64 Ed25519 signature of `auditCheckpointText(...)`. */
  signature: string;
}

/** The bytes a checkpoint's signature covers. */
export function auditCheckpointText(fields: AuditCheckpointFields): string {
  return JSON.stringify([
    "dn-audit-checkpoint-v1",
    fields.organizationId,
    fields.seq,
    fields.hash,
    fields.signedAt,
  ]);
}

export function signAuditCheckpoint(
  fields: AuditCheckpointFields,
  key: { privateKeyPem: string; publicKeyPem: string },
): SignedAuditCheckpoint {
  return {
    organizationId: fields.organizationId,
    seq: fields.seq,
    hash: fields.hash,
    signedAt: fields.signedAt,
    keyFingerprint: publicKeyFingerprint(key.publicKeyPem),
    signature: sign(null, Buffer.from(auditCheckpointText(fields)), key.privateKeyPem).toString(
      "base64",
    ),
  };
}

/** Whether the checkpoint's signature is valid under `publicKeyPem`. */
export function verifyAuditCheckpoint(
  checkpoint: SignedAuditCheckpoint,
  publicKeyPem: string,
): boolean {
  try {
    return verify(
      null,
      Buffer.from(auditCheckpointText(checkpoint)),
      createPublicKey(publicKeyPem),
      Buffer.from(checkpoint.signature, "base64"),
    );
  } catch {
    return false;
  }
}

/** A full row of the segment: the stored fields of an audit row (decision 055). */
export interface AuditSegmentRow {
  seq: number;
  id: string;
  actorId: string | null;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  beforeJson: string | null;
  afterJson: string | null;
  prevHash: string;
  hash: string;
}

/** An out-of-scope row: only its links. */
export interface AuditSegmentLink {
  seq: number;
  prevHash: string;
  hash: string;
}

/** SHA-256 of the row's `dn-audit-v1` serialization, as `hashAuditRow` in @dn/db computes it. */
export function hashAuditSegmentRow(organizationId: string, row: AuditSegmentRow): string {
  const text = JSON.stringify([
    "dn-audit-v1",
    organizationId,
    row.seq,
    row.id,
    row.actorId,
    row.at,
    row.action,
    row.entityType,
    row.entityId,
    row.beforeJson,
    row.afterJson,
    row.prevHash,
  ]);
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** One line of `audit/chain.jsonl`. */
export function auditSegmentLine(row: AuditSegmentRow | AuditSegmentLink): string {
  return `${JSON.stringify(row)}\n`;
}

function isFullRow(value: Record<string, unknown>): boolean {
  return "id" in value;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Checks a bundle's audit segment: seqs 1, 2, 3… without gaps, each `prevHash` the previous
 * row's `hash`, each full row matching its hash, and the checkpoint (if any) validly signed by
 * `publicKeyPem` for this organization with the hash the segment has at its seq. Returns the
 * problems found, as messages (empty: intact).
 */
export function checkAuditSegment(
  organizationId: string,
  segment: string,
  checkpointJson: string | null,
  publicKeyPem: string | null,
): { problems: string[]; rows: number; fullRows: number } {
  const problems: string[] = [];
  const hashes: string[] = [];
  let prevHash = GENESIS;
  let fullRows = 0;
  const lines = segment.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const [index, line] of lines.entries()) {
    const expectedSeq = index + 1;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      problems.push(`${AUDIT_SEGMENT_PATH}: line ${expectedSeq} is not JSON`);
      break;
    }
    if (value.seq !== expectedSeq) {
      problems.push(
        `${AUDIT_SEGMENT_PATH}: line ${expectedSeq} has seq ${String(value.seq)}, expected ${expectedSeq}: a row was deleted or inserted`,
      );
      break;
    }
    if (typeof value.hash !== "string" || !HEX64.test(value.hash)) {
      problems.push(`${AUDIT_SEGMENT_PATH}: seq ${expectedSeq} has no valid hash`);
      break;
    }
    if (value.prevHash !== prevHash) {
      problems.push(
        `${AUDIT_SEGMENT_PATH}: seq ${expectedSeq} does not follow seq ${expectedSeq - 1} (prevHash differs): the chain was cut or rewritten`,
      );
      break;
    }
    if (isFullRow(value)) {
      fullRows += 1;
      if (hashAuditSegmentRow(organizationId, value as unknown as AuditSegmentRow) !== value.hash) {
        problems.push(
          `${AUDIT_SEGMENT_PATH}: seq ${expectedSeq} (row ${String(value.id)}) does not match its hash: the row was changed`,
        );
        break;
      }
    }
    hashes.push(value.hash);
    prevHash = value.hash;
  }
  if (checkpointJson !== null) {
    let checkpoint: SignedAuditCheckpoint | null = null;
    try {
      checkpoint = JSON.parse(checkpointJson) as SignedAuditCheckpoint;
    } catch {
      problems.push(`${AUDIT_CHECKPOINT_PATH}: is not JSON`);
    }
    if (checkpoint) {
      if (checkpoint.organizationId !== organizationId) {
        problems.push(`${AUDIT_CHECKPOINT_PATH}: is another organization's checkpoint`);
      } else if (publicKeyPem === null || !verifyAuditCheckpoint(checkpoint, publicKeyPem)) {
        problems.push(
          `${AUDIT_CHECKPOINT_PATH}: its signature does not match under the organization's public key`,
        );
      } else if (!Number.isSafeInteger(checkpoint.seq) || checkpoint.seq > hashes.length) {
        problems.push(
          `${AUDIT_CHECKPOINT_PATH}: signs seq ${checkpoint.seq}, but the segment ends at seq ${hashes.length}: rows were removed`,
        );
      } else if (hashes[checkpoint.seq - 1] !== checkpoint.hash) {
        problems.push(
          `${AUDIT_CHECKPOINT_PATH}: signs hash ${checkpoint.hash} at seq ${checkpoint.seq}, the segment has ${hashes[checkpoint.seq - 1]}: the chain was rewritten`,
        );
      }
    }
  }
  return { problems, rows: hashes.length, fullRows };
}
