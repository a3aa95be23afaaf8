/**
 * Reader comments: public submission (rate-limited per address, with a honeypot), the
 * moderation queue (publish, hide, spam, flag as a possible adverse event) and the follow-up
 * items a flag raises for managers (docs/decisions/041-public-comments.md): each is owed by
 * someone by a date, and the organization's managers and admins are told when one is raised
 * (docs/decisions/070-notifications-and-follow-ups.md).
 */
import { createHash, randomUUID } from "node:crypto";
import { addDays, daysBetween } from "@dn/compliance";
import {
  countCommentsSince,
  findActiveMember,
  findArticleBySlug,
  findCommentById,
  findFollowUpByComment,
  findFollowUpById,
  insertComment,
  insertFollowUp,
  listActiveMembers,
  listClinics,
  listComments as listCommentRows,
  listFollowUps as listFollowUpRows,
  listOpenFollowUps as listOpenFollowUpRows,
  type NewNotification,
  replaceCommentModeration,
  replaceFollowUp,
} from "@dn/db";
import {
  ADVERSE_EVENT_FOLLOW_UP_DAYS,
  type AssignFollowUpInput,
  AssignFollowUpInputSchema,
  type Comment,
  type CommentDecision,
  type FollowUpItem,
  type FollowUpView,
  type ModerationItem,
  type ModerationState,
  type OpenFollowUps,
  OpenFollowUpsInputSchema,
  type Page,
} from "@dn/schema";
import { badRequest, conflict, DomainError } from "../errors.ts";
import { headlineDate, todayFrom } from "./clinic-today.ts";
import { requireOwn } from "./content-access.ts";
import {
  auditByActor,
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";
import { requirePermission } from "./guards.ts";
import { createNotifications, deliverNotifications, type NotificationDraft } from "./notify.ts";

/** At most this many comments from one address in the window. */
export const COMMENT_RATE_LIMIT = { max: 5, windowMinutes: 10 } as const;

/** A one-way key for an address, so the table never holds addresses. */
export function submitterKey(address: string | null | undefined): string {
  return createHash("sha256")
    .update(`dn-comment:${address ?? "unknown"}`)
    .digest("hex");
}

/**
 * Takes a reader's comment for moderation. A filled-in honeypot marks it as spam, but the
 * answer is the same, so a bot learns nothing. Too many from one address: TOO_MANY_REQUESTS.
 */
export async function submitComment(
  ctx: PublicServiceContext,
  input: {
    organizationId: string;
    articleSlug: string;
    displayName: string;
    body: string;
    website: string;
  },
): Promise<{ status: "received" }> {
  return ctx.db.transaction().execute(async (trx) => {
    const article = await findArticleBySlug(trx, input.organizationId, input.articleSlug);
    if (article?.status !== "published") {
      throw new DomainError("NOT_FOUND", "no published article at this address", "articleSlug");
    }
    const now = ctx.now();
    const key = submitterKey(ctx.origin.clientAddress);
    const since = new Date(now.getTime() - COMMENT_RATE_LIMIT.windowMinutes * 60_000).toISOString();
    if ((await countCommentsSince(trx, key, since)) >= COMMENT_RATE_LIMIT.max) {
      throw new DomainError(
        "TOO_MANY_REQUESTS",
        `too many comments from your connection: please wait ${COMMENT_RATE_LIMIT.windowMinutes} minutes and try again`,
      );
    }
    const at = now.toISOString();
    const caught = input.website.trim() !== "";
    const comment: Comment = {
      id: randomUUID(),
      organizationId: article.organizationId,
      articleId: article.id,
      displayName: input.displayName,
      body: input.body,
      postedAt: at,
      moderationState: caught ? "spam" : "pending",
      adverseEvent: false,
      moderatedAt: caught ? at : null,
      moderatedBy: null,
      moderationNote: caught ? "automatic: the honeypot field was filled in" : null,
    };
    await insertComment(trx, comment, key);
    await writeAudit(trx, { organizationId: article.organizationId, actorId: null }, at, {
      action: "comment.submit",
      entityType: "comment",
      entityId: comment.id,
      before: null,
      after: comment,
    });
    return { status: "received" as const };
  });
}

export function listComments(
  ctx: ServiceContext,
  input: {
    moderationState?: ModerationState;
    articleId?: string;
    cursor?: string | null;
    limit: number;
  },
): Promise<Page<ModerationItem>> {
  requirePermission(ctx, "read:comment");
  return listCommentRows(ctx.db, { organizationId: ctx.actor.organizationId, ...input });
}

const STATE_OF: Record<Exclude<CommentDecision, "flag-adverse-event">, ModerationState> = {
  publish: "published",
  hide: "hidden",
  spam: "spam",
};

/**
 * Applies a moderator's decision. Flagging a possible adverse event keeps the comment out of
 * public view (a pending one becomes hidden) and opens a follow-up item for managers.
 */
export async function moderateComment(
  ctx: ServiceContext,
  input: { id: string; decision: CommentDecision; note: string | null },
): Promise<{ comment: Comment; followUp: FollowUpItem | null }> {
  requirePermission(ctx, "moderate:comment");
  let told: NewNotification[] = [];
  const result = await inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findCommentById(tx.db, input.id), "comment");
    const at = tx.now().toISOString();
    const moderated = {
      moderatedAt: at,
      moderatedBy: tx.actor.userId,
      moderationNote: input.note ?? before.moderationNote,
    };
    let after: Comment;
    let followUp: FollowUpItem | null = null;
    if (input.decision === "flag-adverse-event") {
      if (before.adverseEvent) {
        throw conflict("this comment is already flagged as a possible adverse event", "decision");
      }
      after = {
        ...before,
        ...moderated,
        adverseEvent: true,
        moderationState: before.moderationState === "pending" ? "hidden" : before.moderationState,
      };
      if (!(await findFollowUpByComment(tx.db, before.id))) {
        const today = await organizationToday(tx);
        followUp = await insertFollowUp(tx.db, {
          id: randomUUID(),
          organizationId: tx.actor.organizationId,
          kind: "adverse-event",
          commentId: before.id,
          articleId: before.articleId,
          summary: input.note ?? "possible adverse event reported in a comment",
          status: "open",
          ownerId: tx.actor.userId,
          dueOn: addDays(today, ADVERSE_EVENT_FOLLOW_UP_DAYS),
          createdAt: at,
          createdBy: tx.actor.userId,
          resolvedAt: null,
          resolvedBy: null,
          resolution: null,
        });
        await auditByActor(tx.db, tx, at, {
          action: "follow-up.create",
          entityType: "follow-up",
          entityId: followUp.id,
          before: null,
          after: followUp,
        });
        told = await tellManagersOfAdverseEvent(tx, followUp, at);
      }
    } else {
      after = { ...before, ...moderated, moderationState: STATE_OF[input.decision] };
    }
    await replaceCommentModeration(tx.db, after);
    await auditByActor(tx.db, tx, at, {
      action: `comment.${input.decision}`,
      entityType: "comment",
      entityId: after.id,
      before,
      after,
    });
    return { comment: after, followUp };
  });
  await deliverNotifications(ctx, told);
  return result;
}

