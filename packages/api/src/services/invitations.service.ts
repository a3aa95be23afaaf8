/**
 * Invitations: an admin or manager invites a person by email with a role (and, for a
 * practitioner, the practitioner record the login belongs to). The emailed link is single-use,
 * expires after 7 days and is stored only as its SHA-256. Accepting it creates the membership,
 * and the login for someone new, then signs them in. Who may invite is GRANTS'
 * (`read/create/revoke:invitation`; resending is inviting again): admins invite any role;
 * managers invite practitioners and auditors, and a manager limited to clinics only those
 * clinics' practitioners (requireMayInviteRole). Every change is audited; mail goes out after
 * the row is committed.
 */
import { randomUUID } from "node:crypto";
import {
  consumeInvitation,
  findAccountByEmail,
  findAccountById,
  findActiveMember,
  findActiveMembershipOfPractitioner,
  findInvitationById,
  findMembershipByEmail,
  findOrganizationById,
  findPendingInvitationForEmail,
  findPendingInvitationOfPractitioner,
  findPractitionerById,
  findUsableInvitation,
  findUserCredentialsByEmail,
  type InvitationRow,
  insertAccount,
  insertInvitation,
  insertMembership,
  insertUserToken,
  listInvitablePractitioners,
  listInvitationSummaries,
  markInvitationSent,
  reissueInvitation,
  revokeInvitation as revokeInvitationRow,
  setInvitationAcceptedBy,
  toInvitation,
} from "@dn/db";
import type {
  AcceptInvitationInput,
  CreateInvitationInput,
  InvitablePractitioner,
  Invitation,
  InvitationByIdInput,
  InvitationPreview,
  InvitationSummary,
  ListInvitationsInput,
  LoginResult,
  Membership,
  Practitioner,
  PreviewInvitationInput,
  Role,
  User,
} from "@dn/schema";
import { hashPassword } from "../auth/password.ts";
import { checkNewPassword } from "../auth/password-policy.ts";
import { accessOf, can, canAny, type Resource } from "../auth/permissions.ts";
import { generateSessionToken, hashSessionToken } from "../auth/session.ts";
import { badRequest, conflict, DomainError, notFound } from "../errors.ts";
import {
  openSession,
  passwordMatches,
  recordFailedAttempt,
  requireNotThrottled,
  SECOND_FACTOR_TTL_MS,
} from "./auth.service.ts";
import {
  auditByActor,
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";
import { describeRole, refusal, requirePermission } from "./guards.ts";
import type { Mailer } from "./mailer.ts";
import { requireClinicScope, requireLinkablePractitioner } from "./members.service.ts";

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** The one answer for a link that is unknown, used, revoked or expired. */
export const INVALID_INVITATION_LINK =
  "this invitation link is not valid any more: ask for a new one";

const ROLE_NAMES: Record<Role, string> = {
  admin: "an administrator",
  manager: "a clinic manager",
  practitioner: "a practitioner",
  auditor: "an auditor (read-only)",
};

/**
 * The invitation was committed but its email did not reach the mail server: the person has no
 * link yet. Not a refusal of the input, so it is not a DomainError (the host logs it).
 */
export class InvitationEmailError extends Error {
  constructor(email: string, cause: unknown) {
    super(
      `the invitation to ${email} was saved, but the email could not be sent: resend the invitation`,
      { cause },
    );
    this.name = "InvitationEmailError";
  }
}

function invalidLink(): DomainError {
  return new DomainError("NOT_FOUND", INVALID_INVITATION_LINK, "token");
}

function requireMailer(ctx: PublicServiceContext, field: string | null = null): Mailer {
  const mailer = ctx.accounts.mailer;
  if (!mailer) {
    throw badRequest(
      "this installation sends no email (no mail server is configured), so invitations cannot be sent",
      field,
    );
  }
  return mailer;
}

/**
 * An invitation as `can` sees it: it belongs to the clinic of the practitioner it is for; one for
 * another role names no clinic, so only organization-wide inviters reach it.
 */
function invitationResource(organizationId: string, clinicId: string | null): Resource {
  return { organizationId, clinicId };
}

/**
 * The role-dependent part of inviting, which a permission alone does not express. Inviting an
 * admin or a manager hands out a role, which only whoever may change roles (`update:membership`)
 * does. An auditor reads the whole organization, so inviting one takes `create:invitation`
 * organization-wide: a manager limited to clinics invites their practitioners only.
 */
function requireMayInviteRole(ctx: ServiceContext, role: Role): void {
  if (role === "practitioner" || accessOf(ctx.actor, "update:membership") !== null) return;
  const organizationWide = canAny(ctx.actor, "create:invitation");
  if (role === "auditor" && organizationWide) return;
  const may = organizationWide ? "practitioners and auditors" : "practitioners of your clinics";
  throw new DomainError(
    "FORBIDDEN",
    `your role (${describeRole(ctx.actor)}) may invite ${may} only: ask an admin`,
    "role",
  );
}

/** A practitioner is invited only by someone whose `create:invitation` reaches their clinic. */
function requireMayInvitePractitioner(ctx: ServiceContext, practitioner: Practitioner): void {
  const resource = invitationResource(practitioner.organizationId, practitioner.clinicId);
  if (!can(ctx.actor, "create:invitation", resource)) {
    throw new DomainError(
      "FORBIDDEN",
      "works at a clinic outside the ones you manage",
      "practitionerId",
    );
  }
}

/**
 * The invitation `id` in the actor's organization, if the actor may `check` it: NOT_FOUND for
 * one outside their reach (another organization's, another clinic's), FORBIDDEN for one of a
 * role they may not invite.
 */
async function requireInvitation(
  ctx: ServiceContext,
  id: string,
  check: "create:invitation" | "revoke:invitation",
): Promise<InvitationRow> {
  requirePermission(ctx, check);
  const row = await findInvitationById(ctx.db, id);
  if (!row || row.organizationId !== ctx.actor.organizationId) throw notFound("invitation");
  const practitioner = row.practitionerId
    ? await findPractitionerById(ctx.db, row.practitionerId)
    : null;
  const resource = invitationResource(row.organizationId, practitioner?.clinicId ?? null);
  if (!can(ctx.actor, "read:invitation", resource)) throw notFound("invitation");
  if (!can(ctx.actor, check, resource)) throw refusal(ctx.actor, check, "this invitation");
  requireMayInviteRole(ctx, row.role);
  return row;
}

/** Nobody with this email is, or is being invited as, a member already. */
async function requireEmailFree(
  ctx: ServiceContext,
  email: string,
  exceptInvitationId: string | null,
): Promise<void> {
  const organizationId = ctx.actor.organizationId;
  const membership = await findMembershipByEmail(ctx.db, organizationId, email);
  if (membership?.status === "active") {
    throw conflict("already has an active membership in this organization", "email");
  }
  if (membership) {
    throw conflict(
      "has a deactivated membership in this organization: reactivate it on the People page",
      "email",
    );
  }
  const pending = await findPendingInvitationForEmail(
    ctx.db,
    organizationId,
    email,
    ctx.now().toISOString(),
  );
  if (pending && pending.id !== exceptInvitationId) {
    throw conflict("already has a pending invitation: resend that one instead", "email");
  }
}

interface ValidInvitation {
  email: string;
  role: Role;
  practitionerId: string | null;
  clinicIds: string[] | null;
}

/** Checks an invitation against the rules (see the file comment); throws naming the field. */
async function validateInvitation(
  ctx: ServiceContext,
  input: CreateInvitationInput,
): Promise<ValidInvitation> {
  requirePermission(ctx, "create:invitation");
  requireMayInviteRole(ctx, input.role);
  const email = input.email.toLowerCase();
  const practitionerId = input.practitionerId ?? null;
  if (input.role === "practitioner" && practitionerId === null) {
    throw badRequest(
      "is required for the practitioner role: choose the practitioner record the login belongs to",
      "practitionerId",
    );
  }
  if (practitionerId !== null) {
    const practitioner = await findPractitionerById(ctx.db, practitionerId);
    if (!practitioner || practitioner.organizationId !== ctx.actor.organizationId) {
      throw notFound("practitioner", "practitionerId");
    }
    requireMayInvitePractitioner(ctx, practitioner);
    await requireLinkablePractitioner(ctx, practitionerId);
    const pending = await findPendingInvitationOfPractitioner(
      ctx.db,
      practitionerId,
      ctx.now().toISOString(),
    );
    if (pending) {
      throw conflict(
        `${practitioner.name} has a pending invitation (to ${pending.email}): resend that one instead`,
        "practitionerId",
      );
    }
  }
  const clinicIds = await requireClinicScope(ctx, input.role, input.clinicIds);
  await requireEmailFree(ctx, email, null);
  return { email, role: input.role, practitionerId, clinicIds };
}

/** What the trail keeps of an invitation: everything but the link's hash. */
function auditView(row: InvitationRow, at: string): Invitation {
  return toInvitation(row, at);
}

function newInvitationRow(
  ctx: ServiceContext,
  valid: ValidInvitation,
  token: string,
): InvitationRow {
  const now = ctx.now();
  const at = now.toISOString();
  return {
    id: randomUUID(),
    organizationId: ctx.actor.organizationId,
    email: valid.email,
    role: valid.role,
    practitionerId: valid.practitionerId,
    clinicIdsJson: valid.clinicIds === null ? null : JSON.stringify(valid.clinicIds),
    tokenHash: hashSessionToken(token),
    invitedBy: ctx.actor.userId,
    createdAt: at,
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
    // Counted once the email reaches the mail server (markInvitationSent).
    sentAt: at,
    sendCount: 0,
    acceptedAt: null,
    acceptedBy: null,
    revokedAt: null,
    revokedBy: null,
  };
}

/** Emails the link; on success counts the send. Throws InvitationEmailError when mail fails. */
async function sendInvitationEmail(
  ctx: ServiceContext,
  mailer: Mailer,
  row: InvitationRow,
  token: string,
): Promise<InvitationRow> {
  const [organization, inviter] = await Promise.all([
    findOrganizationById(ctx.db, row.organizationId),
    findAccountById(ctx.db, row.invitedBy),
  ]);
  const organizationName = organization?.name ?? "an organization";
  const link = `${ctx.accounts.appUrl}/invite/${token}`;
  try {
    await mailer.send({
      to: row.email,
      subject: `dn: you are invited to ${organizationName}`,
      text: [
        "Hello,",
        "",
        `${inviter?.name ?? "An administrator"} invites you to join ${organizationName} on dn, where your dry-needling qualifications are tracked, as ${ROLE_NAMES[row.role]}.`,
        "",
        `Open this link to accept: ${link}`,
        `It works once, until ${row.expiresAt.slice(0, 16).replace("T", " ")} UTC.`,
        "If you already have a dn account with this address, you sign in with its password; otherwise you choose one.",
        "",
        "If you did not expect this invitation, ignore this email.",
      ].join("\n"),
    });
  } catch (error) {
    throw new InvitationEmailError(row.email, error);
  }
  const at = ctx.now().toISOString();
  await markInvitationSent(ctx.db, row.id, row.tokenHash, at);
  return { ...row, sentAt: at, sendCount: Number(row.sendCount) + 1 };
}

/** Invites `input.email`; the invitation and its audit row commit before the email is sent. */
export async function createInvitation(
  ctx: ServiceContext,
  input: CreateInvitationInput,
): Promise<Invitation> {
  requirePermission(ctx, "create:invitation");
  const mailer = requireMailer(ctx);
  const valid = await validateInvitation(ctx, input);
  const token = generateSessionToken();
  const row = newInvitationRow(ctx, valid, token);
  await inTransaction(ctx, async (tx) => {
    await insertInvitation(tx.db, row);
    await auditByActor(tx.db, tx, row.createdAt, {
      action: "invitation.create",
      entityType: "invitation",
      entityId: row.id,
      before: null,
      after: auditView(row, row.createdAt),
    });
  });
  const sent = await sendInvitationEmail(ctx, mailer, row, token);
  return toInvitation(sent, ctx.now().toISOString());
}

/**
 * Sends a pending (or expired) invitation again with a new link and a new expiry: the old link
 * stops working.
 */
export async function resendInvitation(
  ctx: ServiceContext,
  input: InvitationByIdInput,
): Promise<Invitation> {
  const row = await requireInvitation(ctx, input.id, "create:invitation");
  const mailer = requireMailer(ctx);
  const now = ctx.now();
  const at = now.toISOString();
  const status = toInvitation(row, at).status;
  if (status === "accepted" || status === "revoked") {
    throw conflict(`was ${status}: invite the person again instead`, "id");
  }
  // An expired invitation may have been overtaken since: check it still makes sense.
  await requireEmailFree(ctx, row.email, row.id);
  if (row.practitionerId) {
    const active = await findActiveMembershipOfPractitioner(ctx.db, row.practitionerId);
    if (active) throw conflict("the practitioner has an active login now", "id");
    const other = await findPendingInvitationOfPractitioner(ctx.db, row.practitionerId, at);
    if (other && other.id !== row.id) {
      throw conflict("the practitioner has a newer pending invitation", "id");
    }
  }
  const token = generateSessionToken();
  const reissued: InvitationRow = {
    ...row,
    tokenHash: hashSessionToken(token),
    expiresAt: new Date(now.getTime() + INVITATION_TTL_MS).toISOString(),
  };
  await inTransaction(ctx, async (tx) => {
    await reissueInvitation(tx.db, row.id, {
      tokenHash: reissued.tokenHash,
      expiresAt: reissued.expiresAt,
    });
    await auditByActor(tx.db, tx, at, {
      action: "invitation.resend",
      entityType: "invitation",
      entityId: row.id,
      before: { status, expiresAt: row.expiresAt, sendCount: Number(row.sendCount) },
      after: { status: "pending", expiresAt: reissued.expiresAt },
    });
  });
  const sent = await sendInvitationEmail(ctx, mailer, reissued, token);
  return toInvitation(sent, ctx.now().toISOString());
}

/** Revokes a pending invitation: its link stops working. */
export async function revokeInvitation(
  ctx: ServiceContext,
  input: InvitationByIdInput,
): Promise<Invitation> {
  const row = await requireInvitation(ctx, input.id, "revoke:invitation");
  const at = ctx.now().toISOString();
  const revoked: InvitationRow = { ...row, revokedAt: at, revokedBy: ctx.actor.userId };
  await inTransaction(ctx, async (tx) => {
    if (!(await revokeInvitationRow(tx.db, row.id, ctx.actor.userId, at))) {
      throw conflict(`is ${toInvitation(row, at).status}, not pending: nothing to revoke`, "id");
    }
    await auditByActor(tx.db, tx, at, {
      action: "invitation.revoke",
      entityType: "invitation",
      entityId: row.id,
      before: { status: "pending" },
      after: { status: "revoked", revokedAt: at },
    });
  });
  return toInvitation(revoked, at);
}

/** The organization's invitations the actor may manage, newest first. */
export async function listInvitations(
  ctx: ServiceContext,
  input: ListInvitationsInput,
): Promise<InvitationSummary[]> {
  requirePermission(ctx, "read:invitation");
  const rows = await listInvitationSummaries(
    ctx.db,
    ctx.actor.organizationId,
    ctx.now().toISOString(),
  );
  return (
    rows
      // A manager limited to clinics sees (and may manage) their clinics' practitioners' only.
      .filter((row) =>
        can(
          ctx.actor,
          "read:invitation",
          invitationResource(row.organizationId, row.practitionerClinicId),
        ),
      )
      .filter((row) => input.status === undefined || row.status === input.status)
      .map(({ practitionerClinicId: _, ...summary }) => summary)
  );
}

/** Practitioners the actor could invite now (for the invite form). */
export async function listInvitable(ctx: ServiceContext): Promise<InvitablePractitioner[]> {
  requirePermission(ctx, "create:invitation");
  const organizationId = ctx.actor.organizationId;
  const rows = await listInvitablePractitioners(ctx.db, organizationId, ctx.now().toISOString());
  return rows.filter((row) =>
    can(ctx.actor, "create:invitation", invitationResource(organizationId, row.clinicId)),
  );
}

/** What the invitation page shows: anyone holding a valid link may see it. */
export async function previewInvitation(
  ctx: PublicServiceContext,
  input: PreviewInvitationInput,
): Promise<InvitationPreview> {
  const row = await findUsableInvitation(
    ctx.db,
    hashSessionToken(input.token),
    ctx.now().toISOString(),
  );
  const organization = row ? await findOrganizationById(ctx.db, row.organizationId) : null;
  if (!row || !organization) throw invalidLink();
  return {
    organizationName: organization.name,
    email: row.email,
    role: row.role,
    hasAccount: (await findAccountByEmail(ctx.db, row.email)) !== null,
    expiresAt: row.expiresAt,
  };
}

/**
 * Accepts an invitation once: someone new chooses a name and a password (the policy applies);
 * someone with a login gives its password. Creates the membership and signs them in, or asks
 * for their second factor when their login has one.
 */
export async function acceptInvitation(
  ctx: PublicServiceContext,
  input: AcceptInvitationInput,
): Promise<LoginResult> {
  const at = ctx.now().toISOString();
  const tokenHash = hashSessionToken(input.token);
  const found = await findUsableInvitation(ctx.db, tokenHash, at);
  if (!found) throw invalidLink();

  const credentials = await findUserCredentialsByEmail(ctx.db, found.email);
  let newLogin: { name: string; passwordHash: string } | null = null;
  if (credentials) {
    const keys = { account: credentials.email, address: ctx.origin.clientAddress };
    await requireNotThrottled(ctx, keys);
    if (!(await passwordMatches(credentials, input.password))) {
      await recordFailedAttempt(ctx, keys, credentials, "user.password-check-failed");
      throw badRequest("is not the password of your dn account", "password");
    }
    await ctx.accounts.throttle.recordSuccess(keys);
  } else {
    if (!input.name) throw badRequest("is required: it is how colleagues see you", "name");
    const problem = checkNewPassword(input.password, { email: found.email, name: input.name });
    if (problem) throw badRequest(problem, "password");
    newLogin = { name: input.name, passwordHash: await hashPassword(input.password) };
  }

  const user = await ctx.db.transaction().execute(async (trx): Promise<User> => {
    const invitation = await consumeInvitation(trx, tokenHash, at);
    if (!invitation) throw invalidLink();
    let userId: string;
    if (newLogin) {
      if (await findAccountByEmail(trx, invitation.email)) {
        throw conflict("an account with this email was just created: open the link again", "token");
      }
      const account = await insertAccount(
        trx,
        { id: randomUUID(), email: invitation.email, name: newLogin.name, createdAt: at },
        newLogin.passwordHash,
      );
      userId = account.id;
    } else {
      userId = (credentials as NonNullable<typeof credentials>).id;
    }
    if (await findMembershipByEmail(trx, invitation.organizationId, invitation.email)) {
      throw conflict(
        "you are a member of this organization already: sign in instead, or ask an admin to reactivate you",
        "token",
      );
    }
    if (invitation.practitionerId) {
      const practitioner = await findPractitionerById(trx, invitation.practitionerId);
      const active = await findActiveMembershipOfPractitioner(trx, invitation.practitionerId);
      if (!practitioner || practitioner.archivedAt !== null || active) {
        throw conflict(
          "the practitioner record this invitation is for is archived or has a login now: ask for a new invitation",
          "token",
        );
      }
    }
    const membership: Membership = {
      id: randomUUID(),
      userId,
      organizationId: invitation.organizationId,
      role: invitation.role,
      practitionerId: invitation.practitionerId,
      clinicIds: toInvitation(invitation, at).clinicIds,
      status: "active",
      createdAt: at,
      deactivatedAt: null,
    };
    await insertMembership(trx, membership);
    await setInvitationAcceptedBy(trx, invitation.id, userId);
    const who = { organizationId: invitation.organizationId, actorId: userId };
    await writeAudit(trx, who, at, {
      action: "invitation.accept",
      entityType: "invitation",
      entityId: invitation.id,
      before: { status: "pending" },
      after: { status: "accepted", acceptedBy: userId, newLogin: newLogin !== null },
    });
    await writeAudit(trx, who, at, {
      action: "membership.create",
      entityType: "membership",
      entityId: membership.id,
      before: null,
      after: { ...membership, invitationId: invitation.id },
    });
    const member = await findActiveMember(trx, userId, invitation.organizationId);
    if (!member) throw new Error("the membership just created cannot be read back");
    return member;
  });

  if (credentials?.totpEnabledAt) {
    // Their login has a second factor: the password alone does not sign them in.
    const challenge = generateSessionToken();
    const expiresAt = new Date(ctx.now().getTime() + SECOND_FACTOR_TTL_MS).toISOString();
    await insertUserToken(ctx.db, {
      id: randomUUID(),
      userId: user.id,
      purpose: "second-factor",
      tokenHash: hashSessionToken(challenge),
      membershipId: user.membershipId,
      createdAt: at,
      expiresAt,
      usedAt: null,
    });
    return { status: "second-factor-required", challenge, expiresAt };
  }
  return openSession(ctx, user, "invitation");
}

/** An imported practitioner left uninvited, and why. */
export interface SkippedInvitation {
  name: string;
  email: string;
  reason: string;
}

/**
 * Invites each of `practitionerIds` (an import's practitioners) that has an email and may be
 * invited; the others are reported with the reason. One transaction for the invitations and
 * their audit rows, then one email each; a failed email is reported, the invitation stays.
 */
export async function inviteImportedPractitioners(
  ctx: ServiceContext,
  practitionerIds: readonly string[],
  importBatchId: string,
): Promise<{ invited: number; skipped: SkippedInvitation[] }> {
  const mailer = requireMailer(ctx, "inviteImported");
  const skipped: SkippedInvitation[] = [];
  const planned: { row: InvitationRow; token: string; name: string }[] = [];
  for (const id of new Set(practitionerIds)) {
    const practitioner = await findPractitionerById(ctx.db, id);
    if (!practitioner) continue;
    if (!practitioner.email) {
      skipped.push({ name: practitioner.name, email: "", reason: "has no email address" });
      continue;
    }
    try {
      const valid = await validateInvitation(ctx, {
        email: practitioner.email,
        role: "practitioner",
        practitionerId: practitioner.id,
      });
      const token = generateSessionToken();
      planned.push({ row: newInvitationRow(ctx, valid, token), token, name: practitioner.name });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      skipped.push({ name: practitioner.name, email: practitioner.email, reason: error.problem });
    }
  }
  await inTransaction(ctx, async (tx) => {
    for (const { row } of planned) {
      await insertInvitation(tx.db, row);
      await auditByActor(tx.db, tx, row.createdAt, {
        action: "invitation.create",
        entityType: "invitation",
        entityId: row.id,
        before: null,
        after: { ...auditView(row, row.createdAt), importBatchId },
      });
    }
  });
  let invited = 0;
  for (const { row, token, name } of planned) {
    try {
      await sendInvitationEmail(ctx, mailer, row, token);
      invited += 1;
    } catch (error) {
      if (!(error instanceof InvitationEmailError)) throw error;
      skipped.push({
        name,
        email: row.email,
        reason: "was invited, but the email could not be sent: resend it from People",
      });
    }
  }
  return { invited, skipped };
}
