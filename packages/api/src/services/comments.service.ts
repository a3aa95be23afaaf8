/**
 * Reader comments: public submission (rate-limited per address, with a honeypot), the
 * moderation queue (publish, hide, spam, flag as a possible adverse event) and the follow-up
 * items a flag raises for managers (docs/decisions/041-public-comments.md).
 */
import { createHash, randomUUID } from "node:crypto";
import {
  countCommentsSince,
  findArticleBySlug,
  findCommentById,
  findFollowUpByComment,
  findFollowUpById,
  insertComment,
  insertFollowUp,
  listComments as listCommentRows,
  listFollowUps as listFollowUpRows,
  replaceCommentModeration,
  replaceFollowUp,
} from "@dn/db";
import type {
  Comment,
  CommentDecision,
  FollowUpItem,
  FollowUpView,
  ModerationItem,
  ModerationState,
  Page,
} from "@dn/schema";
import { conflict, DomainError } from "../errors.ts";
import { requireOwn } from "./content-access.ts";
import {
  auditByActor,
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
  writeAudit,
} from "./context.ts";
import { requirePermission } from "./guards.ts";

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
export function moderateComment(
  ctx: ServiceContext,
  input: { id: string; decision: CommentDecision; note: string | null },
): Promise<{ comment: Comment; followUp: FollowUpItem | null }> {
  requirePermission(ctx, "moderate:comment");
  return inTransaction(ctx, async (tx) => {
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
        followUp = await insertFollowUp(tx.db, {
          id: randomUUID(),
          organizationId: tx.actor.organizationId,
          kind: "adverse-event",
          commentId: before.id,
          articleId: before.articleId,
          summary: input.note ?? "possible adverse event reported in a comment",
          status: "open",
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
