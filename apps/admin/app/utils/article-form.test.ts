import { describe, expect, test } from "vitest";
import { moveOrder, readArticleForm } from "./article-form.ts";

const values = {
  slug: "aftercare",
  title: "Aftercare",
  summary: "After a session.",
  authorId: "",
  tags: "aftercare, regulation",
  body: "## After a session\n\nSoreness is common.",
};

describe("the article editor form", () => {
  test("reads fields and Markdown blocks into article content", () => {
    const result = readArticleForm(values);
    expect(result).toEqual({
      success: true,
      content: {
        slug: "aftercare",
        title: "Aftercare",
        summary: "After a session.",
        authorId: null,
        tags: ["aftercare", "regulation"],
        blocks: [
          { type: "heading", level: 2, text: "After a session" },
          { type: "paragraph", text: "Soreness is common." },
        ],
      },
    });
  });

  test("names the field, and the block by its number and type", () => {
    const result = readArticleForm({
      ...values,
      title: " ",
      tags: "Trigger Points",
      body: '## Fine\n\n::video{id="nope"}',
    });
    expect(result).toEqual({
      success: false,
      errors: {
        title: ["must not be empty"],
        tags: [
          "must be lower-case letters and digits joined by hyphens, e.g. trigger-points (tag 1)",
          "must be lower-case letters and digits joined by hyphens, e.g. trigger-points (tag 2)",
        ],
        body: ["Block 2 (video), videoId: must be a UUID"],
      },
    });
  });

  test("an unreadable body is reported with its line", () => {
    expect(readArticleForm({ ...values, body: "# Title\n" })).toEqual({
      success: false,
      errors: {
        body: [
          "line 1: a level-1 heading is the title: set it in the front matter and use ## here",
        ],
      },
    });
  });

  test("moving a block swaps it with its neighbour; not past either end", () => {
    expect(moveOrder(3, 1, "up")).toEqual([1, 0, 2]);
    expect(moveOrder(3, 1, "down")).toEqual([0, 2, 1]);
    expect(moveOrder(3, 0, "up")).toBeNull();
    expect(moveOrder(3, 2, "down")).toBeNull();
  });
});
