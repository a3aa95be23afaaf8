import { describe, expect, test } from "vitest";
import type { z } from "zod";
import {
  ArticleContentSchema,
  CreateCourseInputSchema,
  CreateLiteratureReferenceInputSchema,
  CreateVideoInputSchema,
  ModerateCommentInputSchema,
  SubmitCommentInputSchema,
} from "./content.ts";

function problems(schema: z.ZodType, value: unknown): Record<string, string[]> {
  const result = schema.safeParse(value);
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join(".");
    out[path] = [...(out[path] ?? []), issue.message];
  }
  return out;
}

const reference = {
  excerpt: "Superficial dry needling at 2-3 mm reduces post-treatment soreness.",
  workTitle: "Clinical Naturopathy",
  authors: [{ family: "Wardle", given: "Jon" }],
  publisher: "Elsevier Health Sciences",
  year: 2014,
};

describe("content validation names the field and says what is wrong", () => {
  test("a URL that is not a URL", () => {
    expect(
      problems(CreateVideoInputSchema, {
        title: "Dry Needling by a Physical Therapist",
        channel: "ChoosePT",
        provider: "youtube",
        url: "youtube dot com",
      }),
    ).toEqual({
      url: ["must be a web address starting with http:// or https://, e.g. https://example.org"],
    });
    expect(
      problems(CreateLiteratureReferenceInputSchema, { ...reference, url: "ftp://x.org/a" }),
    ).toEqual({
      url: ["must be a web address starting with http:// or https://, e.g. https://example.org"],
    });
  });

  test("a year before printing or of more than four digits", () => {
    expect(problems(CreateLiteratureReferenceInputSchema, { ...reference, year: 1449 })).toEqual({
      year: ["must be 1450 or later"],
    });
    expect(
      problems(CreateLiteratureReferenceInputSchema, {
        ...reference,
        citedStudies: [{ authors: "Gunn et al.", year: 10000 }],
      }),
    ).toEqual({ "citedStudies.0.year": ["must be a four-digit year"] });
  });

  test("a year after this one passes the schema: only the service knows today", () => {
    expect(problems(CreateLiteratureReferenceInputSchema, { ...reference, year: 2999 })).toEqual(
      {},
    );
  });

  test("an empty title", () => {
    expect(
      problems(ArticleContentSchema, { slug: "a", title: "   ", summary: "S", blocks: [] }),
    ).toEqual({ title: ["must not be empty"] });
    expect(problems(CreateLiteratureReferenceInputSchema, { ...reference, workTitle: "" })).toEqual(
      {
        workTitle: ["must not be empty"],
      },
    );
  });

  test("a slug that is not a slug, and blocks by position", () => {
    expect(
      problems(ArticleContentSchema, {
        slug: "What Is DN",
        title: "T",
        summary: "S",
        tags: ["Trigger Points"],
        blocks: [
          { type: "heading", level: 1, text: "Title" },
          { type: "paragraph", text: "one\n\ntwo" },
          { type: "list", ordered: false, items: [] },
          { type: "gallery" },
          { type: "video", videoId: "not-an-id" },
        ],
      }),
    ).toEqual({
      slug: [
        "must be lower-case letters and digits joined by hyphens, e.g. dry-needling-aftercare",
      ],
      "tags.0": ["must be lower-case letters and digits joined by hyphens, e.g. trigger-points"],
      "blocks.0.level": ["must be 2, 3 or 4"],
      "blocks.1.text": ["must not contain a blank line (start a new block instead)"],
      "blocks.2.items": ["must have at least one item"],
      "blocks.3.type": [
        "must be a block of type heading, paragraph, list, quote, callout, video, literature",
      ],
      "blocks.4.videoId": ["must be a UUID"],
    });
  });

  test("a YouTube id must look like one", () => {
    expect(
      problems(CreateVideoInputSchema, {
        title: "T",
        channel: "C",
        provider: "youtube",
        url: "https://www.youtube.com/watch?v=abc",
        providerId: "abc",
      }),
    ).toEqual({ providerId: ["must be YouTube's 11-character video id, e.g. dQw4w9WgXcQ"] });
  });

  test("et al. needs a named author first", () => {
    expect(
      problems(CreateLiteratureReferenceInputSchema, { ...reference, authors: [], etAl: true }),
    ).toEqual({ etAl: ["needs at least one author named before et al."] });
  });

  test("a course needs hours, known topics, and approvals with consistent dates", () => {
    expect(
      problems(CreateCourseInputSchema, {
        provider: "P",
        title: "Level 1",
        hours: { theory: 0, practical: 0, online: 0 },
        topics: ["needling-of-cats"],
        exams: ["oral"],
        approvals: [
          { body: "state-board", name: "Board", approvedOn: "2025-05-01", expiresOn: "2025-01-01" },
        ],
      }),
    ).toEqual({
      "topics.0": ['unknown topic "needling-of-cats"'],
      "exams.0": ["must be one of written, practical"],
      "approvals.0.expiresOn": ["must not be before the approval date"],
      "approvals.0.jurisdiction": ["is required for a state board approval"],
    });
  });

  test("a course with no hours at all is refused on the hours field", () => {
    expect(
      problems(CreateCourseInputSchema, {
        provider: "P",
        title: "Level 1",
        hours: { theory: 0, practical: 0, online: 0 },
      }),
    ).toEqual({ hours: ["must include at least some hours"] });
  });

  test("flagging an adverse event needs a note; comments need a name and a body", () => {
    expect(
      problems(ModerateCommentInputSchema, {
        id: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a11",
        decision: "flag-adverse-event",
      }),
    ).toEqual({
      note: ["is required when flagging a possible adverse event: say what needs following up"],
    });
    expect(
      problems(SubmitCommentInputSchema, {
        organizationId: "8f9c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
        articleSlug: "a",
        displayName: "",
        body: " ",
      }),
    ).toEqual({ displayName: ["must not be empty"], body: ["must not be empty"] });
  });

  test("tags and course topics are de-duplicated; exams are in a fixed order", () => {
    expect(
      ArticleContentSchema.parse({
        slug: "a",
        title: "T",
        summary: "S",
        tags: ["b", "a", "b"],
        blocks: [],
      }).tags,
    ).toEqual(["b", "a"]);
    const course = CreateCourseInputSchema.parse({
      provider: "P",
      title: "T",
      hours: { theory: 1 },
      topics: ["anatomy", "anatomy"],
      exams: ["practical", "written"],
    });
    expect(course.topics).toEqual(["anatomy"]);
    expect(course.exams).toEqual(["written", "practical"]);
  });
});
