import type { Notification } from "@dn/schema";
import type { Db } from "./types.ts";

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
    const existing = await db
      .selectFrom("notifications")
      .select("dedupeKey")
      .where("userId", "=", userId)
      .where(
        "dedupeKey",
        "in",
        list.map((n) => n.dedupeKey),
      )
      .execute();
    const seen = new Set(existing.map((row) => row.dedupeKey));
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
  let query = db
    .updateTable("notifications")
    .set({ readAt: at })
    .where("userId", "=", userId)
    .where("readAt", "is", null);
  if (ids !== undefined) {
    if (ids.length === 0) return 0;
    query = query.where("id", "in", [...ids]);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function upsertCalendarFeed(
  db: Db,
  feed: { userId: string; membershipId: string; tokenHash: string; createdAt: string },
): Promise<void> {
  await db.deleteFrom("calendarFeeds").where("userId", "=", feed.userId).execute();
  await db.insertInto("calendarFeeds").values(feed).execute();
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
