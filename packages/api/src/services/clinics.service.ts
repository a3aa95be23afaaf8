/**
 * An organization's clinics: everyone signed in reads them (pickers leave archived ones out);
 * admins create, rename, move to another jurisdiction or time zone, archive and unarchive them.
 * A clinic's time zone decides its "today" (clinic-dates.ts). Every change is audited.
 */
import { randomUUID } from "node:crypto";
import {
  countActivePractitionersAtClinic,
  findClinicById,
  insertClinic,
  listClinics as listClinicRows,
  markEvaluationsStale,
  updateClinic as updateClinicRow,
} from "@dn/db";
import type { Clinic, CreateClinicInput, ListClinicsInput, UpdateClinicInput } from "@dn/schema";
import type { Action } from "../auth/permissions.ts";
import { conflict, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireAccess } from "./guards.ts";

/** The clinics of the actor's organization, by name; archived ones only when asked for. */
export async function listClinics(
  ctx: ServiceContext,
  input: ListClinicsInput = {},
): Promise<Clinic[]> {
  requireAccess(ctx, "read", "clinic", { organizationId: ctx.actor.organizationId }, null);
  return listClinicRows(ctx.db, ctx.actor.organizationId, {
    activeOnly: input.includeArchived !== true,
  });
}

/** The clinic `id`, if the actor may `action` it (another organization's is not found). */
async function requireClinic(ctx: ServiceContext, id: string, action: Action): Promise<Clinic> {
  const clinic = await findClinicById(ctx.db, id);
  if (!clinic) throw notFound("clinic");
  requireAccess(ctx, action, "clinic", { organizationId: clinic.organizationId });
  return clinic;
}

/** Refuses a name another clinic of the organization already has (compared ignoring case). */
async function requireFreeName(
  ctx: ServiceContext,
  name: string,
  exceptId: string | null,
  field = "name",
): Promise<void> {
  const clash = (await listClinicRows(ctx.db, ctx.actor.organizationId)).find(
    (clinic) => clinic.id !== exceptId && clinic.name.toLowerCase() === name.toLowerCase(),
  );
  if (clash) {
    const which = clash.archivedAt === null ? "another clinic" : "an archived clinic";
    throw conflict(`${which} is already called “${clash.name}”`, field);
  }
}

export async function createClinic(ctx: ServiceContext, input: CreateClinicInput): Promise<Clinic> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx, "create", "clinic", { organizationId: tx.actor.organizationId }, null);
    await requireFreeName(tx, input.name, null);
    const at = tx.now().toISOString();
    const clinic = await insertClinic(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      name: input.name,
      jurisdiction: input.jurisdiction,
      timeZone: input.timeZone,
      archivedAt: null,
      createdAt: at,
    });
    await auditByActor(tx.db, tx, at, {
      action: "clinic.create",
      entityType: "clinic",
      entityId: clinic.id,
      before: null,
      after: clinic,
    });
    return clinic;
  });
}

/** Changes the fields given; a change to nothing leaves the clinic (and the trail) alone. */
export async function updateClinic(ctx: ServiceContext, input: UpdateClinicInput): Promise<Clinic> {
  return inTransaction(ctx, async (tx) => {
    const before = await requireClinic(tx, input.id, "update");
    if (before.archivedAt !== null) {
      throw conflict(`${before.name} is archived: unarchive it to change it`, "id");
    }
    const changes: Partial<Pick<Clinic, "name" | "jurisdiction" | "timeZone">> = {};
    if (input.name !== undefined && input.name !== before.name) changes.name = input.name;
    if (input.jurisdiction !== undefined && input.jurisdiction !== before.jurisdiction) {
      changes.jurisdiction = input.jurisdiction;
    }
    if (input.timeZone !== undefined && input.timeZone !== before.timeZone) {
      changes.timeZone = input.timeZone;
    }
    if (Object.keys(changes).length === 0) return before;
    if (changes.name !== undefined) await requireFreeName(tx, changes.name, before.id);
    await updateClinicRow(tx.db, before.id, changes);
    await markEvaluationsStale(tx.db, {
      organizationId: before.organizationId,
      clinicId: before.id,
    });
    const after: Clinic = { ...before, ...changes };
    await auditByActor(tx.db, tx, tx.now().toISOString(), {
      action: "clinic.update",
      entityType: "clinic",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

/**
 * Archives a clinic: it leaves the pickers, and its history stays. Refused while practitioners
 * still work there (move or archive them first) and for the organization's last open clinic.
 */
export async function archiveClinic(ctx: ServiceContext, id: string): Promise<Clinic> {
  return inTransaction(ctx, async (tx) => {
    const before = await requireClinic(tx, id, "archive");
    if (before.archivedAt !== null) throw conflict("is already archived", "id");
    const active = await countActivePractitionersAtClinic(tx.db, before.id);
    if (active > 0) {
      throw conflict(
        `${before.name} still has ${active} active practitioner${active === 1 ? "" : "s"}: move or archive ${active === 1 ? "them" : "each of them"} first`,
        "id",
      );
    }
    const open = await listClinicRows(tx.db, before.organizationId, { activeOnly: true });
    if (open.length <= 1) {
      throw conflict(`${before.name} is the organization's only open clinic`, "id");
    }
    const at = tx.now().toISOString();
    await updateClinicRow(tx.db, before.id, { archivedAt: at });
    const after: Clinic = { ...before, archivedAt: at };
    await auditByActor(tx.db, tx, at, {
      action: "clinic.archive",
      entityType: "clinic",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}

export async function unarchiveClinic(ctx: ServiceContext, id: string): Promise<Clinic> {
  return inTransaction(ctx, async (tx) => {
    const before = await requireClinic(tx, id, "archive");
    if (before.archivedAt === null) throw conflict("is not archived", "id");
    await requireFreeName(tx, before.name, before.id, "id");
    await updateClinicRow(tx.db, before.id, { archivedAt: null });
    const after: Clinic = { ...before, archivedAt: null };
    await auditByActor(tx.db, tx, tx.now().toISOString(), {
      action: "clinic.unarchive",
      entityType: "clinic",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
