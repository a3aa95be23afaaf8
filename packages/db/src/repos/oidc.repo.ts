/**
 * Single sign-on: organizations' OpenID Connect providers, sign-ins in progress (single use,
 * expiring, found by the SHA-256 of their state) and the provider identities linked to logins.
 * Only `findOidcProviderSettings` reads the client secret; lists never select it.
 */
import type { OidcProvider } from "@dn/schema";
import type { OidcProviderRow, OidcSignInRow } from "../database.ts";
import type { Db } from "./types.ts";

/** A provider as its organization's admins see it (no secret, no sign-in link). */
export type OidcProviderRecord = Omit<OidcProvider, "signInUrl">;

const PROVIDER_COLUMNS = [
  "id",
  "organizationId",
  "name",
  "issuer",
  "clientId",
  "createdBy",
  "createdAt",
  "archivedAt",
] as const;

/** Adds a provider; false (and nothing written) when the organization has one with this issuer. */
export async function insertOidcProvider(db: Db, provider: OidcProviderRow): Promise<boolean> {
  const result = await db
    .insertInto("oidcProviders")
    .values(provider)
    .onConflict((oc) => oc.columns(["organizationId", "issuer"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function findOidcProvider(db: Db, id: string): Promise<OidcProviderRecord | null> {
  const row = await db
    .selectFrom("oidcProviders")
    .select(PROVIDER_COLUMNS)
    .where("id", "=", id)
    .executeTakeFirst();
  return row ?? null;
}

/** The provider with its client secret, for talking to it. */
export async function findOidcProviderSettings(
  db: Db,
  id: string,
): Promise<OidcProviderRow | null> {
  const row = await db
    .selectFrom("oidcProviders")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ?? null;
}

/** An organization's providers, archived ones included, newest first. */
export async function listOidcProviders(
  db: Db,
  organizationId: string,
): Promise<OidcProviderRecord[]> {
  return db
    .selectFrom("oidcProviders")
    .select(PROVIDER_COLUMNS)
    .where("organizationId", "=", organizationId)
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .execute();
}

export async function updateOidcProvider(
  db: Db,
  id: string,
  changes: Partial<Pick<OidcProviderRow, "archivedAt">>,
): Promise<void> {
  await db.updateTable("oidcProviders").set(changes).where("id", "=", id).execute();
}

export async function insertOidcSignIn(db: Db, signIn: OidcSignInRow): Promise<void> {
  await db.insertInto("oidcSignIns").values(signIn).execute();
}

/**
 * Marks the unused, unexpired sign-in `id` whose state hashes to `stateHash` used and returns
 * it, or null. One UPDATE, so of two requests racing with the same callback only one gets it.
 */
export async function consumeOidcSignIn(
  db: Db,
  id: string,
  stateHash: string,
  now: string,
): Promise<OidcSignInRow | null> {
  const row = await db
    .updateTable("oidcSignIns")
    .set({ usedAt: now })
    .where("id", "=", id)
    .where("stateHash", "=", stateHash)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** Removes sign-ins that expired before `now` (used or abandoned); returns how many. */
export async function deleteExpiredOidcSignIns(db: Db, now: string): Promise<number> {
  const result = await db
    .deleteFrom("oidcSignIns")
    .where("expiresAt", "<=", now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface UserIdentity {
  id: string;
  userId: string;
  providerId: string;
  subject: string;
  createdAt: string;
}

/** The login a provider's subject was linked to, if any. */
export async function findUserIdentity(
  db: Db,
  providerId: string,
  subject: string,
): Promise<UserIdentity | null> {
  const row = await db
    .selectFrom("userIdentities")
    .selectAll()
    .where("providerId", "=", providerId)
    .where("subject", "=", subject)
    .executeTakeFirst();
  return row ?? null;
}

/** Links a subject to a login; false (nothing written) when the subject is already linked. */
export async function insertUserIdentity(db: Db, identity: UserIdentity): Promise<boolean> {
  const result = await db
    .insertInto("userIdentities")
    .values(identity)
    .onConflict((oc) => oc.columns(["providerId", "subject"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}
