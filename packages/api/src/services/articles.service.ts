/**
 * Articles: create, update, publish, archive and reorder, each kept as a revision and audited;
 * search by title and tag; the page view (author, videos, references, comments); Markdown
 * export and import (docs/decisions/042-article-markdown.md).
 */
import { randomUUID } from "node:crypto";
import { articleToMarkdown, maskEmail, readArticleMarkdown } from "@dn/content";
import {
  type Db,
  findArticleById,
  findArticleBySlug,
  findAuthorById,
  findReferencesByIds,
  findVideosByIds,
  insertArticle,
  insertArticleRevision,
  listArticleRevisions,
  listPublishedComments,
  replaceArticle,
  searchArticles as searchArticleRows,
} from "@dn/db";
import type {
  Article,
  ArticleBlock,
  ArticleContent,
  ArticleRevision,
  ArticleRevisionAction,
  ArticleSummary,
  ArticleView,
  Page,
  PublicArticleView,
  PublishArticleInput,
  ReorderBlocksInput,
  SearchArticlesInput,
  UpdateArticleInput,
} from "@dn/schema";
import { badRequest, conflict, DomainError } from "../errors.ts";
import { requireOwn } from "./content-access.ts";
import {
  auditByActor,
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
} from "./context.ts";
import { requireDatesNotInFuture } from "./dates.ts";
import { requirePermission } from "./guards.ts";

const CONTENT_FIELDS = ["slug", "title", "summary", "authorId", "tags", "blocks"] as const;

function contentOf(article: ArticleContent): ArticleContent {
  return {
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    authorId: article.authorId,
    tags: article.tags,
    blocks: article.blocks,
  };
}

function sameContent(a: ArticleContent, b: ArticleContent): boolean {
  return CONTENT_FIELDS.every((field) => JSON.stringify(a[field]) === JSON.stringify(b[field]));
}

function today(ctx: { now: () => Date }): string {
  return ctx.now().toISOString().slice(0, 10);
}

/** Refuses a slug another article of the organization already uses (the public URL). */
async function requireFreeSlug(
  tx: ServiceContext,
  slug: string,
  exceptId: string | null,
): Promise<void> {
  const existing = await findArticleBySlug(tx.db, tx.actor.organizationId, slug);
  if (existing && existing.id !== exceptId) {
    throw conflict(`another article of your organization already uses the address ${slug}`, "slug");
  }
}

/** Refuses an author, video or reference that is not in the organization's library. */
async function requireLibraryItems(ctx: ServiceContext, content: ArticleContent): Promise<void> {
  if (content.authorId !== null) {
    const author = await findAuthorById(ctx.db, content.authorId);
    if (!author || author.organizationId !== ctx.actor.organizationId) {
      throw badRequest("no author with this id in the library", "authorId");
    }
  }
  const videoIds = content.blocks.flatMap((b) => (b.type === "video" ? [b.videoId] : []));
  const referenceIds = content.blocks.flatMap((b) =>
    b.type === "literature" ? [b.referenceId] : [],
  );
  const own = (item: { id: string; organizationId: string }) =>
    item.organizationId === ctx.actor.organizationId;
  const videos = new Set((await findVideosByIds(ctx.db, videoIds)).filter(own).map((v) => v.id));
  const references = new Set(
    (await findReferencesByIds(ctx.db, referenceIds)).filter(own).map((r) => r.id),
  );
  content.blocks.forEach((block, index) => {
    if (block.type === "video" && !videos.has(block.videoId)) {
      throw badRequest("no video with this id in the library", `blocks.${index}.videoId`);
    }
    if (block.type === "literature" && !references.has(block.referenceId)) {
      throw badRequest(
        "no literature reference with this id in the library",
        `blocks.${index}.referenceId`,
      );
    }
  });
}

async function requireArticle(ctx: ServiceContext, id: string, field = "id"): Promise<Article> {
  return requireOwn(ctx, await findArticleById(ctx.db, id), "article", field);
}

function requireRevision(article: Article, expected: number | null | undefined): void {
  if (expected != null && expected !== article.revision) {
    throw conflict(
      `the article was changed by someone else (now revision ${article.revision}, you edited ${expected}); reload it and apply your change again`,
      "expectedRevision",
    );
  }
}

/** Stores the next state of an article, keeps it as a revision, and audits the change. */
async function saveRevision(
  tx: ServiceContext,
  before: Article | null,
  after: Article,
  action: ArticleRevisionAction,
): Promise<Article> {
  if (before) await replaceArticle(tx.db, after);
  else await insertArticle(tx.db, after);
  await insertArticleRevision(tx.db, {
    id: randomUUID(),
    articleId: after.id,
    revision: after.revision,
    action,
    article: after,
    recordedAt: after.updatedAt,
    recordedBy: tx.actor.userId,
  });
  await auditByActor(tx.db, tx, after.updatedAt, {
    action: `article.${action}`,
    entityType: "article",
    entityId: after.id,
    before,
    after,
  });
  return after;
}

