/**
 * Logins (`users`), memberships (a login's place in one organization) and sessions. A `User` is
 * a login seen through one membership; most callers want that, so most reads return it.
 */
import type { Account, Membership, User } from "@dn/schema";
import type { MembershipRow, NewSessionRow, SessionRow, UserRow } from "../database.ts";
import { toMembership, toUser } from "../mappers.ts";
import { preparedQuery } from "./prepared.ts";
import type { Db } from "./types.ts";

export async function insertAccount(
  db: Db,
  account: Account,
  passwordHash: string | null,
): Promise<Account> {
  const row = {
    id: account.id,
    email: account.email.toLowerCase(),
    name: account.name,
    createdAt: account.createdAt,
  };
  await db
    .insertInto("users")
    .values({ ...row, passwordHash })
    .execute();
  return row;
}

export async function insertMembership(db: Db, membership: Membership): Promise<Membership> {
  const { clinicIds, ...rest } = membership;
  await db
    .insertInto("memberships")
    .values({ ...rest, clinicIdsJson: clinicIds === null ? null : JSON.stringify(clinicIds) })
    .execute();
  return membership;
}

/**
 * A login and its membership in `user.organizationId`, creating the login unless one with the
 * same email exists (then its password is left alone). Seeds and tests make users this way.
 */
export async function insertUser(db: Db, user: User, passwordHash: string | null): Promise<User> {
  const existing = await findAccountByEmail(db, user.email);
  const account = existing ?? (await insertAccount(db, user, passwordHash));
  await insertMembership(db, {
    id: user.membershipId,
    userId: account.id,
    organizationId: user.organizationId,
    role: user.role,
    practitionerId: user.practitionerId,
    clinicIds: user.clinicIds,
    status: "active",
    createdAt: user.createdAt,
    deactivatedAt: null,
  });
  return { ...user, id: account.id, email: account.email, name: account.name };
}

function toAccount(row: Pick<UserRow, "id" | "email" | "name" | "createdAt">): Account {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt };
}

