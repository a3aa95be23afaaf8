import { randomUUID } from "node:crypto";
import {
  countPendingRecords,
  findClinicById,
  insertPractitioner,
  listLicenses,
  listLicensesOfPractitioners,
  listPractitioners as listPractitionerRows,
  type PractitionerChanges,
  updatePractitioner as updatePractitionerRow,
} from "@dn/db";
import type {
  Clinic,
  CreatePractitionerInput,
  ListPractitionersInput,
  Page,
  Practitioner,
  PractitionerDetail,
  PractitionerListItem,
  UpdatePractitionerInput,
} from "@dn/schema";
import { canAny, canOwn } from "../auth/permissions.ts";
import { conflict, forbidden, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireAccess, requireNotArchived, requirePractitioner } from "./guards.ts";

/** A clinic of the actor's organization, named by the input field `field`. */
async function requireClinic(ctx: ServiceContext, id: string, field = "clinicId"): Promise<Clinic> {
  const clinic = await findClinicById(ctx.db, id);
  if (!clinic || clinic.organizationId !== ctx.actor.organizationId)
    throw notFound("clinic", field);
  return clinic;
}

/**
 * One page of practitioners with clinic, licenses and pending-review count. Practitioners see
 * only themselves.
 */
export async function listPractitioners(
  ctx: ServiceContext,
  input: ListPractitionersInput,
): Promise<Page<PractitionerListItem>> {
  let only: string | undefined;
  if (!canAny(ctx.actor, "read:practitioner")) {
    if (!canOwn(ctx.actor, "read:practitioner") || ctx.actor.practitionerId === null) {
      throw forbidden(`your role (${ctx.actor.role}) may not list practitioners`);
    }
    only = ctx.actor.practitionerId;
  }
  const page = await listPractitionerRows(ctx.db, {
    ...input,
    organizationId: ctx.actor.organizationId,
    practitionerId: only,
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
    requireAccess(tx, "create", "practitioner", { organizationId: tx.actor.organizationId }, null);
    await requireClinic(tx, input.clinicId);
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
    if (input.clinicId !== undefined) await requireClinic(tx, input.clinicId);
    const changes: PractitionerChanges = {};
    if (input.clinicId !== undefined) changes.clinicId = input.clinicId;
    if (input.name !== undefined) changes.name = input.name;
    if (input.email !== undefined) changes.email = input.email;
    if (input.profession !== undefined) changes.profession = input.profession;
    if (Object.keys(changes).length === 0) return before;
    const at = tx.now().toISOString();
    const after = await updatePractitionerRow(tx.db, before.id, { ...changes, updatedAt: at });
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