async function createFromContent(
  tx: ServiceContext,
  content: ArticleContent,
  action: ArticleRevisionAction,
): Promise<Article> {
  await requireFreeSlug(tx, content.slug, null);
  await requireLibraryItems(tx, content);
  const at = tx.now().toISOString();
  return saveRevision(
    tx,
    null,
    {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      ...contentOf(content),
      status: "draft",
      publishedOn: null,
      revision: 1,
      createdAt: at,
      updatedAt: at,
    },
    action,
  );
}

async function updateFromContent(
  tx: ServiceContext,
  before: Article,
  content: ArticleContent,
  action: ArticleRevisionAction,
): Promise<Article> {
  if (sameContent(before, content)) return before;
  await requireFreeSlug(tx, content.slug, before.id);
  await requireLibraryItems(tx, content);
  return saveRevision(tx, before, nextRevision(tx, before, contentOf(content)), action);
}

function nextRevision(tx: ServiceContext, before: Article, changes: Partial<Article>): Article {
  return {
    ...before,
    ...changes,
    revision: before.revision + 1,
    updatedAt: tx.now().toISOString(),
  };
}

export function createArticle(ctx: ServiceContext, input: ArticleContent): Promise<Article> {
  requirePermission(ctx, "create:article");
  return inTransaction(ctx, (tx) => createFromContent(tx, input, "create"));
}

export function updateArticle(
  ctx: ServiceContext,
  input: ArticleContent & Pick<UpdateArticleInput, "id" | "expectedRevision">,
): Promise<Article> {
  requirePermission(ctx, "update:article");
  return inTransaction(ctx, async (tx) => {
    const before = await requireArticle(tx, input.id);
    requireRevision(before, input.expectedRevision);
    return updateFromContent(tx, before, input, "update");
  });
}

export function publishArticle(
  ctx: ServiceContext,
  input: { id: string; publishedOn: string | null } & Pick<PublishArticleInput, "id">,
): Promise<Article> {
  requirePermission(ctx, "publish:article");
  requireDatesNotInFuture(ctx, { publishedOn: input.publishedOn });
  return inTransaction(ctx, async (tx) => {
    const before = await requireArticle(tx, input.id);
    const publishedOn = before.publishedOn ?? input.publishedOn ?? today(tx);
    if (before.status === "published" && before.publishedOn === publishedOn) return before;
    return saveRevision(
      tx,
      before,
      nextRevision(tx, before, { status: "published", publishedOn }),
      "publish",
    );
  });
}

export function archiveArticle(ctx: ServiceContext, id: string): Promise<Article> {
  requirePermission(ctx, "archive:article");
  return inTransaction(ctx, async (tx) => {
    const before = await requireArticle(tx, id);
    if (before.status === "archived") return before;
    return saveRevision(tx, before, nextRevision(tx, before, { status: "archived" }), "archive");
  });
}

/** Puts the blocks in a new order: `order[i]` is the current position of the new i-th block. */
export function reorderBlocks(
  ctx: ServiceContext,
  input: ReorderBlocksInput & { order: number[] },
): Promise<Article> {
  requirePermission(ctx, "update:article");
  return inTransaction(ctx, async (tx) => {
    const before = await requireArticle(tx, input.id);
    requireRevision(before, input.expectedRevision);
    const count = before.blocks.length;
    const isPermutation =
      input.order.length === count &&
      new Set(input.order).size === count &&
      input.order.every((position) => position >= 0 && position < count);
    if (!isPermutation) {
      throw badRequest(
        `must list each block position from 0 to ${count - 1} exactly once`,
        "order",
      );
    }
    if (input.order.every((position, index) => position === index)) return before;
    const blocks = input.order.map((position) => before.blocks[position] as ArticleBlock);
    return saveRevision(tx, before, nextRevision(tx, before, { blocks }), "reorder");
  });
}

export async function getArticle(ctx: ServiceContext, id: string): Promise<Article> {
  requirePermission(ctx, "read:article");
  return requireArticle(ctx, id);
}

