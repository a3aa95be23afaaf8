import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { evaluate } from "@dn/compliance";
import { type Dossier, DossierSchema, type ExportPractitioner } from "@dn/schema";
import { afterAll, describe, expect, test } from "vitest";
import { toExportPractitioner } from "./model.ts";
import { auditReportPdf, transcriptPdf } from "./pdf.ts";
import {
  AS_OF,
  CLINIC,
  DOSSIERS,
  exportHeader,
  exportPractitioners,
  FL_VERSIONS,
} from "./test-fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "dn-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let files = 0;

/** A fresh file stem in the temporary folder. */
function nextStem(name: string): string {
  files += 1;
  return join(dir, `${name}-${files}`);
}

/** Writes the PDF, renders every page with pdftoppm (fails if it cannot), returns its text. */
function renderAndExtract(
  name: string,
  pdf: Buffer,
): { file: string; pages: number; text: string; raw: string; pageTexts: string[] } {
  const stem = nextStem(name);
  const file = `${stem}.pdf`;
  writeFileSync(file, pdf);
  execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "30", file, stem]);
  const prefix = `${stem.split("/").at(-1)}-`;
  const pages = readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith(".png"));
  const text = execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  const raw = execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" });
  // pdftotext ends every page with a form feed.
  const pageTexts = text.split("\f").slice(0, pages.length);
  return { file, pages: pages.length, text, raw, pageTexts };
}

/** A copy of a fixture dossier under a new id and name (record ids stay: they are per dossier). */
function copyOf(base: Dossier, index: number, name: string): Dossier {
  const id = `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`;
  return DossierSchema.parse({ ...base, practitioner: { ...base.practitioner, id, name } });
}

const [QUALIFIED, UNQUALIFIED] = DOSSIERS as [Dossier, Dossier];

/** Ana's dossier with her second DN course still pending: qualified once it is verified. */
function pendingCopy(index: number, name: string): Dossier {
  const copy = copyOf(QUALIFIED, index, name);
  return {
    ...copy,
    records: copy.records.map((record) =>
      record.title === "Dry Needling Level 2" ? { ...record, status: "pending" } : record,
    ),
  };
}

function practitionersOf(
  dossiers: readonly Dossier[],
  clinic: { id: string; name: string; jurisdiction: "US-FL" } = CLINIC,
): ExportPractitioner[] {
  return dossiers.map((dossier) =>
    toExportPractitioner({
      dossier,
      clinic,
      evaluations: [evaluate(dossier, FL_VERSIONS, { asOf: AS_OF })],
      asOf: AS_OF,
    }),
  );
}

/** Counts the pixels of one colour in a page rendered as a binary PPM. */
function pixelsOf(file: string, page: number, rgb: [number, number, number]): number {
  const stem = nextStem("pixels");
  execFileSync("/usr/bin/pdftoppm", [
    "-r",
    "40",
    "-f",
    String(page),
    "-l",
    String(page),
    "-singlefile",
    file,
    stem,
  ]);
  const ppm = readFileSync(`${stem}.ppm`);
  // Header: "P6\n<width> <height>\n255\n".
  let offset = 0;
  for (let fields = 0; fields < 4; offset += 1) {
    if (ppm[offset] === 0x0a || ppm[offset] === 0x20) fields += 1;
  }
  let count = 0;
  for (let i = offset; i + 2 < ppm.length; i += 3) {
    if (
      Math.abs((ppm[i] ?? 0) - rgb[0]) <= 2 &&
      Math.abs((ppm[i + 1] ?? 0) - rgb[1]) <= 2 &&
      Math.abs((ppm[i + 2] ?? 0) - rgb[2]) <= 2
    ) {
      count += 1;
    }
  }
  return count;
}

