import { describe, expect, test } from "vitest";
import {
  describeIssues,
  isInForce,
  type StandardDocument,
  type StandardDocumentInput,
  StandardDocumentSchema,
  selectVersion,
} from "./standard.ts";

const valid: StandardDocumentInput = {
  id: "us-fl-dn",
  version: 1,
  title: "Florida dry needling",
  kind: "state-board",
  jurisdiction: "US-FL",
  authority: "Florida Board of Physical Therapy Practice",
  status: "permitted",
  effectiveFrom: "2020-06-29",
  citations: [{ text: "Fla. Stat. § 486.117", url: "https://example.org/486.117" }],
  confidence: "C1",
  lastVerified: "2026-11-26",
  requirements: [
    {
      id: "license",
      kind: "licensure",
      title: "License",
      citation: { text: "§ 486.117" },
      minYears: 2,
    },
    {
      id: "training",
      kind: "training-hours",
      title: "50 face-to-face hours",
      citation: { text: "§ 486.117" },
      minTotal: 50,
      minFaceToFace: 50,
    },
  ],
};

function problems(input: unknown) {
  const result = StandardDocumentSchema.safeParse(input);
  if (result.success) throw new Error("expected the document to be refused");
  return describeIssues(result.error);
}

function withRequirement(requirement: Record<string, unknown>): unknown {
  return { ...valid, requirements: [requirement] };
}

