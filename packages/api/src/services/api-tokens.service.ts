/**
 * Regulators' read-only API tokens: scoped to one organization and optionally one jurisdiction,
 * expiring, revocable; created by organization-wide managers and admins (a token reads the whole
 * organization, so a manager limited to clinics may not make one). The secret (`dnr_...`) is
 * shown once and stored only as SHA-256. Every use, and every refused use of a known token, is
 * audited.
 */
import { randomBytes, randomUUID } from "node:crypto";
import {
  type Db,
  findApiToken,
  findApiTokenByHash,
  insertApiToken,
  listApiTokens as listApiTokenRows,
  updateApiToken,
} from "@dn/db";
import type { ApiToken, CreateApiTokenInput, CreatedApiToken, Jurisdiction } from "@dn/schema";
import { hashSessionToken } from "../auth/session.ts";
import { conflict, notFound } from "../errors.ts";
import {
  type Actor,
  auditByActor,
  inTransaction,
  type ServiceContext,
  writeAudit,
} from "./context.ts";
import { requirePermission } from "./guards.ts";

const TOKEN_PREFIX = "dnr_";
const DAY_MS = 24 * 60 * 60 * 1000;

export async function createApiToken(
  ctx: ServiceContext,
  input: CreateApiTokenInput,
): Promise<CreatedApiToken> {
  requirePermission(ctx, "create:api-token");
  const now = ctx.now();
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const token: ApiToken = {
    id: randomUUID(),
    organizationId: ctx.actor.organizationId,
    label: input.label,
    jurisdiction: input.jurisdiction ?? null,
    createdBy: ctx.actor.userId,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString(),
    revokedAt: null,
    lastUsedAt: null,
  };
  await inTransaction(ctx, async (tx) => {
    await insertApiToken(tx.db, token, hashSessionToken(secret));
    await auditByActor(tx.db, tx, token.createdAt, {
      action: "api-token.create",
      entityType: "api-token",
      entityId: token.id,
      before: null,
      after: token,
    });
  });
  return { token, secret };
}

export async function listApiTokens(ctx: ServiceContext): Promise<ApiToken[]> {
  requirePermission(ctx, "read:api-token");
  return listApiTokenRows(ctx.db, ctx.actor.organizationId);
}

export async function revokeApiToken(ctx: ServiceContext, id: string): Promise<ApiToken> {
  requirePermission(ctx, "revoke:api-token");
  const token = await findApiToken(ctx.db, id);
  if (!token || token.organizationId !== ctx.actor.organizationId) throw notFound("API token");
  if (token.revokedAt) throw conflict("the token is already revoked", "id");
  const at = ctx.now().toISOString();
  await inTransaction(ctx, async (tx) => {
    await updateApiToken(tx.db, id, { revokedAt: at });
    await auditByActor(tx.db, tx, at, {
      action: "api-token.revoke",
      entityType: "api-token",
      entityId: id,
      before: token,
      after: { ...token, revokedAt: at },
    });
  });
  return { ...token, revokedAt: at };
}

/** A live token's holder: read-only (role auditor) in one organization, maybe one jurisdiction. */
export interface TokenPrincipal {
  token: ApiToken;
  jurisdiction: Jurisdiction | null;
  /** The service actor the token acts as (auditor of the organization). */
  actor: Actor;
}

export type TokenResolution =
  | { ok: true; principal: TokenPrincipal }
  | { ok: false; reason: "unknown" | "expired" | "revoked" };

/**
 * Resolves a bearer secret. Refusals of a known token (expired, revoked) are audited in its
 * organization; unknown secrets have no organization to audit in.
 */
export async function resolveApiToken(
  db: Db,
  secret: string,
  now: Date,
  request: { method: string; path: string },
): Promise<TokenResolution> {
  if (!secret.startsWith(TOKEN_PREFIX)) return { ok: false, reason: "unknown" };
  const token = await findApiTokenByHash(db, hashSessionToken(secret));
  if (!token) return { ok: false, reason: "unknown" };
  const at = now.toISOString();
  const reason = token.revokedAt
    ? "revoked"
    : Date.parse(token.expiresAt) <= now.getTime()
      ? "expired"
      : null;
  if (reason) {
    await writeAudit(db, { organizationId: token.organizationId, actorId: null }, at, {
      action: "api-token.refused",
      entityType: "api-token",
      entityId: token.id,
      before: null,
      after: { reason, ...request },
    });
    return { ok: false, reason };
  }
  return {
    ok: true,
    principal: {
      token,
      jurisdiction: token.jurisdiction,
      actor: {
        userId: token.createdBy,
        membershipId: null,
        organizationId: token.organizationId,
        role: "auditor",
        practitionerId: null,
        clinicIds: null,
        sessionId: null,
      },
    },
  };
}

/** Records one use of a token: the request, in the audit trail, and the last-used time. */
export async function recordApiTokenUse(
  db: Db,
  principal: TokenPrincipal,
  now: Date,
  request: { method: string; path: string; query: string },
): Promise<void> {
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await updateApiToken(trx, principal.token.id, { lastUsedAt: at });
    await writeAudit(trx, { organizationId: principal.token.organizationId, actorId: null }, at, {
      action: "api-token.use",
      entityType: "api-token",
      entityId: principal.token.id,
      before: null,
      after: request,
    });
  });
}
