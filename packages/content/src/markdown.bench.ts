import { randomUUID } from "node:crypto";
import { ArticleContentSchema, CreateLiteratureReferenceInputSchema } from "@dn/schema";
import { bench, describe } from "vitest";
import { formatCitation } from "./citation.ts";
import { demoArticle } from "./demo-article.ts";
import { LITERATURE, LITERATURE_KEYS, VIDEO_KEYS } from "./library.ts";
import { articleToMarkdown, readArticleMarkdown } from "./markdown.ts";

const article = ArticleContentSchema.parse(
  demoArticle({
    authorId: randomUUID(),
    videos: Object.fromEntries(VIDEO_KEYS.map((key) => [key, randomUUID()])) as never,
    literature: Object.fromEntries(LITERATURE_KEYS.map((key) => [key, randomUUID()])) as never,
  }),
);
const markdown = articleToMarkdown(article);
const references = LITERATURE_KEYS.map((key) =>
  CreateLiteratureReferenceInputSchema.parse(LITERATURE[key]),
);

describe("the demo article (38 blocks)", () => {
  bench("articleToMarkdown", () => {
    articleToMarkdown(article);
  });
  bench("readArticleMarkdown (parse and validate)", () => {
    readArticleMarkdown(markdown);
  });
});

describe("citations", () => {
  bench("formatCitation, the 10 CONTENT.md references", () => {
    for (const reference of references) formatCitation(reference);
  });
});
