import { describe, expect, test } from "vitest";
import { CompletionRowSchema, completionRecordTitle } from "./clinic-audit.ts";
import { RECORD_TITLE_MAX } from "./training-record.ts";

const row = (subjectArea: string, courseId = "DN-101") => ({
  license_number: "PT-1",
  state: "US-FL",
  course_id: courseId,
  completion_date: "2026-03-02",
  hours: "27",
  subject_area: subjectArea,
});

describe("a provider-reported completion row", () => {
  test("names the record it becomes after its subject area and course", () => {
    const parsed = CompletionRowSchema.parse(row("Dry Needling Level 1"));
    expect(completionRecordTitle(parsed)).toBe("Dry Needling Level 1 (course DN-101)");
  });

  test.each([
    ["exactly fills the record title and is accepted", 184, true],
    ["would pass the record title by one character and is refused", 185, false],
  ])("a subject area that %s (%i characters)", (_, length, accepted) => {
    const result = CompletionRowSchema.safeParse(row("s".repeat(length)));
    expect(result.success).toBe(accepted);
    if (result.success) {
      expect(completionRecordTitle(result.data)).toHaveLength(RECORD_TITLE_MAX);
    } else {
      expect(result.error.issues).toEqual([
        expect.objectContaining({
          path: ["subject_area"],
          message:
            'must be at most 184 characters with course_id DN-101 (the record title "<subject_area> (course DN-101)" must be at most 200 characters)',
        }),
      ]);
    }
  });

  test("a 100 KB subject area is refused on its own limit", () => {
    const result = CompletionRowSchema.safeParse(row("x".repeat(100 * 1024)));
    expect(result.success ? [] : result.error.issues.map((i) => [i.path, i.message])).toEqual([
      [["subject_area"], "must be at most 200 characters"],
    ]);
  });
});
