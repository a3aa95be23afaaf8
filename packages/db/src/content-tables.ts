/**
 * Row types of the content library's tables (migration 2026-11-27T0400-content), merged into
 * `Database` in database.ts. Same conventions: camelCase here, snake_case in SQL, JSON as text,
 * booleans 0/1, hours double precision.
 */
import type { Generated, Selectable } from "kysely";

export interface ContentAuthorTable {
  id: string;
  organizationId: string;
  name: string;
  /** JSON array of strings. */
  credentialsJson: Generated<string>;
  bio: string | null;
  contactEmail: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VideoTable {
  id: string;
  organizationId: string;
  title: string;
  channel: string;
  provider: string;
  url: string;
  providerId: string | null;
  durationSeconds: number | null;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LiteratureReferenceTable {
  id: string;
  organizationId: string;
  excerpt: string;
  excerptKind: string;
  workTitle: string;
  subtitle: string | null;
  edition: string | null;
  /** JSON array of `{ family, given }`. */
  authorsJson: Generated<string>;
  etAl: Generated<number>;
  publisher: string;
  year: number;
  pages: string | null;
  url: string | null;
  citedStudiesJson: Generated<string>;
  tagsJson: Generated<string>;
  createdAt: string;
  updatedAt: string;
}

export interface StandardEvidenceTable {
  organizationId: string;
  standardId: string;
  referenceId: string;
  note: string | null;
  linkedAt: string;
  linkedBy: string;
}

export interface ArticleTable {
  id: string;
  organizationId: string;
  slug: string;
  title: string;
  summary: string;
  authorId: string | null;
  tagsJson: Generated<string>;
  blocksJson: Generated<string>;
  status: string;
  publishedOn: string | null;
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface ArticleRevisionTable {
  id: string;
  articleId: string;
  revision: number;
  action: string;
  /** The whole article after the change, as JSON. */
  snapshotJson: string;
  recordedAt: string;
  recordedBy: string;
}

export interface CommentTable {
  id: string;
  organizationId: string;
  articleId: string;
  displayName: string;
  body: string;
  postedAt: string;
  moderationState: string;
  adverseEvent: Generated<number>;
  moderatedAt: string | null;
  moderatedBy: string | null;
  moderationNote: string | null;
  /** SHA-256 of the submitter's address; null for comments not submitted over the web. */
  submitterHash: string | null;
}

export interface FollowUpItemTable {
  id: string;
  organizationId: string;
  kind: string;
  commentId: string;
  articleId: string;
  summary: string;
  status: string;
  /** Null only on rows written before owners existed (the migration filled those in). */
  ownerId: string | null;
  dueOn: string | null;
  createdAt: string;
  createdBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface CourseTable {
  id: string;
  organizationId: string;
  provider: string;
  title: string;
  level: string | null;
  hoursTheory: Generated<number>;
  hoursPractical: Generated<number>;
  hoursOnline: Generated<number>;
  topicsJson: Generated<string>;
  examsJson: Generated<string>;
  approvalsJson: Generated<string>;
  url: string | null;
  description: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContentTables {
  contentAuthors: ContentAuthorTable;
  videos: VideoTable;
  literatureReferences: LiteratureReferenceTable;
  standardEvidence: StandardEvidenceTable;
  articles: ArticleTable;
  articleRevisions: ArticleRevisionTable;
  comments: CommentTable;
  followUpItems: FollowUpItemTable;
  courses: CourseTable;
}

export type ContentAuthorRow = Selectable<ContentAuthorTable>;
export type VideoRow = Selectable<VideoTable>;
export type LiteratureReferenceRow = Selectable<LiteratureReferenceTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type CommentRow = Selectable<CommentTable>;
export type FollowUpItemRow = Selectable<FollowUpItemTable>;
export type CourseRow = Selectable<CourseTable>;
