/**
 * Signing in and out: passwords (throttled per account and per address), the second factor,
 * sessions bound to one membership, and switching organization. Unknown email, wrong password
 * and a login with no password all fail alike, at the same cost.
 */
import { randomUUID } from "node:crypto";
import {
  consumeRecoveryCode,
  consumeUserToken,
  countUnusedRecoveryCodes,
  deleteExpiredSessions,
  deleteSession,
  findActiveMember,
  findLiveSession,
  findMemberByMembershipId,
  findOrganizationById,
  findPractitionerById,
  findUserCredentialsByEmail,
  findUserCredentialsById,
  insertSession,
  insertUserToken,
  listMembershipsOfUser,
  type UserRow,
  updateAccount,
  updateSession,
} from "@dn/db";
import type {
  LoginInput,
  LoginResult,
  Me,
  Ok,
  SecondFactorInput,
  SignedIn,
  SwitchOrganizationInput,
  User,
} from "@dn/schema";
import { hashPassword, passwordNeedsRehash, verifyPassword } from "../auth/password.ts";
import { permissionsOf } from "../auth/permissions.ts";
import { generateSessionToken, hashSessionToken, SESSION_TTL_MS } from "../auth/session.ts";
import { type ThrottleKeys, tooManyAttemptsMessage } from "../auth/throttle.ts";
import { hashRecoveryCode, normalizeRecoveryCode, verifyTotp } from "../auth/totp.ts";
import { throttledAddress } from "../client-address.ts";
import { DomainError } from "../errors.ts";
import {
  type Actor,
  actorFromUser,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";

const BAD_CREDENTIALS = "email or password is incorrect";
const BAD_SECOND_FACTOR = "the code is not right, or the sign-in took too long: sign in again";
/** How long the second step of a sign-in may take. */
export const SECOND_FACTOR_TTL_MS = 5 * 60 * 1000;
/** Sessions record when they were last used at most this often (a write per request is waste). */
const LAST_SEEN_RESOLUTION_MS = 5 * 60 * 1000;

// Verifying against a real hash when the email is unknown keeps both failures equally slow.
let dummyHash: Promise<string> | null = null;
function hashForUnknownEmail(): Promise<string> {
  dummyHash ??= hashPassword(randomUUID());
  return dummyHash;
}

/** Checks a password at the cost of a real verification whether or not the login exists. */
export async function passwordMatches(
  credentials: Pick<UserRow, "passwordHash"> | null,
  password: string,
): Promise<boolean> {
  if (!credentials?.passwordHash) {
    await verifyPassword(password, await hashForUnknownEmail());
    return false;
  }
  return verifyPassword(password, credentials.passwordHash);
}

export function throttleKeys(ctx: PublicServiceContext, account: string): ThrottleKeys {
  return { account, address: throttledAddress(ctx.origin.clientAddress) };
}

/** Refuses the attempt while the account or the address is locked out. */
export async function requireNotThrottled(
  ctx: PublicServiceContext,
  keys: ThrottleKeys,
): Promise<void> {
  const verdict = await ctx.accounts.throttle.check(keys);
  if (!verdict.allowed) {
    throw new DomainError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(verdict.retryAfterSeconds));
  }
}

/**
 * Counts a failed attempt. The failure that locks an account out is audited in each of the
 * user's organizations (the row names the user, never the address).
 */
export async function recordFailedAttempt(
  ctx: PublicServiceContext,
  keys: ThrottleKeys,
  user: Pick<UserRow, "id"> | null,
  action: string,
): Promise<void> {
  const { lockedOut } = await ctx.accounts.throttle.recordFailure(keys);
  const at = ctx.now().toISOString();
  if (!user) return;
  const memberships = await listMembershipsOfUser(ctx.db, user.id);
  for (const membership of memberships) {
    await writeAudit(ctx.db, { organizationId: membership.organizationId, actorId: null }, at, {
      action,
      entityType: "user",
      entityId: user.id,
      before: null,
      after: null,
    });
    if (lockedOut) {
      await writeAudit(ctx.db, { organizationId: membership.organizationId, actorId: null }, at, {
        action: "user.locked-out",
        entityType: "user",
        entityId: user.id,
        before: null,
        after: { by: lockedOut.by, retryAfterSeconds: lockedOut.retryAfterSeconds },
      });
    }
  }
  if (lockedOut) {
    throw new DomainError("TOO_MANY_REQUESTS", tooManyAttemptsMessage(lockedOut.retryAfterSeconds));
  }
}

