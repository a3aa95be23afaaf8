import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { afterAll, describe, expect, test } from "vitest";
import { auditReportPdf, transcriptPdf } from "./pdf.ts";
import { exportHeader, exportPractitioners } from "./test-fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "dn-pdf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the PDF, renders every page with pdftoppm (fails if it cannot), returns its text. */
function renderAndExtract(name: string, pdf: Buffer): { pages: number; text: string } {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "30", file, join(dir, name)]);
  const pages = readdirSync(dir).filter((f) => f.startsWith(`${name}-`) && f.endsWith(".png"));
  const text = execFileSync("/usr/bin/pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  return { pages: pages.length, text };
}

describe("audit report PDF", () => {
  test("renders, and its text holds the scope, verdicts, citations, evidence and page numbers", async () => {
    const pdf = await buffer(auditReportPdf(exportHeader(), exportPractitioners()));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const { pages, text } = renderAndExtract("report", pdf);
    // cover + summary + one page (at least) per practitioner
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(text).toContain("Compliance audit report");
    expect(text).toContain("Harbor Health");
    expect(text).toContain("As of: 2025-06-01");
    expect(text).toContain("Qualified");
    expect(text).toContain("Not qualified");
    expect(text).toContain("Fla. Stat. § 486.117");
    expect(text).toContain("Rule 64B17-6.008, F.A.C.");
    expect(text).toContain("Dry Needling Level 1");
    expect(text).toContain("NOT MET");
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
  });

  test("a report with no practitioners still renders and says so", async () => {
    const pdf = await buffer(auditReportPdf(exportHeader(), []));
    const { text } = renderAndExtract("empty", pdf);
    expect(text).toContain("No practitioner is in scope.");
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
});
