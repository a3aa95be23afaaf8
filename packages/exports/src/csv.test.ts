import { text } from "node:stream/consumers";
import type { ExportPractitioner } from "@dn/schema";
import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { DETAIL_COLUMNS, detailCsv, SUMMARY_COLUMNS, summaryCsv } from "./csv.ts";
import { mdCePractitioner } from "./state-fixtures.ts";
import { exportHeader } from "./test-fixtures.ts";

async function detailRows(practitioners: ExportPractitioner[]) {
  return parse(await text(detailCsv(practitioners)), { columns: true }) as Record<string, string>[];
}

describe("CSV exports: requirement states", () => {
  test.each([
    ["2025-04-10", "due-on-track", "2027-03-31", "721", "30", "on-track"],
    ["2026-03-01", "due-behind", "2027-03-31", "396", "20", "behind"],
    ["2027-04-01", "not-met", "", "", "", ""],
  ])(
    "detail on %s: the CE row reads %s, due %s, %s days left, %s to go, %s",
    async (asOf, state, dueBy, daysLeft, remaining, pace) => {
      const rows = await detailRows([mdCePractitioner(asOf)]);
      expect(Object.keys(rows[0] ?? {})).toEqual([...DETAIL_COLUMNS]);
      const row = rows.find((r) => r.requirement_id === "ce");
      expect(row).toMatchObject({
        state,
        due_by: dueBy,
        days_left: daysLeft,
        remaining,
        pace,
      });
      // The old columns keep saying what they said: a due requirement is met provisionally.
      if (state.startsWith("due")) expect(row).toMatchObject({ met: "yes", provisional: "yes" });
      expect(row?.state_label).toMatch(
        state.startsWith("due") ? /^Due by 2027-03-31, / : /^Not met$/,
      );
      expect(rows.find((r) => r.requirement_id === "license")?.state).toBe(
        state === "not-met" ? "not-met" : "met",
      );
    },
  );

  test("summary: due requirements are listed with their state in words", async () => {
    const csv = await text(summaryCsv(exportHeader(), [mdCePractitioner("2026-03-01")]));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...SUMMARY_COLUMNS]);
    expect(rows[0]?.verdict).toBe("qualified");
    expect(rows[0]?.due_requirements).toBe(
      "ce: Due by 2027-03-31, behind: 20 more CE hours this cycle, 396 days left (at the period's even pace 17 would fit)",
    );
  });

  test("summary: nothing due leaves the column empty", async () => {
    const csv = await text(summaryCsv(exportHeader(), [mdCePractitioner("2027-04-01")]));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows[0]?.due_requirements).toBe("");
  });
});
