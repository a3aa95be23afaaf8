import { type RequirementInput, type StandardDocument, StandardDocumentSchema } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { ce, course, dossier, license } from "./test-builders.ts";
import { type HypotheticalRecord, whatIf } from "./what-if.ts";

const citation = { text: "Test rule § 1" };

function maryland(requirements: RequirementInput[]): StandardDocument {
  return StandardDocumentSchema.parse({
    id: "us-md-what-if-test",
    version: 1,
    title: "What-if test",
    kind: "state-board",
    jurisdiction: "US-MD",
    authority: "Test board",
    status: "permitted",
    effectiveFrom: "2000-01-01",
    citations: [{ text: "Test rule" }],
    confidence: "C1",
    lastVerified: "2026-01-01",
    requirements,
  });
}

const MD_LICENSE = license("US-MD", "2015-06-01", "2027-03-31");

/** 30 CE hours per 24-month cycle (2025-04-01 to 2027-03-31), 2 of them on ethics. */
const CE = maryland([
  {
    id: "ce",
    kind: "ce-cycle",
    title: "30 CE hours per cycle, 2 on ethics",
    citation,
    hoursPerCycle: 30,
    cycleMonths: 24,
    anchor: { type: "license-expiry" },
    categories: [{ id: "ethics", title: "Ethics", topics: ["ethics"], minHours: 2 }],
    recordKinds: ["ce-activity"],
  },
]);

/** 20 face-to-face DN hours and a course on adverse events and clean needle technique. */
const DN = maryland([
  { id: "training", kind: "training-hours", title: "20 in-person hours", citation, minTotal: 20 },
  {
    id: "topics",
    kind: "topics",
    title: "Adverse events and clean needle technique",
    citation,
    topics: ["adverse-event-reporting", "clean-needle-technique"],
  },
]);

function planned(overrides: Partial<HypotheticalRecord> = {}): HypotheticalRecord {
  return {
    kind: "ce-activity",
    title: "Planned course",
    completedOn: "2026-03-01",
    hours: { theory: 0, practical: 0, online: 0 },
    topics: [],
    ...overrides,
  } as HypotheticalRecord;
}

describe("whatIf: one source for the numbers shown", () => {
  test("27 of 30 CE hours reads as due by the cycle's end with 3 more, not as met", () => {
    const d = dossier({ licenses: [MD_LICENSE], records: [] });
    const answer = whatIf(
      d,
      CE,
      [planned({ hours: { theory: 27, practical: 0, online: 0 }, topics: ["ethics"] })],
      { asOf: "2026-03-01" },
    );
    const change = answer.changes.find((c) => c.requirementId === "ce");
    expect(change?.after).toMatchObject({ have: 27, need: 30, met: true });
    // The page showed "27 of 30 (met)" beside "3 more CE hours ... missing". Each side now carries
    // its state and its gap, taken from the same requirement result as the numbers.
    expect(change?.after.state).toBe("due-on-track");
    expect(change?.after.stateLabel).toBe(
      "Due by 2027-03-31, on track: 3 more CE hours this cycle, 396 days left",
    );
    expect(change?.after.gap).toBe("3 more CE hours this cycle by 2027-03-31");
    expect(change?.before.state).toBe("due-behind");
    const after = answer.requirementsAfter.find((r) => r.requirementId === "ce");
    expect(after).toMatchObject({ state: "due-on-track", have: 27, need: 30 });
    expect(answer.after.requirements[0]?.due?.remaining).toBe(30 - 27);
  });

  test("a planned course that catches up turns behind into on track", () => {
    const d = dossier({ licenses: [MD_LICENSE], records: [ce("2025-05-01", { theory: 20 })] });
    // 2027-01-01: 90 days left of 730, so ceil(30 × 90 ÷ 730) = 4 hours fit; 10 remain.
    const answer = whatIf(
      d,
      CE,
      [planned({ hours: { theory: 8, practical: 0, online: 0 }, topics: ["ethics"] })],
      { asOf: "2027-01-01" },
    );
    expect(answer.changes[0]?.before).toMatchObject({ state: "due-behind", have: 20 });
    expect(answer.changes[0]?.after).toMatchObject({ state: "due-on-track", have: 28 });
    expect(answer.statusChanged).toBe(false);
  });
});

