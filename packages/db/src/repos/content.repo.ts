/**
 * The content library's queries: authors, videos, literature references and their evidence
 * links to standards, articles and their revisions, comments, follow-up items and courses.
 * Dialect-neutral; rows are mapped to @dn/schema types here (JSON text to arrays, 0/1 to
 * booleans). Organization scoping is the caller's (services check `organizationId`).
 */
import type {
  Article,
  ArticleBlock,
  ArticleRevision,
  ArticleRevisionAction,
  ArticleStatus,
  Author,
  CitedStudy,
  Comment,
  Course,
  CourseApproval,
  ExcerptKind,
  FollowUpItem,
  FollowUpView,
  LiteratureReference,
  ModerationItem,
  ModerationState,
  PersonName,
  StandardEvidence,
  Topic,
  Video,
  VideoProvider,
} from "@dn/schema";
import { sql } from "kysely";
import type {
  ArticleRow,
  CommentRow,
  ContentAuthorRow,
  CourseRow,
  FollowUpItemRow,
  LiteratureReferenceRow,
  VideoRow,
} from "../content-tables.ts";
import {
  afterKey,
  containsPattern,
  decodeCursor,
  type Page,
  type PageRequest,
  toPage,
} from "./cursor.ts";
import { chunksOf, type Db } from "./types.ts";

function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

// ---------------------------------------------------------------------------------------------
// Authors
// ---------------------------------------------------------------------------------------------