/** The membership a sign-in works in: the one asked for, or the oldest active one. */
async function memberToSignInAs(
  ctx: PublicServiceContext,
  userId: string,
  organizationId: string | undefined,
): Promise<User> {
  const memberships = (await listMembershipsOfUser(ctx.db, userId)).filter(
    (m) => m.status === "active",
  );
  const chosen = organizationId
    ? memberships.find((m) => m.organizationId === organizationId)
    : memberships[0];
  const member = chosen ? await findActiveMember(ctx.db, userId, chosen.organizationId) : null;
  if (!member) {
    throw new DomainError(
      "FORBIDDEN",
      organizationId
        ? "you are not an active member of this organization"
        : "your account has no active organization: ask an administrator to invite you again",
      organizationId ? "organizationId" : null,
    );
  }
  return member;
}

/** Opens a session for `user` in their membership, audited in that organization. */
export async function openSession(
  ctx: PublicServiceContext,
  user: User,
  method: string,
): Promise<SignedIn> {
  const now = ctx.now();
  const at = now.toISOString();
  const token = generateSessionToken();
  const session = {
    id: randomUUID(),
    userId: user.id,
    membershipId: user.membershipId,
    tokenHash: hashSessionToken(token),
    createdAt: at,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
    lastSeenAt: at,
    userAgent: ctx.origin.userAgent,
    clientAddress: ctx.origin.clientAddress,
    method,
  };
  await ctx.db.transaction().execute(async (trx) => {
    // Sign-ins are rare and cheap: a good moment to drop sessions that can no longer be used.
    await deleteExpiredSessions(trx, at);
    await insertSession(trx, session);
    await writeAudit(trx, { organizationId: user.organizationId, actorId: user.id }, at, {
      action: "user.login",
      entityType: "session",
      entityId: session.id,
      before: null,
      after: { userId: user.id, expiresAt: session.expiresAt, method },
    });
  });
  return { status: "signed-in", token, expiresAt: session.expiresAt, user };
}

/**
 * Checks the credentials; opens a 7-day session, or asks for the second factor when the user has
 * one. Repeated failures lock the account (and, at a higher count, the address) out for a while.
 */
export async function login(ctx: PublicServiceContext, input: LoginInput): Promise<LoginResult> {
  const keys = throttleKeys(ctx, input.email);
  await requireNotThrottled(ctx, keys);
  const credentials = await findUserCredentialsByEmail(ctx.db, input.email);
  if (!(await passwordMatches(credentials, input.password)) || !credentials) {
    await recordFailedAttempt(ctx, keys, credentials, "user.login-failed");
    throw new DomainError("UNAUTHORIZED", BAD_CREDENTIALS);
  }
  await ctx.accounts.throttle.recordSuccess(keys);
  if (credentials.passwordHash && passwordNeedsRehash(credentials.passwordHash)) {
    // Raised parameters reach every user at their next sign-in.
    await updateAccount(ctx.db, credentials.id, {
      passwordHash: await hashPassword(input.password),
    });
  }
  const member = await memberToSignInAs(ctx, credentials.id, input.organizationId);
  if (credentials.totpEnabledAt) return challengeSecondFactor(ctx, member);
  return openSession(ctx, member, "password");
}

