/**
 * The content library: articles made of ordered blocks, the videos and literature references
 * they embed, their authors, reader comments and their moderation, the course catalog that
 * practitioners log training against, and the follow-up items raised from comments.
 */
import { z } from "zod";
import {
  EmailSchema,
  IdSchema,
  IsoDateSchema,
  IsoInstantSchema,
  PageInputSchema,
  text,
  WebUrlSchema,
} from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import { SlugSchema } from "./standard.ts";
import { TopicSchema } from "./topic.ts";
import { HoursSchema } from "./training-record.ts";

// ---------------------------------------------------------------------------------------------
// Shared field rules
// ---------------------------------------------------------------------------------------------

const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A URL path segment: lower-case words joined by single hyphens. */
export const ContentSlugSchema = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(120, { error: "must be at most 120 characters" })
  .regex(SLUG_PATTERN, {
    error: "must be lower-case letters and digits joined by hyphens, e.g. dry-needling-aftercare",
  });

/** A tag, written like a slug: `trigger-points`, `aftercare`, `regulation`. */
export const TagSchema = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(50, { error: "must be at most 50 characters" })
  .regex(SLUG_PATTERN, {
    error: "must be lower-case letters and digits joined by hyphens, e.g. trigger-points",
  });

/** Tags with duplicates removed, in the order first given. */
export const TagsSchema = z
  .array(TagSchema, { error: "must be a list of tags" })
  .max(20, { error: "must be at most 20 tags" })
  .transform((tags) => [...new Set(tags)]);

/**
 * A publication year: a whole number from 1450 (printing) on. "Not after this year" needs today,
 * which a schema never reads: the services check it with the caller's clock.
 */
export const PublicationYearSchema = z
  .number({ error: "must be a year such as 2013" })
  .int({ error: "must be a whole year such as 2013" })
  .min(1450, { error: "must be 1450 or later" })
  .max(9999, { error: "must be a four-digit year" });

/** Text that may span lines but has no blank line inside (a blank line ends a block). */
function lineText(max: number) {
  return text(max)
    .refine((value) => !/\n[ \t]*\n/.test(value), {
      error: "must not contain a blank line (start a new block instead)",
    })
    .refine((value) => !value.includes("\r"), { error: "must use \\n line breaks only" });
}

/** Text on one line. */
function singleLine(max: number) {
  return text(max).refine((value) => !/[\r\n]/.test(value), {
    error: "must be on one line",
  });
}

// ---------------------------------------------------------------------------------------------
// Authors
// ---------------------------------------------------------------------------------------------

/** Someone who writes articles. Their contact is never shown unmasked in public views. */
export const AuthorSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  name: singleLine(200),
  /** Post-nominal credentials, e.g. ["PT", "DPT"], ["RD"], ["LAc"]. */
  credentials: z
    .array(
      z
        .string({ error: "must be text" })
        .trim()
        .min(1, { error: "must not be empty" })
        .max(20, { error: "must be at most 20 characters" })
        .regex(/^[A-Za-z0-9.\-/ ]+$/, { error: "must be letters such as DPT, RD or LAc" }),
    )
    .max(10, { error: "must be at most 10 credentials" }),
  bio: text(1000).nullable(),
  contactEmail: EmailSchema.nullable(),
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type Author = z.infer<typeof AuthorSchema>;

const AuthorFieldsSchema = z.object({
  name: singleLine(200),
  credentials: AuthorSchema.shape.credentials.default([]),
  bio: text(1000)
    .nullish()
    .transform((v) => v ?? null),
  contactEmail: EmailSchema.nullish().transform((v) => v ?? null),
});
export const CreateAuthorInputSchema = AuthorFieldsSchema;
export type CreateAuthorInput = z.input<typeof CreateAuthorInputSchema>;
export const UpdateAuthorInputSchema = AuthorFieldsSchema.extend({ id: IdSchema });
export type UpdateAuthorInput = z.input<typeof UpdateAuthorInputSchema>;