/** The organization's date for follow-up ages and due dates: the latest of its clinics'. */
async function organizationToday(ctx: ServiceContext): Promise<string> {
  const clinics = await listClinics(ctx.db, ctx.actor.organizationId);
  return headlineDate(todayFrom(undefined, ctx.now()), clinics);
}

/** Every active manager and admin but the one who flagged it hears of a new adverse event. */
async function tellManagersOfAdverseEvent(
  tx: ServiceContext,
  followUp: FollowUpItem,
  at: string,
): Promise<NewNotification[]> {
  const members = await listActiveMembers(tx.db, tx.actor.organizationId);
  const drafts: NotificationDraft[] = members
    .filter((m) => (m.role === "manager" || m.role === "admin") && m.id !== tx.actor.userId)
    .map((m) => ({
      userId: m.id,
      kind: "adverse-event.flagged",
      title: "Possible adverse event to follow up",
      body: `A reader's comment was flagged as a possible adverse event: ${followUp.summary} Follow up by ${followUp.dueOn}.`,
      link: "/follow-ups",
      dedupeKey: `adverse-event|${followUp.id}`,
    }));
  return createNotifications(
    tx.db,
    { organizationId: tx.actor.organizationId, actorId: tx.actor.userId },
    at,
    { entityId: followUp.id, reason: "follow-up.create" },
    drafts,
  );
}

