/**
 * A user's own account: password change and reset, their sessions, and the second factor
 * (TOTP with recovery codes). Everything here acts on the login, across organizations, and is
 * audited in each organization the user belongs to.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "@dn/db";
import {
  consumeUserToken,
  deleteSessionsOfUser,
  expireUserTokens,
  findUserCredentialsByEmail,
  findUserCredentialsById,
  insertUserToken,
  listLiveSessionsOfUser,
  listMembershipsOfUser,
  replaceRecoveryCodes,
  updateAccount,
} from "@dn/db";
import type {
  ChangePasswordInput,
  ConfirmTotpInput,
  Ok,
  RecoveryCodes,
  RequestPasswordResetInput,
  ResetPasswordInput,
  SessionInfo,
  TotpEnrolment,
} from "@dn/schema";
import { hashPassword } from "../auth/password.ts";
import { checkNewPassword } from "../auth/password-policy.ts";
import { generateSessionToken, hashSessionToken } from "../auth/session.ts";
import {
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  totpQrSvg,
  totpUri,
  verifyTotp,
} from "../auth/totp.ts";
import { badRequest, DomainError, notFound } from "../errors.ts";
import {
  passwordMatches,
  recordFailedAttempt,
  requireNotThrottled,
  throttleKeys,
} from "./auth.service.ts";
import {
  type AuditEntry,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";

/** A reset link works for this long (OWASP: short-lived; the issue asks for under an hour). */
export const PASSWORD_RESET_TTL_MS = 30 * 60 * 1000;

/** Writes `entry` to the trail of every organization the user belongs to. */
async function auditForUser(
  db: Db,
  userId: string,
  actorId: string | null,
  at: string,
  entry: AuditEntry,
): Promise<void> {
  for (const membership of await listMembershipsOfUser(db, userId)) {
    await writeAudit(db, { organizationId: membership.organizationId, actorId }, at, entry);
  }
}

async function requireCredentials(ctx: ServiceContext) {
  const credentials = await findUserCredentialsById(ctx.db, ctx.actor.userId);
  if (!credentials) throw new DomainError("UNAUTHORIZED", "your account no longer exists");
  return credentials;
}

/** Refuses a new password the policy rejects, naming `field`. */
function requireAcceptablePassword(
  password: string,
  account: { email: string; name: string },
  field: string,
): void {
  const problem = checkNewPassword(password, account);
  if (problem) throw badRequest(problem, field);
}

/** Checks the current password (throttled like a sign-in) before a sensitive change. */
async function requireCurrentPassword(
  ctx: ServiceContext,
  credentials: Awaited<ReturnType<typeof requireCredentials>>,
  password: string,
  field = "currentPassword",
): Promise<void> {
  const keys = throttleKeys(ctx, credentials.email);
  await requireNotThrottled(ctx, keys);
  if (!(await passwordMatches(credentials, password))) {
    await recordFailedAttempt(ctx, keys, credentials, "user.password-check-failed");
    throw new DomainError("BAD_REQUEST", "is not your current password", field);
  }
}

/** Sets a new password and signs the user out everywhere else. */
export async function changePassword(ctx: ServiceContext, input: ChangePasswordInput): Promise<Ok> {
  const credentials = await requireCredentials(ctx);
  if (credentials.passwordHash === null) {
    throw badRequest(
      "your account signs in with single sign-on and has no password to change",
      "currentPassword",
    );
  }
  requireAcceptablePassword(input.newPassword, credentials, "newPassword");
  await requireCurrentPassword(ctx, credentials, input.currentPassword);
  const passwordHash = await hashPassword(input.newPassword);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateAccount(trx, credentials.id, { passwordHash });
    const ended = await deleteSessionsOfUser(trx, credentials.id, ctx.actor.sessionId);
    await auditForUser(trx, credentials.id, credentials.id, at, {
      action: "user.password-changed",
      entityType: "user",
      entityId: credentials.id,
      before: null,
      after: { otherSessionsEnded: ended },
    });
  });
  return { ok: true };
}

/**
 * Emails a single-use reset link when the address has a login; answers the same either way and
 * sends in the background, so neither the answer nor its timing tells whether it exists.
 */
