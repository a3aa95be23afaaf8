/**
 * Single sign-on with OpenID Connect. An organization's admins add its identity providers; staff
 * sign in through one and are matched to their membership: first by the provider identity
 * linked at an earlier sign-in, else by the email the provider verified, which links the
 * identity. Nobody gets a login this way: invitations remain the way in.
 *
 * A sign-in is `beginSignIn` (a row holding the state's SHA-256, the nonce and the PKCE
 * verifier for ten minutes) and `completeSignIn` (the callback's state finds the row, which is
 * spent in one UPDATE before anything else happens). The provider authenticates, so there is
 * no TOTP step; membership status still decides.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  consumeOidcSignIn,
  deleteExpiredOidcSignIns,
  findAccountByEmail,
  findActiveMember,
  findOidcProvider,
  findOidcProviderSettings,
  findUserIdentity,
  insertOidcProvider,
  insertOidcSignIn,
  insertUserIdentity,
  listOidcProviders,
  type OidcProviderRecord,
  type OidcProviderRow,
  updateOidcProvider,
} from "@dn/db";
import {
  type BeginSsoSignInInput,
  type CompleteSsoSignInInput,
  type CreateOidcProviderInput,
  isLoopbackHttpUrl,
  type OidcProvider,
  type SignedIn,
  type SsoSignInStart,
  type User,
} from "@dn/schema";
import {
  beginOidcSignIn,
  completeOidcSignIn,
  discoverOidc,
  type OidcClient,
  type OidcIdentity,
  OidcSignInError,
} from "../auth/oidc.ts";
import { badRequest, conflict, DomainError, notFound } from "../errors.ts";
import { openSession } from "./auth.service.ts";
import {
  auditByActor,
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";
import { requirePermission } from "./guards.ts";

/** How long a started sign-in may take to come back from the provider. */
export const SSO_SIGN_IN_TTL_MS = 10 * 60 * 1000;

export const NO_ACTIVE_MEMBERSHIP = "no active membership in this organization for this account";
export const EMAIL_NOT_VERIFIED =
  "the identity provider did not verify this account's email address: ask your organization's " +
  "IT administrator";
const SIGN_IN_SPENT =
  "this sign-in is unknown, expired or already used: start again from your organization's " +
  "sign-in link";
const PROVIDER_GONE = "this organization no longer signs in with this identity provider";

/** The admin app's page that receives the provider's redirect. */
export function ssoCallbackUrl(ctx: PublicServiceContext): string {
  return `${ctx.accounts.appUrl}/sso/callback`;
}

function toOidcProvider(ctx: PublicServiceContext, record: OidcProviderRecord): OidcProvider {
  return {
    id: record.id,
    organizationId: record.organizationId,
    name: record.name,
    issuer: record.issuer,
    clientId: record.clientId,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    archivedAt: record.archivedAt,
    signInUrl: `${ctx.accounts.appUrl}/sso/${record.id}`,
  };
}

/** Plain http is allowed only for issuers on this machine (development, tests). */
function discover(settings: Pick<OidcProviderRow, "issuer" | "clientId" | "clientSecret">) {
  const url = URL.canParse(settings.issuer) ? new URL(settings.issuer) : null;
  return discoverOidc(settings, { allowHttp: url !== null && isLoopbackHttpUrl(url) });
}

function hashState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Providers (`*:oidc-provider`: admins only, see GRANTS)
// ---------------------------------------------------------------------------------------------

/**
 * Adds a provider after fetching its discovery document, so a wrong issuer is refused on
 * `issuer` before anything is written. The issuer is stored as the document states it.
 */
