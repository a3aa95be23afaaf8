import {
  type DossierLicense,
  type DossierRecordInput,
  type RequirementInput,
  type StandardDocument,
  StandardDocumentSchema,
} from "@dn/schema";
import { describe, expect, test } from "vitest";
import { addDays } from "./dates.ts";
import { evaluate } from "./evaluate.ts";
import { ce, course, dossier, license, notified } from "./test-builders.ts";
import type { RequirementState, Verdict } from "./types.ts";

/** A small Maryland standard with one requirement of the kind under test. */
function standardWith(requirement: RequirementInput): StandardDocument {
  return StandardDocumentSchema.parse({
    id: "us-md-state-test",
    version: 1,
    title: "State test",
    kind: "state-board",
    jurisdiction: "US-MD",
    authority: "Test board",
    status: "permitted",
    effectiveFrom: "2000-01-01",
    citations: [{ text: "Test rule" }],
    confidence: "C1",
    lastVerified: "2026-01-01",
    requirements: [requirement],
  });
}

const citation = { text: "Test rule § 1" };

/** 30 CE hours in each 24-month cycle ending on the license's expiry (2025-04-01 to 2027-03-31). */
const CE = standardWith({
  id: "ce",
  kind: "ce-cycle",
  title: "30 CE hours per cycle",
  citation,
  hoursPerCycle: 30,
  cycleMonths: 24,
  anchor: { type: "license-expiry" },
});
const CE_END = "2027-03-31";
const MD_LICENSE = license("US-MD", "2015-06-01", CE_END);

/** 50 hours, 40 in person; needling may start after 30, the rest within 48 months. */
const STAGED = standardWith({
  id: "training",
  kind: "training-hours",
  title: "50 hours, 30 before needling",
  citation,
  minTotal: 50,
  minFaceToFace: 40,
  onlineCounts: true,
  provisional: { minHours: 30, completeWithinMonths: 48 },
});

/** Proof of training filed with the board within 30 days of finishing 10 hours. */
const FILING = StandardDocumentSchema.parse({
  ...standardWith({
    id: "training",
    kind: "training-hours",
    title: "10 hours",
    citation,
    minTotal: 10,
  }),
  requirements: [
    { id: "training", kind: "training-hours", title: "10 hours", citation, minTotal: 10 },
    {
      id: "filing",
      kind: "board-notification",
      title: "Proof of training within 30 days",
      citation,
      action: "submit-proof",
      due: "after-training",
      withinDays: 30,
    },
  ],
});

/** The day on which `daysLeft` days remain until `by`, both counted. */
function daysLeftOn(by: string, daysLeft: number): string {
  return addDays(by, -(daysLeft - 1));
}

interface Row {
  name: string;
  standard: StandardDocument;
  requirementId: string;
  asOf: string;
  licenses: DossierLicense[];
  records: DossierRecordInput[];
  state: RequirementState;
  verdict: Verdict;
  due?: {
    by: string;
    from: string;
    periodDays: number;
    daysLeft: number;
    remaining: number;
    allowance: number;
  };
  label: string | RegExp;
}

