import { describe, expect, test } from "vitest";
import { recordDefaultsFromCourse } from "./course-prefill.ts";

describe("logging a record from a catalog course", () => {
  test("fills in the kind, title, provider, hours and topics", () => {
    expect(
      recordDefaultsFromCourse({
        id: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a11",
        organizationId: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a12",
        provider: "Chesapeake Manual Therapy Institute",
        title: "Dry Needling Level 1: Foundations",
        level: "Level 1",
        hours: { theory: 11, practical: 16, online: 0 },
        topics: ["anatomy", "trigger-points"],
        exams: ["written", "practical"],
        approvals: [],
        url: null,
        description: null,
        archivedAt: null,
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
      }),
    ).toEqual({
      kind: "dn-course",
      title: "Dry Needling Level 1: Foundations",
      provider: "Chesapeake Manual Therapy Institute",
      hours: { theory: "11", practical: "16", online: "0" },
      topics: ["anatomy", "trigger-points"],
    });
  });

  test("no course, nothing filled in", () => {
    expect(recordDefaultsFromCourse(null)).toEqual({});
  });
});
