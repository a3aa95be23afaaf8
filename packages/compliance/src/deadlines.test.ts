import { standardVersions } from "@dn/standards";
import { describe, expect, test } from "vitest";
import { deadlineBucket, upcomingDeadlines } from "./deadlines.ts";
import { evaluate } from "./evaluate.ts";
import { ce, cpr, dossier, license } from "./test-builders.ts";

const who = { id: "prac-1", name: "Dana Whitfield" };

describe("deadlineBucket", () => {
  test.each([
    [0, 0],
    [1, 7],
    [7, 7],
    [8, 14],
    [14, 14],
    [15, 30],
    [30, 30],
    [31, 60],
    [60, 60],
    [61, 90],
    [90, 90],
  ])("%i days left falls in the %i-day bucket", (days, bucket) => {
    expect(deadlineBucket(days)).toBe(bucket);
  });

  test("nothing is bucketed past 90 days or once lapsed", () => {
    expect(deadlineBucket(91)).toBeNull();
    expect(deadlineBucket(-1)).toBeNull();
  });
});

describe("upcomingDeadlines", () => {
  test("a license and a CPR card lapsing within 90 days are listed soonest first; later ones are not", () => {
    const d = dossier({
      licenses: [
        license("US-MD", "2015-01-01", "2027-01-15"),
        license("US-FL", "2015-01-01", "2028-01-01"),
      ],
      records: [cpr("2024-12-20", "2026-12-05"), cpr("2022-12-01", "2024-12-01")],
    });
    const deadlines = upcomingDeadlines([{ practitioner: who, dossier: d, evaluations: [] }], {
      asOf: "2026-11-27",
    });
    expect(deadlines.map((x) => [x.kind, x.due, x.daysLeft, x.bucket])).toEqual([
      ["cpr", "2026-12-05", 8, 14],
      ["license", "2027-01-15", 49, 60],
    ]);
  });

  test("a year ahead lists what lapses past the widest bucket, with no bucket (a calendar feed)", () => {
    const d = dossier({
      licenses: [license("US-MD", "2015-01-01", "2027-05-31")],
      records: [cpr("2025-08-31", "2027-08-31")],
    });
    const source = [{ practitioner: who, dossier: d, evaluations: [] }];
    expect(upcomingDeadlines(source, { asOf: "2026-12-02" })).toEqual([]);
    const year = upcomingDeadlines(source, { asOf: "2026-12-02", withinDays: 365 });
    expect(year.map((x) => [x.kind, x.due, x.daysLeft, x.bucket])).toEqual([
      ["license", "2027-05-31", 180, null],
      ["cpr", "2027-08-31", 272, null],
    ]);
  });

  test("a withdrawn CPR card does not count; something due today is in the 0 bucket", () => {
    const d = dossier({
      records: [
        cpr("2024-11-27", "2026-11-27"),
        cpr("2025-06-01", "2027-01-01", { status: "withdrawn" }),
      ],
    });
    const [only, ...rest] = upcomingDeadlines(
      [{ practitioner: who, dossier: d, evaluations: [] }],
      {
        asOf: "2026-11-27",
      },
    );
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ kind: "cpr", due: "2026-11-27", daysLeft: 0, bucket: 0 });
  });

  test("requirement deadlines come from the engine: a CE cycle closing within the window", () => {
    const d = dossier({
      licenses: [license("US-TX", "2010-03-01", "2027-01-31")],
      records: [ce("2026-02-01", { theory: 10 })],
    });
    const evaluation = evaluate(d, standardVersions("us-tx-pt-ce"), { asOf: "2026-11-27" });
    const deadlines = upcomingDeadlines(
      [{ practitioner: who, dossier: d, evaluations: [evaluation] }],
      {
        asOf: "2026-11-27",
      },
    );
    const kinds = deadlines.map((x) => x.kind);
    expect(kinds).toContain("license");
    const cycle = deadlines.find((x) => x.kind === "ce-cycle");
    expect(cycle).toMatchObject({ standardId: "us-tx-pt-ce", bucket: 90 });
    expect(cycle?.due).toBe(evaluation.requirements.find((r) => r.kind === "ce-cycle")?.validUntil);
    // The license checked by the standard's licensure requirement is listed once.
    expect(kinds.filter((k) => k === "license")).toHaveLength(1);
  });

  test("a narrower window keeps only what falls inside it", () => {
    const d = dossier({ licenses: [license("US-MD", "2015-01-01", "2027-01-15")] });
    const source = [{ practitioner: who, dossier: d, evaluations: [] }];
    expect(upcomingDeadlines(source, { asOf: "2026-11-27", withinDays: 30 })).toEqual([]);
    expect(upcomingDeadlines(source, { asOf: "2026-11-27", withinDays: 49 })).toHaveLength(1);
  });
});
