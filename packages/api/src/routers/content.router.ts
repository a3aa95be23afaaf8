/**
 * The content library: `content.articles`, `content.literature`, `content.videos`,
 * `content.authors`, `content.courses`, `content.comments`, `content.followUps` (with the
 * dashboard's open follow-ups).
 * Reading is for every signed-in role of the organization; the services decide who writes.
 * `content.articles.public` and `content.comments.submit` need no sign-in.
 */
import {
  ArticleBySlugInputSchema,
  ArticleIdInputSchema,
  ArticleRevisionSchema,
  ArticleSchema,
  ArticleSummarySchema,
  ArticleViewSchema,
  AssignFollowUpInputSchema,
  AuthorSchema,
  CommentSchema,
  CourseIdInputSchema,
  CourseSchema,
  CreateArticleInputSchema,
  CreateAuthorInputSchema,
  CreateCourseInputSchema,
  CreateLiteratureReferenceInputSchema,
  CreateVideoInputSchema,
  FollowUpItemSchema,
  FollowUpViewSchema,
  IdSchema,
  ImportArticleMarkdownInputSchema,
  LinkStandardEvidenceInputSchema,
  ListCommentsInputSchema,
  ListCoursesInputSchema,
  ListFollowUpsInputSchema,
  LiteratureReferenceSchema,
  ModerateCommentInputSchema,
  ModerationItemSchema,
  OpenFollowUpsInputSchema,
  OpenFollowUpsSchema,
  PublicArticleViewSchema,
  PublishArticleInputSchema,
  pageOf,
  ReferenceWithEvidenceSchema,
  ReorderBlocksInputSchema,
  ResolveFollowUpInputSchema,
  SearchArticlesInputSchema,
  SlugSchema,
  StandardEvidenceSchema,
  SubmitCommentInputSchema,
  SubmitCommentResultSchema,
  UnlinkStandardEvidenceInputSchema,
  UpdateArticleInputSchema,
  UpdateAuthorInputSchema,
  UpdateCourseInputSchema,
  UpdateLiteratureReferenceInputSchema,
  UpdateVideoInputSchema,
  VideoSchema,
} from "@dn/schema";
import { z } from "zod";
import * as articles from "../services/articles.service.ts";
import * as comments from "../services/comments.service.ts";
import * as courses from "../services/courses.service.ts";
import * as library from "../services/library.service.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

const articlesRouter = router({
  search: authedProcedure
    .input(SearchArticlesInputSchema)
    .output(pageOf(ArticleSummarySchema))
    .query(({ ctx, input }) => articles.searchArticles(ctx, input)),
  byId: authedProcedure
    .input(ArticleIdInputSchema)
    .output(ArticleSchema)
    .query(({ ctx, input }) => articles.getArticle(ctx, input.id)),
  view: authedProcedure
    .input(ArticleIdInputSchema)
    .output(ArticleViewSchema)
    .query(({ ctx, input }) => articles.viewArticle(ctx, input.id)),
  revisions: authedProcedure
    .input(ArticleIdInputSchema)
    .output(z.array(ArticleRevisionSchema))
    .query(({ ctx, input }) => articles.articleRevisions(ctx, input.id)),
  create: authedProcedure
    .input(CreateArticleInputSchema)
    .output(ArticleSchema)
    .mutation(({ ctx, input }) => articles.createArticle(ctx, input)),
  update: authedProcedure
    .input(UpdateArticleInputSchema)
    .output(ArticleSchema)
    .mutation(({ ctx, input }) => articles.updateArticle(ctx, input)),
  publish: authedProcedure
    .input(PublishArticleInputSchema)
    .output(ArticleSchema)
    .mutation(({ ctx, input }) => articles.publishArticle(ctx, input)),
  archive: authedProcedure
    .input(ArticleIdInputSchema)
    .output(ArticleSchema)
    .mutation(({ ctx, input }) => articles.archiveArticle(ctx, input.id)),
  reorderBlocks: authedProcedure
    .input(ReorderBlocksInputSchema)
    .output(ArticleSchema)
    .mutation(({ ctx, input }) => articles.reorderBlocks(ctx, input)),
  exportMarkdown: authedProcedure
    .input(ArticleIdInputSchema)
    .output(z.object({ markdown: z.string() }))
    .query(async ({ ctx, input }) => ({ markdown: await articles.exportMarkdown(ctx, input.id) })),
  importMarkdown: authedProcedure
    .input(ImportArticleMarkdownInputSchema)
    .output(ArticleSchema)
    .mutation(({ ctx, input }) => articles.importMarkdown(ctx, input.markdown)),
  /** A published article's page, for anyone. */
  public: publicProcedure
    .input(ArticleBySlugInputSchema)
    .output(PublicArticleViewSchema)
    .query(({ ctx, input }) => articles.publicArticle(ctx, input)),
});

