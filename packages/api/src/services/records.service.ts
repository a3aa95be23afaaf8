/**
 * Training records are versioned: every correction, review and withdrawal writes a new version
 * and marks the previous one superseded. Nothing is deleted, so any past state can be replayed.
 */
import { randomUUID } from "node:crypto";
import {
  insertRecordVersion,
  listCurrentRecords,
  listRecordVersions,
  listReviewQueue,
  markEvaluationsStale,
  supersedeRecordVersion,
} from "@dn/db";
import type {
  CorrectTrainingRecord,
  CreateTrainingRecord,
  ListTrainingRecordsInput,
  Page,
  PageInput,
  ReviewQueueItem,
  TrainingRecord,
} from "@dn/schema";
import { conflict } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireDatesNotInFuture } from "./dates.ts";
import {
  clinicIdsOf,
  requireNotArchived,
  requirePermission,
  requirePractitioner,
  requireRecord,
  requireWideReach,
} from "./guards.ts";
import { notifyRecordReviewed } from "./notify.ts";

/**
 * Current versions, most recently completed first. Practitioners see only their own; managers
 * limited to clinics, those of their clinics' practitioners.
 */
export async function listRecords(
  ctx: ServiceContext,
  input: ListTrainingRecordsInput,
): Promise<Page<TrainingRecord>> {
  const reach = requirePermission(ctx, "read:training-record");
  let practitionerId = input.practitionerId;
  if (practitionerId !== undefined) {
    await requirePractitioner(ctx, practitionerId, "read", "training-record", "practitionerId");
  } else if (reach.kind === "own") {
    practitionerId = reach.practitionerId;
  }
  return listCurrentRecords(ctx.db, {
    ...input,
    practitionerId,
    clinicIds: clinicIdsOf(reach),
    organizationId: ctx.actor.organizationId,
  });
}

/** The current version of a record. */
export async function getRecord(ctx: ServiceContext, id: string): Promise<TrainingRecord> {
  return (await requireRecord(ctx, id, "read")).record;
}

/** Every version of a record, oldest first. */
export async function getRecordHistory(ctx: ServiceContext, id: string): Promise<TrainingRecord[]> {
  await requireRecord(ctx, id, "read");
  return listRecordVersions(ctx.db, id);
}

/**
 * Logs a record. A practitioner's own entry is self-reported and awaits review; a manager or
 * admin entering it for someone else vouches for it (manager-verified, verified).
 */
export async function createRecord(
  ctx: ServiceContext,
  input: CreateTrainingRecord,
): Promise<TrainingRecord> {
  requireDatesNotInFuture(ctx, { completedOn: input.completedOn });
  return inTransaction(ctx, async (tx) => {
    const practitioner = await requirePractitioner(
      tx,
      input.practitionerId,
      "create",
      "training-record",
      "practitionerId",
    );
    requireNotArchived(practitioner, "practitionerId");
    const at = tx.now().toISOString();
    const onBehalf = practitioner.id !== tx.actor.practitionerId;
    const record: TrainingRecord = {
      ...input,
      id: randomUUID(),
      version: 1,
      practitionerId: practitioner.id,
      provenance: onBehalf ? "manager-verified" : "self-reported",
      status: onBehalf ? "verified" : "pending",
      reviewedBy: onBehalf ? tx.actor.userId : null,
      reviewedAt: onBehalf ? at : null,
      reviewReason: null,
      recordedAt: at,
      recordedBy: tx.actor.userId,
    };
    await insertRecordVersion(tx.db, record);
    await markEvaluationsStale(tx.db, {
      organizationId: tx.actor.organizationId,
      practitionerIds: [record.practitionerId],
    });
    await auditByActor(tx.db, tx, at, {
      action: "training-record.create",
      entityType: "training-record",
      entityId: record.id,
      before: null,
      after: record,
    });
    return record;
  });
}

