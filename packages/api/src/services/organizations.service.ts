/**
 * Organizations: the first run of an installation (the set-up page creates the organization, its
 * first clinic and its first admin, then signs the admin in), the same creation for scripted
 * installs (`dn org create`, which may add further organizations), and the organization's own
 * settings (name, two-factor authentication required of admins and managers).
 */
import { randomUUID } from "node:crypto";
import {
  countOrganizations,
  findAccountByEmail,
  findOrganizationById,
  findUserCredentialsById,
  insertAccount,
  insertClinic,
  insertMembership,
  insertOrganization,
  lockOrganizationCreation,
  updateOrganization as updateOrganizationRow,
} from "@dn/db";
import type {
  Clinic,
  CreateOrganizationInput,
  Organization,
  SignedIn,
  UpdateOrganizationInput,
  User,
} from "@dn/schema";
import { hashPassword } from "../auth/password.ts";
import { checkNewPassword } from "../auth/password-policy.ts";
import { badRequest, conflict, DomainError, forbidden } from "../errors.ts";
import { openSession } from "./auth.service.ts";
import {
  type AuditEntry,
  auditByActor,
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";
import { requireAccess } from "./guards.ts";

export const ALREADY_SET_UP = "this installation is already set up";

/** Whether the set-up page is needed: true only while no organization exists. */
export async function getSetupStatus(ctx: PublicServiceContext): Promise<{ needsSetup: boolean }> {
  return { needsSetup: (await countOrganizations(ctx.db)) === 0 };
}

export interface CreatedOrganization {
  organization: Organization;
  clinic: Clinic;
  /** The first admin, as the new organization sees them. */
  admin: User;
}

export interface CreateOrganizationOptions {
  /**
   * Refuse (FORBIDDEN) unless this is the installation's first organization: the public set-up
   * page. The CLI is trusted and may add organizations to an installation that has some.
   */
  onlyIfFirst: boolean;
  /** Where it was done, for the audit trail. */
  source: "setup-page" | "cli";
}

/**
 * Creates an organization, its first clinic, the admin's login and their admin membership, in one
 * transaction that also holds the organization-creation lock, so two first runs racing each other
 * cannot both pass the "no organization yet" check. Audited in the new organization, as the admin.
 */
export async function createOrganization(
  ctx: PublicServiceContext,
  input: CreateOrganizationInput,
  options: CreateOrganizationOptions,
): Promise<CreatedOrganization> {
  if (options.onlyIfFirst && (await countOrganizations(ctx.db)) > 0)
    throw forbidden(ALREADY_SET_UP);
  const problem = checkNewPassword(input.admin.password, input.admin);
  if (problem) throw badRequest(problem, "admin.password");
  // Hashing is slow on purpose: done before the transaction, so the lock is held briefly.
  const passwordHash = await hashPassword(input.admin.password);
  const at = ctx.now().toISOString();

  return ctx.db.transaction().execute(async (trx) => {
    await lockOrganizationCreation(trx);
    if (options.onlyIfFirst && (await countOrganizations(trx)) > 0) {
      throw forbidden(ALREADY_SET_UP);
    }
    if (await findAccountByEmail(trx, input.admin.email)) {
      throw conflict(
        "already signs in to this installation: choose another email, or invite that person once the organization exists",
        "admin.email",
      );
    }
    const organization = await insertOrganization(trx, {
      id: randomUUID(),
      name: input.organizationName,
      mfaRequired: false,
      createdAt: at,
    });
    const clinic = await insertClinic(trx, {
      id: randomUUID(),
      organizationId: organization.id,
      name: input.clinic.name,
      jurisdiction: input.clinic.jurisdiction,
      timeZone: input.clinic.timeZone,
      archivedAt: null,
      createdAt: at,
    });
    const account = await insertAccount(
      trx,
      { id: randomUUID(), email: input.admin.email, name: input.admin.name, createdAt: at },
      passwordHash,
    );
    const membership = await insertMembership(trx, {
      id: randomUUID(),
      userId: account.id,
      organizationId: organization.id,
      role: "admin",
      practitionerId: null,
      clinicIds: null,
      status: "active",
      createdAt: at,
      deactivatedAt: null,
    });
    const entries: AuditEntry[] = [
      {
        action: "organization.create",
        entityType: "organization",
        entityId: organization.id,
        before: null,
        after: { ...organization, source: options.source },
      },
      {
        action: "clinic.create",
        entityType: "clinic",
        entityId: clinic.id,
        before: null,
        after: clinic,
      },
      {
        action: "user.create",
        entityType: "user",
        entityId: account.id,
        before: null,
        after: account,
      },
      {
        action: "membership.create",
        entityType: "membership",
        entityId: membership.id,
        before: null,
        after: membership,
      },
    ];
    for (const entry of entries) {
      await writeAudit(trx, { organizationId: organization.id, actorId: account.id }, at, entry);
    }
    const admin: User = {
      id: account.id,
      membershipId: membership.id,
      organizationId: organization.id,
      email: account.email,
      name: account.name,
      role: "admin",
      practitionerId: null,
      clinicIds: null,
      createdAt: membership.createdAt,
    };
    return { organization, clinic, admin };
  });
}

/** The set-up page: the installation's first organization, then the admin is signed in. */
export async function setUpInstallation(
  ctx: PublicServiceContext,
  input: CreateOrganizationInput,
): Promise<SignedIn> {
  const { admin } = await createOrganization(ctx, input, {
    onlyIfFirst: true,
    source: "setup-page",
  });
  return openSession(ctx, admin, "setup");
}

async function requireOrganization(ctx: ServiceContext): Promise<Organization> {
  const organization = await findOrganizationById(ctx.db, ctx.actor.organizationId);
  if (!organization) throw new DomainError("UNAUTHORIZED", "your organization no longer exists");
  return organization;
}

/** The actor's organization. */
export async function getCurrentOrganization(ctx: ServiceContext): Promise<Organization> {
  requireAccess(ctx, "read", "organization", { organizationId: ctx.actor.organizationId }, null);
  return requireOrganization(ctx);
}

/**
 * Renames the organization or sets whether admins and managers must use a second factor. An
 * admin turns the requirement on only once their own second factor is on, as they would otherwise
 * be held to it the moment they saved. A change to nothing leaves the trail alone.
 */
export async function updateOrganization(
  ctx: ServiceContext,
  input: UpdateOrganizationInput,
): Promise<Organization> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx, "update", "organization", { organizationId: tx.actor.organizationId }, null);
    const before = await requireOrganization(tx);
    const changes: Partial<Pick<Organization, "name" | "mfaRequired">> = {};
    if (input.name !== undefined && input.name !== before.name) changes.name = input.name;
    if (input.mfaRequired !== undefined && input.mfaRequired !== before.mfaRequired) {
      changes.mfaRequired = input.mfaRequired;
    }
    if (Object.keys(changes).length === 0) return before;
    if (changes.mfaRequired === true) {
      const credentials = await findUserCredentialsById(tx.db, tx.actor.userId);
      if (!credentials?.totpEnabledAt) {
        throw conflict(
          "turn on two-factor authentication for your own account first (Account page)",
          "mfaRequired",
        );
      }
    }
    await updateOrganizationRow(tx.db, before.id, changes);
    const after: Organization = { ...before, ...changes };
    await auditByActor(tx.db, tx, tx.now().toISOString(), {
      action: "organization.update",
      entityType: "organization",
      entityId: before.id,
      before,
      after,
    });
    return after;
  });
}