const literatureRouter = router({
  list: authedProcedure
    .output(z.array(LiteratureReferenceSchema))
    .query(({ ctx }) => library.listReferences(ctx)),
  byId: authedProcedure
    .input(z.object({ id: IdSchema }))
    .output(ReferenceWithEvidenceSchema)
    .query(({ ctx, input }) => library.getReference(ctx, input.id)),
  create: authedProcedure
    .input(CreateLiteratureReferenceInputSchema)
    .output(LiteratureReferenceSchema)
    .mutation(({ ctx, input }) => library.createReference(ctx, input)),
  update: authedProcedure
    .input(UpdateLiteratureReferenceInputSchema)
    .output(LiteratureReferenceSchema)
    .mutation(({ ctx, input }) => library.updateReference(ctx, input)),
  /** The evidence base of a standard. */
  forStandard: authedProcedure
    .input(z.object({ standardId: SlugSchema }))
    .output(
      z.array(z.object({ reference: LiteratureReferenceSchema, evidence: StandardEvidenceSchema })),
    )
    .query(({ ctx, input }) => library.evidenceForStandard(ctx, input.standardId)),
  linkStandard: authedProcedure
    .input(LinkStandardEvidenceInputSchema)
    .output(StandardEvidenceSchema)
    .mutation(({ ctx, input }) => library.linkEvidence(ctx, input)),
  unlinkStandard: authedProcedure
    .input(UnlinkStandardEvidenceInputSchema)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await library.unlinkEvidence(ctx, input);
      return { ok: true as const };
    }),
});

const videosRouter = router({
  list: authedProcedure.output(z.array(VideoSchema)).query(({ ctx }) => library.listVideos(ctx)),
  create: authedProcedure
    .input(CreateVideoInputSchema)
    .output(VideoSchema)
    .mutation(({ ctx, input }) => library.createVideo(ctx, input)),
  update: authedProcedure
    .input(UpdateVideoInputSchema)
    .output(VideoSchema)
    .mutation(({ ctx, input }) => library.updateVideo(ctx, input)),
});

const authorsRouter = router({
  list: authedProcedure.output(z.array(AuthorSchema)).query(({ ctx }) => library.listAuthors(ctx)),
  create: authedProcedure
    .input(CreateAuthorInputSchema)
    .output(AuthorSchema)
    .mutation(({ ctx, input }) => library.createAuthor(ctx, input)),
  update: authedProcedure
    .input(UpdateAuthorInputSchema)
    .output(AuthorSchema)
    .mutation(({ ctx, input }) => library.updateAuthor(ctx, input)),
});

const coursesRouter = router({
  list: authedProcedure
    .input(ListCoursesInputSchema)
    .output(z.array(CourseSchema))
    .query(({ ctx, input }) => courses.listCourses(ctx, input.includeArchived)),
  byId: authedProcedure
    .input(CourseIdInputSchema)
    .output(CourseSchema)
    .query(({ ctx, input }) => courses.getCourse(ctx, input.id)),
  create: authedProcedure
    .input(CreateCourseInputSchema)
    .output(CourseSchema)
    .mutation(({ ctx, input }) => courses.createCourse(ctx, input)),
  update: authedProcedure
    .input(UpdateCourseInputSchema)
    .output(CourseSchema)
    .mutation(({ ctx, input }) => courses.updateCourse(ctx, input)),
  archive: authedProcedure
    .input(CourseIdInputSchema)
    .output(CourseSchema)
    .mutation(({ ctx, input }) => courses.archiveCourse(ctx, input.id)),
});

const commentsRouter = router({
  /** A reader's comment from the public page: rate-limited per address, with a honeypot. */
  submit: publicProcedure
    .input(SubmitCommentInputSchema)
    .output(SubmitCommentResultSchema)
    .mutation(({ ctx, input }) => comments.submitComment(ctx, input)),
  queue: authedProcedure
    .input(ListCommentsInputSchema)
    .output(pageOf(ModerationItemSchema))
    .query(({ ctx, input }) => comments.listComments(ctx, input)),
  moderate: authedProcedure
    .input(ModerateCommentInputSchema)
    .output(z.object({ comment: CommentSchema, followUp: FollowUpItemSchema.nullable() }))
    .mutation(({ ctx, input }) => comments.moderateComment(ctx, input)),
});

const followUpsRouter = router({
  list: authedProcedure
    .input(ListFollowUpsInputSchema)
    .output(pageOf(FollowUpViewSchema))
    .query(({ ctx, input }) => comments.listFollowUps(ctx, input)),
  resolve: authedProcedure
    .input(ResolveFollowUpInputSchema)
    .output(FollowUpItemSchema)
    .mutation(({ ctx, input }) => comments.resolveFollowUp(ctx, input)),
  open: authedProcedure
    .input(OpenFollowUpsInputSchema)
    .output(OpenFollowUpsSchema)
    .query(({ ctx, input }) => comments.listOpenFollowUps(ctx, input)),
  assign: authedProcedure
    .input(AssignFollowUpInputSchema)
    .output(FollowUpItemSchema)
    .mutation(({ ctx, input }) => comments.assignFollowUp(ctx, input)),
});

export const contentRouter = router({
  articles: articlesRouter,
  literature: literatureRouter,
  videos: videosRouter,
  authors: authorsRouter,
  courses: coursesRouter,
  comments: commentsRouter,
  followUps: followUpsRouter,
});