describe("whatIf: would this course qualify me?", () => {
  const trained = dossier({
    licenses: [MD_LICENSE],
    records: [course("2025-06-01", { theory: 10, practical: 10 }, { topics: ["anatomy"] })],
  });

  test("a planned course covering the missing topics qualifies", () => {
    const answer = whatIf(
      trained,
      DN,
      [
        planned({
          kind: "dn-course",
          hours: { theory: 4, practical: 0, online: 0 },
          topics: ["adverse-event-reporting", "clean-needle-technique"],
        }),
      ],
      { asOf: "2026-03-01" },
    );
    expect(answer.before.status).toBe("not-qualified");
    expect(answer.after.status).toBe("qualified");
    expect(answer.qualifiesAfter).toBe(true);
    const topics = answer.requirementsAfter.find((r) => r.requirementId === "topics");
    expect(topics?.state).toBe("met");
    expect(topics?.planned).toEqual([
      expect.objectContaining({ counted: true, amount: 2, title: "Planned course" }),
    ]);
  });

  test("the same course without those topics does not, and says why", () => {
    const answer = whatIf(
      trained,
      DN,
      [planned({ kind: "dn-course", hours: { theory: 4, practical: 0, online: 0 } })],
      { asOf: "2026-03-01" },
    );
    expect(answer.after.status).toBe("not-qualified");
    expect(answer.qualifiesAfter).toBe(false);
    const topics = answer.requirementsAfter.find((r) => r.requirementId === "topics");
    expect(topics?.state).toBe("not-met");
    expect(topics?.planned).toEqual([
      expect.objectContaining({ counted: false, message: "covers none of the required topics" }),
    ]);
  });

  test("the topics taught online do not count where they must be taught in person", () => {
    const answer = whatIf(
      trained,
      DN,
      [
        planned({
          kind: "dn-course",
          hours: { theory: 0, practical: 0, online: 4 },
          topics: ["adverse-event-reporting", "clean-needle-technique"],
        }),
      ],
      { asOf: "2026-03-01" },
    );
    expect(answer.qualifiesAfter).toBe(false);
    const topics = answer.requirementsAfter.find((r) => r.requirementId === "topics");
    expect(topics?.planned[0]).toMatchObject({ counted: false });
    expect(topics?.planned[0]?.message).toMatch(/^online only/);
  });

  test("a CE category counts a planned course only when it covers the category's topics", () => {
    const d = dossier({ licenses: [MD_LICENSE], records: [ce("2025-09-01", { theory: 28 })] });
    const withEthics = whatIf(
      d,
      CE,
      [planned({ hours: { theory: 2, practical: 0, online: 0 }, topics: ["ethics"] })],
      { asOf: "2026-03-01" },
    );
    expect(withEthics.requirementsAfter[0]?.state).toBe("met");
    const without = whatIf(
      d,
      CE,
      [planned({ hours: { theory: 2, practical: 0, online: 0 }, topics: ["pain-science"] })],
      { asOf: "2026-03-01" },
    );
    expect(without.requirementsAfter[0]?.state).not.toBe("met");
    expect(without.requirementsAfter[0]?.gap).toMatch(/2 more Ethics hours/);
  });

  test("a planned DN course does not count where only CE activities do", () => {
    const d = dossier({ licenses: [MD_LICENSE], records: [ce("2025-09-01", { theory: 28 })] });
    const answer = whatIf(
      d,
      CE,
      [
        planned({
          kind: "dn-course",
          hours: { theory: 2, practical: 0, online: 0 },
          topics: ["ethics"],
        }),
      ],
      { asOf: "2026-03-01" },
    );
    expect(answer.changes).toEqual([]);
    expect(answer.requirementsAfter[0]?.planned).toEqual([]);
  });
});