async function challengeSecondFactor(
  ctx: PublicServiceContext,
  member: User,
): Promise<LoginResult> {
  const now = ctx.now();
  const challenge = generateSessionToken();
  const expiresAt = new Date(now.getTime() + SECOND_FACTOR_TTL_MS).toISOString();
  await insertUserToken(ctx.db, {
    id: randomUUID(),
    userId: member.id,
    purpose: "second-factor",
    tokenHash: hashSessionToken(challenge),
    membershipId: member.membershipId,
    createdAt: now.toISOString(),
    expiresAt,
    usedAt: null,
  });
  return { status: "second-factor-required", challenge, expiresAt };
}

/**
 * The second step: a TOTP code (each time step once) or an unused recovery code. A wrong code
 * spends the challenge (sign in again) and counts against the account like a wrong password.
 */
export async function verifySecondFactor(
  ctx: PublicServiceContext,
  input: SecondFactorInput,
): Promise<SignedIn> {
  const at = ctx.now().toISOString();
  const token = await consumeUserToken(
    ctx.db,
    "second-factor",
    hashSessionToken(input.challenge),
    at,
  );
  const credentials = token ? await findUserCredentialsById(ctx.db, token.userId) : null;
  if (!token?.membershipId || !credentials?.totpSecret || !credentials.totpEnabledAt) {
    throw new DomainError("UNAUTHORIZED", BAD_SECOND_FACTOR, "challenge");
  }
  const keys = throttleKeys(ctx, credentials.email);
  await requireNotThrottled(ctx, keys);

  let method: string | null = null;
  if (input.code !== undefined) {
    const result = verifyTotp({
      secret: credentials.totpSecret,
      code: input.code,
      at: ctx.now(),
      lastUsedStep: credentials.totpLastStep,
    });
    if (result.ok) {
      await updateAccount(ctx.db, credentials.id, { totpLastStep: result.step });
      method = "password+totp";
    }
  } else if (input.recoveryCode !== undefined) {
    const normalized = normalizeRecoveryCode(input.recoveryCode);
    if (
      normalized &&
      (await consumeRecoveryCode(ctx.db, credentials.id, hashRecoveryCode(normalized), at))
    ) {
      method = "password+recovery-code";
    }
  }
  if (method === null) {
    await recordFailedAttempt(ctx, keys, credentials, "user.second-factor-failed");
    throw new DomainError("UNAUTHORIZED", BAD_SECOND_FACTOR, input.code ? "code" : "recoveryCode");
  }
  await ctx.accounts.throttle.recordSuccess(keys);
  // The membership the password step chose; deactivated since then means no session.
  const member = await findMemberByMembershipId(ctx.db, token.membershipId);
  if (member?.status !== "active" || member.id !== credentials.id) {
    throw new DomainError("FORBIDDEN", "you are not an active member of this organization");
  }
  const session = await openSession(ctx, member, method);
  if (method === "password+recovery-code") {
    await writeAudit(ctx.db, { organizationId: member.organizationId, actorId: member.id }, at, {
      action: "user.recovery-code-used",
      entityType: "user",
      entityId: member.id,
      before: null,
      after: { left: await countUnusedRecoveryCodes(ctx.db, member.id) },
    });
  }
  return session;
}

/** The actor a bearer token stands for, or null when it is unknown, expired or deactivated. */
export async function resolveSession(
  ctx: PublicServiceContext,
  token: string,
): Promise<Actor | null> {
  return (await resolveSessionWithHead(ctx, token))?.actor ?? null;
}

/**
 * `resolveSession`, with the hash of the organization's audit chain head read by the same query
 * ("" before its first row): what the answer cache keys on (decision 061).
 */
