import { readFileSync } from "node:fs";
import { text } from "node:stream/consumers";
import { ComplianceExportSchema } from "@dn/schema";
import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { DETAIL_COLUMNS, detailCsv, SUMMARY_COLUMNS, summaryCsv } from "./csv.ts";
import { jsonExport } from "./json.ts";
import { exportJsonSchemaText } from "./schema-json.ts";
import { AS_OF, exportHeader, exportPractitioners } from "./test-fixtures.ts";

async function* slowly<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await new Promise((resolve) => setImmediate(resolve));
    yield item;
  }
}

describe("JSON export", () => {
  test("the streamed document is one valid dn-compliance-export v1 with every practitioner", async () => {
    const practitioners = exportPractitioners();
    const document = JSON.parse(await text(jsonExport(exportHeader(), slowly(practitioners))));
    const parsed = ComplianceExportSchema.parse(document);
    expect(parsed.format).toBe("dn-compliance-export");
    expect(parsed.version).toBe(1);
    expect(parsed.practitioners.map((p) => p.name)).toEqual(["Ana Reyes", "Ben Okafor"]);
    expect(parsed.standards[0]?.citations.map((c) => c.text)).toContain(
      "Fla. Stat. § 486.117 (practice act modernized 29 June 2020)",
    );
    expect(parsed.practitioners[0]?.evaluations[0]?.verdict).toBe("qualified");
  });

  test("an export with no practitioner is still a valid document", async () => {
    const document = JSON.parse(await text(jsonExport(exportHeader(), [])));
    expect(ComplianceExportSchema.parse(document).practitioners).toEqual([]);
  });

  test("the published JSON Schema is the one generated from the zod schema", () => {
    const published = readFileSync(
      new URL("../../../docs/export-format.schema.json", import.meta.url),
      "utf8",
    );
    expect(published).toBe(exportJsonSchemaText());
  });
});

describe("CSV exports", () => {
  test("summary: one row per practitioner and standard with verdict, next lapse and gaps", async () => {
    const csv = await text(summaryCsv(exportHeader(), slowly(exportPractitioners())));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...SUMMARY_COLUMNS]);
    expect(rows.map((row) => [row.practitioner_name, row.standard_id, row.verdict])).toEqual([
      ["Ana Reyes", "us-fl-dn", "qualified"],
      ["Ben Okafor", "us-fl-dn", "not-qualified"],
    ]);
    expect(rows[0]?.as_of).toBe(AS_OF);
    expect(rows[0]?.gap_count).toBe("0");
    expect(Number(rows[1]?.gap_count)).toBeGreaterThan(0);
    expect(rows[1]?.gaps).toContain(":");
  });

  test("detail: one row per requirement with have, need, met, citation and the evidence that counted", async () => {
    const practitioners = exportPractitioners();
    const csv = await text(detailCsv(practitioners));
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...DETAIL_COLUMNS]);
    const requirementCount = practitioners.reduce(
      (sum, p) => sum + p.evaluations.reduce((s, e) => s + e.requirements.length, 0),
      0,
    );
    expect(rows).toHaveLength(requirementCount);
    const ana = rows.filter((row) => row.practitioner_name === "Ana Reyes");
    expect(ana.every((row) => row.met === "yes" || row.advisory === "yes")).toBe(true);
    expect(ana.some((row) => row.citation?.startsWith("Fla. Stat. § 486.117"))).toBe(true);
    const hours = ana.find((row) => row.requirement_kind === "training-hours");
    expect(hours?.evidence_ids).toContain("3e8f9b4a-4a0d-4b3b-8d8a-9d5e3f4a5b62@v1");
    const ben = rows.filter((row) => row.practitioner_name === "Ben Okafor");
    expect(ben.some((row) => row.met === "no" && row.gap !== "")).toBe(true);
  });

  test("a cell a spreadsheet would run as a formula is written as text", async () => {
    const [ana, ...rest] = exportPractitioners();
    if (!ana) throw new Error("fixture has practitioners");
    const hostile = [
      { ...ana, name: '=HYPERLINK("https://evil.example","x")' },
      { ...ana, name: "+1+cmd|' /C calc'!A0" },
      { ...ana, name: "@SUM(1+1)" },
      { ...ana, name: "-2+3" },
      ...rest,
    ];
    const rows = parse(await text(summaryCsv(exportHeader(), hostile)), {
      columns: true,
    }) as Record<string, string>[];
    const names = [...new Set(rows.map((row) => row.practitioner_name))];
    expect(names).toEqual([
      `'=HYPERLINK("https://evil.example","x")`,
      "'+1+cmd|' /C calc'!A0",
      "'@SUM(1+1)",
      "'-2+3",
      "Ben Okafor",
    ]);
    expect(rows.every((row) => !/^[=+\-@]/.test(row.gap_count ?? ""))).toBe(true);
  });

  test("a failure in the source fails the CSV stream instead of truncating it silently", async () => {
    async function* failing() {
      yield exportPractitioners()[0];
      throw new Error("database went away");
    }
    await expect(text(detailCsv(failing() as AsyncIterable<never>))).rejects.toThrow(
      "database went away",
    );
  });
});
