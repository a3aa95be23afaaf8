/**
 * An organization's memberships: who may sign in to it, in which role and clinic scope, linked to
 * which practitioner. Who may do what is GRANTS' (`read/update/archive:membership`,
 * docs/decisions/053-permissions.md): admins manage everyone; managers see and (de)activate the
 * practitioners of their clinics. Deactivating a membership ends its sessions in the same
 * transaction, so a token in use stops working at once. Every change is audited.
 */
import {
  countActiveMembersWithRole,
  deleteSessionsOfMembership,
  findActiveMembershipOfPractitioner,
  findMember,
  findMembershipOfPractitioner,
  findPendingInvitationOfPractitioner,
  findPractitionerById,
  listClinics,
  listMembers as listMemberRows,
  updateMembership,
} from "@dn/db";
import type {
  ListMembersInput,
  LoginStatus,
  LoginStatusInput,
  Member,
  MemberByIdInput,
  Practitioner,
  Role,
  UpdateMemberInput,
} from "@dn/schema";
import { accessOf, can, type Resource } from "../auth/permissions.ts";
import { badRequest, conflict, DomainError, forbidden, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { describeRole, requireAccess, requirePermission, requirePractitioner } from "./guards.ts";

type MemberRow = Member & { practitionerClinicId: string | null };

/** A membership as `can` sees it: it belongs to the clinic of its practitioner, if it has one. */
function membershipResource(member: MemberRow): Resource {
  return { organizationId: member.organizationId, clinicId: member.practitionerClinicId };
}

/**
 * The practitioner `id` as something a login may be linked to: in the actor's organization, not
 * archived, and without an active membership other than `exceptMembershipId`.
 */
export async function requireLinkablePractitioner(
  ctx: ServiceContext,
  id: string,
  exceptMembershipId: string | null = null,
): Promise<Practitioner> {
  const practitioner = await findPractitionerById(ctx.db, id);
  if (!practitioner || practitioner.organizationId !== ctx.actor.organizationId) {
    throw notFound("practitioner", "practitionerId");
  }
  if (practitioner.archivedAt !== null) {
    throw conflict(`${practitioner.name} is archived and cannot sign in`, "practitionerId");
  }
  const active = await findActiveMembershipOfPractitioner(ctx.db, practitioner.id);
  if (active && active.id !== exceptMembershipId) {
    throw conflict(`${practitioner.name} already has an active login here`, "practitionerId");
  }
  return practitioner;
}

/**
 * The clinic scope for `role`: only managers have one; each id must be a current clinic of the
 * organization. Null means the whole organization.
 */
export async function requireClinicScope(
  ctx: ServiceContext,
  role: Role,
  clinicIds: readonly string[] | null | undefined,
): Promise<string[] | null> {
  if (clinicIds === null || clinicIds === undefined) return null;
  if (role !== "manager") {
    throw badRequest(
      "only managers are limited to clinics: leave the clinics empty for this role",
      "clinicIds",
    );
  }
  const clinics = new Map(
    (await listClinics(ctx.db, ctx.actor.organizationId)).map((clinic) => [clinic.id, clinic]),
  );
  const unique = [...new Set(clinicIds)];
  for (const id of unique) {
    const clinic = clinics.get(id);
    if (!clinic) throw badRequest("names a clinic that is not in your organization", "clinicIds");
    if (clinic.archivedAt !== null) {
      throw badRequest(`names ${clinic.name}, which is archived`, "clinicIds");
    }
  }
  return unique;
}

function withoutScopeColumn({ practitionerClinicId: _, ...member }: MemberRow): Member {
  return member;
}

/** May the actor see `member`? Their own membership always; others as `read:membership` reaches. */
function maySee(ctx: ServiceContext, member: MemberRow): boolean {
  if (member.userId === ctx.actor.userId) return true;
  return can(ctx.actor, "read:membership", membershipResource(member));
}

/** The organization's memberships the actor may see (a scoped manager: their clinics' and their own). */
export async function listMembers(ctx: ServiceContext, input: ListMembersInput): Promise<Member[]> {
  requirePermission(ctx, "read:membership");
  const rows = await listMemberRows(ctx.db, ctx.actor.organizationId);
  return rows
    .filter((row) => maySee(ctx, row))
    .filter((row) => input.status === undefined || row.status === input.status)
    .map(withoutScopeColumn);
}

/**
 * The membership `id`, if the actor may `action` it: NOT_FOUND for one they may not see (another
 * organization's, another clinic's for a scoped manager), FORBIDDEN for one they see but may not
 * change this way. Their own is always found; requireNotSelf refuses changing it.
 */
async function requireMember(
  ctx: ServiceContext,
  id: string,
  action: "update" | "archive",
): Promise<MemberRow> {
  const member = await findMember(ctx.db, id);
  if (!member || member.organizationId !== ctx.actor.organizationId) throw notFound("membership");
  if (member.userId === ctx.actor.userId) return member;
  requireAccess(ctx, action, "membership", membershipResource(member));
  return member;
}

/** Refuses changes to the actor's own membership: another admin must make them. */
function requireNotSelf(ctx: ServiceContext, member: MemberRow, doing: string): void {
  if (member.userId === ctx.actor.userId) {
    throw new DomainError("FORBIDDEN", `you may not ${doing} yourself: ask another admin`, "id");
  }
}

/**
 * (De)activating a practitioner's login is `archive:membership`; anyone else's (an admin's, a
 * manager's, an auditor's) only whoever may change memberships (`update:membership`) switches off
 * or on: a manager may not lock out their peers or the admins.
 */
function requireMayChangeStatus(ctx: ServiceContext, member: MemberRow): void {
  if (member.role === "practitioner") return;
  if (accessOf(ctx.actor, "update:membership") !== null) return;
  throw forbidden(
    `your role (${describeRole(ctx.actor)}) may deactivate or reactivate practitioners' logins only`,
  );
}

/** Refuses to leave the organization without an active admin. */
async function requireAnotherActiveAdmin(
  ctx: ServiceContext,
  member: MemberRow,
  field: string,
): Promise<void> {
  if (member.role !== "admin" || member.status !== "active") return;
  const admins = await countActiveMembersWithRole(ctx.db, ctx.actor.organizationId, "admin");
  if (admins <= 1) {
    throw conflict(
      `${member.name} is the last active admin: make someone else an admin first`,
      field,
    );
  }
}

function auditView(member: Pick<Member, "role" | "clinicIds" | "practitionerId" | "status">) {
  return {
    role: member.role,
    clinicIds: member.clinicIds,
    practitionerId: member.practitionerId,
    status: member.status,
  };
}

async function reload(ctx: ServiceContext, id: string): Promise<Member> {
  const member = await findMember(ctx.db, id);
  if (!member) throw notFound("member");
  return withoutScopeColumn(member);
}

/** Sets a member's role, clinic scope and practitioner link (admins only, never their own). */
export async function updateMember(ctx: ServiceContext, input: UpdateMemberInput): Promise<Member> {
  requirePermission(ctx, "update:membership");
  const member = await requireMember(ctx, input.id, "update");
  requireNotSelf(ctx, member, "change the role of");
  if (member.status !== "active") {
    throw conflict(`${member.name}'s login is deactivated: reactivate it first`, "id");
  }
  const practitionerId =
    input.practitionerId === undefined ? member.practitionerId : input.practitionerId;
  if (input.role === "practitioner" && practitionerId === null) {
    throw badRequest(
      "is required for the practitioner role: choose the practitioner record",
      "practitionerId",
    );
  }
  if (practitionerId !== null && practitionerId !== member.practitionerId) {
    await requireLinkablePractitioner(ctx, practitionerId, member.id);
  }
  const clinicIds = await requireClinicScope(ctx, input.role, input.clinicIds);
  if (input.role !== "admin") await requireAnotherActiveAdmin(ctx, member, "role");

  const after = { ...member, role: input.role, clinicIds, practitionerId };
  if (JSON.stringify(auditView(after)) === JSON.stringify(auditView(member))) {
    return withoutScopeColumn(member);
  }
  const at = ctx.now().toISOString();
  await inTransaction(ctx, async (tx) => {
    await updateMembership(tx.db, member.id, {
      role: input.role,
      clinicIdsJson: clinicIds === null ? null : JSON.stringify(clinicIds),
      practitionerId,
    });
    await auditByActor(tx.db, tx, at, {
      action: "membership.update",
      entityType: "membership",
      entityId: member.id,
      before: auditView(member),
      after: auditView(after),
    });
  });
  return reload(ctx, member.id);
}

/** Deactivates a membership: it can no longer sign in, and its sessions end at once. */
export async function deactivateMember(
  ctx: ServiceContext,
  input: MemberByIdInput,
): Promise<Member> {
  requirePermission(ctx, "archive:membership");
  const member = await requireMember(ctx, input.id, "archive");
  requireNotSelf(ctx, member, "deactivate");
  requireMayChangeStatus(ctx, member);
  if (member.status === "deactivated") {
    throw conflict(`${member.name}'s login is already deactivated`, "id");
  }
  await requireAnotherActiveAdmin(ctx, member, "id");
  const at = ctx.now().toISOString();
  await inTransaction(ctx, async (tx) => {
    await updateMembership(tx.db, member.id, { status: "deactivated", deactivatedAt: at });
    const sessionsEnded = await deleteSessionsOfMembership(tx.db, member.id);
    await auditByActor(tx.db, tx, at, {
      action: "membership.deactivate",
      entityType: "membership",
      entityId: member.id,
      before: { status: "active" },
      after: { status: "deactivated", deactivatedAt: at, sessionsEnded },
    });
  });
  return reload(ctx, member.id);
}

/** Lets a deactivated membership sign in again, in the role it had. */
export async function reactivateMember(
  ctx: ServiceContext,
  input: MemberByIdInput,
): Promise<Member> {
  requirePermission(ctx, "archive:membership");
  const member = await requireMember(ctx, input.id, "archive");
  requireNotSelf(ctx, member, "reactivate");
  requireMayChangeStatus(ctx, member);
  if (member.status === "active") throw conflict(`${member.name}'s login is already active`, "id");
  if (member.practitionerId !== null) {
    const practitioner = await findPractitionerById(ctx.db, member.practitionerId);
    if (practitioner?.archivedAt) {
      throw conflict(`${practitioner.name} is archived and cannot sign in`, "id");
    }
    const other = await findActiveMembershipOfPractitioner(ctx.db, member.practitionerId);
    if (other) {
      throw conflict(
        `${member.practitionerName ?? "This practitioner"} has another active login now`,
        "id",
      );
    }
  }
  const at = ctx.now().toISOString();
  await inTransaction(ctx, async (tx) => {
    await updateMembership(tx.db, member.id, { status: "active", deactivatedAt: null });
    await auditByActor(tx.db, tx, at, {
      action: "membership.reactivate",
      entityType: "membership",
      entityId: member.id,
      before: { status: "deactivated", deactivatedAt: member.deactivatedAt },
      after: { status: "active" },
    });
  });
  return reload(ctx, member.id);
}

/**
 * Whether a practitioner can sign in: an active membership, else a pending invitation, else a
 * deactivated membership, else none.
 */
export async function loginStatusOf(
  ctx: ServiceContext,
  input: LoginStatusInput,
): Promise<LoginStatus> {
  const practitioner = await requirePractitioner(
    ctx,
    input.practitionerId,
    "read",
    "practitioner",
    "practitionerId",
  );
  const active = await findActiveMembershipOfPractitioner(ctx.db, practitioner.id);
  if (active) {
    const member = await findMember(ctx.db, active.id);
    return { status: "active", membershipId: active.id, email: member?.email };
  }
  const invitation = await findPendingInvitationOfPractitioner(
    ctx.db,
    practitioner.id,
    ctx.now().toISOString(),
  );
  if (invitation) {
    return {
      status: "invited",
      invitationId: invitation.id,
      email: invitation.email,
      expiresAt: invitation.expiresAt,
    };
  }
  const earlier = await findMembershipOfPractitioner(ctx.db, practitioner.id);
  if (earlier) {
    const member = await findMember(ctx.db, earlier.id);
    return { status: "deactivated", membershipId: earlier.id, email: member?.email };
  }
  return { status: "none" };
}
