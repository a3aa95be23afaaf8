import { describe, expect, test } from "vitest";
import { courseFormValues, readCourseForm } from "./course-form.ts";

const values = {
  ...courseFormValues(null),
  provider: "Chesapeake Manual Therapy Institute",
  title: "Dry Needling Level 1",
  level: "Level 1",
  theory: "11",
  practical: "16",
  topics: ["trigger-points", "anatomy"],
  exams: ["written", "practical"],
  approvals:
    "state-board | Maryland Board of Physical Therapy Examiners | US-MD | 2025-01-15 | 2027-01-14 | MD-DN-2025-014\napta-chapter | APTA Maryland | | 2025-02-03 | |",
};

describe("the course form", () => {
  test("reads hours, topics, exams and one approval per line", () => {
    const result = readCourseForm(values);
    expect(result.success && result.input).toMatchObject({
      hours: { theory: 11, practical: 16, online: 0 },
      topics: ["anatomy", "trigger-points"],
      exams: ["written", "practical"],
      approvals: [
        {
          body: "state-board",
          jurisdiction: "US-MD",
          approvedOn: "2025-01-15",
          expiresOn: "2027-01-14",
          reference: "MD-DN-2025-014",
        },
        {
          body: "apta-chapter",
          name: "APTA Maryland",
          jurisdiction: null,
          expiresOn: null,
          reference: null,
        },
      ],
    });
  });

  test("names the field and the approval line at fault", () => {
    const result = readCourseForm({
      ...values,
      title: "",
      theory: "lots",
      approvals: "board | Someone | | 2025-13-01 | |",
    });
    expect(result.success ? null : result.errors).toEqual({
      title: ["must not be empty"],
      theory: ["must be a number of hours"],
      approvals: [
        "line 1 (body): must be one of fsbpt, apta-chapter, state-board, other",
        "line 1 (approvedOn): must be a real date written as YYYY-MM-DD",
      ],
    });
  });
});
