import { randomUUID } from "node:crypto";
import { type ArticleBlock, type ArticleContent, ArticleContentSchema } from "@dn/schema";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { DEMO_ARTICLE_SLUG, demoArticle } from "./demo-article.ts";
import { LITERATURE_KEYS, VIDEO_KEYS } from "./library.ts";
import {
  ArticleMarkdownError,
  articleToMarkdown,
  parseArticleMarkdown,
  readArticleMarkdown,
} from "./markdown.ts";

function demoContent(): ArticleContent {
  return ArticleContentSchema.parse(
    demoArticle({
      authorId: randomUUID(),
      videos: Object.fromEntries(VIDEO_KEYS.map((key) => [key, randomUUID()])) as never,
      literature: Object.fromEntries(LITERATURE_KEYS.map((key) => [key, randomUUID()])) as never,
    }),
  );
}

function roundTrip(content: ArticleContent): unknown {
  const result = readArticleMarkdown(articleToMarkdown(content));
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return result.content;
}

describe("articleToMarkdown and readArticleMarkdown", () => {
  test("the demo article round-trips without change", () => {
    const content = demoContent();
    expect(content.slug).toBe(DEMO_ARTICLE_SLUG);
    expect(roundTrip(content)).toEqual(content);
  });

  test("the Markdown reads like Markdown", () => {
    const markdown = articleToMarkdown({
      slug: "aftercare",
      title: "Aftercare",
      summary: "What to do after a session.",
      authorId: null,
      tags: ["aftercare"],
      status: "draft",
      publishedOn: null,
      blocks: [
        { type: "heading", level: 2, text: "After a session" },
        { type: "paragraph", text: "Soreness is common.\nIt settles within a day." },
        { type: "list", ordered: true, items: ["Ice", "Heat"] },
        { type: "quote", text: "Keep moving.", attribution: "A physical therapist" },
        { type: "callout", tone: "tip", title: "Tip", body: "Drink water." },
        { type: "video", videoId: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a11" },
      ],
    });
    expect(markdown).toBe(
      [
        "---",
        "slug: aftercare",
        "title: Aftercare",
        "summary: What to do after a session.",
        "authorId: null",
        "tags:",
        "  - aftercare",
        "status: draft",
        "publishedOn: null",
        "---",
        "",
        "## After a session",
        "",
        "Soreness is common.",
        "It settles within a day.",
        "",
        "1. Ice",
        "2. Heat",
        "",
        "> Keep moving.",
        "> — A physical therapist",
        "",
        ':::callout{tone="tip" title="Tip"}',
        "Drink water.",
        ":::",
        "",
        '::video{id="8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a11"}',
        "",
      ].join("\n"),
    );
    const parsed = parseArticleMarkdown(markdown);
    expect(parsed.meta).toEqual({ status: "draft", publishedOn: null, updatedAt: undefined });
  });

  test("text that looks like syntax is escaped and comes back as it was", () => {
    const content = ArticleContentSchema.parse({
      slug: "escapes",
      title: "# not a heading",
      summary: "---",
      tags: [],
      blocks: [
        { type: "paragraph", text: "# not a heading\n- not a list" },
        { type: "paragraph", text: "> not a quote" },
        { type: "paragraph", text: "1. not a list\n\\ backslash" },
        { type: "paragraph", text: '::video{id="x"}' },
        { type: "paragraph", text: "\\ starts with a backslash" },
        { type: "quote", text: "— not the attribution\n\\ slash", attribution: null },
        { type: "callout", tone: "info", title: 'quote " and }', body: ":::\n\\x" },
        { type: "list", ordered: false, items: ["- dash", "## hash"] },
      ],
    });
    expect(roundTrip(content)).toEqual(content);
  });

  test("any valid article round-trips (property)", () => {
    const line = fc
      .string({
        minLength: 1,
        maxLength: 30,
        unit: fc.constantFrom(
          "a",
          " ",
          "#",
          "-",
          ">",
          ":",
          "\\",
          "—",
          "1",
          ".",
          '"',
          "{",
          "}",
          "é",
        ),
      })
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const multi = fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => lines.join("\n"));
    const block: fc.Arbitrary<ArticleBlock> = fc.oneof(
      fc.record({
        type: fc.constant("heading" as const),
        level: fc.integer({ min: 2, max: 4 }),
        text: line,
      }),
      fc.record({ type: fc.constant("paragraph" as const), text: multi }),
      fc.record({
        type: fc.constant("list" as const),
        ordered: fc.boolean(),
        items: fc.array(line, { minLength: 1, maxLength: 4 }),
      }),
      fc.record({
        type: fc.constant("quote" as const),
        text: multi,
        attribution: fc.option(line, { nil: null }),
      }),
      fc.record({
        type: fc.constant("callout" as const),
        tone: fc.constantFrom("info" as const, "tip" as const, "warning" as const),
        title: line,
        body: multi,
      }),
      fc.record({ type: fc.constant("video" as const), videoId: fc.uuid({ version: 4 }) }),
      fc.record({ type: fc.constant("literature" as const), referenceId: fc.uuid({ version: 4 }) }),
    );
    fc.assert(
      fc.property(
        fc.record({
          slug: fc.constantFrom("a", "what-is-dn", "x-1"),
          title: line,
          summary: multi,
          authorId: fc.option(fc.uuid({ version: 4 }), { nil: null }),
          tags: fc.uniqueArray(fc.constantFrom("aftercare", "regulation", "trigger-points"), {
            maxLength: 3,
          }),
          blocks: fc.array(block, { maxLength: 8 }),
        }),
        (candidate) => {
          const parsed = ArticleContentSchema.safeParse(candidate);
          fc.pre(parsed.success);
          if (!parsed.success) return;
          expect(roundTrip(parsed.data)).toEqual(parsed.data);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("unreadable Markdown is refused with the line at fault", () => {
    const start = "---\nslug: a\ntitle: A\nsummary: S\ntags: []\n---\n\n";
    expect(() => parseArticleMarkdown("no front matter")).toThrow(ArticleMarkdownError);
    expect(() => parseArticleMarkdown(`${start}# Title again`)).toThrow(
      /line 8: a level-1 heading is the title/,
    );
    expect(() => parseArticleMarkdown(`${start}:::callout{tone="tip" title="x"}\nbody`)).toThrow(
      /line 8: the callout has no closing/,
    );
    expect(() => parseArticleMarkdown(`${start}::gallery{id="x"}`)).toThrow(
      /unknown block ::gallery/,
    );
    expect(() => parseArticleMarkdown(`${start}- one\ntwo`)).toThrow(
      /line 9: every line of a list/,
    );
  });

  test("invalid content is refused field by field", () => {
    const result = readArticleMarkdown(
      '---\nslug: Not A Slug\ntitle: ""\nsummary: S\ntags: []\n---\n\n::video{id="nope"}\n',
    );
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.issues.map((issue) => issue.path).sort()).toEqual([
      "blocks.0.videoId",
      "slug",
      "title",
    ]);
  });
});