export async function resolveSessionWithHead(
  ctx: PublicServiceContext,
  token: string,
): Promise<{ actor: Actor; auditHead: string } | null> {
  const now = ctx.now();
  const found = await findLiveSession(ctx.db, hashSessionToken(token), now.toISOString());
  if (!found) return null;
  const lastSeen = found.session.lastSeenAt ? Date.parse(found.session.lastSeenAt) : 0;
  if (now.getTime() - lastSeen >= LAST_SEEN_RESOLUTION_MS) {
    await updateSession(ctx.db, found.session.id, { lastSeenAt: now.toISOString() });
  }
  const actor = actorFromUser(found.user, found.session.id);
  // An identity provider authenticated a single sign-on session: its own factors apply.
  const mustEnrol =
    found.session.method !== "oidc" &&
    (found.user.role === "admin" || found.user.role === "manager") &&
    found.secondFactor.required &&
    !found.secondFactor.enrolled;
  return {
    actor: { ...actor, mustEnrolSecondFactor: mustEnrol },
    auditHead: found.auditHead ?? "",
  };
}

/** Ends the actor's session (the token stops working at once). */
export async function logout(ctx: ServiceContext): Promise<Ok> {
  const sessionId = ctx.actor.sessionId;
  if (sessionId) {
    await ctx.db.transaction().execute(async (trx) => {
      await deleteSession(trx, sessionId);
      await writeAudit(
        trx,
        { organizationId: ctx.actor.organizationId, actorId: ctx.actor.userId },
        ctx.now().toISOString(),
        {
          action: "user.logout",
          entityType: "session",
          entityId: sessionId,
          before: null,
          after: null,
        },
      );
    });
  }
  return { ok: true };
}

/**
 * Moves the current session to another of the user's organizations: from then on every request
 * acts there, and only there. Audited in both organizations.
 */
export async function switchOrganization(
  ctx: ServiceContext,
  input: SwitchOrganizationInput,
): Promise<Me> {
  const sessionId = ctx.actor.sessionId;
  if (!sessionId) {
    throw new DomainError("BAD_REQUEST", "only a signed-in session can switch organization");
  }
  const target = await findActiveMember(ctx.db, ctx.actor.userId, input.organizationId);
  if (!target) {
    throw new DomainError(
      "NOT_FOUND",
      "you are not an active member of this organization",
      "organizationId",
    );
  }
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateSession(trx, sessionId, { membershipId: target.membershipId });
    for (const organizationId of new Set([ctx.actor.organizationId, target.organizationId])) {
      await writeAudit(trx, { organizationId, actorId: ctx.actor.userId }, at, {
        action: "user.switch-organization",
        entityType: "session",
        entityId: sessionId,
        before: { organizationId: ctx.actor.organizationId },
        after: { organizationId: target.organizationId },
      });
    }
  });
  return me({
    ...ctx,
    actor: { ...actorFromUser(target, sessionId), mustEnrolSecondFactor: false },
  });
}

/** The signed-in user, their organization, their organizations, and what they may do. */
export async function me(ctx: ServiceContext): Promise<Me> {
  const [user, organization, credentials, memberships] = await Promise.all([
    findActiveMember(ctx.db, ctx.actor.userId, ctx.actor.organizationId),
    findOrganizationById(ctx.db, ctx.actor.organizationId),
    findUserCredentialsById(ctx.db, ctx.actor.userId),
    listMembershipsOfUser(ctx.db, ctx.actor.userId),
  ]);
  if (!user || !organization || !credentials) {
    throw new DomainError("UNAUTHORIZED", "your account no longer exists");
  }
  const practitioner = user.practitionerId
    ? await findPractitionerById(ctx.db, user.practitionerId)
    : null;
  return {
    user,
    organization,
    practitioner,
    memberships: memberships
      .filter((m) => m.status === "active")
      .map((m) => ({
        id: m.id,
        organizationId: m.organizationId,
        organizationName: m.organizationName,
        role: m.role,
        status: m.status,
      })),
    permissions: permissionsOf(user),
    secondFactor: {
      enabled: credentials.totpEnabledAt !== null,
      required: organization.mfaRequired && (user.role === "admin" || user.role === "manager"),
      recoveryCodesLeft: await countUnusedRecoveryCodes(ctx.db, user.id),
    },
  };
}