describe("audit report PDF", () => {
  test("renders, and its text holds the scope, verdicts, citations, evidence and page numbers", async () => {
    const pdf = await buffer(auditReportPdf(exportHeader(), exportPractitioners()));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const { pages, text } = renderAndExtract("report", pdf);
    // cover (with the summary) + one page (at least) per practitioner
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(text).toContain("Compliance audit report");
    expect(text).toContain("Harbor Health");
    expect(text).toContain("As of: 2025-06-01");
    expect(text).toContain("Qualified");
    expect(text).toContain("Not qualified");
    expect(text).toContain("Fla. Stat. § 486.117");
    expect(text).toContain("Rule 64B17-6.008, F.A.C.");
    expect(text).toContain("Dry Needling Level 1");
    expect(text).toContain("✗ Not met");
    expect(text).toContain("✓ Met");
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });

  test("Vietnamese, Chinese, Korean and Cyrillic names come out exactly as entered", async () => {
    const names = ["Nguyễn Thị Hằng 王芳", "김민준", "Олександр Петренко", "佐藤 花子"];
    const clinic = { ...CLINIC, name: "Phòng khám Hà Nội 河内诊所" };
    const practitioners = practitionersOf(
      names.map((name, index) => copyOf(index % 2 ? UNQUALIFIED : QUALIFIED, index, name)),
      clinic,
    );
    const header = {
      ...exportHeader(),
      organization: { ...exportHeader().organization, name: "Hòa Bình 和平 Health" },
    };
    const { raw } = renderAndExtract("names", await buffer(auditReportPdf(header, practitioners)));
    for (const name of [...names, clinic.name, "Hòa Bình 和平 Health"]) {
      expect(raw, name).toContain(name);
    }
    // Every character was set in a font that has it: no replacement or missing glyph.
    expect(raw).not.toMatch(/[\uFFFD]/u);
  });

  test("a long report repeats the table header row on every page the summary runs onto", async () => {
    const dossiers = Array.from({ length: 45 }, (_, index) =>
      copyOf(
        index % 2 ? UNQUALIFIED : QUALIFIED,
        index,
        `Test Person ${String(index).padStart(2, "0")}`,
      ),
    );
    const { pageTexts } = renderAndExtract(
      "long",
      await buffer(auditReportPdf(exportHeader(), practitionersOf(dossiers))),
    );
    // A summary row: the name followed, on the same line, by the other columns.
    const summaryRow = /^\s*Test Person \d\d {2,}\S/m;
    const headerRow = /^\s*Practitioner {2,}.*Verdict/m;
    const summaryPages = pageTexts
      .map((text, index) => ({ page: index + 1, text }))
      .filter(({ text }) => summaryRow.test(text));
    expect(summaryPages.length).toBeGreaterThanOrEqual(2);
    for (const { page, text } of summaryPages) {
      expect(headerRow.test(text), `header row on page ${page}`).toBe(true);
    }
  });

  test("the first page leads with the verdict counts per standard", async () => {
    const dossiers = [
      copyOf(QUALIFIED, 1, "Quinn One"),
      copyOf(QUALIFIED, 2, "Quinn Two"),
      copyOf(QUALIFIED, 3, "Quinn Three"),
      copyOf(UNQUALIFIED, 4, "Nolan Four"),
      copyOf(UNQUALIFIED, 5, "Nolan Five"),
      pendingCopy(6, "Pat Six"),
    ];
    const practitioners = practitionersOf(dossiers);
    // The fixtures give the verdicts the counts below.
    expect(practitioners.map((p) => p.evaluations[0]?.verdict)).toEqual([
      "qualified",
      "qualified",
      "qualified",
      "not-qualified",
      "not-qualified",
      "pending-verification",
    ]);
    const { pageTexts } = renderAndExtract(
      "counts",
      await buffer(auditReportPdf(exportHeader(), practitioners)),
    );
    const first = pageTexts[0] ?? "";
    expect(first).toMatch(/Qualified\s+.*Expiring\s+.*Pending\s+.*Not\s+.*Not\s+.*Total/);
    // Standard, qualified, expiring, pending, not qualified, not permitted, total.
    expect(first).toMatch(/Florida — dry needling by physical\s+3\s+0\s+1\s+2\s+0\s+6\s*$/m);
    expect(first).toContain("6 practitioners in scope; 6 verdicts against 1 standard.");
    // The counts come before the scope details and the standards.
    expect(first.indexOf("At a glance")).toBeLessThan(first.indexOf("Standards applied"));
  });

  test("names stand in for ids: no UUID and no standard id appears, standard titles and clinic names do", async () => {
    const report = renderAndExtract(
      "ids",
      await buffer(auditReportPdf(exportHeader(), exportPractitioners())),
    );
    const [ana] = exportPractitioners();
    if (!ana) throw new Error("fixtures");
    const transcript = renderAndExtract(
      "ids-transcript",
      await buffer(transcriptPdf(exportHeader(), ana)),
    );
    for (const { text } of [report, transcript]) {
      expect(text).not.toMatch(UUID);
      expect(text).not.toContain("us-fl-dn");
    }
    expect(report.text).toContain("Florida — dry needling by physical therapists (v1)");
    expect(report.text).toContain("Harbor PT");
    expect(transcript.text).toContain("Harbor PT");
  });

  test("verdicts are coloured chips that also carry a symbol and a word", async () => {
    const { file, text } = renderAndExtract(
      "colours",
      await buffer(auditReportPdf(exportHeader(), exportPractitioners())),
    );
    expect(text).toContain("✓ Qualified");
    expect(text).toContain("✗ Not qualified");
    // The chips' fills on the first page (the summary): green for Ana, red for Ben.
    expect(pixelsOf(file, 1, [0xdc, 0xfc, 0xe7])).toBeGreaterThan(20);
    expect(pixelsOf(file, 1, [0xfe, 0xe2, 0xe2])).toBeGreaterThan(20);
  });

  test("a requirement due by a date shows its state and the engine's words for it", async () => {
    const [ana] = exportPractitioners();
    const evaluation = ana?.evaluations[0];
    const requirement = evaluation?.requirements[0];
    if (!ana || !evaluation || !requirement) throw new Error("fixtures");
    const stateLabel = "Due by 2027-03-31: 20 more CE hours this cycle in 396 days, behind";
    const due = {
      ...requirement,
      title: "Continuing education this cycle",
      state: "due-behind" as const,
      due: {
        by: "2027-03-31",
        from: "2025-04-01",
        periodDays: 730,
        daysLeft: 396,
        remaining: 20,
        unit: "hours" as const,
        shortfalls: [{ label: "CE hours", remaining: 20, unit: "hours" as const, allowance: 17 }],
        pace: "behind" as const,
      },
      stateLabel,
    };
    const practitioner = {
      ...ana,
      evaluations: [{ ...evaluation, requirements: [due, ...evaluation.requirements.slice(1)] }],
    };
    const { raw } = renderAndExtract(
      "due",
      await buffer(auditReportPdf(exportHeader(), [practitioner])),
    );
    expect(raw.replace(/\s+/g, " ")).toContain("⚠ Due by 2027-03-31, behind");
    expect(raw.replace(/\s+/g, " ")).toContain(stateLabel);
  });

  test("a report with no practitioners still renders and says so", async () => {
    const pdf = await buffer(auditReportPdf(exportHeader(), []));
    const { text } = renderAndExtract("empty", pdf);
    expect(text).toContain("No practitioner is in scope.");
  });

  test("a word wider than its column wraps inside the page", async () => {
    const [ana] = exportPractitioners();
    if (!ana) throw new Error("fixtures");
    const long = "Supercalifragilistic".repeat(8);
    const { file } = renderAndExtract(
      "wide",
      await buffer(auditReportPdf(exportHeader(), [{ ...ana, name: long }])),
    );
    const boxes = execFileSync("/usr/bin/pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
    const right = [...boxes.matchAll(/xMax="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(right.length).toBeGreaterThan(0);
    // Letter is 612 points wide, with 50-point margins.
    expect(Math.max(...right)).toBeLessThanOrEqual(562.5);
  });
});

describe("CE transcript PDF", () => {
  test("lists every record on file with hours and status, and renders", async () => {
    const [ana, ben] = exportPractitioners();
    if (!ana || !ben) throw new Error("fixtures");
    const { text } = renderAndExtract("ana", await buffer(transcriptPdf(exportHeader(), ana)));
    expect(text).toContain("Continuing education transcript");
    expect(text).toContain("Ana Reyes");
    expect(text).toContain("Dry Needling Level 2");
    expect(text).toContain("Supervised DN sessions with Dr. Lee");
    expect(text).toContain("Verified hours on file: 60 across 4 verified records");
    const benText = renderAndExtract("ben", await buffer(transcriptPdf(exportHeader(), ben))).text;
    expect(benText).toContain("Ethics and jurisprudence");
    expect(benText).toContain("pending");
  });

  test("a long transcript repeats its header row on every page", async () => {
    const [ana] = exportPractitioners();
    if (!ana) throw new Error("fixtures");
    const base = ana.records[0];
    if (!base) throw new Error("fixtures");
    const records = Array.from({ length: 90 }, (_, index) => ({
      ...base,
      recordId: `r${index}`,
      title: `Course number ${String(index).padStart(2, "0")}`,
    }));
    const { pageTexts } = renderAndExtract(
      "long-transcript",
      await buffer(transcriptPdf(exportHeader(), { ...ana, records })),
    );
    expect(pageTexts.length).toBeGreaterThanOrEqual(2);
    for (const [index, text] of pageTexts.entries()) {
      expect(text).toMatch(/Course number \d\d/);
      expect(text, `page ${index + 1}`).toMatch(/^\s*Completed {2,}Kind {2,}Title/m);
    }
  });
});