const rows: Row[] = [
  {
    name: "CE complete within the open cycle is met, with no deadline",
    standard: CE,
    requirementId: "ce",
    asOf: "2026-03-01",
    licenses: [MD_LICENSE],
    records: [ce("2025-09-20", { theory: 20 }), ce("2026-02-14", { online: 10 })],
    state: "met",
    verdict: "qualified",
    label: "Met",
  },
  {
    name: "a CE cycle that ended short is not met",
    standard: CE,
    requirementId: "ce",
    asOf: "2027-04-01",
    licenses: [MD_LICENSE],
    records: [ce("2025-09-20", { theory: 10 })],
    state: "not-met",
    verdict: "not-qualified",
    label: "Not met",
  },
  {
    name: "0 of 30 hours early in the cycle: due, on track (30 fit in 721 of 730 days)",
    standard: CE,
    requirementId: "ce",
    asOf: "2025-04-10",
    licenses: [MD_LICENSE],
    records: [],
    state: "due-on-track",
    verdict: "qualified",
    due: {
      by: CE_END,
      from: "2025-04-01",
      periodDays: 730,
      daysLeft: 721,
      remaining: 30,
      allowance: 30,
    },
    label: "Due by 2027-03-31, on track: 30 more CE hours this cycle, 721 days left",
  },
  {
    name: "10 of 30 hours with 396 days left: due, behind (only 17 fit at the cycle's pace)",
    standard: CE,
    requirementId: "ce",
    asOf: "2026-03-01",
    licenses: [MD_LICENSE],
    records: [ce("2025-09-20", { theory: 6 }), ce("2026-02-14", { online: 4 })],
    state: "due-behind",
    verdict: "qualified",
    due: {
      by: CE_END,
      from: "2025-04-01",
      periodDays: 730,
      daysLeft: 396,
      remaining: 20,
      allowance: 17,
    },
    label:
      "Due by 2027-03-31, behind: 20 more CE hours this cycle, 396 days left (at the period's even pace 17 would fit)",
  },
  {
    name: "15 of 30 with 341 days left is still on track: ceil(30 × 341 ÷ 730) = 15",
    standard: CE,
    requirementId: "ce",
    asOf: daysLeftOn(CE_END, 341),
    licenses: [MD_LICENSE],
    records: [ce("2025-09-20", { theory: 15 })],
    state: "due-on-track",
    verdict: "qualified",
    due: {
      by: CE_END,
      from: "2025-04-01",
      periodDays: 730,
      daysLeft: 341,
      remaining: 15,
      allowance: 15,
    },
    label: /^Due by 2027-03-31, on track: 15 more CE hours this cycle, 341 days left$/,
  },
  {
    name: "15 of 30 with 340 days left is behind: ceil(30 × 340 ÷ 730) = 14",
    standard: CE,
    requirementId: "ce",
    asOf: daysLeftOn(CE_END, 340),
    licenses: [MD_LICENSE],
    records: [ce("2025-09-20", { theory: 15 })],
    state: "due-behind",
    verdict: "qualified",
    due: {
      by: CE_END,
      from: "2025-04-01",
      periodDays: 730,
      daysLeft: 340,
      remaining: 15,
      allowance: 14,
    },
    label: /^Due by 2027-03-31, behind: 15 more CE hours this cycle, 340 days left/,
  },
  {
    name: "on the last day of the cycle one hour short still fits (ceil(30 × 1 ÷ 730) = 1)",
    standard: CE,
    requirementId: "ce",
    asOf: CE_END,
    licenses: [MD_LICENSE],
    records: [ce("2025-09-20", { theory: 29 })],
    state: "due-on-track",
    verdict: "expiring",
    due: {
      by: CE_END,
      from: "2025-04-01",
      periodDays: 730,
      daysLeft: 1,
      remaining: 1,
      allowance: 1,
    },
    label: "Due by 2027-03-31, on track: 1 more CE hours this cycle, 1 day left",
  },
  {
    name: "staged training: 30 of 50 hours a year in, due by the 48-month deadline, on track",
    standard: STAGED,
    requirementId: "training",
    asOf: "2026-01-01",
    licenses: [MD_LICENSE],
    records: [course("2025-01-01", { theory: 10, practical: 20 })],
    state: "due-on-track",
    verdict: "qualified",
    due: {
      by: "2029-01-01",
      from: "2025-01-01",
      periodDays: 1462,
      daysLeft: 1097,
      remaining: 20,
      allowance: 38,
    },
    label:
      "Due by 2029-01-01, on track: 20 more hours in total, 10 more face-to-face hours, 1097 days left",
  },
  {
    name: "staged training: 30 of 50 hours with 215 days left is behind",
    standard: STAGED,
    requirementId: "training",
    asOf: daysLeftOn("2029-01-01", 215),
    licenses: [MD_LICENSE],
    records: [course("2025-01-01", { theory: 10, practical: 20 })],
    state: "due-behind",
    verdict: "qualified",
    due: {
      by: "2029-01-01",
      from: "2025-01-01",
      periodDays: 1462,
      daysLeft: 215,
      remaining: 20,
      allowance: 8,
    },
    label:
      /^Due by 2029-01-01, behind: 20 more hours in total, 10 more face-to-face hours, 215 days left/,
  },
  {
    name: "staged training with too few hours to start is not met",
    standard: STAGED,
    requirementId: "training",
    asOf: "2026-01-01",
    licenses: [MD_LICENSE],
    records: [course("2025-01-01", { theory: 10, practical: 10 })],
    state: "not-met",
    verdict: "not-qualified",
    label: "Not met",
  },
  {
    name: "a filing not yet made on its last day is due and on track: a one-off fits in a day",
    standard: FILING,
    requirementId: "filing",
    asOf: "2026-02-09",
    licenses: [MD_LICENSE],
    records: [course("2026-01-10", { theory: 10 })],
    state: "due-on-track",
    verdict: "expiring",
    due: {
      by: "2026-02-09",
      from: "2026-01-10",
      periodDays: 31,
      daysLeft: 1,
      remaining: 1,
      allowance: 1,
    },
    label: "Due by 2026-02-09, on track: proof of training filed with US-MD, 1 day left",
  },
  {
    name: "a filing past its deadline is not met",
    standard: FILING,
    requirementId: "filing",
    asOf: "2026-02-10",
    licenses: [MD_LICENSE],
    records: [course("2026-01-10", { theory: 10 })],
    state: "not-met",
    verdict: "not-qualified",
    label: "Not met",
  },
  {
    name: "a filing made is met",
    standard: FILING,
    requirementId: "filing",
    asOf: "2026-02-10",
    licenses: [MD_LICENSE],
    records: [course("2026-01-10", { theory: 10 }), notified("2026-01-20", "US-MD")],
    state: "met",
    verdict: "qualified",
    label: "Met",
  },
];