/**
 * The organization's open follow-ups for the manager's dashboard: soonest due first, each with
 * its owner, due date and age in days, and how many are open and overdue in all.
 */
export async function listOpenFollowUps(
  ctx: ServiceContext,
  input: { limit?: number },
): Promise<OpenFollowUps> {
  requirePermission(ctx, "read:follow-up");
  const { limit } = OpenFollowUpsInputSchema.parse(input);
  const asOf = await organizationToday(ctx);
  const open = await listOpenFollowUpRows(ctx.db, ctx.actor.organizationId, { asOf, limit });
  return {
    asOf,
    total: open.total,
    overdue: open.overdue,
    items: open.items.map((item) => ({
      ...item,
      ageDays: Math.max(0, daysBetween(item.createdAt.slice(0, 10), asOf)),
      daysLeft: daysBetween(asOf, item.dueOn),
    })),
  };
}

/**
 * Hands an open follow-up to an active manager or admin of the organization and sets its due
 * date (not before the day it was raised). A new owner other than the actor is told.
 */
export async function assignFollowUp(
  ctx: ServiceContext,
  input: AssignFollowUpInput,
): Promise<FollowUpItem> {
  requirePermission(ctx, "resolve:follow-up");
  const parsed = AssignFollowUpInputSchema.parse(input);
  let told: NewNotification[] = [];
  const after = await inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findFollowUpById(tx.db, parsed.id), "follow-up item");
    if (before.status === "resolved") throw conflict("this follow-up is already resolved", "id");
    const owner = await findActiveMember(tx.db, parsed.ownerId, tx.actor.organizationId);
    if (!owner || (owner.role !== "manager" && owner.role !== "admin")) {
      throw badRequest("must be an active manager or admin of this organization", "ownerId");
    }
    if (parsed.dueOn < before.createdAt.slice(0, 10)) {
      throw badRequest("must not be before the day the follow-up was raised", "dueOn");
    }
    if (before.ownerId === parsed.ownerId && before.dueOn === parsed.dueOn) return before;
    const at = tx.now().toISOString();
    const changed = await replaceFollowUp(tx.db, {
      ...before,
      ownerId: parsed.ownerId,
      dueOn: parsed.dueOn,
    });
    await auditByActor(tx.db, tx, at, {
      action: "follow-up.assign",
      entityType: "follow-up",
      entityId: changed.id,
      before,
      after: changed,
    });
    if (owner.id !== tx.actor.userId && owner.id !== before.ownerId) {
      told = await createNotifications(
        tx.db,
        { organizationId: tx.actor.organizationId, actorId: tx.actor.userId },
        at,
        { entityId: changed.id, reason: "follow-up.assign" },
        [
          {
            userId: owner.id,
            kind: "follow-up.assigned",
            title: "A follow-up is yours",
            body: `You now own the follow-up “${changed.summary}”, due ${changed.dueOn}.`,
            link: "/follow-ups",
            dedupeKey: `follow-up-owner|${changed.id}|${owner.id}|${at}`,
          },
        ],
      );
    }
    return changed;
  });
  await deliverNotifications(ctx, told);
  return after;
}

export function listFollowUps(
  ctx: ServiceContext,
  input: { status?: FollowUpItem["status"]; cursor?: string | null; limit: number },
): Promise<Page<FollowUpView>> {
  requirePermission(ctx, "read:follow-up");
  return listFollowUpRows(ctx.db, { organizationId: ctx.actor.organizationId, ...input });
}

export function resolveFollowUp(
  ctx: ServiceContext,
  input: { id: string; resolution: string },
): Promise<FollowUpItem> {
  requirePermission(ctx, "resolve:follow-up");
  return inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findFollowUpById(tx.db, input.id), "follow-up item");
    if (before.status === "resolved") throw conflict("this follow-up is already resolved");
    const at = tx.now().toISOString();
    const after = await replaceFollowUp(tx.db, {
      ...before,
      status: "resolved",
      resolvedAt: at,
      resolvedBy: tx.actor.userId,
      resolution: input.resolution,
    });
    await auditByActor(tx.db, tx, at, {
      action: "follow-up.resolve",
      entityType: "follow-up",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}