function toAuthor(row: ContentAuthorRow): Author {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    credentials: parseJson<string[]>(row.credentialsJson),
    bio: row.bio,
    contactEmail: row.contactEmail,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function fromAuthor(author: Author) {
  const { credentials, ...rest } = author;
  return { ...rest, credentialsJson: JSON.stringify(credentials) };
}

export async function insertAuthor(db: Db, author: Author): Promise<Author> {
  await db.insertInto("contentAuthors").values(fromAuthor(author)).execute();
  return author;
}

export async function replaceAuthor(db: Db, author: Author): Promise<Author> {
  const { id, organizationId, createdAt, ...changes } = fromAuthor(author);
  await db.updateTable("contentAuthors").set(changes).where("id", "=", id).execute();
  return author;
}

export async function findAuthorById(db: Db, id: string): Promise<Author | null> {
  const row = await db
    .selectFrom("contentAuthors")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toAuthor(row) : null;
}

export async function listAuthors(db: Db, organizationId: string): Promise<Author[]> {
  const rows = await db
    .selectFrom("contentAuthors")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("name")
    .orderBy("id")
    .execute();
  return rows.map(toAuthor);
}

// ---------------------------------------------------------------------------------------------
// Videos
// ---------------------------------------------------------------------------------------------

function toVideo(row: VideoRow): Video {
  return {
    id: row.id,
    organizationId: row.organizationId,
    title: row.title,
    channel: row.channel,
    provider: row.provider as VideoProvider,
    url: row.url,
    providerId: row.providerId,
    durationSeconds: row.durationSeconds === null ? null : Number(row.durationSeconds),
    description: row.description,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function insertVideo(db: Db, video: Video): Promise<Video> {
  await db.insertInto("videos").values(video).execute();
  return video;
}

export async function replaceVideo(db: Db, video: Video): Promise<Video> {
  const { id, organizationId, createdAt, ...changes } = video;
  await db.updateTable("videos").set(changes).where("id", "=", id).execute();
  return video;
}

export async function findVideoById(db: Db, id: string): Promise<Video | null> {
  const row = await db.selectFrom("videos").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toVideo(row) : null;
}

export async function listVideos(db: Db, organizationId: string): Promise<Video[]> {
  const rows = await db
    .selectFrom("videos")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("title")
    .orderBy("id")
    .execute();
  return rows.map(toVideo);
}

export async function findVideosByIds(db: Db, ids: readonly string[]): Promise<Video[]> {
  const videos: Video[] = [];
  for (const chunk of chunksOf(ids)) {
    const rows = await db.selectFrom("videos").selectAll().where("id", "in", chunk).execute();
    videos.push(...rows.map(toVideo));
  }
  return videos;
}

// ---------------------------------------------------------------------------------------------
// Literature references and the evidence base of standards
// ---------------------------------------------------------------------------------------------

function toReference(row: LiteratureReferenceRow): LiteratureReference {
  return {
    id: row.id,
    organizationId: row.organizationId,
    excerpt: row.excerpt,
    excerptKind: row.excerptKind as ExcerptKind,
    workTitle: row.workTitle,
    subtitle: row.subtitle,
    edition: row.edition,
    authors: parseJson<PersonName[]>(row.authorsJson),
    etAl: Number(row.etAl) === 1,
    publisher: row.publisher,
    year: Number(row.year),
    pages: row.pages,
    url: row.url,
    citedStudies: parseJson<CitedStudy[]>(row.citedStudiesJson),
    tags: parseJson<string[]>(row.tagsJson),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function fromReference(reference: LiteratureReference) {
  const { authors, etAl, citedStudies, tags, ...rest } = reference;
  return {
    ...rest,
    authorsJson: JSON.stringify(authors),
    etAl: etAl ? 1 : 0,
    citedStudiesJson: JSON.stringify(citedStudies),
    tagsJson: JSON.stringify(tags),
  };
}

export async function insertReference(
  db: Db,
  reference: LiteratureReference,
): Promise<LiteratureReference> {
  await db.insertInto("literatureReferences").values(fromReference(reference)).execute();
  return reference;
}

export async function replaceReference(
  db: Db,
  reference: LiteratureReference,
): Promise<LiteratureReference> {
  const { id, organizationId, createdAt, ...changes } = fromReference(reference);
  await db.updateTable("literatureReferences").set(changes).where("id", "=", id).execute();
  return reference;
}

export async function findReferenceById(db: Db, id: string): Promise<LiteratureReference | null> {
  const row = await db
    .selectFrom("literatureReferences")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toReference(row) : null;
}

export async function listReferences(
  db: Db,
  organizationId: string,
): Promise<LiteratureReference[]> {
  const rows = await db
    .selectFrom("literatureReferences")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("workTitle")
    .orderBy("year")
    .orderBy("id")
    .execute();
  return rows.map(toReference);
}

export async function findReferencesByIds(
  db: Db,
  ids: readonly string[],
): Promise<LiteratureReference[]> {
  const references: LiteratureReference[] = [];
  for (const chunk of chunksOf(ids)) {
    const rows = await db
      .selectFrom("literatureReferences")
      .selectAll()
      .where("id", "in", chunk)
      .execute();
    references.push(...rows.map(toReference));
  }
  return references;
}

export async function insertStandardEvidence(
  db: Db,
  organizationId: string,
  link: StandardEvidence,
): Promise<StandardEvidence> {
  await db
    .insertInto("standardEvidence")
    .values({ organizationId, ...link })
    .execute();
  return link;
}

export async function deleteStandardEvidence(
  db: Db,
  organizationId: string,
  standardId: string,
  referenceId: string,
): Promise<number> {
  const result = await db
    .deleteFrom("standardEvidence")
    .where("organizationId", "=", organizationId)
    .where("standardId", "=", standardId)
    .where("referenceId", "=", referenceId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Evidence links of an organization, for one standard or one reference (or all). */
export async function listStandardEvidence(
  db: Db,
  organizationId: string,
  filter: { standardId?: string; referenceId?: string } = {},
): Promise<StandardEvidence[]> {
  let query = db
    .selectFrom("standardEvidence")
    .select(["standardId", "referenceId", "note", "linkedAt", "linkedBy"])
    .where("organizationId", "=", organizationId);
  if (filter.standardId !== undefined) query = query.where("standardId", "=", filter.standardId);
  if (filter.referenceId !== undefined) {
    query = query.where("referenceId", "=", filter.referenceId);
  }
  return query.orderBy("standardId").orderBy("linkedAt").orderBy("referenceId").execute();
}

// ---------------------------------------------------------------------------------------------
// Articles and revisions
// ---------------------------------------------------------------------------------------------

function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    organizationId: row.organizationId,
    slug: row.slug,
    title: row.title,
    summary: row.summary,
    authorId: row.authorId,
    tags: parseJson<string[]>(row.tagsJson),
    blocks: parseJson<ArticleBlock[]>(row.blocksJson),
    status: row.status as ArticleStatus,
    publishedOn: row.publishedOn,
    revision: Number(row.revision),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function fromArticle(article: Article) {
  const { tags, blocks, ...rest } = article;
  return { ...rest, tagsJson: JSON.stringify(tags), blocksJson: JSON.stringify(blocks) };
}

export async function insertArticle(db: Db, article: Article): Promise<Article> {
  await db.insertInto("articles").values(fromArticle(article)).execute();
  return article;
}

/** Writes every field of `article` over the stored row. */
export async function replaceArticle(db: Db, article: Article): Promise<Article> {
  const { id, organizationId, createdAt, ...changes } = fromArticle(article);
  await db.updateTable("articles").set(changes).where("id", "=", id).execute();
  return article;
}

export async function findArticleById(db: Db, id: string): Promise<Article | null> {
  const row = await db.selectFrom("articles").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toArticle(row) : null;
}

/** Slugs are unique per organization (2026-12-02T0300-content-slugs). */
export async function findArticleBySlug(
  db: Db,
  organizationId: string,
  slug: string,
): Promise<Article | null> {
  const row = await db
    .selectFrom("articles")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .where("slug", "=", slug)
    .executeTakeFirst();
  return row ? toArticle(row) : null;
}

export interface ArticleSearch extends PageRequest {
  organizationId: string;
  /** Words that must all appear in the title (case-insensitive). */
  query?: string;
  tag?: string;
  status?: ArticleStatus;
}

/** Articles, most recently changed first. */
export async function searchArticles(db: Db, search: ArticleSearch): Promise<Page<Article>> {
  let query = db
    .selectFrom("articles")
    .selectAll()
    .where("organizationId", "=", search.organizationId);
  for (const word of (search.query ?? "").split(/\s+/).filter((w) => w.length > 0)) {
    const pattern = containsPattern(word);
    query = query.where(
      ({ eb }) => sql<boolean>`lower(${eb.ref("title")}) like ${pattern} escape '\\'`,
    );
  }
  if (search.tag !== undefined) {
    const pattern = `%${JSON.stringify(search.tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(
      ({ eb }) => sql<boolean>`${eb.ref("tagsJson")} like ${pattern} escape '\\'`,
    );
  }
  if (search.status !== undefined) query = query.where("status", "=", search.status);
  if (search.cursor) {
    const [updatedAt, id] = decodeCursor(search.cursor, 2).map(String) as [string, string];
    query = query.where(afterKey(["updatedAt", "id"], [updatedAt, id], "desc"));
  }
  const rows = await query
    .orderBy("updatedAt", "desc")
    .orderBy("id", "desc")
    .limit(search.limit + 1)
    .execute();
  return toPage(rows, search.limit, toArticle, (row) => [row.updatedAt, row.id]);
}

export async function insertArticleRevision(
  db: Db,
  revision: ArticleRevision & { id: string },
): Promise<void> {
  await db
    .insertInto("articleRevisions")
    .values({
      id: revision.id,
      articleId: revision.articleId,
      revision: revision.revision,
      action: revision.action,
      snapshotJson: JSON.stringify(revision.article),
      recordedAt: revision.recordedAt,
      recordedBy: revision.recordedBy,
    })
    .execute();
}

/** Every revision of an article, newest first. */
export async function listArticleRevisions(db: Db, articleId: string): Promise<ArticleRevision[]> {
  const rows = await db
    .selectFrom("articleRevisions")
    .selectAll()
    .where("articleId", "=", articleId)
    .orderBy("revision", "desc")
    .execute();
  return rows.map((row) => ({
    articleId: row.articleId,
    revision: Number(row.revision),
    action: row.action as ArticleRevisionAction,
    article: parseJson<Article>(row.snapshotJson),
    recordedAt: row.recordedAt,
    recordedBy: row.recordedBy,
  }));
}

// ---------------------------------------------------------------------------------------------
// Comments and follow-up items
// ---------------------------------------------------------------------------------------------

function toComment(row: CommentRow): Comment {
  return {
    id: row.id,
    organizationId: row.organizationId,
    articleId: row.articleId,
    displayName: row.displayName,
    body: row.body,
    postedAt: row.postedAt,
    moderationState: row.moderationState as ModerationState,
    adverseEvent: Number(row.adverseEvent) === 1,
    moderatedAt: row.moderatedAt,
    moderatedBy: row.moderatedBy,
    moderationNote: row.moderationNote,
  };
}

export async function insertComment(
  db: Db,
  comment: Comment,
  submitterHash: string | null,
): Promise<Comment> {
  await db
    .insertInto("comments")
    .values({ ...comment, adverseEvent: comment.adverseEvent ? 1 : 0, submitterHash })
    .execute();
  return comment;
}

export async function replaceCommentModeration(db: Db, comment: Comment): Promise<Comment> {
  await db
    .updateTable("comments")
    .set({
      moderationState: comment.moderationState,
      adverseEvent: comment.adverseEvent ? 1 : 0,
      moderatedAt: comment.moderatedAt,
      moderatedBy: comment.moderatedBy,
      moderationNote: comment.moderationNote,
    })
    .where("id", "=", comment.id)
    .execute();
  return comment;
}

export async function findCommentById(db: Db, id: string): Promise<Comment | null> {
  const row = await db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toComment(row) : null;
}

/** How many comments one submitter posted since `since` (an instant). */
export async function countCommentsSince(
  db: Db,
  submitterHash: string,
  since: string,
): Promise<number> {
  const row = await db
    .selectFrom("comments")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("submitterHash", "=", submitterHash)
    .where("postedAt", ">=", since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** An article's published comments, oldest first (the order a thread reads in). */
export async function listPublishedComments(db: Db, articleId: string): Promise<Comment[]> {
  const rows = await db
    .selectFrom("comments")
    .selectAll()
    .where("articleId", "=", articleId)
    .where("moderationState", "=", "published")
    .orderBy("postedAt")
    .orderBy("id")
    .execute();
  return rows.map(toComment);
}

export interface CommentSearch extends PageRequest {
  organizationId: string;
  moderationState?: ModerationState;
  articleId?: string;
}

/** The moderation queue: comments with their article, oldest first. */
export async function listComments(db: Db, search: CommentSearch): Promise<Page<ModerationItem>> {
  let query = db
    .selectFrom("comments as c")
    .innerJoin("articles as a", "a.id", "c.articleId")
    .selectAll("c")
    .select(["a.title as articleTitle", "a.slug as articleSlug"])
    .where("c.organizationId", "=", search.organizationId);
  if (search.moderationState !== undefined) {
    query = query.where("c.moderationState", "=", search.moderationState);
  }
  if (search.articleId !== undefined) query = query.where("c.articleId", "=", search.articleId);
  if (search.cursor) {
    const [postedAt, id] = decodeCursor(search.cursor, 2).map(String) as [string, string];
    query = query.where(afterKey(["c.postedAt", "c.id"], [postedAt, id]));
  }
  const rows = await query
    .orderBy("c.postedAt")
    .orderBy("c.id")
    .limit(search.limit + 1)
    .execute();
  return toPage(
    rows,
    search.limit,
    (row) => ({ ...toComment(row), articleTitle: row.articleTitle, articleSlug: row.articleSlug }),
    (row) => [row.postedAt, row.id],
  );
}

function toFollowUp(row: FollowUpItemRow): FollowUpItem {
  return {
    id: row.id,
    organizationId: row.organizationId,
    kind: "adverse-event",
    commentId: row.commentId,
    articleId: row.articleId,
    summary: row.summary,
    status: row.status as FollowUpItem["status"],
    ownerId: row.ownerId ?? row.createdBy,
    dueOn: row.dueOn ?? row.createdAt.slice(0, 10),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    resolution: row.resolution,
  };
}

export async function insertFollowUp(db: Db, item: FollowUpItem): Promise<FollowUpItem> {
  await db.insertInto("followUpItems").values(item).execute();
  return item;
}

export async function findFollowUpById(db: Db, id: string): Promise<FollowUpItem | null> {
  const row = await db
    .selectFrom("followUpItems")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ? toFollowUp(row) : null;
}

export async function findFollowUpByComment(
  db: Db,
  commentId: string,
): Promise<FollowUpItem | null> {
  const row = await db
    .selectFrom("followUpItems")
    .selectAll()
    .where("commentId", "=", commentId)
    .executeTakeFirst();
  return row ? toFollowUp(row) : null;
}

export async function replaceFollowUp(db: Db, item: FollowUpItem): Promise<FollowUpItem> {
  const { id, organizationId, createdAt, createdBy, ...changes } = item;
  await db.updateTable("followUpItems").set(changes).where("id", "=", id).execute();
  return item;
}

export interface FollowUpSearch extends PageRequest {
  organizationId: string;
  status?: FollowUpItem["status"];
}

/** Follow-up items with their comment and article, newest first. */
export async function listFollowUps(db: Db, search: FollowUpSearch): Promise<Page<FollowUpView>> {
  let query = db
    .selectFrom("followUpItems as f")
    .innerJoin("comments as c", "c.id", "f.commentId")
    .innerJoin("articles as a", "a.id", "f.articleId")
    .leftJoin("users as o", "o.id", "f.ownerId")
    .selectAll("f")
    .select([
      "o.name as ownerName",
      "c.displayName as commentDisplayName",
      "c.body as commentBody",
      "c.postedAt as commentPostedAt",
      "a.title as articleTitle",
    ])
    .where("f.organizationId", "=", search.organizationId);
  if (search.status !== undefined) query = query.where("f.status", "=", search.status);
  if (search.cursor) {
    const [createdAt, id] = decodeCursor(search.cursor, 2).map(String) as [string, string];
    query = query.where(afterKey(["f.createdAt", "f.id"], [createdAt, id], "desc"));
  }
  const rows = await query
    .orderBy("f.createdAt", "desc")
    .orderBy("f.id", "desc")
    .limit(search.limit + 1)
    .execute();
  return toPage(
    rows,
    search.limit,
    (row) => ({
      ...toFollowUp(row),
      commentDisplayName: row.commentDisplayName,
      commentBody: row.commentBody,
      commentPostedAt: row.commentPostedAt,
      articleTitle: row.articleTitle,
      ownerName: row.ownerName ?? "",
    }),
    (row) => [row.createdAt, row.id],
  );
}

// ---------------------------------------------------------------------------------------------
// Courses
// ---------------------------------------------------------------------------------------------

function toCourse(row: CourseRow): Course {
  return {
    id: row.id,
    organizationId: row.organizationId,
    provider: row.provider,
    title: row.title,
    level: row.level,
    hours: {
      theory: Number(row.hoursTheory),
      practical: Number(row.hoursPractical),
      online: Number(row.hoursOnline),
    },
    topics: parseJson<Topic[]>(row.topicsJson),
    exams: parseJson<Course["exams"]>(row.examsJson),
    approvals: parseJson<CourseApproval[]>(row.approvalsJson),
    url: row.url,
    description: row.description,
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function fromCourse(course: Course) {
  const { hours, topics, exams, approvals, ...rest } = course;
  return {
    ...rest,
    hoursTheory: hours.theory,
    hoursPractical: hours.practical,
    hoursOnline: hours.online,
    topicsJson: JSON.stringify(topics),
    examsJson: JSON.stringify(exams),
    approvalsJson: JSON.stringify(approvals),
  };
}

export async function insertCourse(db: Db, course: Course): Promise<Course> {
  await db.insertInto("courses").values(fromCourse(course)).execute();
  return course;
}

export async function replaceCourse(db: Db, course: Course): Promise<Course> {
  const { id, organizationId, createdAt, ...changes } = fromCourse(course);
  await db.updateTable("courses").set(changes).where("id", "=", id).execute();
  return course;
}

export async function findCourseById(db: Db, id: string): Promise<Course | null> {
  const row = await db.selectFrom("courses").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toCourse(row) : null;
}

export async function listCourses(
  db: Db,
  organizationId: string,
  includeArchived = false,
): Promise<Course[]> {
  let query = db.selectFrom("courses").selectAll().where("organizationId", "=", organizationId);
  if (!includeArchived) query = query.where("archivedAt", "is", null);
  const rows = await query.orderBy("provider").orderBy("title").orderBy("id").execute();
  return rows.map(toCourse);
}