export async function createProvider(
  ctx: ServiceContext,
  input: CreateOidcProviderInput,
): Promise<OidcProvider> {
  requirePermission(ctx, "create:oidc-provider");
  const client = await discover(input);
  const at = ctx.now().toISOString();
  const row: OidcProviderRow = {
    id: randomUUID(),
    organizationId: ctx.actor.organizationId,
    name: input.name,
    issuer: client.issuer,
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    createdBy: ctx.actor.userId,
    createdAt: at,
    archivedAt: null,
  };
  const { clientSecret: _secret, ...record } = row;
  const provider = toOidcProvider(ctx, record);
  await inTransaction(ctx, async (tx) => {
    if (!(await insertOidcProvider(tx.db, row))) {
      throw conflict(
        "this organization already has an identity provider with this issuer (archived ones count)",
        "issuer",
      );
    }
    await auditByActor(tx.db, tx, at, {
      action: "oidc-provider.create",
      entityType: "oidc-provider",
      entityId: row.id,
      before: null,
      after: record,
    });
  });
  return provider;
}

export async function listProviders(ctx: ServiceContext): Promise<OidcProvider[]> {
  requirePermission(ctx, "read:oidc-provider");
  const records = await listOidcProviders(ctx.db, ctx.actor.organizationId);
  return records.map((record) => toOidcProvider(ctx, record));
}

/** Stops sign-ins with a provider; identities linked through it stay, unused. */
export async function archiveProvider(ctx: ServiceContext, id: string): Promise<OidcProvider> {
  requirePermission(ctx, "archive:oidc-provider");
  const record = await findOidcProvider(ctx.db, id);
  if (!record || record.organizationId !== ctx.actor.organizationId) {
    throw notFound("identity provider");
  }
  if (record.archivedAt) throw conflict("the identity provider is already archived", "id");
  const at = ctx.now().toISOString();
  const archived = { ...record, archivedAt: at };
  await inTransaction(ctx, async (tx) => {
    await updateOidcProvider(tx.db, id, { archivedAt: at });
    await auditByActor(tx.db, tx, at, {
      action: "oidc-provider.archive",
      entityType: "oidc-provider",
      entityId: id,
      before: record,
      after: archived,
    });
  });
  return toOidcProvider(ctx, archived);
}

// ---------------------------------------------------------------------------------------------
// Signing in (anyone)
// ---------------------------------------------------------------------------------------------

/**
 * Starts a sign-in with a live provider. The redirect URI must be this installation's callback:
 * a code is never sent anywhere else.
 */
export async function beginSignIn(
  ctx: PublicServiceContext,
  input: BeginSsoSignInInput,
): Promise<SsoSignInStart> {
  const redirectUri = ssoCallbackUrl(ctx);
  if (input.redirectUri !== redirectUri) {
    throw badRequest(`must be this installation's sign-in callback, ${redirectUri}`, "redirectUri");
  }
  const provider = await findOidcProviderSettings(ctx.db, input.providerId);
  if (!provider || provider.archivedAt) {
    throw notFound("single sign-on provider (it may have been archived)", "providerId");
  }
  const client = await discover(provider);
  const start = await beginOidcSignIn(client, { redirectUri });
  const now = ctx.now();
  const at = now.toISOString();
  const signInId = randomUUID();
  const expiresAt = new Date(now.getTime() + SSO_SIGN_IN_TTL_MS).toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    // Abandoned sign-ins pile up otherwise; starting one is a good moment to drop them.
    await deleteExpiredOidcSignIns(trx, at);
    await insertOidcSignIn(trx, {
      id: signInId,
      providerId: provider.id,
      stateHash: hashState(start.state),
      nonce: start.nonce,
      codeVerifier: start.codeVerifier,
      redirectUri,
      createdAt: at,
      expiresAt,
      usedAt: null,
    });
  });
  return { signInId, authorizationUrl: start.url, expiresAt };
}

/**
 * Completes a sign-in from the URL the provider redirected back to, for the browser that began
 * it (`signInId`): spends the sign-in, has the library check the response and the ID token,
 * then opens a session in the provider's organization for the matching active member.
 */