export async function requestPasswordReset(
  ctx: PublicServiceContext,
  input: RequestPasswordResetInput,
): Promise<Ok> {
  const keys = throttleKeys(ctx, `reset:${input.email}`);
  await requireNotThrottled(ctx, keys);
  // Each request counts, so one address cannot flood an inbox with reset links.
  await ctx.accounts.throttle.recordFailure(keys);
  const mailer = ctx.accounts.mailer;
  if (!mailer) {
    throw new DomainError(
      "BAD_REQUEST",
      "this installation sends no email: ask an administrator to set your password",
    );
  }
  const credentials = await findUserCredentialsByEmail(ctx.db, input.email);
  if (!credentials) return { ok: true };

  const now = ctx.now();
  const at = now.toISOString();
  const token = generateSessionToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_TTL_MS);
  await ctx.db.transaction().execute(async (trx) => {
    await expireUserTokens(trx, credentials.id, "password-reset", at);
    await insertUserToken(trx, {
      id: randomUUID(),
      userId: credentials.id,
      purpose: "password-reset",
      tokenHash: hashSessionToken(token),
      membershipId: null,
      createdAt: at,
      expiresAt: expiresAt.toISOString(),
      usedAt: null,
    });
    await auditForUser(trx, credentials.id, null, at, {
      action: "user.password-reset-requested",
      entityType: "user",
      entityId: credentials.id,
      before: null,
      after: { expiresAt: expiresAt.toISOString() },
    });
  });
  const link = `${ctx.accounts.appUrl}/reset-password/${token}`;
  mailer
    .send({
      to: credentials.email,
      subject: "dn: reset your password",
      text: [
        `Hello ${credentials.name},`,
        "",
        "Someone (we hope you) asked to reset the password of your dn account.",
        `Open this link within 30 minutes to choose a new one: ${link}`,
        "",
        "If it was not you, ignore this email: your password stays as it is.",
      ].join("\n"),
    })
    .catch((error: unknown) => ctx.accounts.reportError(error, "sending a password reset email"));
  return { ok: true };
}

/** Sets a new password from a reset link (once), ends every session and clears the lockout. */
export async function resetPassword(
  ctx: PublicServiceContext,
  input: ResetPasswordInput,
): Promise<Ok> {
  const at = ctx.now().toISOString();
  const token = await ctx.db.transaction().execute(async (trx) => {
    const found = await consumeUserToken(trx, "password-reset", hashSessionToken(input.token), at);
    if (!found) return null;
    const credentials = await findUserCredentialsById(trx, found.userId);
    if (!credentials) return null;
    const problem = checkNewPassword(input.newPassword, credentials);
    // A refused password must leave the link usable: roll the consumption back.
    if (problem) throw badRequest(problem, "newPassword");
    await updateAccount(trx, credentials.id, {
      passwordHash: await hashPassword(input.newPassword),
    });
    const ended = await deleteSessionsOfUser(trx, credentials.id);
    await auditForUser(trx, credentials.id, null, at, {
      action: "user.password-reset",
      entityType: "user",
      entityId: credentials.id,
      before: null,
      after: { sessionsEnded: ended },
    });
    return credentials;
  });
  if (!token) {
    throw new DomainError(
      "BAD_REQUEST",
      "this reset link has expired or was already used: ask for a new one",
      "token",
    );
  }
  await ctx.accounts.throttle.recordSuccess({ account: token.email, address: null });
  return { ok: true };
}

/** The user's sessions that still work, the current one marked. */
export async function listSessions(ctx: ServiceContext): Promise<SessionInfo[]> {
  const sessions = await listLiveSessionsOfUser(ctx.db, ctx.actor.userId, ctx.now().toISOString());
  return sessions.map((session) => ({
    id: session.id,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    userAgent: session.userAgent,
    clientAddress: session.clientAddress,
    method: session.method,
    current: session.id === ctx.actor.sessionId,
  }));
}

/** Ends one of the user's own sessions. */
export async function revokeSession(ctx: ServiceContext, id: string): Promise<Ok> {
  const sessions = await listLiveSessionsOfUser(ctx.db, ctx.actor.userId, ctx.now().toISOString());
  if (!sessions.some((session) => session.id === id)) throw notFound("session of yours");
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom("sessions").where("id", "=", id).execute();
    await auditForUser(trx, ctx.actor.userId, ctx.actor.userId, at, {
      action: "user.session-revoked",
      entityType: "session",
      entityId: id,
      before: null,
      after: null,
    });
  });
  return { ok: true };
}

/** Ends every session of the user, this one included. */
export async function signOutEverywhere(ctx: ServiceContext): Promise<{ ended: number }> {
  const at = ctx.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const ended = await deleteSessionsOfUser(trx, ctx.actor.userId);
    await auditForUser(trx, ctx.actor.userId, ctx.actor.userId, at, {
      action: "user.signed-out-everywhere",
      entityType: "user",
      entityId: ctx.actor.userId,
      before: null,
      after: { ended },
    });
    return { ended };
  });
}

