/**
 * The demo content library: the author, the real videos and literature references of
 * CONTENT.md, an original article about dry needling (published, with its revisions), a draft,
 * the course catalog, reader comments of every kind real DN comment sections hold, and one
 * adverse-event follow-up. Deterministic dates, all before 2026-11-26.
 */
import { randomUUID } from "node:crypto";
import {
  COURSES,
  DEMO_AUTHOR,
  demoArticle,
  LITERATURE,
  LITERATURE_KEYS,
  type LiteratureKey,
  VIDEO_KEYS,
  VIDEOS,
  type VideoKey,
} from "@dn/content";
import {
  ADVERSE_EVENT_FOLLOW_UP_DAYS,
  type Article,
  ArticleContentSchema,
  type Comment,
  CreateAuthorInputSchema,
  CreateCourseInputSchema,
  CreateLiteratureReferenceInputSchema,
  CreateVideoInputSchema,
  type ModerationState,
} from "@dn/schema";
import {
  insertArticle,
  insertArticleRevision,
  insertAuthor,
  insertComment,
  insertCourse,
  insertFollowUp,
  insertReference,
  insertStandardEvidence,
  insertVideo,
  replaceArticle,
} from "../repos/content.repo.ts";
import type { Db } from "../repos/types.ts";

export interface DemoContentSummary {
  articles: number;
  videos: number;
  references: number;
  courses: number;
  comments: number;
}

interface CommentSpec {
  displayName: string;
  body: string;
  postedAt: string;
  state: ModerationState;
  adverseEvent?: boolean;
  note?: string;
}

/** Comments of each kind a real DN comment section holds; bodies written for the demo. */
const COMMENTS: CommentSpec[] = [
  {
    displayName: "Kara M.",
    body: "Three sessions for my shoulder and I can finally sleep on that side again. The twitch feeling was strange the first time but it was over quickly.",
    postedAt: "2026-10-03T18:12:00.000Z",
    state: "published",
  },
  {
    displayName: "Dev",
    body: "Honestly it was not for me. I was sore for two days, longer than the 24 hours mentioned, and I did not notice much change in my neck.",
    postedAt: "2026-10-05T09:40:00.000Z",
    state: "published",
  },
  {
    displayName: "Lorraine",
    body: "I iced my calf right after the session and then used heat the next morning. Did I do the right thing, or should it have been the other way round?",
    postedAt: "2026-10-08T21:03:00.000Z",
    state: "pending",
  },
  {
    displayName: "J. Whitaker, LAc",
    body: "Licensed acupuncturists complete 3,000+ hours of training. A 54-hour weekend course is not equivalent, whatever it is called.",
    postedAt: "2026-10-10T14:27:00.000Z",
    state: "published",
  },
  {
    displayName: "Ms. Patel (PE teacher)",
    body: "May I print this page for a health class handout? I would credit the clinic.",
    postedAt: "2026-10-12T11:15:00.000Z",
    state: "pending",
  },
  {
    displayName: "best-needles-online",
    body: "Buy cheap acupuncture needles in bulk!!! Free shipping, visit our store today.",
    postedAt: "2026-10-13T03:51:00.000Z",
    state: "spam",
    note: "Advertising.",
  },
  {
    displayName: "Dr. Rick's Wellness Hub",
    body: "Great article. Our studio offers dry needling Saturdays at half price, message us to book!",
    postedAt: "2026-10-14T16:30:00.000Z",
    state: "spam",
    note: "Self-promotion.",
  },
  {
    displayName: "anon",
    body: "Anyone who lets a PT stick needles in them deserves what they get, idiots.",
    postedAt: "2026-10-15T22:05:00.000Z",
    state: "hidden",
    note: "Abusive.",
  },
  {
    displayName: "Marisol",
    body: "After needling in my upper back I felt dizzy and almost fainted in the parking lot. Is that normal?",
    postedAt: "2026-10-18T19:44:00.000Z",
    state: "hidden",
    adverseEvent: true,
    note: "Near-fainting after needling near the upper back: call the patient, check for pneumothorax symptoms, file an incident report.",
  },
  {
    displayName: "Tom B.",
    body: "I threw up about an hour after my session yesterday and still feel shaky. Should I be worried?",
    postedAt: "2026-11-02T08:20:00.000Z",
    state: "pending",
  },
  {
    displayName: "Concerned patient",
    body: "My therapist touched the shaft of the needle with a bare finger while guiding it in. Isn't that against clean needle technique?",
    postedAt: "2026-11-04T13:10:00.000Z",
    state: "pending",
  },
];

const EVIDENCE: { standardId: string; key: LiteratureKey; note: string }[] = [
  {
    standardId: "ama-acupuncture-300",
    key: "dommerholt-2013",
    note: "The standard textbook of the technique the benchmark's training hours cover.",
  },
  {
    standardId: "us-md-dn",
    key: "fernandez-2011",
    note: "Cites the early prospective evidence (Gunn et al. 1980).",
  },
  {
    standardId: "harbor-pt-dn-policy",
    key: "wardle-2014",
    note: "Superficial needling to limit post-treatment soreness, as the aftercare policy asks.",
  },
];

