import { describe, expect, test } from "vitest";
import { type InForceFields, isInForce, selectVersion, versionInForce } from "./in-force.ts";

const v = (
  version: number,
  effectiveFrom: string | null,
  effectiveTo: string | null = null,
  draft = false,
): InForceFields => ({ version, effectiveFrom, effectiveTo, draft });

describe("versionInForce: the one decision of which version is in force on a date", () => {
  const closed = [v(1, "2015-01-01", "2019-12-31"), v(2, "2020-01-01")];
  // The defect of issue 14: v2 saved from the same date as v1, v1's range left open.
  const overlapping = [v(1, "2025-01-01"), v(2, "2025-01-01")];
  const laterStart = [v(1, "2025-01-01"), v(2, "2026-07-01")];
  const withProposal = [v(1, "2025-01-01"), v(2, null, null, true)];
  const proposalWithDate = [v(1, "2025-01-01"), v(2, "2025-06-01", null, true)];
  const gap = [v(1, "2015-01-01", "2015-12-31"), v(2, "2017-01-01")];
  const future = [v(1, "2030-01-01")];

  test.each([
    ["closed ranges, before the first", closed, "2014-12-31", undefined],
    ["closed ranges, first day of v1", closed, "2015-01-01", 1],
    ["closed ranges, last day of v1 (inclusive)", closed, "2019-12-31", 1],
    ["closed ranges, first day of v2", closed, "2020-01-01", 2],
    ["closed ranges, long after", closed, "2040-01-01", 2],
    ["overlapping ranges: the higher version wins", overlapping, "2025-06-01", 2],
    ["overlapping ranges, on the shared first day", overlapping, "2025-01-01", 2],
    ["a later start: v1 until v2 begins", laterStart, "2026-06-30", 1],
    ["a later start: v2 from its first day", laterStart, "2026-07-01", 2],
    ["a proposal without a date is never in force", withProposal, "2026-01-01", 1],
    ["a proposal with a date is never in force either", proposalWithDate, "2026-01-01", 1],
    ["a gap between versions: none in force", gap, "2016-06-01", undefined],
    ["a version starting in the future", future, "2026-01-01", undefined],
    ["no versions at all", [], "2026-01-01", undefined],
  ] as const)("%s (%s on %s → %s)", (_label, versions, asOf, expected) => {
    expect(versionInForce(versions, asOf)?.version).toBe(expected);
    // The order the versions come in does not matter.
    expect(versionInForce([...versions].reverse(), asOf)?.version).toBe(expected);
  });

  test("returns the very object it was given, so callers keep their own fields", () => {
    const entries = [
      { ...v(1, "2025-01-01"), saved: "a" },
      { ...v(2, "2025-01-01"), saved: "b" },
    ];
    expect(versionInForce(entries, "2025-02-01")).toBe(entries[1]);
  });

  test.each([
    [v(1, "2025-01-01", "2025-12-31"), "2024-12-31", false],
    [v(1, "2025-01-01", "2025-12-31"), "2025-01-01", true],
    [v(1, "2025-01-01", "2025-12-31"), "2025-12-31", true],
    [v(1, "2025-01-01", "2025-12-31"), "2026-01-01", false],
    [v(1, "2025-01-01", null, true), "2026-01-01", false],
    [v(1, null, null, true), "2026-01-01", false],
  ] as const)("isInForce(%o, %s) is %s", (version, asOf, expected) => {
    expect(isInForce(version, asOf)).toBe(expected);
  });

  test("selectVersion is the same function under its former name", () => {
    expect(selectVersion).toBe(versionInForce);
  });
});