describe("StandardDocumentSchema", () => {
  test("a complete document parses and fills the defaults", () => {
    const doc = StandardDocumentSchema.parse(valid);
    expect(doc.draft).toBe(false);
    expect(doc.effectiveTo).toBeNull();
    expect(doc.professions).toEqual(["PT"]);
    const [license, training] = doc.requirements;
    expect(license).toMatchObject({
      verifiedOnly: true,
      advisory: false,
      licenseIn: "jurisdiction",
    });
    expect(license).toMatchObject({ yearsMeasuredAt: "evaluation" });
    expect(training).toMatchObject({ onlineCounts: false, recordKinds: ["dn-course"] });
  });

  test("every requirement kind of the issue is accepted", () => {
    const doc = StandardDocumentSchema.parse({
      ...valid,
      requirements: [
        { id: "a", kind: "licensure", title: "A", citation: { text: "x" } },
        { id: "b", kind: "training-hours", title: "B", citation: { text: "x" }, minTotal: 10 },
        {
          id: "c",
          kind: "topics",
          title: "C",
          citation: { text: "x" },
          topics: ["anatomy"],
          withinMonths: 12,
        },
        {
          id: "d",
          kind: "supervised-sessions",
          title: "D",
          citation: { text: "x" },
          minSessions: 25,
        },
        { id: "e", kind: "exam", title: "E", citation: { text: "x" }, examType: "written" },
        {
          id: "f",
          kind: "board-notification",
          title: "F",
          citation: { text: "x" },
          action: "register",
        },
        {
          id: "g",
          kind: "credential-current",
          title: "G",
          citation: { text: "x" },
          credential: "cpr",
        },
        {
          id: "h",
          kind: "ce-cycle",
          title: "H",
          citation: { text: "x" },
          hoursPerCycle: 30,
          cycleMonths: 24,
          anchor: { type: "fixed", startMonth: 4, startDay: 1, startYear: 2024 },
          maxOnline: 10,
          categories: [{ id: "ethics", title: "Ethics", topics: ["ethics"], minHours: 2 }],
        },
      ],
    });
    expect(doc.requirements.map((r) => r.kind)).toEqual([
      "licensure",
      "training-hours",
      "topics",
      "supervised-sessions",
      "exam",
      "board-notification",
      "credential-current",
      "ce-cycle",
    ]);
  });

  test("an unknown field is refused with its path", () => {
    expect(problems({ ...valid, effectiveDate: "2020-01-01" })).toContainEqual({
      path: "effectiveDate",
      message: "is not a known field here",
    });
    expect(
      problems(
        withRequirement({
          id: "x",
          kind: "exam",
          title: "X",
          citation: { text: "x" },
          examType: "written",
          hours: 3,
        }),
      ),
    ).toContainEqual({ path: "requirements.0.hours", message: "is not a known field here" });
  });

  test("an unknown requirement kind names the allowed kinds", () => {
    const [problem] = problems(
      withRequirement({ id: "x", kind: "vibes", title: "X", citation: { text: "x" } }),
    );
    expect(problem?.path).toBe("requirements.0.kind");
    expect(problem?.message).toContain("kind must be one of licensure, training-hours");
  });

  test("bad values name the field and the problem", () => {
    const found = problems({
      ...valid,
      jurisdiction: "US-XX",
      confidence: "maybe",
      effectiveFrom: "2020-02-30",
    });
    expect(found.map((p) => p.path).sort()).toEqual([
      "confidence",
      "effectiveFrom",
      "jurisdiction",
    ]);
    expect(found.find((p) => p.path === "jurisdiction")?.message).toContain("unknown jurisdiction");
    expect(found.find((p) => p.path === "effectiveFrom")?.message).toContain("real date");
  });

  test.each([
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
  ])("a citation URL %s is refused: only http and https links are stored", (url) => {
    const found = problems({ ...valid, citations: [{ text: "Board rule", url }] });
    expect(found.map((p) => p.path)).toEqual(["citations.0.url"]);
    expect(found[0]?.message).toContain("http:// or https://");
  });

  test("a state-board standard needs a jurisdiction, and its id starts with it", () => {
    expect(
      problems({ ...valid, jurisdiction: null, requirements: [] }).map((p) => p.path),
    ).toContain("jurisdiction");
    expect(problems({ ...valid, id: "florida-dn" })).toContainEqual({
      path: "id",
      message: "must start with us-fl- for jurisdiction US-FL",
    });
  });

  test("only a draft may leave effectiveFrom empty", () => {
    expect(problems({ ...valid, effectiveFrom: null })).toContainEqual({
      path: "effectiveFrom",
      message: "is required unless the document is a draft",
    });
    expect(StandardDocumentSchema.parse({ ...valid, effectiveFrom: null, draft: true }).draft).toBe(
      true,
    );
  });

  test("effectiveTo before effectiveFrom is refused", () => {
    expect(problems({ ...valid, effectiveTo: "2019-01-01" })).toContainEqual({
      path: "effectiveTo",
      message: "must not be before effectiveFrom",
    });
  });

  test("requirement ids must be unique within a document", () => {
    const license = { id: "same", kind: "licensure", title: "L", citation: { text: "x" } };
    expect(problems({ ...valid, requirements: [license, license] })).toContainEqual({
      path: "requirements.1.id",
      message: "duplicates requirement id same",
    });
  });

  test("hours minimums cannot exceed the total and staged use must be below it", () => {
    const found = problems(
      withRequirement({
        id: "t",
        kind: "training-hours",
        title: "T",
        citation: { text: "x" },
        minTotal: 50,
        minPractical: 60,
        maxOnline: 5,
        provisional: { minHours: 50, completeWithinMonths: 24 },
      }),
    );
    expect(found).toEqual(
      expect.arrayContaining([
        { path: "requirements.0.minPractical", message: "must not exceed minTotal" },
        { path: "requirements.0.maxOnline", message: "only applies when onlineCounts is true" },
        { path: "requirements.0.provisional.minHours", message: "must be less than minTotal" },
      ]),
    );
  });

  test("a notification due after training needs a number of days", () => {
    expect(
      problems(
        withRequirement({
          id: "n",
          kind: "board-notification",
          title: "N",
          citation: { text: "x" },
          action: "submit-proof",
          due: "after-training",
        }),
      ),
    ).toContainEqual({
      path: "requirements.0.withinDays",
      message: "is required when due is after-training",
    });
  });

  test("a fixed CE cycle longer than a year needs a start year", () => {
    expect(
      problems(
        withRequirement({
          id: "ce",
          kind: "ce-cycle",
          title: "CE",
          citation: { text: "x" },
          hoursPerCycle: 30,
          cycleMonths: 24,
          anchor: { type: "fixed", startMonth: 4, startDay: 1 },
        }),
      ),
    ).toContainEqual({
      path: "requirements.0.anchor.startYear",
      message: "is required when a cycle is not 12 months long",
    });
  });

  test("a policy without a jurisdiction cannot require a license in the jurisdiction", () => {
    expect(
      problems({
        ...valid,
        id: "clinic-policy",
        kind: "clinic-policy",
        jurisdiction: null,
        requirements: [{ id: "l", kind: "licensure", title: "L", citation: { text: "x" } }],
      }),
    ).toContainEqual({
      path: "requirements.0.kind",
      message:
        "a licensure requirement with licenseIn: jurisdiction needs the standard to have a jurisdiction",
    });
  });

  test("a citation URL must be a URL", () => {
    expect(problems({ ...valid, citations: [{ text: "x", url: "not a url" }] })).toContainEqual({
      path: "citations.0.url",
      message: "must be a web address starting with http:// or https://, e.g. https://example.org",
    });
  });
});

describe("selectVersion", () => {
  const v1 = StandardDocumentSchema.parse({
    ...valid,
    effectiveFrom: "2015-01-01",
    effectiveTo: "2019-12-31",
  });
  const v2 = StandardDocumentSchema.parse({ ...valid, version: 2, effectiveFrom: "2020-01-01" });
  const draft = StandardDocumentSchema.parse({
    ...valid,
    version: 3,
    draft: true,
    effectiveFrom: null,
  });
  const all: StandardDocument[] = [draft, v2, v1];

  test.each([
    ["2014-12-31", undefined],
    ["2015-01-01", 1],
    ["2019-12-31", 1],
    ["2020-01-01", 2],
    ["2030-01-01", 2],
  ])("on %s the version in force is %s", (asOf, expected) => {
    expect(selectVersion(all, asOf)?.version).toBe(expected);
  });

  test("a draft is never in force", () => {
    expect(isInForce(draft, "2030-01-01")).toBe(false);
    expect(selectVersion([draft], "2030-01-01")).toBeUndefined();
  });
});
