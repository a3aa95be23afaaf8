import { fixedClock } from "@dn/clock";
import {
  DEMO_ARTICLE_SLUG,
  DEMO_AUTHOR,
  demoArticle,
  LITERATURE,
  LITERATURE_KEYS,
  type LiteratureKey,
  readArticleMarkdown,
  VIDEO_KEYS,
  VIDEOS,
  type VideoKey,
} from "@dn/content";
import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import { createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import { type Article, ArticleContentSchema } from "@dn/schema";
import { listStandardIds } from "@dn/standards";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createCaller } from "./root.ts";
import { actorFromUser } from "./services/context.ts";
import {
  buildOrgWorld,
  type Caller,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
} from "./test-support.ts";
import { createContextInner } from "./trpc.ts";

const CONTENT_TABLES = [
  "contentAuthors",
  "videos",
  "literatureReferences",
  "standardEvidence",
  "articles",
  "articleRevisions",
  "comments",
  "followUpItems",
  "courses",
  "auditEvents",
] as const;

async function countContentRows(handle: DbHandle): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of CONTENT_TABLES) {
    const row = await handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as("count"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}

function contentOf(article: Article) {
  const { slug, title, summary, authorId, tags, blocks } = article;
  return { slug, title, summary, authorId, tags, blocks };
}

/** The library CONTENT.md describes, stored through the API; the ids by key. */
async function storeLibrary(manager: Caller) {
  const author = await manager.content.authors.create(DEMO_AUTHOR);
  const videos = {} as Record<VideoKey, string>;
  for (const key of VIDEO_KEYS) videos[key] = (await manager.content.videos.create(VIDEOS[key])).id;
  const literature = {} as Record<LiteratureKey, string>;
  for (const key of LITERATURE_KEYS) {
    literature[key] = (await manager.content.literature.create(LITERATURE[key])).id;
  }
  return { authorId: author.id, videos, literature };
}

describe.each(await testDialects())("the content library on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let other: OrgWorld;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    other = await buildOrgWorld(handle.db, "Summit");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  function publicCaller(address = "203.0.113.5", now?: string) {
    return createCaller(
      createContextInner({
        db: handle.db,
        now: fixedClock(now ?? TEST_NOW),
        origin: { clientAddress: address, userAgent: null },
      }),
    );
  }

  function managerAt(iso: string) {
    return createCaller(
      createContextInner({
        db: handle.db,
        actor: actorFromUser(world.users.manager),
        now: fixedClock(iso),
      }),
    );
  }

  test("the demo article round-trips schema → database → API → Markdown → back without change", async () => {
    const ids = await storeLibrary(world.as.manager);
    const input = demoArticle(ids);
    const created = await world.as.manager.content.articles.create(input);
    const stored = await world.as.manager.content.articles.byId({ id: created.id });
    // Schema → database → API: what the API returns is exactly what the schema accepted.
    expect(contentOf(stored)).toEqual(ArticleContentSchema.parse(input));

    // API → Markdown → back.
    const { markdown } = await world.as.manager.content.articles.exportMarkdown({ id: created.id });
    const read = readArticleMarkdown(markdown);
    expect(read.success && read.content).toEqual(contentOf(stored));

    // Importing the export changes nothing: same article, same revision, no new revision row.
    const imported = await world.as.manager.content.articles.importMarkdown({ markdown });
    expect(imported).toEqual(stored);
    expect(await world.as.manager.content.articles.byId({ id: created.id })).toEqual(stored);
    expect(await world.as.manager.content.articles.revisions({ id: created.id })).toHaveLength(1);
    // And a second export is byte-for-byte the same file.
    expect(
      (await world.as.manager.content.articles.exportMarkdown({ id: created.id })).markdown,
    ).toBe(markdown);
  });

  test("importing edited Markdown updates the article as a new revision; a new slug creates a draft", async () => {
    const ids = await storeLibrary(world.as.manager);
    const created = await world.as.manager.content.articles.create(demoArticle(ids));
    const { markdown } = await world.as.manager.content.articles.exportMarkdown({ id: created.id });
    const edited = markdown.replace("## The short answer", "## In short");
    const updated = await world.as.manager.content.articles.importMarkdown({ markdown: edited });
    expect(updated.id).toBe(created.id);
    expect(updated.revision).toBe(2);
    expect(updated.blocks[1]).toEqual({ type: "heading", level: 2, text: "In short" });
    const copy = await world.as.manager.content.articles.importMarkdown({
      markdown: edited.replace(`slug: ${DEMO_ARTICLE_SLUG}`, "slug: dry-needling-copy"),
    });
    expect(copy.id).not.toBe(created.id);
    expect(copy.status).toBe("draft");
    const revisions = await world.as.manager.content.articles.revisions({ id: updated.id });
    expect(revisions.map((r) => r.action)).toEqual(["import", "create"]);
  });

  test("invalid content is refused with field-level errors and nothing is saved", async () => {
    const ids = await storeLibrary(world.as.manager);
    const valid = await world.as.manager.content.articles.create({
      slug: "aftercare",
      title: "Aftercare",
      summary: "After a session.",
      blocks: [],
    });
    const otherOrgVideo = await other.as.manager.content.videos.create(VIDEOS.choosept);
    const before = await countContentRows(handle);

    const invalid = await expectTrpcError(
      world.as.manager.content.articles.create({
        slug: "After Care!",
        title: "",
        summary: "S",
        tags: ["Trigger Points"],
        blocks: [
          { type: "heading", level: 1, text: "x" },
          { type: "video", videoId: "not-a-uuid" },
        ],
      } as never),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(invalid).sort()).toEqual([
      "blocks.0.level",
      "blocks.1.videoId",
      "slug",
      "tags.0",
      "title",
    ]);

    const duplicate = await expectTrpcError(
      world.as.manager.content.articles.create({
        slug: "aftercare",
        title: "Another",
        summary: "S",
        blocks: [],
      }),
      "CONFLICT",
    );
    expect(duplicate.message).toBe(
      "slug: another article of your organization already uses the address aftercare",
    );

    const missing = await expectTrpcError(
      world.as.manager.content.articles.update({
        ...contentOf(valid),
        id: valid.id,
        blocks: [
          { type: "paragraph", text: "Watch this." },
          { type: "video", videoId: otherOrgVideo.id },
        ],
      }),
      "BAD_REQUEST",
    );
    expect(missing.message).toBe("blocks.1.videoId: no video with this id in the library");

    const badReference = await expectTrpcError(
      world.as.manager.content.literature.create({
        ...LITERATURE["wardle-2014"],
        url: "not a url",
        workTitle: " ",
      }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(badReference).sort()).toEqual(["url", "workTitle"]);

    // "Not after this year" is checked against the caller's clock (TEST_NOW is in 2026).
    const futureYear = await expectTrpcError(
      world.as.manager.content.literature.create({ ...LITERATURE["wardle-2014"], year: 2027 }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(futureYear)).toEqual(["year"]);
    expect(futureYear.message).toBe("year: must not be in the future");
    const futureStudy = await expectTrpcError(
      world.as.manager.content.literature.create({
        ...LITERATURE["wardle-2014"],
        citedStudies: [
          { authors: "Gunn et al.", year: 1980 },
          { authors: "Soon", year: 2027 },
        ],
      }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(futureStudy)).toEqual(["citedStudies.1.year"]);

    const badVideo = await expectTrpcError(
      world.as.manager.content.videos.create({ ...VIDEOS.choosept, url: "choosept" }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(badVideo)).toEqual(["url"]);

    const badImport = await expectTrpcError(
      world.as.manager.content.articles.importMarkdown({
        markdown: `---\nslug: new-one\ntitle: New\nsummary: S\ntags: []\n---\n\n::literature{id="${ids.videos.choosept}"}\n`,
      }),
      "BAD_REQUEST",
    );
    expect(badImport.message).toBe(
      "blocks.0.referenceId: no literature reference with this id in the library",
    );

    const badCourse = await expectTrpcError(
      world.as.manager.content.courses.create({
        provider: "P",
        title: "",
        hours: { theory: 1 },
        topics: ["not-a-topic"],
      } as never),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(badCourse).sort()).toEqual(["title", "topics.0"]);

    expect(await countContentRows(handle)).toEqual(before);

    // The same year is accepted once the caller's clock has reached it.
    const nextYear = await managerAt("2027-03-01T12:00:00.000Z").content.literature.create({
      ...LITERATURE["wardle-2014"],
      year: 2027,
    });
    expect(nextYear.year).toBe(2027);
  });

  test("update keeps a revision; publish, archive and reorder too; each is audited", async () => {
    const created = await managerAt("2026-05-01T09:00:00.000Z").content.articles.create({
      slug: "aftercare",
      title: "Aftercare",
      summary: "After a session.",
      tags: ["aftercare"],
      blocks: [
        { type: "heading", level: 2, text: "One" },
        { type: "paragraph", text: "Two" },
        { type: "paragraph", text: "Three" },
      ],
    });
    expect(created).toMatchObject({ status: "draft", revision: 1, publishedOn: null });

    const updated = await managerAt("2026-05-02T09:00:00.000Z").content.articles.update({
      ...contentOf(created),
      id: created.id,
      title: "Aftercare after dry needling",
      expectedRevision: 1,
    });
    expect(updated).toMatchObject({ revision: 2, title: "Aftercare after dry needling" });

    const stale = await expectTrpcError(
      world.as.manager.content.articles.update({
        ...contentOf(created),
        id: created.id,
        expectedRevision: 1,
      }),
      "CONFLICT",
    );
    expect(stale.message).toMatch(/^expectedRevision: the article was changed by someone else/);

    const reordered = await managerAt("2026-05-03T09:00:00.000Z").content.articles.reorderBlocks({
      id: created.id,
      order: [0, 2, 1],
    });
    expect(
      reordered.blocks.map((b) => (b.type === "heading" || b.type === "paragraph" ? b.text : "")),
    ).toEqual(["One", "Three", "Two"]);
    const badOrder = await expectTrpcError(
      world.as.manager.content.articles.reorderBlocks({ id: created.id, order: [0, 0, 1] }),
      "BAD_REQUEST",
    );
    expect(badOrder.message).toBe("order: must list each block position from 0 to 2 exactly once");

    const published = await managerAt("2026-05-04T09:00:00.000Z").content.articles.publish({
      id: created.id,
    });
    expect(published).toMatchObject({
      status: "published",
      publishedOn: "2026-05-04",
      revision: 4,
    });
    const archived = await managerAt("2026-05-05T09:00:00.000Z").content.articles.archive({
      id: created.id,
    });
    expect(archived).toMatchObject({ status: "archived", publishedOn: "2026-05-04", revision: 5 });

    const revisions = await world.as.manager.content.articles.revisions({ id: created.id });
    expect(revisions.map((r) => [r.revision, r.action])).toEqual([
      [5, "archive"],
      [4, "publish"],
      [3, "reorder"],
      [2, "update"],
      [1, "create"],
    ]);
    expect(revisions[3]?.article.title).toBe("Aftercare after dry needling");
    expect(revisions[4]?.article.title).toBe("Aftercare");

    const audit = await listAuditEventsForEntity(handle.db, "article", created.id);
    expect(audit.map((event) => event.action).sort()).toEqual(
      [
        "article.archive",
        "article.create",
        "article.publish",
        "article.reorder",
        "article.update",
      ].sort(),
    );
  });

  test("search by title words and by tag, newest change first, one organization only", async () => {
    const make = (slug: string, title: string, tags: string[], at: string) =>
      managerAt(at).content.articles.create({ slug, title, summary: "S", tags, blocks: [] });
    await make("a", "What is dry needling?", ["trigger-points"], "2026-05-01T00:00:00.000Z");
    await make("b", "Dry needling aftercare", ["aftercare"], "2026-05-02T00:00:00.000Z");
    await make(
      "c",
      "Regulation of DN by state",
      ["regulation", "aftercare"],
      "2026-05-03T00:00:00.000Z",
    );
    await other.as.manager.content.articles.create({
      slug: "d",
      title: "Dry needling elsewhere",
      summary: "S",
      blocks: [],
    });
    const titles = async (input: Parameters<Caller["content"]["articles"]["search"]>[0]) =>
      (await world.as.auditor.content.articles.search(input)).items.map((a) => a.title);
    expect(await titles({ query: "dry NEEDLING" })).toEqual([
      "Dry needling aftercare",
      "What is dry needling?",
    ]);
    expect(await titles({ tag: "aftercare" })).toEqual([
      "Regulation of DN by state",
      "Dry needling aftercare",
    ]);
    expect(await titles({ query: "needling", tag: "aftercare" })).toEqual([
      "Dry needling aftercare",
    ]);
    expect(await titles({ query: "100%_" })).toEqual([]);
    const first = await world.as.manager.content.articles.search({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await world.as.manager.content.articles.search({
      limit: 2,
      cursor: first.nextCursor,
    });
    expect(second.items.map((a) => a.title)).toEqual(["What is dry needling?"]);
    expect(second.nextCursor).toBeNull();
  });

  test("only managers and admins write; another organization's article is NOT_FOUND", async () => {
    const created = await world.as.manager.content.articles.create({
      slug: "mine",
      title: "Mine",
      summary: "S",
      blocks: [],
    });
    await expectTrpcError(
      world.as.practitioner.content.articles.create({
        slug: "x",
        title: "X",
        summary: "S",
        blocks: [],
      }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      world.as.auditor.content.articles.publish({ id: created.id }),
      "FORBIDDEN",
    );
    await expectTrpcError(other.as.manager.content.articles.byId({ id: created.id }), "NOT_FOUND");
    await expectTrpcError(
      other.as.manager.content.articles.publish({ id: created.id }),
      "NOT_FOUND",
    );
    expect((await world.as.admin.content.articles.publish({ id: created.id })).status).toBe(
      "published",
    );
  });

  test("the public page shows published articles only, with the author's contact masked", async () => {
    const ids = await storeLibrary(world.as.manager);
    const created = await world.as.manager.content.articles.create(demoArticle(ids));
    await expectTrpcError(
      publicCaller().content.articles.public({
        organizationId: world.organization.id,
        slug: DEMO_ARTICLE_SLUG,
      }),
      "NOT_FOUND",
    );
    await world.as.manager.content.articles.publish({ id: created.id });
    const view = await publicCaller().content.articles.public({
      organizationId: world.organization.id,
      slug: DEMO_ARTICLE_SLUG,
    });
    expect(view.article.title).toBe(created.title);
    expect(view.author).toEqual({
      name: "Renée Castellano",
      credentials: ["PT", "DPT"],
      bio: DEMO_AUTHOR.bio,
      contactMasked: "r•••@harbor-pt.example",
    });
    expect(JSON.stringify(view)).not.toContain("renee.castellano@");
    expect(view.videos).toHaveLength(VIDEO_KEYS.length);
    expect(view.references).toHaveLength(LITERATURE_KEYS.length);
    await world.as.manager.content.articles.archive({ id: created.id });
    await expectTrpcError(
      publicCaller().content.articles.public({
        organizationId: world.organization.id,
        slug: DEMO_ARTICLE_SLUG,
      }),
      "NOT_FOUND",
    );
  });

  test("slugs are per organization: another organization's slug blocks nothing and each page is its own", async () => {
    const article = (org: OrgWorld, title: string) =>
      org.as.manager.content.articles.create({
        slug: "aftercare",
        title,
        summary: "S",
        blocks: [],
      });
    const ours = await article(world, "Harbor aftercare");
    const theirs = await article(other, "Elsewhere aftercare");
    await world.as.manager.content.articles.publish({ id: ours.id });
    await other.as.manager.content.articles.publish({ id: theirs.id });
    const page = (org: OrgWorld) =>
      publicCaller().content.articles.public({
        organizationId: org.organization.id,
        slug: "aftercare",
      });
    expect((await page(world)).article.title).toBe("Harbor aftercare");
    expect((await page(other)).article.title).toBe("Elsewhere aftercare");
    await publicCaller().content.comments.submit({
      organizationId: other.organization.id,
      articleSlug: "aftercare",
      displayName: "Sam",
      body: "Hello",
    });
    const queue = await other.as.manager.content.comments.queue({ moderationState: "pending" });
    expect(queue.items.map((c) => c.articleTitle)).toEqual(["Elsewhere aftercare"]);
    expect(
      (await world.as.manager.content.comments.queue({ moderationState: "pending" })).items,
    ).toEqual([]);
  });

  test("the public page carries no internal ids of the organization or the article", async () => {
    const ids = await storeLibrary(world.as.manager);
    const created = await world.as.manager.content.articles.create(demoArticle(ids));
    await world.as.manager.content.articles.publish({ id: created.id });
    const view = await publicCaller().content.articles.public({
      organizationId: world.organization.id,
      slug: DEMO_ARTICLE_SLUG,
    });
    const text = JSON.stringify(view);
    expect(text).not.toContain(world.organization.id);
    expect(text).not.toContain(created.id);
    expect(text).not.toContain("organizationId");
  });

  describe("comments", () => {
    let articleId: string;
    beforeEach(async () => {
      const article = await world.as.manager.content.articles.create({
        slug: "aftercare",
        title: "Aftercare",
        summary: "S",
        blocks: [],
      });
      articleId = article.id;
      await world.as.manager.content.articles.publish({ id: article.id });
    });

    const comment = {
      organizationId: "",
      articleSlug: "aftercare",
      displayName: "Sam",
      body: "Felt sore for a day.",
    };
    beforeEach(() => {
      comment.organizationId = world.organization.id;
    });

    test("a submitted comment waits for moderation, then shows once published", async () => {
      expect(await publicCaller().content.comments.submit(comment)).toEqual({ status: "received" });
      const queue = await world.as.manager.content.comments.queue({ moderationState: "pending" });
      expect(queue.items).toHaveLength(1);
      expect(queue.items[0]).toMatchObject({ displayName: "Sam", articleTitle: "Aftercare" });
      expect(
        (
          await publicCaller().content.articles.public({
            organizationId: world.organization.id,
            slug: "aftercare",
          })
        ).comments,
      ).toEqual([]);
      const id = queue.items[0]?.id as string;
      await world.as.manager.content.comments.moderate({ id, decision: "publish" });
      const view = await publicCaller().content.articles.public({
        organizationId: world.organization.id,
        slug: "aftercare",
      });
      expect(view.comments.map((c) => c.body)).toEqual(["Felt sore for a day."]);
      expect(Object.keys(view.comments[0] ?? {}).sort()).toEqual([
        "body",
        "displayName",
        "id",
        "postedAt",
      ]);
    });

    test("comments on a draft or unknown article are refused; bad input names the field", async () => {
      await expectTrpcError(
        publicCaller().content.comments.submit({ ...comment, articleSlug: "nope" }),
        "NOT_FOUND",
      );
      const bad = await expectTrpcError(
        publicCaller().content.comments.submit({ ...comment, body: "" }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(bad)).toEqual(["body"]);
    });

    test("a filled-in honeypot gets the same answer but lands in spam", async () => {
      expect(
        await publicCaller().content.comments.submit({
          ...comment,
          website: "http://cheap-pills.example",
        }),
      ).toEqual({ status: "received" });
      expect(
        (await world.as.manager.content.comments.queue({ moderationState: "pending" })).items,
      ).toEqual([]);
      const spam = await world.as.manager.content.comments.queue({ moderationState: "spam" });
      expect(spam.items.map((c) => c.moderationNote)).toEqual([
        "automatic: the honeypot field was filled in",
      ]);
    });

    test("one address may post 5 comments in 10 minutes; others are not held back", async () => {
      for (let i = 0; i < 5; i += 1) {
        await publicCaller("198.51.100.1", `2026-06-01T10:0${i}:00.000Z`).content.comments.submit(
          comment,
        );
      }
      const limited = await expectTrpcError(
        publicCaller("198.51.100.1", "2026-06-01T10:05:00.000Z").content.comments.submit(comment),
        "TOO_MANY_REQUESTS",
      );
      expect(limited.message).toMatch(/too many comments from your connection/);
      await publicCaller("198.51.100.2", "2026-06-01T10:05:00.000Z").content.comments.submit(
        comment,
      );
      // The window slides: ten minutes after the first, the address may post again.
      await publicCaller("198.51.100.1", "2026-06-01T10:10:30.000Z").content.comments.submit(
        comment,
      );
      const rows = await handle.db.selectFrom("comments").select("submitterHash").execute();
      expect(
        rows.every((row) => row.submitterHash !== null && !row.submitterHash.includes("198.")),
      ).toBe(true);
    });

    test("flagging a possible adverse event hides the comment and opens a follow-up item", async () => {
      await publicCaller().content.comments.submit({
        ...comment,
        body: "I felt dizzy and nearly fainted after my session, then vomited.",
      });
      const [pending] = (await world.as.manager.content.comments.queue({})).items;
      const id = pending?.id as string;
      const noNote = await expectTrpcError(
        world.as.manager.content.comments.moderate({ id, decision: "flag-adverse-event" }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(noNote)).toEqual(["note"]);
      await expectTrpcError(
        world.as.auditor.content.comments.moderate({ id, decision: "hide" }),
        "FORBIDDEN",
      );
      await expectTrpcError(
        other.as.manager.content.comments.moderate({ id, decision: "hide" }),
        "NOT_FOUND",
      );
      const flagged = await world.as.manager.content.comments.moderate({
        id,
        decision: "flag-adverse-event",
        note: "Near-syncope and vomiting: call the patient, file an incident report.",
      });
      expect(flagged.comment).toMatchObject({ adverseEvent: true, moderationState: "hidden" });
      expect(flagged.followUp).toMatchObject({ status: "open", commentId: id, articleId });
      await expectTrpcError(
        world.as.manager.content.comments.moderate({
          id,
          decision: "flag-adverse-event",
          note: "again",
        }),
        "CONFLICT",
      );

      const open = await world.as.auditor.content.followUps.list({ status: "open" });
      expect(open.items).toHaveLength(1);
      expect(open.items[0]).toMatchObject({
        summary: "Near-syncope and vomiting: call the patient, file an incident report.",
        commentDisplayName: "Sam",
        articleTitle: "Aftercare",
      });
      expect((await other.as.manager.content.followUps.list({})).items).toEqual([]);
      const resolved = await world.as.manager.content.followUps.resolve({
        id: open.items[0]?.id as string,
        resolution: "Called the patient; symptoms resolved within the hour.",
      });
      expect(resolved.status).toBe("resolved");
      expect((await world.as.manager.content.followUps.list({ status: "open" })).items).toEqual([]);
      const audit = await listAuditEventsForEntity(handle.db, "comment", id);
      expect(audit.map((e) => e.action).sort()).toEqual([
        "comment.flag-adverse-event",
        "comment.submit",
      ]);
    });
  });

  test("courses: the catalog every role reads and managers keep", async () => {
    const course = await world.as.manager.content.courses.create({
      provider: "Chesapeake Manual Therapy Institute",
      title: "Dry Needling Level 1",
      level: "Level 1",
      hours: { theory: 11, practical: 16 },
      topics: ["trigger-points", "anatomy", "trigger-points"],
      exams: ["practical", "written"],
      approvals: [
        {
          body: "state-board",
          name: "Maryland Board of Physical Therapy Examiners",
          jurisdiction: "US-MD",
          approvedOn: "2025-01-15",
        },
      ],
    });
    expect(course).toMatchObject({
      hours: { theory: 11, practical: 16, online: 0 },
      topics: ["anatomy", "trigger-points"],
      exams: ["written", "practical"],
    });
    expect((await world.as.practitioner.content.courses.list({})).map((c) => c.id)).toEqual([
      course.id,
    ]);
    await expectTrpcError(
      world.as.practitioner.content.courses.update({ ...course, title: "Mine now" }),
      "FORBIDDEN",
    );
    await expectTrpcError(other.as.manager.content.courses.byId({ id: course.id }), "NOT_FOUND");
    const updated = await world.as.manager.content.courses.update({
      ...course,
      level: "Level 1 (2026)",
    });
    expect(updated.level).toBe("Level 1 (2026)");
    await world.as.manager.content.courses.archive({ id: course.id });
    expect(await world.as.practitioner.content.courses.list({})).toEqual([]);
    expect(await world.as.manager.content.courses.list({ includeArchived: true })).toHaveLength(1);
    const audit = await listAuditEventsForEntity(handle.db, "course", course.id);
    expect(audit.map((e) => e.action).sort()).toEqual([
      "course.archive",
      "course.create",
      "course.update",
    ]);
  });

  test("literature references become the evidence base of a standard", async () => {
    const [standardId] = listStandardIds();
    const reference = await world.as.manager.content.literature.create(
      LITERATURE["dommerholt-2013"],
    );
    const link = await world.as.manager.content.literature.linkStandard({
      standardId: standardId as string,
      referenceId: reference.id,
      note: "Training content the standard's hour minimum rests on.",
    });
    expect(link).toMatchObject({ standardId, referenceId: reference.id });
    await expectTrpcError(
      world.as.manager.content.literature.linkStandard({
        standardId: standardId as string,
        referenceId: reference.id,
      }),
      "CONFLICT",
    );
    await expectTrpcError(
      world.as.manager.content.literature.linkStandard({
        standardId: "no-such-standard",
        referenceId: reference.id,
      }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      other.as.manager.content.literature.linkStandard({
        standardId: standardId as string,
        referenceId: reference.id,
      }),
      "NOT_FOUND",
    );
    const evidence = await world.as.practitioner.content.literature.forStandard({
      standardId: standardId as string,
    });
    expect(evidence.map((e) => e.reference.workTitle)).toEqual(["Trigger Point Dry Needling"]);
    expect(
      (await world.as.manager.content.literature.byId({ id: reference.id })).evidence,
    ).toHaveLength(1);
    await world.as.manager.content.literature.unlinkStandard({
      standardId: standardId as string,
      referenceId: reference.id,
    });
    expect(
      await world.as.manager.content.literature.forStandard({ standardId: standardId as string }),
    ).toEqual([]);
  });
});