export async function completeSignIn(
  ctx: PublicServiceContext,
  input: CompleteSsoSignInInput,
): Promise<SignedIn> {
  if (!URL.canParse(input.callbackUrl)) throw badRequest("is not a URL", "callbackUrl");
  const callback = new URL(input.callbackUrl);
  const state = callback.searchParams.get("state");
  if (!state) {
    throw badRequest(
      "has no state: start again from your organization's sign-in link",
      "callbackUrl",
    );
  }
  const at = ctx.now().toISOString();
  const signIn = await consumeOidcSignIn(ctx.db, input.signInId, hashState(state), at);
  if (!signIn) throw new DomainError("UNAUTHORIZED", SIGN_IN_SPENT, "callbackUrl");
  const provider = await findOidcProviderSettings(ctx.db, signIn.providerId);
  if (!provider) throw new DomainError("UNAUTHORIZED", PROVIDER_GONE);

  const refuse = async (reason: string, problem: string, subject: string | null = null) => {
    await writeAudit(ctx.db, { organizationId: provider.organizationId, actorId: null }, at, {
      action: "oidc-provider.sign-in-refused",
      entityType: "oidc-provider",
      entityId: provider.id,
      before: null,
      after: { reason, subject },
    });
    return new DomainError("UNAUTHORIZED", problem);
  };
  if (provider.archivedAt) throw await refuse("provider-archived", PROVIDER_GONE);

  let identity: OidcIdentity;
  try {
    const client: OidcClient = await discover(provider);
    // The token request names the redirect URI the sign-in began with, whatever host the
    // callback reached the app on; only the provider's parameters are taken from it.
    const currentUrl = new URL(signIn.redirectUri);
    currentUrl.search = callback.search;
    identity = await completeOidcSignIn(client, {
      callbackUrl: currentUrl,
      expected: { state, nonce: signIn.nonce, codeVerifier: signIn.codeVerifier },
    });
  } catch (error) {
    // The library's refusal is ours in words (oidc.ts); it is recorded by its short code.
    if (error instanceof OidcSignInError) await refuse(error.reason, error.problem);
    throw error;
  }
  if (!identity.emailVerified || identity.email === null) {
    throw await refuse("email-not-verified", EMAIL_NOT_VERIFIED, identity.subject);
  }

  const member = await findMemberFor(ctx, provider, identity.subject, identity.email);
  if (!member) throw await refuse("no-active-membership", NO_ACTIVE_MEMBERSHIP, identity.subject);
  return openSession(ctx, member, "oidc");
}

/**
 * The active member of the provider's organization this identity signs in as: the login the
 * subject is linked to, else the login with the verified email (then the subject is linked to
 * it, audited). Null when there is none; a login outside the organization is never linked.
 */
async function findMemberFor(
  ctx: PublicServiceContext,
  provider: OidcProviderRow,
  subject: string,
  email: string,
): Promise<User | null> {
  const linked = await findUserIdentity(ctx.db, provider.id, subject);
  if (linked) return findActiveMember(ctx.db, linked.userId, provider.organizationId);

  const account = await findAccountByEmail(ctx.db, email);
  const member = account
    ? await findActiveMember(ctx.db, account.id, provider.organizationId)
    : null;
  if (!member) return null;
  const at = ctx.now().toISOString();
  const link = {
    id: randomUUID(),
    userId: member.id,
    providerId: provider.id,
    subject,
    createdAt: at,
  };
  const inserted = await ctx.db.transaction().execute(async (trx) => {
    if (!(await insertUserIdentity(trx, link))) return false;
    await writeAudit(trx, { organizationId: provider.organizationId, actorId: member.id }, at, {
      action: "user.identity-link",
      entityType: "user",
      entityId: member.id,
      before: null,
      after: { identityId: link.id, providerId: provider.id, subject },
    });
    return true;
  });
  if (inserted) return member;
  // A concurrent sign-in linked the subject first: it counts only if it linked the same login.
  const winner = await findUserIdentity(ctx.db, provider.id, subject);
  return winner?.userId === member.id ? member : null;
}
