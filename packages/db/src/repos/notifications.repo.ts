import type { Notification } from "@dn/schema";
import { chunksOf, type Db } from "./types.ts";

export interface NewNotification extends Omit<Notification, "readAt"> {
  organizationId: string;
  userId: string;
  dedupeKey: string;
}

/**
 * Inserts the notifications whose (user, dedupe key) is new; returns those inserted. Re-running
 * the alert job therefore never raises the same alert twice.
 */
export async function insertNewNotifications(
  db: Db,
  notifications: readonly NewNotification[],
): Promise<NewNotification[]> {
  if (notifications.length === 0) return [];
  const inserted: NewNotification[] = [];
  const byUser = new Map<string, NewNotification[]>();
  for (const n of notifications) byUser.set(n.userId, [...(byUser.get(n.userId) ?? []), n]);
  for (const [userId, list] of byUser) {
    const seen = new Set<string>();
    for (const chunk of chunksOf(list.map((n) => n.dedupeKey))) {
      const existing = await db
        .selectFrom("notifications")
        .select("dedupeKey")
        .where("userId", "=", userId)
        .where("dedupeKey", "in", chunk)
        .execute();
      for (const row of existing) seen.add(row.dedupeKey);
    }
    for (const n of list) {
      if (seen.has(n.dedupeKey)) continue;
      seen.add(n.dedupeKey);
      await db
        .insertInto("notifications")
        .values({ ...n, readAt: null })
        .execute();
      inserted.push(n);
    }
  }
  return inserted;
}

export async function listNotifications(
  db: Db,
  userId: string,
  options: { unreadOnly: boolean; limit: number },
): Promise<Notification[]> {
  let query = db
    .selectFrom("notifications")
    .select(["id", "kind", "title", "body", "link", "createdAt", "readAt"])
    .where("userId", "=", userId);
  if (options.unreadOnly) query = query.where("readAt", "is", null);
  return query.orderBy("createdAt", "desc").orderBy("id").limit(options.limit).execute();
}

export async function countUnreadNotifications(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("userId", "=", userId)
    .where("readAt", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Marks the user's notifications read (only theirs); returns how many changed. */
export async function markNotificationsRead(
  db: Db,
  userId: string,
  ids: readonly string[] | undefined,
  at: string,
): Promise<number> {
  const query = db
    .updateTable("notifications")
    .set({ readAt: at })
    .where("userId", "=", userId)
    .where("readAt", "is", null);
  if (ids === undefined) return Number((await query.executeTakeFirst()).numUpdatedRows);
  let updated = 0;
  for (const chunk of chunksOf(ids)) {
    const result = await query.where("id", "in", chunk).executeTakeFirst();
    updated += Number(result.numUpdatedRows);
  }
  return updated;
}

export async function upsertCalendarFeed(
  db: Db,
  feed: { userId: string; membershipId: string; tokenHash: string; createdAt: string },
): Promise<void> {
  // One statement: two requests issuing a feed at once each replace the row, neither fails.
  await db
    .insertInto("calendarFeeds")
    .values(feed)
    .onConflict((oc) =>
      oc.column("userId").doUpdateSet({
        membershipId: feed.membershipId,
        tokenHash: feed.tokenHash,
        createdAt: feed.createdAt,
      }),
    )
    .execute();
}

/** The membership a feed token shows deadlines for, or null when the token is unknown. */
export async function findCalendarFeedMembership(
  db: Db,
  tokenHash: string,
): Promise<string | null> {
  const row = await db
    .selectFrom("calendarFeeds")
    .select("membershipId")
    .where("tokenHash", "=", tokenHash)
    .executeTakeFirst();
  return row?.membershipId ?? null;
}

// ---------------------------------------------------------------------------------------------
// Preferences and email delivery
// ---------------------------------------------------------------------------------------------

/** Whether a membership has new notifications emailed too (no row: not). */
export async function findNotificationPreferences(
  db: Db,
  membershipId: string,
): Promise<{ emailOptIn: boolean }> {
  const row = await db
    .selectFrom("notificationPreferences")
    .select("emailOptIn")
    .where("membershipId", "=", membershipId)
    .executeTakeFirst();
  return { emailOptIn: Number(row?.emailOptIn ?? 0) === 1 };
}

export async function upsertNotificationPreferences(
  db: Db,
  preferences: { membershipId: string; emailOptIn: boolean; updatedAt: string; updatedBy: string },
): Promise<void> {
  const values = {
    membershipId: preferences.membershipId,
    emailOptIn: preferences.emailOptIn ? 1 : 0,
    updatedAt: preferences.updatedAt,
    updatedBy: preferences.updatedBy,
  };
  await db
    .insertInto("notificationPreferences")
    .values(values)
    .onConflict((oc) =>
      oc.column("membershipId").doUpdateSet({
        emailOptIn: values.emailOptIn,
        updatedAt: values.updatedAt,
        updatedBy: values.updatedBy,
      }),
    )
    .execute();
}

/**
 * Where a notification for `userId` in `organizationId` may be emailed: their address and name
 * when their membership there is active and opted in, else null.
 */
export async function findOptedInRecipient(
  db: Db,
  userId: string,
  organizationId: string,
): Promise<{ email: string; name: string } | null> {
  const row = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.userId")
    .innerJoin("notificationPreferences as p", "p.membershipId", "m.id")
    .select(["u.email", "u.name"])
    .where("m.userId", "=", userId)
    .where("m.organizationId", "=", organizationId)
    .where("m.status", "=", "active")
    .where("p.emailOptIn", "=", 1)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Claims the right to send the email with `idempotencyKey`: true when this call recorded it
 * (status `sending`), false when it was sent, or is being sent, already.
 */
export async function claimSentEmail(
  db: Db,
  email: {
    idempotencyKey: string;
    organizationId: string;
    kind: string;
    recipient: string;
    subject: string;
    createdAt: string;
  },
): Promise<boolean> {
  const result = await db
    .insertInto("sentEmails")
    .values({ ...email, status: "sending", sentAt: null })
    .onConflict((oc) => oc.column("idempotencyKey").doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function markSentEmailSent(db: Db, idempotencyKey: string, at: string): Promise<void> {
  await db
    .updateTable("sentEmails")
    .set({ status: "sent", sentAt: at })
    .where("idempotencyKey", "=", idempotencyKey)
    .execute();
}

/** Gives up a claim whose sending failed, so a later attempt may send it. */
export async function releaseSentEmail(db: Db, idempotencyKey: string): Promise<void> {
  await db
    .deleteFrom("sentEmails")
    .where("idempotencyKey", "=", idempotencyKey)
    .where("status", "=", "sending")
    .execute();
}

export async function findSentEmail(
  db: Db,
  idempotencyKey: string,
): Promise<{ status: "sending" | "sent"; recipient: string; sentAt: string | null } | null> {
  const row = await db
    .selectFrom("sentEmails")
    .select(["status", "recipient", "sentAt"])
    .where("idempotencyKey", "=", idempotencyKey)
    .executeTakeFirst();
  return row ?? null;
}