// ---------------------------------------------------------------------------------------------
// The second factor
// ---------------------------------------------------------------------------------------------

/**
 * Step one of enrolment: a fresh secret (not yet in force) and its QR code. Starting again
 * replaces an unconfirmed secret; an enabled second factor must be disabled first.
 */
export async function beginTotpEnrolment(ctx: ServiceContext): Promise<TotpEnrolment> {
  const credentials = await requireCredentials(ctx);
  if (credentials.totpEnabledAt) {
    throw new DomainError(
      "CONFLICT",
      "two-factor authentication is already on: turn it off first to enrol a new device",
    );
  }
  const secret = generateTotpSecret();
  await updateAccount(ctx.db, credentials.id, { totpSecret: secret, totpLastStep: null });
  const uri = totpUri({ secret, accountName: credentials.email });
  return { secret, uri, qrSvg: await totpQrSvg(uri) };
}

/** Keeps only the hashes of freshly generated codes, replacing the user's earlier ones. */
function storeRecoveryCodes(db: Db, userId: string, codes: string[], at: string) {
  return replaceRecoveryCodes(
    db,
    userId,
    codes.map((code) => ({ id: randomUUID(), codeHash: hashRecoveryCode(code) })),
    at,
  );
}

/** Step two: a code from the app turns the factor on and returns ten recovery codes, once. */
export async function confirmTotpEnrolment(
  ctx: ServiceContext,
  input: ConfirmTotpInput,
): Promise<RecoveryCodes> {
  const credentials = await requireCredentials(ctx);
  if (credentials.totpEnabledAt) {
    throw new DomainError("CONFLICT", "two-factor authentication is already on");
  }
  if (!credentials.totpSecret) {
    throw badRequest("start the enrolment first: there is no code to check yet", "code");
  }
  const result = verifyTotp({
    secret: credentials.totpSecret,
    code: input.code,
    at: ctx.now(),
    lastUsedStep: credentials.totpLastStep,
  });
  if (!result.ok) {
    throw badRequest("is not the current code from your authenticator app", "code");
  }
  const codes = generateRecoveryCodes();
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateAccount(trx, credentials.id, { totpEnabledAt: at, totpLastStep: result.step });
    await storeRecoveryCodes(trx, credentials.id, codes, at);
    await auditForUser(trx, credentials.id, credentials.id, at, {
      action: "user.second-factor-enabled",
      entityType: "user",
      entityId: credentials.id,
      before: null,
      after: { recoveryCodes: codes.length },
    });
  });
  return { recoveryCodes: codes };
}

/** New recovery codes (the old ones stop working), after the current password. */
export async function regenerateRecoveryCodes(
  ctx: ServiceContext,
  input: { currentPassword: string },
): Promise<RecoveryCodes> {
  const credentials = await requireCredentials(ctx);
  if (!credentials.totpEnabledAt) {
    throw badRequest("turn on two-factor authentication first");
  }
  await requireCurrentPassword(ctx, credentials, input.currentPassword);
  const codes = generateRecoveryCodes();
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await storeRecoveryCodes(trx, credentials.id, codes, at);
    await auditForUser(trx, credentials.id, credentials.id, at, {
      action: "user.recovery-codes-regenerated",
      entityType: "user",
      entityId: credentials.id,
      before: null,
      after: { recoveryCodes: codes.length },
    });
  });
  return { recoveryCodes: codes };
}

/** Turns the second factor off (current password required); the recovery codes go with it. */
export async function disableTotp(
  ctx: ServiceContext,
  input: { currentPassword: string },
): Promise<Ok> {
  const credentials = await requireCredentials(ctx);
  if (!credentials.totpEnabledAt) throw badRequest("two-factor authentication is not on");
  await requireCurrentPassword(ctx, credentials, input.currentPassword);
  const at = ctx.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await updateAccount(trx, credentials.id, {
      totpSecret: null,
      totpEnabledAt: null,
      totpLastStep: null,
    });
    await replaceRecoveryCodes(trx, credentials.id, [], at);
    await auditForUser(trx, credentials.id, credentials.id, at, {
      action: "user.second-factor-disabled",
      entityType: "user",
      entityId: credentials.id,
      before: null,
      after: null,
    });
  });
  return { ok: true };
}