/** An author as the public sees them: the contact masked (`d•••@example.org`). */
export const PublicAuthorSchema = AuthorSchema.pick({
  id: true,
  name: true,
  credentials: true,
  bio: true,
}).extend({ contactMasked: z.string().nullable() });
export type PublicAuthor = z.infer<typeof PublicAuthorSchema>;

// ---------------------------------------------------------------------------------------------
// Videos
// ---------------------------------------------------------------------------------------------

export const VIDEO_PROVIDERS = ["youtube", "vimeo", "other"] as const;
export const VideoProviderSchema = z.enum(VIDEO_PROVIDERS, {
  error: `must be one of ${VIDEO_PROVIDERS.join(", ")}`,
});
export type VideoProvider = z.infer<typeof VideoProviderSchema>;

const PROVIDER_ID_PATTERNS: Record<VideoProvider, RegExp | null> = {
  youtube: /^[A-Za-z0-9_-]{11}$/,
  vimeo: /^\d{1,12}$/,
  other: null,
};

const VideoFieldsSchema = z.object({
  title: singleLine(300),
  /** Who published it: the channel or organization, e.g. "ChoosePT". */
  channel: singleLine(200),
  provider: VideoProviderSchema,
  /** Where to watch it. */
  url: WebUrlSchema,
  /** The provider's id (YouTube's 11 characters, Vimeo's number): enables an embedded player. */
  providerId: z
    .string({ error: "must be text" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(64, { error: "must be at most 64 characters" })
    .nullish()
    .transform((v) => v ?? null),
  durationSeconds: z
    .number({ error: "must be a number of seconds" })
    .int({ error: "must be a whole number of seconds" })
    .min(1, { error: "must be at least 1 second" })
    .max(24 * 3600, { error: "must be at most 24 hours" })
    .nullish()
    .transform((v) => v ?? null),
  description: text(2000)
    .nullish()
    .transform((v) => v ?? null),
});

function checkProviderId(
  value: { provider: VideoProvider; providerId: string | null },
  ctx: z.RefinementCtx,
) {
  const pattern = PROVIDER_ID_PATTERNS[value.provider];
  if (value.providerId === null) return;
  if (pattern === null) {
    ctx.addIssue({
      code: "custom",
      path: ["providerId"],
      message: "is only used for youtube and vimeo videos; leave it empty",
    });
  } else if (!pattern.test(value.providerId)) {
    ctx.addIssue({
      code: "custom",
      path: ["providerId"],
      message:
        value.provider === "youtube"
          ? "must be YouTube's 11-character video id, e.g. dQw4w9WgXcQ"
          : "must be Vimeo's numeric video id",
    });
  }
}

export const VideoSchema = VideoFieldsSchema.extend({
  id: IdSchema,
  organizationId: IdSchema,
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type Video = z.infer<typeof VideoSchema>;

export const CreateVideoInputSchema = VideoFieldsSchema.superRefine(checkProviderId);
export type CreateVideoInput = z.input<typeof CreateVideoInputSchema>;
export const UpdateVideoInputSchema = VideoFieldsSchema.extend({ id: IdSchema }).superRefine(
  checkProviderId,
);
export type UpdateVideoInput = z.input<typeof UpdateVideoInputSchema>;

// ---------------------------------------------------------------------------------------------
// Literature references
// ---------------------------------------------------------------------------------------------

/** A person's name as bibliographies need it: family name and given names. */
export const PersonNameSchema = z.object({
  family: singleLine(100),
  given: singleLine(100)
    .nullish()
    .transform((v) => v ?? null),
});
export type PersonName = z.infer<typeof PersonNameSchema>;

/** A study a work cites, e.g. Gunn et al. 1980. */
export const CitedStudySchema = z.object({
  /** As cited: "Gunn et al.", "Dommerholt et al.". */
  authors: singleLine(200),
  year: PublicationYearSchema,
  title: singleLine(500)
    .nullish()
    .transform((v) => v ?? null),
  /** What the work says about it. */
  note: text(1000)
    .nullish()
    .transform((v) => v ?? null),
});
export type CitedStudy = z.infer<typeof CitedStudySchema>;

export const EXCERPT_KINDS = ["quotation", "paraphrase"] as const;
export const ExcerptKindSchema = z.enum(EXCERPT_KINDS, {
  error: `must be one of ${EXCERPT_KINDS.join(", ")}`,
});
export type ExcerptKind = z.infer<typeof ExcerptKindSchema>;

const LiteratureFieldsSchema = z.object({
  /** The passage quoted or paraphrased. */
  excerpt: text(4000),
  excerptKind: ExcerptKindSchema.default("paraphrase"),
  workTitle: singleLine(300),
  subtitle: singleLine(300)
    .nullish()
    .transform((v) => v ?? null),
  /** E.g. "2nd ed.", "e-book ed.". */
  edition: singleLine(100)
    .nullish()
    .transform((v) => v ?? null),
  /** The first authors, in order; empty when the work names none (cited by title). */
  authors: z
    .array(PersonNameSchema, { error: "must be a list of authors" })
    .max(20, { error: "must be at most 20 authors; use et al. for the rest" }),
  /** More authors follow those listed ("et al."). */
  etAl: z.boolean({ error: "must be true or false" }).default(false),
  publisher: singleLine(200),
  year: PublicationYearSchema,
  /** Where in the work: "pp. 85-97", "ch. 4". */
  pages: singleLine(100)
    .nullish()
    .transform((v) => v ?? null),
  url: WebUrlSchema.nullish().transform((v) => v ?? null),
  citedStudies: z
    .array(CitedStudySchema, { error: "must be a list of studies" })
    .max(20, { error: "must be at most 20 studies" })
    .default([]),
  tags: TagsSchema.default([]),
});

export const LiteratureReferenceSchema = LiteratureFieldsSchema.extend({
  id: IdSchema,
  organizationId: IdSchema,
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type LiteratureReference = z.infer<typeof LiteratureReferenceSchema>;

function checkEtAl(value: { authors: PersonName[]; etAl: boolean }, ctx: z.RefinementCtx) {
  if (value.etAl && value.authors.length === 0) {
    ctx.addIssue({
      code: "custom",
      path: ["etAl"],
      message: "needs at least one author named before et al.",
    });
  }
}

export const CreateLiteratureReferenceInputSchema = LiteratureFieldsSchema.superRefine(checkEtAl);
export type CreateLiteratureReferenceInput = z.input<typeof CreateLiteratureReferenceInputSchema>;
export const UpdateLiteratureReferenceInputSchema = LiteratureFieldsSchema.extend({
  id: IdSchema,
}).superRefine(checkEtAl);
export type UpdateLiteratureReferenceInput = z.input<typeof UpdateLiteratureReferenceInputSchema>;

/** A reference attached to a standard as part of its evidence base. */
export const StandardEvidenceSchema = z.object({
  standardId: SlugSchema,
  referenceId: IdSchema,
  note: text(500).nullable(),
  linkedAt: IsoInstantSchema,
  linkedBy: IdSchema,
});
export type StandardEvidence = z.infer<typeof StandardEvidenceSchema>;

export const LinkStandardEvidenceInputSchema = z.object({
  standardId: SlugSchema,
  referenceId: IdSchema,
  note: text(500)
    .nullish()
    .transform((v) => v ?? null),
});
export type LinkStandardEvidenceInput = z.input<typeof LinkStandardEvidenceInputSchema>;
export const UnlinkStandardEvidenceInputSchema = z.object({
  standardId: SlugSchema,
  referenceId: IdSchema,
});

// ---------------------------------------------------------------------------------------------
// Articles
// ---------------------------------------------------------------------------------------------

export const ARTICLE_STATUSES = ["draft", "published", "archived"] as const;
export const ArticleStatusSchema = z.enum(ARTICLE_STATUSES, {
  error: `must be one of ${ARTICLE_STATUSES.join(", ")}`,
});
export type ArticleStatus = z.infer<typeof ArticleStatusSchema>;

export const CALLOUT_TONES = ["info", "tip", "warning"] as const;
export const CalloutToneSchema = z.enum(CALLOUT_TONES, {
  error: `must be one of ${CALLOUT_TONES.join(", ")}`,
});
export type CalloutTone = z.infer<typeof CalloutToneSchema>;

export const HeadingBlockSchema = z.strictObject({
  type: z.literal("heading"),
  /** 2 to 4: the article title is the page's only level-1 heading. */
  level: z
    .number({ error: "must be 2, 3 or 4" })
    .int({ error: "must be 2, 3 or 4" })
    .min(2, { error: "must be 2, 3 or 4" })
    .max(4, { error: "must be 2, 3 or 4" }),
  text: singleLine(200),
});
export const ParagraphBlockSchema = z.strictObject({
  type: z.literal("paragraph"),
  text: lineText(5000),
});
export const ListBlockSchema = z.strictObject({
  type: z.literal("list"),
  ordered: z.boolean({ error: "must be true or false" }),
  items: z
    .array(singleLine(1000), { error: "must be a list of items" })
    .min(1, { error: "must have at least one item" })
    .max(100, { error: "must have at most 100 items" }),
});
export const QuoteBlockSchema = z.strictObject({
  type: z.literal("quote"),
  text: lineText(2000),
  attribution: singleLine(200).nullable(),
});
export const CalloutBlockSchema = z.strictObject({
  type: z.literal("callout"),
  tone: CalloutToneSchema,
  title: singleLine(200),
  body: lineText(2000),
});
export const VideoBlockSchema = z.strictObject({
  type: z.literal("video"),
  videoId: IdSchema,
});
export const LiteratureBlockSchema = z.strictObject({
  type: z.literal("literature"),
  referenceId: IdSchema,
});

export const BLOCK_TYPES = [
  "heading",
  "paragraph",
  "list",
  "quote",
  "callout",
  "video",
  "literature",
] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];

export const ArticleBlockSchema = z.discriminatedUnion(
  "type",
  [
    HeadingBlockSchema,
    ParagraphBlockSchema,
    ListBlockSchema,
    QuoteBlockSchema,
    CalloutBlockSchema,
    VideoBlockSchema,
    LiteratureBlockSchema,
  ],
  { error: `must be a block of type ${BLOCK_TYPES.join(", ")}` },
);
export type ArticleBlock = z.infer<typeof ArticleBlockSchema>;

export const ArticleBlocksSchema = z
  .array(ArticleBlockSchema, { error: "must be a list of blocks" })
  .max(500, { error: "must be at most 500 blocks" });

/** What an author writes: everything about an article except its lifecycle. */
export const ArticleContentSchema = z.object({
  slug: ContentSlugSchema,
  title: singleLine(200),
  summary: lineText(1000),
  authorId: IdSchema.nullish().transform((v) => v ?? null),
  tags: TagsSchema.default([]),
  blocks: ArticleBlocksSchema,
});
export type ArticleContent = z.output<typeof ArticleContentSchema>;
export type ArticleContentInput = z.input<typeof ArticleContentSchema>;

export const ArticleSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  slug: ContentSlugSchema,
  title: singleLine(200),
  summary: lineText(1000),
  authorId: IdSchema.nullable(),
  tags: z.array(TagSchema),
  blocks: ArticleBlocksSchema,
  status: ArticleStatusSchema,
  /** The date first published (kept when archived); null while a draft. */
  publishedOn: IsoDateSchema.nullable(),
  /** 1 on creation, +1 for every change; each one is kept as a revision. */
  revision: z.number().int().positive(),
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type Article = z.infer<typeof ArticleSchema>;

/** An article without its body, for lists. */
export const ArticleSummarySchema = ArticleSchema.omit({ blocks: true }).extend({
  blockCount: z.number().int(),
});
export type ArticleSummary = z.infer<typeof ArticleSummarySchema>;

export const ARTICLE_REVISION_ACTIONS = [
  "create",
  "update",
  "reorder",
  "publish",
  "archive",
  "import",
] as const;
export type ArticleRevisionAction = (typeof ARTICLE_REVISION_ACTIONS)[number];

/** The article as it was after one change. */
export const ArticleRevisionSchema = z.object({
  articleId: IdSchema,
  revision: z.number().int().positive(),
  action: z.enum(ARTICLE_REVISION_ACTIONS),
  article: ArticleSchema,
  recordedAt: IsoInstantSchema,
  recordedBy: IdSchema,
});
export type ArticleRevision = z.infer<typeof ArticleRevisionSchema>;

export const CreateArticleInputSchema = ArticleContentSchema;
export type CreateArticleInput = z.input<typeof CreateArticleInputSchema>;

/** Replaces the content; `expectedRevision` refuses the change if someone saved in between. */
export const UpdateArticleInputSchema = ArticleContentSchema.extend({
  id: IdSchema,
  expectedRevision: z.number().int().positive().nullish(),
});
export type UpdateArticleInput = z.input<typeof UpdateArticleInputSchema>;

export const PublishArticleInputSchema = z.object({
  id: IdSchema,
  /** Defaults to today (the first publication date is kept on republication). */
  /** Must not be in the future: checked by the service, which knows today. */
  publishedOn: IsoDateSchema.nullish().transform((v) => v ?? null),
});
export type PublishArticleInput = z.input<typeof PublishArticleInputSchema>;

export const ArticleIdInputSchema = z.object({ id: IdSchema });

/** The blocks in their new order, as the current positions (0-based): [2, 0, 1]. */
export const ReorderBlocksInputSchema = z.object({
  id: IdSchema,
  order: z.array(
    z.number({ error: "must be a block position" }).int({ error: "must be a block position" }),
    { error: "must be a list of block positions" },
  ),
  expectedRevision: z.number().int().positive().nullish(),
});
export type ReorderBlocksInput = z.input<typeof ReorderBlocksInputSchema>;

export const SearchArticlesInputSchema = PageInputSchema.extend({
  /** Words in the title (case-insensitive). */
  query: z.string().trim().max(200).optional(),
  tag: TagSchema.optional(),
  status: ArticleStatusSchema.optional(),
});
export type SearchArticlesInput = z.input<typeof SearchArticlesInputSchema>;

/** A public page's address: slugs are unique per organization, so the organization is part of it. */
export const ArticleBySlugInputSchema = z.object({
  organizationId: IdSchema,
  slug: ContentSlugSchema,
});

export const ImportArticleMarkdownInputSchema = z.object({
  markdown: z
    .string({ error: "must be text" })
    .min(1, { error: "must not be empty" })
    .max(500_000, { error: "must be at most 500000 characters" }),
});

// ---------------------------------------------------------------------------------------------
// Comments and follow-up items
// ---------------------------------------------------------------------------------------------

export const MODERATION_STATES = ["pending", "published", "hidden", "spam"] as const;
export const ModerationStateSchema = z.enum(MODERATION_STATES, {
  error: `must be one of ${MODERATION_STATES.join(", ")}`,
});
export type ModerationState = z.infer<typeof ModerationStateSchema>;

export const CommentSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  articleId: IdSchema,
  displayName: singleLine(80),
  body: text(4000),
  postedAt: IsoInstantSchema,
  moderationState: ModerationStateSchema,
  /** Flagged by a moderator as a possible adverse event: a follow-up item exists for it. */
  adverseEvent: z.boolean(),
  moderatedAt: IsoInstantSchema.nullable(),
  moderatedBy: IdSchema.nullable(),
  moderationNote: text(1000).nullable(),
});
export type Comment = z.infer<typeof CommentSchema>;

/** A published comment as the public sees it. */
export const PublicCommentSchema = CommentSchema.pick({
  id: true,
  displayName: true,
  body: true,
  postedAt: true,
});
export type PublicComment = z.infer<typeof PublicCommentSchema>;

/** A reader's comment, from the public page. `website` is a honeypot: people leave it empty. */
export const SubmitCommentInputSchema = z.object({
  organizationId: IdSchema,
  articleSlug: ContentSlugSchema,
  displayName: singleLine(80),
  body: text(4000),
  website: z
    .string()
    .max(2000)
    .nullish()
    .transform((v) => v ?? ""),
});
export type SubmitCommentInput = z.input<typeof SubmitCommentInputSchema>;

export const COMMENT_DECISIONS = ["publish", "hide", "spam", "flag-adverse-event"] as const;
export const CommentDecisionSchema = z.enum(COMMENT_DECISIONS, {
  error: `must be one of ${COMMENT_DECISIONS.join(", ")}`,
});
export type CommentDecision = z.infer<typeof CommentDecisionSchema>;

export const ModerateCommentInputSchema = z
  .object({
    id: IdSchema,
    decision: CommentDecisionSchema,
    note: text(1000)
      .nullish()
      .transform((v) => v ?? null),
  })
  .refine((value) => value.decision !== "flag-adverse-event" || value.note !== null, {
    path: ["note"],
    error: "is required when flagging a possible adverse event: say what needs following up",
  });
export type ModerateCommentInput = z.input<typeof ModerateCommentInputSchema>;

export const ListCommentsInputSchema = PageInputSchema.extend({
  moderationState: ModerationStateSchema.optional(),
  articleId: IdSchema.optional(),
});
export type ListCommentsInput = z.input<typeof ListCommentsInputSchema>;

/** A comment with the title and slug of its article, for the moderation queue. */
export const ModerationItemSchema = CommentSchema.extend({
  articleTitle: z.string(),
  articleSlug: z.string(),
});
export type ModerationItem = z.infer<typeof ModerationItemSchema>;

export const FOLLOW_UP_STATUSES = ["open", "resolved"] as const;
export const FollowUpStatusSchema = z.enum(FOLLOW_UP_STATUSES, {
  error: `must be one of ${FOLLOW_UP_STATUSES.join(", ")}`,
});

/** Clinical follow-up a manager owes, raised when a comment is flagged as a possible adverse event. */
export const FollowUpItemSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  kind: z.literal("adverse-event"),
  commentId: IdSchema,
  articleId: IdSchema,
  summary: text(1000),
  status: FollowUpStatusSchema,
  /** The user who owes the follow-up (at first, whoever flagged the comment). */
  ownerId: IdSchema,
  /** The date it should be resolved by (ADVERSE_EVENT_FOLLOW_UP_DAYS after the flag, at first). */
  dueOn: IsoDateSchema,
  createdAt: IsoInstantSchema,
  createdBy: IdSchema,
  resolvedAt: IsoInstantSchema.nullable(),
  resolvedBy: IdSchema.nullable(),
  resolution: text(1000).nullable(),
});
export type FollowUpItem = z.infer<typeof FollowUpItemSchema>;

/** A follow-up item with what the list shows beside it. */
export const FollowUpViewSchema = FollowUpItemSchema.extend({
  commentDisplayName: z.string(),
  commentBody: z.string(),
  commentPostedAt: IsoInstantSchema,
  articleTitle: z.string(),
  ownerName: z.string(),
});
export type FollowUpView = z.infer<typeof FollowUpViewSchema>;

/** Days from flagging a possible adverse event to its follow-up's first due date. */
export const ADVERSE_EVENT_FOLLOW_UP_DAYS = 3;

/** An open follow-up as the manager's dashboard lists it: who owes it, by when, how old. */
export const OpenFollowUpSchema = FollowUpItemSchema.pick({
  id: true,
  kind: true,
  summary: true,
  ownerId: true,
  dueOn: true,
  createdAt: true,
}).extend({
  ownerName: z.string(),
  articleTitle: z.string(),
  /** Whole days since it was raised, on the asking clinic's date. */
  ageDays: z.number().int().min(0),
  /** Days until `dueOn`; negative when overdue. */
  daysLeft: z.number().int(),
});
export type OpenFollowUp = z.infer<typeof OpenFollowUpSchema>;

export const OpenFollowUpsInputSchema = z.object({
  limit: z.number().int().min(1).max(50).default(10),
});
export const OpenFollowUpsSchema = z.object({
  /** The date ages and due dates are counted from. */
  asOf: IsoDateSchema,
  /** All open follow-ups of the organization, however many are listed. */
  total: z.number().int().min(0),
  overdue: z.number().int().min(0),
  items: z.array(OpenFollowUpSchema),
});
export type OpenFollowUps = z.infer<typeof OpenFollowUpsSchema>;

/** Hands an open follow-up to another manager or admin, or moves its due date. */
export const AssignFollowUpInputSchema = z.object({
  id: IdSchema,
  ownerId: IdSchema,
  dueOn: IsoDateSchema,
});
export type AssignFollowUpInput = z.input<typeof AssignFollowUpInputSchema>;

export const ListFollowUpsInputSchema = PageInputSchema.extend({
  status: FollowUpStatusSchema.optional(),
});
export const ResolveFollowUpInputSchema = z.object({ id: IdSchema, resolution: text(1000) });
export type ResolveFollowUpInput = z.input<typeof ResolveFollowUpInputSchema>;

// ---------------------------------------------------------------------------------------------
// Courses
// ---------------------------------------------------------------------------------------------

export const COURSE_EXAMS = ["written", "practical"] as const;
export const CourseExamSchema = z.enum(COURSE_EXAMS, {
  error: `must be one of ${COURSE_EXAMS.join(", ")}`,
});

export const APPROVAL_BODIES = ["fsbpt", "apta-chapter", "state-board", "other"] as const;
export const ApprovalBodySchema = z.enum(APPROVAL_BODIES, {
  error: `must be one of ${APPROVAL_BODIES.join(", ")}`,
});
export const APPROVAL_BODY_LABELS: Record<(typeof APPROVAL_BODIES)[number], string> = {
  fsbpt: "FSBPT",
  "apta-chapter": "APTA chapter",
  "state-board": "State board",
  other: "Other",
};

/** An approval of a course by a body, with its dates. */
export const CourseApprovalSchema = z
  .object({
    body: ApprovalBodySchema,
    /** E.g. "APTA Maryland", "Maryland Board of Physical Therapy Examiners". */
    name: singleLine(200),
    jurisdiction: JurisdictionSchema.nullish().transform((v) => v ?? null),
    /** The approval or course number the body issued. */
    reference: singleLine(100)
      .nullish()
      .transform((v) => v ?? null),
    /** Must not be in the future: checked by the service, which knows today. */
    approvedOn: IsoDateSchema,
    expiresOn: IsoDateSchema.nullish().transform((v) => v ?? null),
  })
  .superRefine((value, ctx) => {
    if (value.expiresOn !== null && value.expiresOn < value.approvedOn) {
      ctx.addIssue({
        code: "custom",
        path: ["expiresOn"],
        message: "must not be before the approval date",
      });
    }
    if (value.body === "state-board" && value.jurisdiction === null) {
      ctx.addIssue({
        code: "custom",
        path: ["jurisdiction"],
        message: "is required for a state board approval",
      });
    }
  });
export type CourseApproval = z.infer<typeof CourseApprovalSchema>;

const CourseFieldsSchema = z.object({
  provider: singleLine(200),
  title: singleLine(200),
  /** E.g. "Level 1", "Advanced". */
  level: singleLine(80)
    .nullish()
    .transform((v) => v ?? null),
  hours: HoursSchema,
  topics: z
    .array(TopicSchema)
    .max(50)
    .default([])
    .transform((topics) => [...new Set(topics)].sort()),
  exams: z
    .array(CourseExamSchema)
    .default([])
    .transform((exams) => COURSE_EXAMS.filter((exam) => exams.includes(exam))),
  approvals: z.array(CourseApprovalSchema).max(50).default([]),
  url: WebUrlSchema.nullish().transform((v) => v ?? null),
  description: text(2000)
    .nullish()
    .transform((v) => v ?? null),
});

function checkCourseHours(value: { hours: z.infer<typeof HoursSchema> }, ctx: z.RefinementCtx) {
  if (value.hours.theory + value.hours.practical + value.hours.online <= 0) {
    ctx.addIssue({
      code: "custom",
      path: ["hours"],
      message: "must include at least some hours",
    });
  }
}

export const CourseSchema = CourseFieldsSchema.extend({
  id: IdSchema,
  organizationId: IdSchema,
  archivedAt: IsoInstantSchema.nullable(),
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type Course = z.infer<typeof CourseSchema>;

export const CreateCourseInputSchema = CourseFieldsSchema.superRefine(checkCourseHours);
export type CreateCourseInput = z.input<typeof CreateCourseInputSchema>;
export const UpdateCourseInputSchema = CourseFieldsSchema.extend({ id: IdSchema }).superRefine(
  checkCourseHours,
);
export type UpdateCourseInput = z.input<typeof UpdateCourseInputSchema>;

export const ListCoursesInputSchema = z.object({
  includeArchived: z.boolean().default(false),
});
export const CourseIdInputSchema = z.object({ id: IdSchema });

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/** An article with everything its page shows: author, the videos and references it embeds. */
export const ArticleViewSchema = z.object({
  article: ArticleSchema,
  author: PublicAuthorSchema.nullable(),
  videos: z.array(VideoSchema),
  references: z.array(LiteratureReferenceSchema),
  /** Published comments, oldest first. */
  comments: z.array(PublicCommentSchema),
});
export type ArticleView = z.infer<typeof ArticleViewSchema>;

/** What the public page shows: no ids of the organization, the article or its author. */
const INTERNAL = { organizationId: true, createdAt: true, updatedAt: true } as const;
export const PublicVideoSchema = VideoSchema.omit(INTERNAL);
export type PublicVideo = z.infer<typeof PublicVideoSchema>;
export const PublicLiteratureReferenceSchema = LiteratureReferenceSchema.omit(INTERNAL);
export type PublicLiteratureReference = z.infer<typeof PublicLiteratureReferenceSchema>;
export const PublicArticleViewSchema = z.object({
  article: ArticleSchema.pick({
    slug: true,
    title: true,
    summary: true,
    tags: true,
    blocks: true,
    publishedOn: true,
  }),
  author: PublicAuthorSchema.omit({ id: true }).nullable(),
  videos: z.array(PublicVideoSchema),
  references: z.array(PublicLiteratureReferenceSchema),
  comments: z.array(PublicCommentSchema),
});
export type PublicArticleView = z.infer<typeof PublicArticleViewSchema>;

/** A reference with the standards it is evidence for. */
export const ReferenceWithEvidenceSchema = z.object({
  reference: LiteratureReferenceSchema,
  evidence: z.array(StandardEvidenceSchema),
});

/** The public answer to a comment: the same whether it was queued or caught as spam. */
export const SubmitCommentResultSchema = z.object({ status: z.literal("received") });
