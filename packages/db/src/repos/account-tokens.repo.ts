/** Single-use tokens for users (password resets, second-factor challenges) and recovery codes. */
import type { UserTokenRow } from "../database.ts";
import type { Db } from "./types.ts";

export async function insertUserToken(db: Db, token: UserTokenRow): Promise<void> {
  await db.insertInto("userTokens").values(token).execute();
}

/**
 * Marks the unused, unexpired token with this hash used and returns it, or null. One UPDATE, so
 * of two requests racing with the same token only one gets it.
 */
export async function consumeUserToken(
  db: Db,
  purpose: UserTokenRow["purpose"],
  tokenHash: string,
  now: string,
): Promise<UserTokenRow | null> {
  const row = await db
    .updateTable("userTokens")
    .set({ usedAt: now })
    .where("tokenHash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

/** The unused, unexpired token with this hash, without using it up. */
export async function findUsableUserToken(
  db: Db,
  purpose: UserTokenRow["purpose"],
  tokenHash: string,
  now: string,
): Promise<UserTokenRow | null> {
  const row = await db
    .selectFrom("userTokens")
    .selectAll()
    .where("tokenHash", "=", tokenHash)
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .where("expiresAt", ">", now)
    .executeTakeFirst();
  return row ?? null;
}

/** Spends a user's open tokens of one kind (a newer reset link replaces older ones). */
export async function expireUserTokens(
  db: Db,
  userId: string,
  purpose: UserTokenRow["purpose"],
  now: string,
): Promise<void> {
  await db
    .updateTable("userTokens")
    .set({ usedAt: now })
    .where("userId", "=", userId)
    .where("purpose", "=", purpose)
    .where("usedAt", "is", null)
    .execute();
}

/** Replaces a user's recovery codes with these hashes. */
export async function replaceRecoveryCodes(
  db: Db,
  userId: string,
  codes: { id: string; codeHash: string }[],
  now: string,
): Promise<void> {
  await db.deleteFrom("recoveryCodes").where("userId", "=", userId).execute();
  if (codes.length === 0) return;
  await db
    .insertInto("recoveryCodes")
    .values(codes.map((code) => ({ ...code, userId, createdAt: now, usedAt: null })))
    .execute();
}

/** Uses up the recovery code with this hash; false when there is no unused one. */
export async function consumeRecoveryCode(
  db: Db,
  userId: string,
  codeHash: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("recoveryCodes")
    .set({ usedAt: now })
    .where("userId", "=", userId)
    .where("codeHash", "=", codeHash)
    .where("usedAt", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("recoveryCodes")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("userId", "=", userId)
    .where("usedAt", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
