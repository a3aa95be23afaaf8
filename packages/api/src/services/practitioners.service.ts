import { randomUUID } from "node:crypto";
import {
  countPendingRecords,
  findClinicById,
  insertPractitioner,
  listLicenses,
  listLicensesOfPractitioners,
  listPractitioners as listPractitionerRows,
  markEvaluationsStale,
  type PractitionerChanges,
  updatePractitioner as updatePractitionerRow,
} from "@dn/db";
import type {
  CreatePractitionerInput,
  ListPractitionersInput,
  Page,
  Practitioner,
  PractitionerDetail,
  PractitionerListItem,
  UpdatePractitionerInput,
} from "@dn/schema";
import { conflict, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import {
  clinicIdsOf,
  requireNotArchived,
  requireOpenClinic,
  requirePermission,
  requirePractitioner,
} from "./guards.ts";

/**
 * One page of practitioners with clinic, licenses and pending-review count. Practitioners see
 * only themselves; managers limited to clinics, the practitioners of those clinics.
 */
export async function listPractitioners(
  ctx: ServiceContext,
  input: ListPractitionersInput,
): Promise<Page<PractitionerListItem>> {
  const reach = requirePermission(ctx, "read:practitioner");
  const page = await listPractitionerRows(ctx.db, {
    ...input,
    organizationId: ctx.actor.organizationId,
    practitionerId: reach.kind === "own" ? reach.practitionerId : undefined,
    clinicIds: clinicIdsOf(reach),
  });
  const ids = page.items.map((item) => item.id);
  const [licenses, pending] = await Promise.all([
    listLicensesOfPractitioners(ctx.db, ids),
    countPendingRecords(ctx.db, ids),
  ]);
  return {
    items: page.items.map((item) => ({
      ...item,
      licenses: licenses.get(item.id) ?? [],
      pendingRecordCount: pending.get(item.id) ?? 0,
    })),
    nextCursor: page.nextCursor,
  };
}

/** A practitioner with their clinic and licenses. */
export async function getPractitioner(
  ctx: ServiceContext,
  id: string,
): Promise<PractitionerDetail> {
  const practitioner = await requirePractitioner(ctx, id, "read");
  const clinic = await findClinicById(ctx.db, practitioner.clinicId);
  if (!clinic) throw notFound("clinic", "clinicId");
  return {
    ...practitioner,
    clinic: { id: clinic.id, name: clinic.name, jurisdiction: clinic.jurisdiction },
    licenses: await listLicenses(ctx.db, practitioner.id),
  };
}

export async function createPractitioner(
  ctx: ServiceContext,
  input: CreatePractitionerInput,
): Promise<Practitioner> {
  return inTransaction(ctx, async (tx) => {
    await requireOpenClinic(tx, input.clinicId, requirePermission(tx, "create:practitioner"));
    const at = tx.now().toISOString();
    const practitioner = await insertPractitioner(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      clinicId: input.clinicId,
      name: input.name,
      email: input.email,
      profession: input.profession,
      archivedAt: null,
      createdAt: at,
      updatedAt: at,
    });
    await auditByActor(tx.db, tx, at, {
      action: "practitioner.create",
      entityType: "practitioner",
      entityId: practitioner.id,
      before: null,
      after: practitioner,
    });
    return practitioner;
  });
}

export async function updatePractitioner(
  ctx: ServiceContext,
  input: UpdatePractitionerInput,
): Promise<Practitioner> {
  return inTransaction(ctx, async (tx) => {
    const before = await requirePractitioner(tx, input.id, "update");
    requireNotArchived(before);
    // A move: into an open clinic within the actor's reach (staying put is no move).
    if (input.clinicId !== undefined && input.clinicId !== before.clinicId) {
      await requireOpenClinic(tx, input.clinicId, requirePermission(tx, "update:practitioner"));
    }
    const changes: PractitionerChanges = {};
    if (input.clinicId !== undefined) changes.clinicId = input.clinicId;
    if (input.name !== undefined) changes.name = input.name;
    if (input.email !== undefined) changes.email = input.email;
    if (input.profession !== undefined) changes.profession = input.profession;
    if (Object.keys(changes).length === 0) return before;
    const at = tx.now().toISOString();
    const after = await updatePractitionerRow(tx.db, before.id, { ...changes, updatedAt: at });
    await markEvaluationsStale(tx.db, {
      organizationId: before.organizationId,
      practitionerIds: [before.id],
    });
    await auditByActor(tx.db, tx, at, {
      action: "practitioner.update",
      entityType: "practitioner",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

/** Archives a practitioner: they leave lists, their history stays. */
export async function archivePractitioner(ctx: ServiceContext, id: string): Promise<Practitioner> {
  return inTransaction(ctx, async (tx) => {
    const before = await requirePractitioner(tx, id, "archive");
    if (before.archivedAt !== null) throw conflict("is already archived", "id");
    const at = tx.now().toISOString();
    const after = await updatePractitionerRow(tx.db, id, { archivedAt: at, updatedAt: at });
    await markEvaluationsStale(tx.db, {
      organizationId: before.organizationId,
      practitionerIds: [id],
    });
    await auditByActor(tx.db, tx, at, {
      action: "practitioner.archive",
      entityType: "practitioner",
      entityId: id,
      before,
      after,
    });
    return after;
  });
}
