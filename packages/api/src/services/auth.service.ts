import { randomUUID } from "node:crypto";
import {
  deleteExpiredSessions,
  deleteSession,
  findLiveSession,
  findOrganizationById,
  findPractitionerById,
  findUserById,
  findUserCredentialsByEmail,
  insertSession,
} from "@dn/db";
import type { LoginInput, Me, Ok, Session } from "@dn/schema";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { generateSessionToken, hashSessionToken, SESSION_TTL_MS } from "../auth/session.ts";
import { DomainError } from "../errors.ts";
import {
  type Actor,
  actorFromUser,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";

const BAD_CREDENTIALS = "email or password is incorrect";

// Verifying against a real hash when the email is unknown keeps both failures equally slow.
let dummyHash: Promise<string> | null = null;
function hashForUnknownEmail(): Promise<string> {
  dummyHash ??= hashPassword(randomUUID());
  return dummyHash;
}

/** Checks the credentials and opens a 7-day session. Unknown email and wrong password look alike. */
export async function login(ctx: PublicServiceContext, input: LoginInput): Promise<Session> {
  const credentials = await findUserCredentialsByEmail(ctx.db, input.email);
  if (!credentials) {
    await verifyPassword(input.password, await hashForUnknownEmail());
    throw new DomainError("UNAUTHORIZED", BAD_CREDENTIALS);
  }
  const valid = await verifyPassword(input.password, credentials.passwordHash);
  const now = ctx.now();
  const at = now.toISOString();
  const who = { organizationId: credentials.organizationId, actorId: credentials.id };
  if (!valid) {
    // The attempt is about this user but nobody signed in made it: no actor.
    await writeAudit(ctx.db, { ...who, actorId: null }, at, {
      action: "user.login-failed",
      entityType: "user",
      entityId: credentials.id,
      before: null,
      after: null,
    });
    throw new DomainError("UNAUTHORIZED", BAD_CREDENTIALS);
  }

  const token = generateSessionToken();
  const session = {
    id: randomUUID(),
    userId: credentials.id,
    tokenHash: hashSessionToken(token),
    createdAt: at,
    expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
  };
  await ctx.db.transaction().execute(async (trx) => {
    // Logins are rare and cheap: a good moment to drop sessions that can no longer be used.
    await deleteExpiredSessions(trx, at);
    await insertSession(trx, session);
    await writeAudit(trx, who, at, {
      action: "user.login",
      entityType: "session",
      entityId: session.id,
      before: null,
      after: { userId: session.userId, expiresAt: session.expiresAt },
    });
  });
  const user = await findUserById(ctx.db, credentials.id);
  if (!user) throw new DomainError("UNAUTHORIZED", BAD_CREDENTIALS);
  return { token, expiresAt: session.expiresAt, user };
}

/** The actor a bearer token stands for, or null when it is unknown or expired. */
export async function resolveSession(
  ctx: PublicServiceContext,
  token: string,
): Promise<Actor | null> {
  const found = await findLiveSession(ctx.db, hashSessionToken(token), ctx.now().toISOString());
  return found ? actorFromUser(found.user, found.session.id) : null;
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

/** The signed-in user, their organization and, for practitioners, their practitioner record. */
export async function me(ctx: ServiceContext): Promise<Me> {
  const user = await findUserById(ctx.db, ctx.actor.userId);
  const organization = await findOrganizationById(ctx.db, ctx.actor.organizationId);
  if (!user || !organization)
    throw new DomainError("UNAUTHORIZED", "your account no longer exists");
  const practitioner = user.practitionerId
    ? await findPractitionerById(ctx.db, user.practitionerId)
    : null;
  return { user, organization, practitioner };
}
