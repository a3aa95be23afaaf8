import { randomUUID } from "node:crypto";
import {
  insertLicense,
  type LicenseChanges,
  listLicenses as listLicenseRows,
  markEvaluationsStale,
  updateLicense as updateLicenseRow,
} from "@dn/db";
import type { CreateLicenseInput, License, UpdateLicenseInput } from "@dn/schema";
import { badRequest, conflict } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireLicense, requireNotArchived, requirePractitioner } from "./guards.ts";

/** A practitioner's licenses. */
export async function listLicenses(
  ctx: ServiceContext,
  practitionerId: string,
): Promise<License[]> {
  await requirePractitioner(ctx, practitionerId, "read", "license", "practitionerId");
  return listLicenseRows(ctx.db, practitionerId);
}

async function requireUniqueNumber(
  ctx: ServiceContext,
  practitionerId: string,
  license: Pick<License, "jurisdiction" | "number">,
  exceptId: string | null,
): Promise<void> {
  const existing = await listLicenseRows(ctx.db, practitionerId);
  const clash = existing.find(
    (other) =>
      other.id !== exceptId &&
      other.jurisdiction === license.jurisdiction &&
      other.number === license.number,
  );
  if (clash) {
    throw conflict(
      `this practitioner already has a ${license.jurisdiction} license with this number`,
      "number",
    );
  }
}

export async function createLicense(
  ctx: ServiceContext,
  input: CreateLicenseInput,
): Promise<License> {
  return inTransaction(ctx, async (tx) => {
    const practitioner = await requirePractitioner(
      tx,
      input.practitionerId,
      "create",
      "license",
      "practitionerId",
    );
    requireNotArchived(practitioner, "practitionerId");
    await requireUniqueNumber(tx, practitioner.id, input, null);
    const at = tx.now().toISOString();
    const license = await insertLicense(tx.db, {
      id: randomUUID(),
      practitionerId: practitioner.id,
      jurisdiction: input.jurisdiction,
      number: input.number,
      issuedOn: input.issuedOn,
      expiresOn: input.expiresOn,
      status: input.status,
      createdAt: at,
      updatedAt: at,
    });
    await markEvaluationsStale(tx.db, {
      organizationId: tx.actor.organizationId,
      practitionerIds: [practitioner.id],
    });
    await auditByActor(tx.db, tx, at, {
      action: "license.create",
      entityType: "license",
      entityId: license.id,
      before: null,
      after: license,
    });
    return license;
  });
}

export async function updateLicense(
  ctx: ServiceContext,
  input: UpdateLicenseInput,
): Promise<License> {
  return inTransaction(ctx, async (tx) => {
    const { license: before, practitioner } = await requireLicense(tx, input.id, "update");
    requireNotArchived(practitioner, "id");
    const changes: LicenseChanges = {};
    if (input.jurisdiction !== undefined) changes.jurisdiction = input.jurisdiction;
    if (input.number !== undefined) changes.number = input.number;
    if (input.issuedOn !== undefined) changes.issuedOn = input.issuedOn;
    if (input.expiresOn !== undefined) changes.expiresOn = input.expiresOn;
    if (input.status !== undefined) changes.status = input.status;
    if (Object.keys(changes).length === 0) return before;

    const merged = { ...before, ...changes };
    if (merged.expiresOn !== null && merged.expiresOn < merged.issuedOn) {
      throw badRequest(`must not be before the issue date (${merged.issuedOn})`, "expiresOn");
    }
    await requireUniqueNumber(tx, practitioner.id, merged, before.id);
    const at = tx.now().toISOString();
    const after = await updateLicenseRow(tx.db, before.id, { ...changes, updatedAt: at });
    await markEvaluationsStale(tx.db, {
      organizationId: tx.actor.organizationId,
      practitionerIds: [practitioner.id],
    });
    await auditByActor(tx.db, tx, at, {
      action: "license.update",
      entityType: "license",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
