import { readFileSync } from "node:fs";
import type { DbHandle } from "@dn/db";
import { buildClinic, createTestDb, testDialects } from "@dn/db/testing";
import { COMPLETION_COLUMNS, ROSTER_COLUMNS } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  IMPORT_COLUMNS,
  importColumns,
  importTemplateCsv,
  normalizeImportJurisdiction,
} from "./services/import-template.ts";
import { buildOrgWorld, countRows, type OrgWorld } from "./test-support.ts";

const ROSTER_HEADER = ROSTER_COLUMNS.join(",");
const COMPLETION_HEADER = COMPLETION_COLUMNS.join(",");

function templateLines(kind: "roster" | "completions"): string[] {
  const text = importTemplateCsv(kind);
  expect(text.endsWith("\r\n")).toBe(true);
  return text.slice(0, -2).split("\r\n");
}

describe("import templates", () => {
  test.each([
    ["roster", ROSTER_COLUMNS],
    ["completions", COMPLETION_COLUMNS],
  ] as const)(
    "the %s template's header is the importer's column list, then one example row",
    (kind, columns) => {
      const lines = templateLines(kind);
      expect(lines).toHaveLength(2);
      expect(lines[0]?.split(",")).toEqual([...columns]);
      expect(IMPORT_COLUMNS[kind]).toBe(columns);
      expect(lines[1]?.split(",")).toHaveLength(columns.length);
      expect(importColumns(kind).every((c) => c.example !== "" && c.description !== "")).toBe(true);
    },
  );

  test("only license_expires is optional", () => {
    const optional = [...importColumns("roster"), ...importColumns("completions")]
      .filter((c) => !c.required)
      .map((c) => c.name);
    expect(optional).toEqual(["license_expires"]);
  });

  test("the README documents every column of both kinds, required or optional, with its example", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const section = readme.split("## Importing staff and completions")[1]?.split("\n## ")[0] ?? "";
    expect(section).toContain("dn import template roster");
    expect(section).toContain("/import/template/completions.csv");
    for (const kind of ["roster", "completions"] as const) {
      for (const column of importColumns(kind)) {
        // The formatter pads table cells, so cells are compared trimmed.
        const row = section
          .split("\n")
          .map((line) => line.split("|").map((cell) => cell.trim()))
          .find(
            (cells) => cells[1] === `\`${column.name}\`` && cells.includes(`\`${column.example}\``),
          );
        expect(row?.[2], `${kind} ${column.name}`).toBe(column.required ? "required" : "optional");
      }
    }
  });

  test.each([
    ["MD", "US-MD"],
    ["md", "US-MD"],
    [" MD ", "US-MD"],
    ["us-md", "US-MD"],
    ["US-FL", "US-FL"],
    ["dc", "US-DC"],
    ["ZZ", null],
    ["US-XX", null],
    ["Maryland", null],
    ["", ""],
  ])("the state %j reads as %j", (written, code) => {
    expect(normalizeImportJurisdiction(written)).toBe(code);
  });
});

