import type { User } from "@dn/schema";
import type { SessionRow, UserRow } from "../database.ts";
import { toUser } from "../mappers.ts";
import type { Db } from "./types.ts";

export async function insertUser(db: Db, user: User, passwordHash: string): Promise<User> {
  await db
    .insertInto("users")
    .values({ ...user, passwordHash })
    .execute();
  return user;
}

export async function findUserById(db: Db, id: string): Promise<User | null> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** The user row with its password hash, for logging in. `email` is matched lower-cased. */
export async function findUserCredentialsByEmail(db: Db, email: string): Promise<UserRow | null> {
  const row = await db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
  return row ?? null;
}

/** The longest-standing user of an organization with `role`, or null (for in-process tools). */
export async function findFirstUserWithRole(
  db: Db,
  organizationId: string,
  role: User["role"],
): Promise<User | null> {
  const row = await db
    .selectFrom("users")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .where("role", "=", role)
    .orderBy("createdAt")
    .orderBy("id")
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function insertSession(db: Db, session: SessionRow): Promise<SessionRow> {
  await db.insertInto("sessions").values(session).execute();
  return session;
}

/** The session with this token hash and its user, if it has not expired at `now`. */
export async function findLiveSession(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<{ session: SessionRow; user: User } | null> {
  const row = await db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.userId")
    .select([
      "s.id as sessionId",
      "s.userId",
      "s.tokenHash",
      "s.createdAt as sessionCreatedAt",
      "s.expiresAt",
      "u.organizationId",
      "u.email",
      "u.name",
      "u.role",
      "u.practitionerId",
      "u.createdAt as userCreatedAt",
    ])
    .where("s.tokenHash", "=", tokenHash)
    .where("s.expiresAt", ">", now)
    .executeTakeFirst();
  if (!row) return null;
  return {
    session: {
      id: row.sessionId,
      userId: row.userId,
      tokenHash: row.tokenHash,
      createdAt: row.sessionCreatedAt,
      expiresAt: row.expiresAt,
    },
    user: toUser({
      id: row.userId,
      organizationId: row.organizationId,
      email: row.email,
      name: row.name,
      role: row.role,
      practitionerId: row.practitionerId,
      createdAt: row.userCreatedAt,
    }),
  };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

/** Removes sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom("sessions").where("expiresAt", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