/** Seeds the content library for the demo organization; `managerId` authors the changes. */
export async function seedDemoContent(
  db: Db,
  organizationId: string,
  managerId: string,
): Promise<DemoContentSummary> {
  const at = "2026-09-01T15:00:00.000Z";
  const author = await insertAuthor(db, {
    id: randomUUID(),
    organizationId,
    ...CreateAuthorInputSchema.parse(DEMO_AUTHOR),
    createdAt: at,
    updatedAt: at,
  });
  const videos = {} as Record<VideoKey, string>;
  for (const key of VIDEO_KEYS) {
    const video = await insertVideo(db, {
      id: randomUUID(),
      organizationId,
      ...CreateVideoInputSchema.parse(VIDEOS[key]),
      createdAt: at,
      updatedAt: at,
    });
    videos[key] = video.id;
  }
  const literature = {} as Record<LiteratureKey, string>;
  for (const key of LITERATURE_KEYS) {
    const reference = await insertReference(db, {
      id: randomUUID(),
      organizationId,
      ...CreateLiteratureReferenceInputSchema.parse(LITERATURE[key]),
      createdAt: at,
      updatedAt: at,
    });
    literature[key] = reference.id;
  }
  for (const link of EVIDENCE) {
    await insertStandardEvidence(db, organizationId, {
      standardId: link.standardId,
      referenceId: literature[link.key],
      note: link.note,
      linkedAt: at,
      linkedBy: managerId,
    });
  }

  // The main article: drafted, then published; each state kept as a revision.
  const content = ArticleContentSchema.parse(
    demoArticle({ authorId: author.id, videos, literature }),
  );
  const draft: Article = {
    id: randomUUID(),
    organizationId,
    ...content,
    status: "draft",
    publishedOn: null,
    revision: 1,
    createdAt: "2026-09-20T14:00:00.000Z",
    updatedAt: "2026-09-20T14:00:00.000Z",
  };
  await insertArticle(db, draft);
  await revision(db, draft, "create", managerId);
  const published: Article = {
    ...draft,
    status: "published",
    publishedOn: "2026-10-01",
    revision: 2,
    updatedAt: "2026-10-01T13:00:00.000Z",
  };
  await replaceArticle(db, published);
  await revision(db, published, "publish", managerId);

  // A second article, still a draft.
  const aftercare: Article = {
    id: randomUUID(),
    organizationId,
    ...ArticleContentSchema.parse({
      slug: "after-your-dry-needling-session",
      title: "After your dry needling session",
      summary: "A one-page aftercare sheet to hand out at the front desk.",
      authorId: author.id,
      tags: ["aftercare"],
      blocks: [
        {
          type: "paragraph",
          text: "Most people feel fine after dry needling. Some soreness in the treated muscle is normal.",
        },
        {
          type: "list",
          ordered: false,
          items: [
            "Keep moving gently the rest of the day.",
            "Use ice or heat, whichever feels better.",
            "Drink water and have something to eat.",
          ],
        },
        { type: "literature", referenceId: literature["wardle-2014"] },
      ],
    }),
    status: "draft",
    publishedOn: null,
    revision: 1,
    createdAt: "2026-11-10T10:00:00.000Z",
    updatedAt: "2026-11-10T10:00:00.000Z",
  };
  await insertArticle(db, aftercare);
  await revision(db, aftercare, "create", managerId);

  for (const course of COURSES) {
    await insertCourse(db, {
      id: randomUUID(),
      organizationId,
      ...CreateCourseInputSchema.parse(course),
      archivedAt: null,
      createdAt: at,
      updatedAt: at,
    });
  }

  for (const spec of COMMENTS) {
    const moderated = spec.state !== "pending";
    const comment: Comment = {
      id: randomUUID(),
      organizationId,
      articleId: published.id,
      displayName: spec.displayName,
      body: spec.body,
      postedAt: spec.postedAt,
      moderationState: spec.state,
      adverseEvent: spec.adverseEvent ?? false,
      moderatedAt: moderated ? spec.postedAt.replace(/T\d\d/, "T23") : null,
      moderatedBy: moderated ? managerId : null,
      moderationNote: spec.note ?? null,
    };
    await insertComment(db, comment, null);
    if (comment.adverseEvent) {
      await insertFollowUp(db, {
        id: randomUUID(),
        organizationId,
        kind: "adverse-event",
        commentId: comment.id,
        articleId: published.id,
        summary: spec.note ?? "Possible adverse event.",
        status: "open",
        ownerId: managerId,
        dueOn: new Date(
          Date.parse(comment.moderatedAt ?? spec.postedAt) +
            ADVERSE_EVENT_FOLLOW_UP_DAYS * 86_400_000,
        )
          .toISOString()
          .slice(0, 10),
        createdAt: comment.moderatedAt ?? spec.postedAt,
        createdBy: managerId,
        resolvedAt: null,
        resolvedBy: null,
        resolution: null,
      });
    }
  }

  return {
    articles: 2,
    videos: VIDEO_KEYS.length,
    references: LITERATURE_KEYS.length,
    courses: COURSES.length,
    comments: COMMENTS.length,
  };
}

async function revision(
  db: Db,
  article: Article,
  action: "create" | "publish",
  recordedBy: string,
): Promise<void> {
  await insertArticleRevision(db, {
    id: randomUUID(),
    articleId: article.id,
    revision: article.revision,
    action,
    article,
    recordedAt: article.updatedAt,
    recordedBy,
  });
}
