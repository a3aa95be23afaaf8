/**
 * Telling people: inbox notifications (one per user and dedupe key, however often the cause
 * repeats) and, for members who opted in, one email each. Every email carries an idempotency key
 * (user, kind, entity or period) recorded in `sent_emails` before it is sent, so the same
 * notification is never emailed twice (docs/decisions/070-notifications-and-follow-ups.md).
 *
 * Sending is `deliverNotification` alone: it runs after the transaction that created the
 * notification has committed, and reports failures instead of throwing (the change that caused
 * the notification has happened whatever the mail server says). A job queue can take it over
 * unchanged: it needs only the database, the mailer and the notification.
 */
import { randomUUID } from "node:crypto";
import {
  claimSentEmail,
  type Db,
  findActiveMembershipOfPractitioner,
  findOptedInRecipient,
  insertNewNotifications,
  markSentEmailSent,
  type NewNotification,
  releaseSentEmail,
} from "@dn/db";
import type { TrainingRecord } from "@dn/schema";
import {
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";

/** What a notification says, to whom; ids, organization and time are added on creation. */
export interface NotificationDraft {
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  /** Unique per user: the same key again creates nothing (and emails nothing). */
  dedupeKey: string;
}

/**
 * Inserts the drafts whose (user, dedupe key) is new, in the caller's transaction, and audits
 * them as one `notification.create` row; returns those inserted (for `deliverNotifications`
 * once the transaction has committed).
 */
export async function createNotifications(
  db: Db,
  who: { organizationId: string; actorId: string | null },
  at: string,
  cause: { entityId: string; reason: string },
  drafts: readonly NotificationDraft[],
): Promise<NewNotification[]> {
  const inserted = await insertNewNotifications(
    db,
    drafts.map((draft) => ({
      ...draft,
      id: randomUUID(),
      organizationId: who.organizationId,
      createdAt: at,
    })),
  );
  if (inserted.length > 0) {
    await writeAudit(db, who, at, {
      action: "notification.create",
      entityType: "notification",
      entityId: cause.entityId,
      before: null,
      after: {
        reason: cause.reason,
        notifications: inserted.map((n) => ({ id: n.id, userId: n.userId, kind: n.kind })),
      },
    });
  }
  return inserted;
}

/** The key that makes one notification's email unique: user, kind, entity or period. */
export function notificationEmailKey(notification: NewNotification): string {
  return `notification|${notification.userId}|${notification.kind}|${notification.dedupeKey}`;
}

export type DeliveryOutcome =
  /** Emailed now. */
  | "sent"
  /** Not emailed: no mail configured, the member did not opt in, or it was emailed before. */
  | "skipped"
  /** The mail server refused or could not be reached: reported; a later delivery may retry. */
  | "failed";

function emailText(notification: NewNotification, name: string, appUrl: string): string {
  return [
    `Hello ${name},`,
    "",
    notification.body,
    "",
    ...(notification.link ? [`Open it in dn: ${appUrl}${notification.link}`, ""] : []),
    "You get these emails because you chose to on your dn account page; you can turn them off there.",
  ].join("\n");
}

/**
 * Emails `notification` to its recipient when they opted in, at most once ever: the idempotency
 * key is claimed in the database before sending and released when sending fails. Never throws.
 */
export async function deliverNotification(
  ctx: Pick<PublicServiceContext, "db" | "now" | "accounts">,
  notification: NewNotification,
): Promise<DeliveryOutcome> {
  const mailer = ctx.accounts.mailer;
  if (!mailer) return "skipped";
  const key = notificationEmailKey(notification);
  let claimed = false;
  try {
    const recipient = await findOptedInRecipient(
      ctx.db,
      notification.userId,
      notification.organizationId,
    );
    if (!recipient) return "skipped";
    const subject = `dn: ${notification.title}`;
    claimed = await claimSentEmail(ctx.db, {
      idempotencyKey: key,
      organizationId: notification.organizationId,
      kind: notification.kind,
      recipient: recipient.email,
      subject,
      createdAt: ctx.now().toISOString(),
    });
    if (!claimed) return "skipped";
    await mailer.send({
      to: recipient.email,
      subject,
      text: emailText(notification, recipient.name, ctx.accounts.appUrl),
    });
    // Sent: whatever happens next, the claim stays, so it is never sent again.
    claimed = false;
    const at = ctx.now().toISOString();
    await markSentEmailSent(ctx.db, key, at);
    await writeAudit(ctx.db, { organizationId: notification.organizationId, actorId: null }, at, {
      action: "notification.email",
      entityType: "notification",
      entityId: notification.id,
      before: null,
      after: { to: recipient.email, kind: notification.kind, idempotencyKey: key },
    });
    return "sent";
  } catch (error) {
    if (claimed) {
      await releaseSentEmail(ctx.db, key).catch((release: unknown) =>
        ctx.accounts.reportError(release, "releasing a notification email that failed"),
      );
    }
    ctx.accounts.reportError(error, `emailing notification ${notification.kind}`);
    return "failed";
  }
}

/** Delivers each notification in turn; returns how many were emailed. Never throws. */
export async function deliverNotifications(
  ctx: Pick<PublicServiceContext, "db" | "now" | "accounts">,
  notifications: readonly NewNotification[],
): Promise<number> {
  let sent = 0;
  for (const notification of notifications) {
    if ((await deliverNotification(ctx, notification)) === "sent") sent += 1;
  }
  return sent;
}

// ---------------------------------------------------------------------------------------------
// Causes
// ---------------------------------------------------------------------------------------------

/**
 * Tells the practitioner behind a reviewed record (when they have a login) that it was verified
 * or rejected, with the reviewer's reason, then emails them if they opted in. Runs after the
 * review committed; a failure here is reported, never thrown: the review stands.
 */
export async function notifyRecordReviewed(
  ctx: ServiceContext,
  record: TrainingRecord,
): Promise<void> {
  try {
    if (record.status !== "verified" && record.status !== "rejected") return;
    const membership = await findActiveMembershipOfPractitioner(ctx.db, record.practitionerId);
    if (!membership || membership.organizationId !== ctx.actor.organizationId) return;
    if (membership.userId === ctx.actor.userId) return;
    const verified = record.status === "verified";
    const reason = record.reviewReason?.trim() ? record.reviewReason.trim() : null;
    const draft: NotificationDraft = {
      userId: membership.userId,
      kind: verified ? "record.verified" : "record.rejected",
      title: verified ? `Record verified: ${record.title}` : `Record rejected: ${record.title}`,
      body: verified
        ? `Your record “${record.title}” (completed ${record.completedOn}) was verified${reason ? `: ${reason}` : "."}`
        : `Your record “${record.title}” (completed ${record.completedOn}) was rejected${reason ? `. Reason: ${reason}` : " (no reason given)."} Correct it and it is reviewed again.`,
      link: `/records/${record.id}/history`,
      dedupeKey: `record|${record.id}|${record.version}|${record.status}`,
    };
    const created = await inTransaction(ctx, (tx) =>
      createNotifications(
        tx.db,
        { organizationId: tx.actor.organizationId, actorId: tx.actor.userId },
        record.recordedAt,
        { entityId: record.id, reason: `training-record.${verified ? "verify" : "reject"}` },
        [draft],
      ),
    );
    await deliverNotifications(ctx, created);
  } catch (error) {
    ctx.accounts.reportError(error, "notifying a practitioner of a review");
  }
}