describe.each(await testDialects())("import friction on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("the example rows of both templates import cleanly, the completion for the roster's license", async () => {
    const clinicName = importColumns("roster").find((c) => c.name === "clinic")?.example ?? "";
    await buildClinic(handle.db, {
      organizationId: world.organization.id,
      name: clinicName,
      jurisdiction: "US-MD",
    });
    const roster = await world.as.manager.imports.run({
      kind: "roster",
      fileName: "roster.csv",
      content: importTemplateCsv("roster"),
    });
    expect(roster).toMatchObject({ problems: [], rowsInvalid: 0, rowsImported: 1, applied: true });
    const license = await handle.db
      .selectFrom("licenses")
      .select(["jurisdiction", "number"])
      .where("id", "in", (q) =>
        q
          .selectFrom("importRows")
          .select("entityId")
          .where("batchId", "=", roster.batchId as string),
      )
      .executeTakeFirstOrThrow();
    expect(license).toEqual({ jurisdiction: "US-MD", number: "PT12345" });

    const completions = await world.as.manager.imports.run({
      kind: "completions",
      fileName: "completions.csv",
      content: importTemplateCsv("completions"),
    });
    expect(completions).toMatchObject({
      problems: [],
      rowsInvalid: 0,
      rowsImported: 1,
      applied: true,
    });
  });

  test("a row with three bad fields reports three problems, each naming its column", async () => {
    const content = [
      ROSTER_HEADER,
      `Ada Good,ada@example.test,PT,${world.clinic.name},MD,MD-1,2020-01-01,2028-01-01`,
      `Ben Bad,not-an-email,OT,${world.clinic.name},ZZ,MD-2,2020-01-01,2028-01-01`,
    ].join("\n");
    const before = await countRows(handle);
    const report = await world.as.manager.imports.run({
      kind: "roster",
      fileName: "roster.csv",
      content,
    });
    expect(report).toMatchObject({ rowsTotal: 2, rowsValid: 1, rowsInvalid: 1, applied: false });
    expect(report.problems.map((p) => [p.line, p.field])).toEqual([
      [3, "email"],
      [3, "profession"],
      [3, "license_state"],
    ]);
    for (const problem of report.problems) {
      expect(problem.reason.startsWith(`${problem.field} `)).toBe(true);
    }
    expect(report.problems[2]?.reason).toBe(
      'license_state unknown jurisdiction code "ZZ": use a two-letter state code (MD) or ISO 3166-2 (US-MD)',
    );
    expect(await countRows(handle)).toEqual(before);
  });

  test("the database checks still run on the good columns of a bad row", async () => {
    const content = [
      ROSTER_HEADER,
      "Cy Bad,not-an-email,PT,Atlantis Clinic,MD,MD-3,2030-01-01,2028-01-01",
    ].join("\n");
    const report = await world.as.manager.imports.run({
      kind: "roster",
      fileName: "roster.csv",
      content,
    });
    expect(report.rowsInvalid).toBe(1);
    expect(report.problems).toEqual([
      { line: 2, field: "email", reason: "email must be an email address" },
      {
        line: 2,
        field: "clinic",
        reason: 'clinic names no clinic of the organization ("Atlantis Clinic")',
      },
      { line: 2, field: "license_issued", reason: "license_issued must not be in the future" },
      {
        line: 2,
        field: "license_expires",
        reason: "license_expires must not be before license_issued",
      },
    ]);
  });

  test("md and ' MD ' become US-MD in a roster and in completions; an unknown state names the column", async () => {
    const content = [
      ROSTER_HEADER,
      `Dee Lower,dee@example.test,PT,${world.clinic.name},md,MD-4,2020-01-01,2028-01-01`,
      `Eli Padded,eli@example.test,PT,${world.clinic.name}," MD ",MD-5,2020-01-01,`,
    ].join("\n");
    const roster = await world.as.manager.imports.run({
      kind: "roster",
      fileName: "roster.csv",
      content,
    });
    expect(roster).toMatchObject({ problems: [], rowsImported: 2 });
    const stored = await handle.db
      .selectFrom("licenses")
      .select(["number", "jurisdiction"])
      .where("number", "in", ["MD-4", "MD-5"])
      .orderBy("number")
      .execute();
    expect(stored).toEqual([
      { number: "MD-4", jurisdiction: "US-MD" },
      { number: "MD-5", jurisdiction: "US-MD" },
    ]);

    const completions = await world.as.manager.imports.run({
      kind: "completions",
      fileName: "provider.csv",
      content: [
        COMPLETION_HEADER,
        "MD-4, md ,DN-101,2026-03-02,27,Dry Needling Level 1",
        "MD-5,Md,DN-101,2026-03-02,27,Dry Needling Level 1",
        "MD-5,XY,DN-102,2026-03-02,27,Dry Needling Level 2",
      ].join("\n"),
      onlyValid: true,
    });
    expect(completions).toMatchObject({ rowsImported: 2, rowsInvalid: 1 });
    expect(completions.problems).toEqual([
      {
        line: 4,
        field: "state",
        reason:
          'state unknown jurisdiction code "XY": use a two-letter state code (MD) or ISO 3166-2 (US-MD)',
      },
    ]);

    // The same file with the state written another way is the same rows: nothing twice.
    const again = await world.as.manager.imports.run({
      kind: "roster",
      fileName: "roster.csv",
      content: content.replaceAll(",md,", ",US-MD,"),
    });
    expect(again).toMatchObject({ rowsImported: 0, rowsAlready: 2 });
  });
});