export async function findAccountById(db: Db, id: string): Promise<Account | null> {
  const row = await db
    .selectFrom("users")
    .select(["id", "email", "name", "createdAt"])
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function findAccountByEmail(db: Db, email: string): Promise<Account | null> {
  const row = await db
    .selectFrom("users")
    .select(["id", "email", "name", "createdAt"])
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
  return row ? toAccount(row) : null;
}

/** The login row with its password hash and second factor, for signing in. Email lower-cased. */
export async function findUserCredentialsByEmail(db: Db, email: string): Promise<UserRow | null> {
  const row = await db
    .selectFrom("users")
    .selectAll()
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
  return row ?? null;
}

export async function findUserCredentialsById(db: Db, id: string): Promise<UserRow | null> {
  const row = await db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
  return row ?? null;
}

export async function updateAccount(
  db: Db,
  id: string,
  changes: Partial<
    Pick<UserRow, "name" | "passwordHash" | "totpSecret" | "totpEnabledAt" | "totpLastStep">
  >,
): Promise<void> {
  await db.updateTable("users").set(changes).where("id", "=", id).execute();
}

const MEMBER_COLUMNS = [
  "u.id as userId",
  "u.email",
  "u.name",
  "u.createdAt as userCreatedAt",
  "m.id",
  "m.organizationId",
  "m.role",
  "m.practitionerId",
  "m.clinicIdsJson",
  "m.status",
  "m.createdAt",
  "m.deactivatedAt",
] as const;

type MemberRow = MembershipRow & {
  userId: string;
  email: string;
  name: string;
  userCreatedAt: string;
};

function memberToUser(row: MemberRow): User {
  return toUser(
    { id: row.userId, email: row.email, name: row.name, createdAt: row.userCreatedAt },
    row,
  );
}

function membersQuery(db: Db) {
  return db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.userId")
    .select(MEMBER_COLUMNS);
}

/** The user as the membership's organization sees them, active or not. */
export async function findMemberByMembershipId(
  db: Db,
  membershipId: string,
): Promise<(User & { status: Membership["status"] }) | null> {
  const row = await membersQuery(db).where("m.id", "=", membershipId).executeTakeFirst();
  return row ? { ...memberToUser(row), status: row.status } : null;
}

/** The user `userId` as organization `organizationId` sees them, if they are an active member. */
export async function findActiveMember(
  db: Db,
  userId: string,
  organizationId: string,
): Promise<User | null> {
  const row = await membersQuery(db)
    .where("m.userId", "=", userId)
    .where("m.organizationId", "=", organizationId)
    .where("m.status", "=", "active")
    .executeTakeFirst();
  return row ? memberToUser(row) : null;
}

/** Every active member of an organization, by email (digests, alert runs). */
export async function listActiveMembers(db: Db, organizationId: string): Promise<User[]> {
  const rows = await membersQuery(db)
    .where("m.organizationId", "=", organizationId)
    .where("m.status", "=", "active")
    .orderBy("u.email")
    .orderBy("m.id")
    .execute();
  return rows.map(memberToUser);
}

/** A login's memberships with the organizations' names, oldest first. */
export async function listMembershipsOfUser(
  db: Db,
  userId: string,
): Promise<(Membership & { organizationName: string })[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("organizations as o", "o.id", "m.organizationId")
    .selectAll("m")
    .select("o.name as organizationName")
    .where("m.userId", "=", userId)
    .orderBy("m.createdAt")
    .orderBy("m.id")
    .execute();
  return rows.map((row) => ({ ...toMembership(row), organizationName: row.organizationName }));
}

/** The membership linked to a practitioner, if the practitioner has a login. */
export async function findMembershipOfPractitioner(
  db: Db,
  practitionerId: string,
): Promise<Membership | null> {
  const row = await db
    .selectFrom("memberships")
    .selectAll()
    .where("practitionerId", "=", practitionerId)
    .orderBy("createdAt", "desc")
    .executeTakeFirst();
  return row ? toMembership(row) : null;
}

export async function updateMembership(
  db: Db,
  id: string,
  changes: Partial<
    Pick<MembershipRow, "role" | "practitionerId" | "clinicIdsJson" | "status" | "deactivatedAt">
  >,
): Promise<void> {
  await db.updateTable("memberships").set(changes).where("id", "=", id).execute();
}

/** The longest-standing active member of an organization with `role` (in-process tools). */
export async function findFirstUserWithRole(
  db: Db,
  organizationId: string,
  role: User["role"],
): Promise<User | null> {
  const row = await membersQuery(db)
    .where("m.organizationId", "=", organizationId)
    .where("m.role", "=", role)
    .where("m.status", "=", "active")
    .orderBy("m.createdAt")
    .orderBy("m.id")
    .executeTakeFirst();
  return row ? memberToUser(row) : null;
}

export async function insertSession(db: Db, session: NewSessionRow): Promise<NewSessionRow> {
  await db.insertInto("sessions").values(session).execute();
  return session;
}

/**
 * One query, compiled once: it runs on every signed-in request. The organization's audit chain
 * head comes with it, so a kept answer (decision 061) costs one round trip, not two.
 */
const liveSessionQuery = preparedQuery((db, slot: (name: "tokenHash" | "now") => never) =>
  db
    .selectFrom("sessions as s")
    .innerJoin("memberships as m", (join) =>
      join.onRef("m.id", "=", "s.membershipId").onRef("m.userId", "=", "s.userId"),
    )
    .innerJoin("users as u", "u.id", "m.userId")
    .innerJoin("organizations as o", "o.id", "m.organizationId")
    .select(MEMBER_COLUMNS)
    .select([
      "s.id as sessionId",
      "s.membershipId as sessionMembershipId",
      "s.tokenHash",
      "s.createdAt as sessionCreatedAt",
      "s.expiresAt",
      "s.lastSeenAt",
      "s.userAgent",
      "s.clientAddress",
      "s.method",
      "o.mfaRequired",
      "u.totpEnabledAt",
    ])
    .select((eb) =>
      eb
        .selectFrom("auditEvents as a")
        .select("a.hash")
        .whereRef("a.organizationId", "=", "o.id")
        .orderBy("a.seq", "desc")
        .limit(1)
        .as("auditHead"),
    )
    .where("s.tokenHash", "=", slot("tokenHash"))
    .where("s.expiresAt", ">", slot("now"))
    .where("m.status", "=", "active"),
);

/**
 * The session with this token hash and the user it acts as, if it has not expired at `now` and
 * its membership is active.
 */
export async function findLiveSession(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<LiveSession | null> {
  const [row] = await liveSessionQuery(db, { tokenHash, now });
  if (!row) return null;
  return {
    session: {
      id: row.sessionId,
      userId: row.userId,
      membershipId: row.sessionMembershipId,
      tokenHash: row.tokenHash,
      createdAt: row.sessionCreatedAt,
      expiresAt: row.expiresAt,
      lastSeenAt: row.lastSeenAt,
      userAgent: row.userAgent,
      clientAddress: row.clientAddress,
      method: row.method,
    },
    user: memberToUser(row),
    secondFactor: { required: Boolean(row.mfaRequired), enrolled: row.totpEnabledAt !== null },
    auditHead: row.auditHead ?? null,
  };
}

/** A live session, its member, and whether their organization asks them for a second factor. */
export interface LiveSession {
  session: SessionRow;
  user: User;
  secondFactor: { required: boolean; enrolled: boolean };
  /** The hash of the organization's newest audit row as the session was read (null: none yet). */
  auditHead: string | null;
}

/** A login's sessions that have not expired at `now`, most recently used first. */
export async function listLiveSessionsOfUser(
  db: Db,
  userId: string,
  now: string,
): Promise<SessionRow[]> {
  return db
    .selectFrom("sessions")
    .selectAll()
    .where("userId", "=", userId)
    .where("expiresAt", ">", now)
    .orderBy("lastSeenAt", "desc")
    .orderBy("createdAt", "desc")
    .execute();
}

export async function updateSession(
  db: Db,
  id: string,
  changes: Partial<Pick<SessionRow, "membershipId" | "lastSeenAt">>,
): Promise<void> {
  await db.updateTable("sessions").set(changes).where("id", "=", id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("sessions").where("id", "=", id).execute();
}

/** Ends a login's sessions, except `keepSessionId` when given; returns how many ended. */
export async function deleteSessionsOfUser(
  db: Db,
  userId: string,
  keepSessionId: string | null = null,
): Promise<number> {
  let query = db.deleteFrom("sessions").where("userId", "=", userId);
  if (keepSessionId) query = query.where("id", "!=", keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Ends every session working in a membership (it was deactivated); returns how many. */
export async function deleteSessionsOfMembership(db: Db, membershipId: string): Promise<number> {
  const result = await db
    .deleteFrom("sessions")
    .where("membershipId", "=", membershipId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes sessions that expired before `now`; returns how many. */
export async function deleteExpiredSessions(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom("sessions").where("expiresAt", "<=", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
