import { text } from "node:stream/consumers";
import { ComplianceExportSchema } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { jsonExport } from "./json.ts";
import { mdCePractitioner } from "./state-fixtures.ts";
import { exportHeader } from "./test-fixtures.ts";

describe("JSON export: requirement states", () => {
  test("each requirement carries its state, its deadline and pace, and the state in words", async () => {
    const document = ComplianceExportSchema.parse(
      JSON.parse(await text(jsonExport(exportHeader(), [mdCePractitioner("2026-03-01")]))),
    );
    const requirements = document.practitioners[0]?.evaluations[0]?.requirements ?? [];
    const license = requirements.find((r) => r.id === "license");
    expect(license).toMatchObject({ state: "met", due: null, stateLabel: "Met" });
    const ce = requirements.find((r) => r.id === "ce");
    expect(ce).toMatchObject({
      met: true,
      provisional: true,
      have: 10,
      need: 30,
      validUntil: "2027-03-31",
      state: "due-behind",
      due: {
        by: "2027-03-31",
        from: "2025-04-01",
        periodDays: 730,
        daysLeft: 396,
        remaining: 20,
        unit: "hours",
        pace: "behind",
        shortfalls: [{ label: "CE hours this cycle", remaining: 20, unit: "hours", allowance: 17 }],
      },
    });
    expect(ce?.stateLabel).toMatch(/^Due by 2027-03-31, behind: 20 more CE hours this cycle/);
  });

  test("a cycle that ended short is not met, with no deadline", async () => {
    const document = JSON.parse(
      await text(jsonExport(exportHeader(), [mdCePractitioner("2027-04-01")])),
    );
    const ce = document.practitioners[0].evaluations[0].requirements.find(
      (r: { id: string }) => r.id === "ce",
    );
    expect(ce).toMatchObject({ state: "not-met", due: null, stateLabel: "Not met" });
  });
});
