import { randomUUID } from "node:crypto";
import {
  ArticleContentSchema,
  CreateAuthorInputSchema,
  CreateCourseInputSchema,
  CreateLiteratureReferenceInputSchema,
  CreateVideoInputSchema,
  totalHours,
} from "@dn/schema";
import { describe, expect, test } from "vitest";
import { DEMO_AUTHOR, demoArticle } from "./demo-article.ts";
import { COURSES, LITERATURE, LITERATURE_KEYS, VIDEO_KEYS, VIDEOS } from "./library.ts";

describe("the schema holds the content described in CONTENT.md", () => {
  test.each(LITERATURE_KEYS)("literature reference %s", (key) => {
    const parsed = CreateLiteratureReferenceInputSchema.parse(LITERATURE[key]);
    expect(parsed.workTitle.length).toBeGreaterThan(0);
    expect(parsed.excerpt.length).toBeGreaterThan(0);
  });

  test("works with et al., an edition, a subtitle, cited studies and no named author", () => {
    const refs = LITERATURE_KEYS.map((key) =>
      CreateLiteratureReferenceInputSchema.parse(LITERATURE[key]),
    );
    expect(refs.filter((ref) => ref.etAl).map((ref) => ref.workTitle)).toEqual([
      "Rehabilitation of the Hand and Upper Extremity",
      "The Sports Medicine Physician",
    ]);
    expect(refs.find((ref) => ref.edition === "e-book ed.")?.year).toBe(2018);
    expect(refs.flatMap((ref) => ref.citedStudies.map((s) => `${s.authors} ${s.year}`))).toEqual([
      "Gunn et al. 1980",
      "Dommerholt et al. 2006",
    ]);
    expect(refs.filter((ref) => ref.authors.length === 0).map((ref) => ref.subtitle)).toEqual([
      "Ruminant",
    ]);
    expect(new Set(refs.map((ref) => ref.publisher))).toEqual(
      new Set(["Elsevier Health Sciences", "Springer", "Wiley"]),
    );
  });

  test.each(VIDEO_KEYS)("video %s", (key) => {
    const video = CreateVideoInputSchema.parse(VIDEOS[key]);
    expect(video.url).toMatch(/^https:\/\//);
  });

  test("the course catalog: two 27-hour in-person levels with written and practical exams, 54 hours together", () => {
    const courses = COURSES.map((course) => CreateCourseInputSchema.parse(course));
    const levels = courses.filter(
      (course) => course.provider === "Chesapeake Manual Therapy Institute",
    );
    expect(levels.map((course) => totalHours(course.hours))).toEqual([27, 27]);
    expect(levels.every((course) => course.hours.online === 0)).toBe(true);
    expect(levels.reduce((sum, course) => sum + totalHours(course.hours), 0)).toBe(54);
    expect(levels.every((course) => course.exams.join(",") === "written,practical")).toBe(true);
    expect(levels.flatMap((course) => course.approvals.map((a) => a.body)).sort()).toEqual([
      "apta-chapter",
      "fsbpt",
      "state-board",
      "state-board",
    ]);
  });

  test("the author, with credentials and a contact", () => {
    expect(CreateAuthorInputSchema.parse(DEMO_AUTHOR).credentials).toEqual(["PT", "DPT"]);
  });

  test("the demo article uses every kind of block, every video and every reference", () => {
    const article = ArticleContentSchema.parse(
      demoArticle({
        authorId: randomUUID(),
        videos: Object.fromEntries(VIDEO_KEYS.map((key) => [key, randomUUID()])) as never,
        literature: Object.fromEntries(LITERATURE_KEYS.map((key) => [key, randomUUID()])) as never,
      }),
    );
    expect(new Set(article.blocks.map((block) => block.type))).toEqual(
      new Set(["heading", "paragraph", "list", "quote", "callout", "video", "literature"]),
    );
    expect(article.blocks.filter((block) => block.type === "video")).toHaveLength(
      VIDEO_KEYS.length,
    );
    expect(article.blocks.filter((block) => block.type === "literature")).toHaveLength(
      LITERATURE_KEYS.length,
    );
    expect(article.tags).toEqual(
      expect.arrayContaining(["trigger-points", "aftercare", "regulation"]),
    );
  });
});