/** Writes `next` as the version after `current`, superseding it, and audits the change. */
async function writeNextVersion(
  tx: ServiceContext,
  current: TrainingRecord,
  changes: Partial<TrainingRecord>,
  action: string,
): Promise<TrainingRecord> {
  const at = tx.now().toISOString();
  const next: TrainingRecord = {
    ...current,
    ...changes,
    id: current.id,
    practitionerId: current.practitionerId,
    version: current.version + 1,
    recordedAt: at,
    recordedBy: tx.actor.userId,
  };
  if (!(await supersedeRecordVersion(tx.db, current.id, current.version, at))) {
    throw conflict("the record was changed meanwhile; reload it and try again", "id");
  }
  await insertRecordVersion(tx.db, next);
  await markEvaluationsStale(tx.db, {
    organizationId: tx.actor.organizationId,
    practitionerIds: [next.practitionerId],
  });
  await auditByActor(tx.db, tx, at, {
    action,
    entityType: "training-record",
    entityId: current.id,
    before: current,
    after: next,
  });
  return next;
}

/**
 * Replaces a record's fields with a new version that awaits review again. A rejected record may be
 * corrected (a resubmission); a withdrawn one may not.
 */
export async function correctRecord(
  ctx: ServiceContext,
  input: CorrectTrainingRecord,
): Promise<TrainingRecord> {
  requireDatesNotInFuture(ctx, { completedOn: input.completedOn });
  return inTransaction(ctx, async (tx) => {
    const { record, practitioner } = await requireRecord(tx, input.id, "correct");
    requireNotArchived(practitioner);
    if (record.status === "withdrawn")
      throw conflict("a withdrawn record cannot be corrected", "id");
    const { id: _id, ...fields } = input;
    const byPractitioner = practitioner.id === tx.actor.practitionerId;
    return writeNextVersion(
      tx,
      record,
      {
        ...fields,
        provenance: byPractitioner ? "self-reported" : record.provenance,
        status: "pending",
        reviewedBy: null,
        reviewedAt: null,
        reviewReason: null,
      },
      "training-record.correct",
    );
  });
}

/** Withdraws a record: it stays on file but no longer counts. */
export async function withdrawRecord(
  ctx: ServiceContext,
  input: { id: string; reason: string | null },
): Promise<TrainingRecord> {
  return inTransaction(ctx, async (tx) => {
    const { record } = await requireRecord(tx, input.id, "withdraw");
    if (record.status === "withdrawn") throw conflict("is already withdrawn", "id");
    const at = tx.now().toISOString();
    return writeNextVersion(
      tx,
      record,
      {
        status: "withdrawn",
        reviewedBy: tx.actor.userId,
        reviewedAt: at,
        reviewReason: input.reason,
      },
      "training-record.withdraw",
    );
  });
}

/** Verifies or rejects a pending record (managers and admins; never one's own). */
export async function reviewRecord(
  ctx: ServiceContext,
  input: { id: string; decision: "verify" | "reject"; reason: string | null },
): Promise<TrainingRecord> {
  return inTransaction(ctx, async (tx) => {
    const { record } = await requireRecord(tx, input.id, "review");
    if (record.status !== "pending") {
      throw conflict(`only pending records can be reviewed; this one is ${record.status}`, "id");
    }
    const at = tx.now().toISOString();
    return writeNextVersion(
      tx,
      record,
      {
        status: input.decision === "verify" ? "verified" : "rejected",
        reviewedBy: tx.actor.userId,
        reviewedAt: at,
        reviewReason: input.reason,
      },
      `training-record.${input.decision}`,
    );
  }).then(async (reviewed) => {
    await notifyRecordReviewed(ctx, reviewed);
    return reviewed;
  });
}

/**
 * The organization's pending records, oldest first, for reviewers (a manager limited to clinics:
 * those of their clinics). A reviewer's own pending records are listed; reviewing them is not.
 */
export async function reviewQueue(
  ctx: ServiceContext,
  input: PageInput,
): Promise<Page<ReviewQueueItem>> {
  const reach = requireWideReach(ctx, "review:training-record");
  return listReviewQueue(ctx.db, {
    ...input,
    organizationId: ctx.actor.organizationId,
    clinicIds: clinicIdsOf(reach),
  });
}