describe("requirement states: met, not met, due on track, due behind", () => {
  test.each(rows)("$name", (row) => {
    const evaluation = evaluate(
      dossier({ licenses: row.licenses, records: row.records }),
      row.standard,
      { asOf: row.asOf },
    );
    expect(evaluation.status).toBe(row.verdict);
    const result = evaluation.requirements.find((r) => r.id === row.requirementId);
    if (!result) throw new Error(`no result for ${row.requirementId}`);
    expect(result.state).toBe(row.state);
    if (typeof row.label === "string") expect(result.stateLabel).toBe(row.label);
    else expect(result.stateLabel).toMatch(row.label);
    if (!row.due) {
      expect(result.due).toBeNull();
      return;
    }
    expect(result.due).toMatchObject({
      by: row.due.by,
      from: row.due.from,
      periodDays: row.due.periodDays,
      daysLeft: row.due.daysLeft,
      remaining: row.due.remaining,
      pace: row.state === "due-on-track" ? "on-track" : "behind",
    });
    expect(result.due?.shortfalls[0]?.allowance).toBe(row.due.allowance);
    // One source for the numbers: what remains is what the measure shows as missing.
    expect(result.due?.remaining).toBe(result.need - result.have);
    expect(result.validUntil).toBe(row.due.by);
  });

  test("a due requirement keeps every field it had: met and provisional, with its gap", () => {
    const evaluation = evaluate(dossier({ licenses: [MD_LICENSE], records: [] }), CE, {
      asOf: "2025-04-10",
    });
    const result = evaluation.requirements[0];
    expect(result).toMatchObject({
      met: true,
      provisional: true,
      have: 0,
      need: 30,
      validUntil: CE_END,
      gap: "30 more CE hours this cycle by 2027-03-31",
      state: "due-on-track",
    });
    expect(evaluation.status).toBe("qualified");
  });
});