export async function searchArticles(
  ctx: ServiceContext,
  input: SearchArticlesInput & { limit: number },
): Promise<Page<ArticleSummary>> {
  requirePermission(ctx, "read:article");
  const page = await searchArticleRows(ctx.db, {
    organizationId: ctx.actor.organizationId,
    query: input.query,
    tag: input.tag,
    status: input.status,
    cursor: input.cursor,
    limit: input.limit,
  });
  return {
    items: page.items.map(({ blocks, ...rest }) => ({ ...rest, blockCount: blocks.length })),
    nextCursor: page.nextCursor,
  };
}

export async function articleRevisions(
  ctx: ServiceContext,
  id: string,
): Promise<ArticleRevision[]> {
  requirePermission(ctx, "read:article");
  await requireArticle(ctx, id);
  return listArticleRevisions(ctx.db, id);
}

/** The article with its author (contact masked), videos, references and published comments. */
async function buildView(db: Db, article: Article): Promise<ArticleView> {
  const author = article.authorId ? await findAuthorById(db, article.authorId) : null;
  const videoIds = article.blocks.flatMap((b) => (b.type === "video" ? [b.videoId] : []));
  const referenceIds = article.blocks.flatMap((b) =>
    b.type === "literature" ? [b.referenceId] : [],
  );
  const own = (item: { organizationId: string }) => item.organizationId === article.organizationId;
  const comments = await listPublishedComments(db, article.id);
  return {
    article,
    author: author
      ? {
          id: author.id,
          name: author.name,
          credentials: author.credentials,
          bio: author.bio,
          contactMasked: author.contactEmail ? maskEmail(author.contactEmail) : null,
        }
      : null,
    videos: (await findVideosByIds(db, videoIds)).filter(own),
    references: (await findReferencesByIds(db, referenceIds)).filter(own),
    comments: comments.map((c) => ({
      id: c.id,
      displayName: c.displayName,
      body: c.body,
      postedAt: c.postedAt,
    })),
  };
}

/** The page of an article for its editors, in any state (the preview). */
export async function viewArticle(ctx: ServiceContext, id: string): Promise<ArticleView> {
  requirePermission(ctx, "read:article");
  return buildView(ctx.db, await requireArticle(ctx, id));
}

/**
 * The public page of a published article, addressed by its organization and slug; anything else
 * is NOT_FOUND. Only what the page shows: no ids of the organization, the article or its author.
 */
export async function publicArticle(
  ctx: PublicServiceContext,
  input: { organizationId: string; slug: string },
): Promise<PublicArticleView> {
  const article = await findArticleBySlug(ctx.db, input.organizationId, input.slug);
  if (article?.status !== "published") {
    throw new DomainError("NOT_FOUND", "no published article at this address", "slug");
  }
  const view = await buildView(ctx.db, article);
  const { slug, title, summary, tags, blocks, publishedOn } = view.article;
  const withoutInternal = <
    T extends { organizationId: string; createdAt: string; updatedAt: string },
  >({
    organizationId: _org,
    createdAt: _created,
    updatedAt: _updated,
    ...rest
  }: T) => rest;
  return {
    article: { slug, title, summary, tags, blocks, publishedOn },
    author: view.author
      ? {
          name: view.author.name,
          credentials: view.author.credentials,
          bio: view.author.bio,
          contactMasked: view.author.contactMasked,
        }
      : null,
    videos: view.videos.map(withoutInternal),
    references: view.references.map(withoutInternal),
    comments: view.comments,
  };
}

export async function exportMarkdown(ctx: ServiceContext, id: string): Promise<string> {
  requirePermission(ctx, "read:article");
  const article = await requireArticle(ctx, id);
  return articleToMarkdown({
    ...contentOf(article),
    status: article.status,
    publishedOn: article.publishedOn,
    updatedAt: article.updatedAt,
  });
}

/**
 * Creates (as a draft) or updates the article with the file's slug. Content equal to what is
 * stored changes nothing. Refused with the first problem's field, listing every problem.
 */
export function importMarkdown(ctx: ServiceContext, markdown: string): Promise<Article> {
  requirePermission(ctx, "create:article");
  requirePermission(ctx, "update:article");
  const read = readArticleMarkdown(markdown);
  if (!read.success) {
    const [first] = read.issues;
    const all = read.issues.map((issue) => `${issue.path || "(file)"}: ${issue.message}`);
    throw badRequest(
      read.issues.length === 1 && first ? first.message : all.join("; "),
      first?.path
        ? first.path === "markdown"
          ? "markdown"
          : `markdown.${first.path}`
        : "markdown",
    );
  }
  const content = read.content;
  return inTransaction(ctx, async (tx) => {
    const existing = await findArticleBySlug(tx.db, tx.actor.organizationId, content.slug);
    if (existing) {
      return updateFromContent(tx, existing, content, "import");
    }
    return createFromContent(tx, content, "import");
  });
}
