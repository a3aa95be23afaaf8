/**
 * PDF exports made with pdfkit: the audit report (cover, summary table, one section per
 * practitioner starting on its own page, page numbers) and a practitioner's CE transcript.
 * Pages are buffered until the end to number them "Page i of n", so a PDF holds its pages in
 * memory; the streamed formats for very large exports are CSV and JSON.
 */
import type { Readable } from "node:stream";
import type { ExportHeader, ExportPractitioner, ExportRecord } from "@dn/schema";
import PDFDocument from "pdfkit";
import { type AnyIterable, evidenceRef, VERDICT_WORDS } from "./model.ts";

type Doc = PDFKit.PDFDocument;

const MARGIN = 50;
const FONT = "Helvetica";
const BOLD = "Helvetica-Bold";
const MUTED = "#555555";

function newDoc(title: string, header: ExportHeader): Doc {
  return new PDFDocument({
    size: "LETTER",
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: title,
      Author: header.generatedBy.name,
      Subject: `${header.organization.name}: ${header.scopeLabel} as of ${header.scope.asOf}`,
      Creator: "dn",
      // A fixed date keeps the bytes a function of the export, not of the clock.
      CreationDate: new Date(header.generatedAt),
    },
  });
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page unless `height` more points fit on this one. */
function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function heading(doc: Doc, text: string, size = 16): void {
  ensureRoom(doc, size * 3);
  doc.font(BOLD).fontSize(size).fillColor("black").text(text);
  doc.moveDown(0.4);
  doc.font(FONT).fontSize(10);
}

function line(doc: Doc, label: string, value: string): void {
  doc.font(BOLD).fontSize(10).text(`${label}: `, { continued: true });
  doc.font(FONT).text(value);
}

function scopeLines(doc: Doc, header: ExportHeader): void {
  line(doc, "Organization", header.organization.name);
  line(doc, "Scope", header.scopeLabel);
  line(doc, "As of", header.scope.asOf);
  line(doc, "Records known at", header.scope.knownAt ?? "the time of export");
  line(
    doc,
    "Generated",
    `${header.generatedAt} by ${header.generatedBy.name} (${header.generatedBy.role})`,
  );
  line(doc, "Export id", header.exportId);
}

/** Writes "Page i of n" at the foot of every buffered page. */
function numberPages(doc: Doc, label: string): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const savedBottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `${label} | Page ${index + 1} of ${range.count}`,
        MARGIN,
        doc.page.height - MARGIN + 15,
        { width: doc.page.width - 2 * MARGIN, align: "center", lineBreak: false },
      );
    doc.page.margins.bottom = savedBottom;
  }
  doc.fillColor("black");
}

interface Column {
  title: string;
  width: number;
}

function tableRow(doc: Doc, columns: readonly Column[], cells: readonly string[], bold = false) {
  doc.font(bold ? BOLD : FONT).fontSize(9);
  const heights = columns.map((column, index) =>
    doc.heightOfString(cells[index] ?? "", { width: column.width - 6 }),
  );
  const height = Math.max(...heights) + 4;
  ensureRoom(doc, height);
  const top = doc.y;
  let x = MARGIN;
  columns.forEach((column, index) => {
    doc.text(cells[index] ?? "", x, top, { width: column.width - 6 });
    x += column.width;
  });
  doc.x = MARGIN;
  doc.y = top + height;
  doc
    .moveTo(MARGIN, doc.y - 2)
    .lineTo(MARGIN + columns.reduce((sum, column) => sum + column.width, 0), doc.y - 2)
    .strokeColor("#cccccc")
    .lineWidth(0.5)
    .stroke();
}

function table(doc: Doc, columns: readonly Column[], rows: Iterable<readonly string[]>): void {
  tableRow(
    doc,
    columns,
    columns.map((column) => column.title),
    true,
  );
  for (const row of rows) tableRow(doc, columns, row);
  doc.x = MARGIN;
  doc.moveDown(0.5);
}

function cover(doc: Doc, header: ExportHeader): void {
  doc.font(BOLD).fontSize(24).text("Compliance audit report");
  doc.moveDown(0.5);
  doc.font(FONT).fontSize(12).text(`${header.organization.name}: ${header.scopeLabel}`);
  doc.text(`Compliance as of ${header.scope.asOf}`);
  doc.moveDown(1);
  scopeLines(doc, header);
  doc.moveDown(1);
  heading(doc, "Standards applied", 14);
  for (const standard of header.standards) {
    ensureRoom(doc, 40);
    doc.font(BOLD).fontSize(10).text(`${standard.title} (${standard.id} v${standard.version})`);
    doc
      .font(FONT)
      .fontSize(9)
      .fillColor(MUTED)
      .text(
        `${standard.authority}; in force ${standard.effectiveFrom ?? "(draft)"} to ${standard.effectiveTo ?? "now"}; sources last verified ${standard.lastVerified}`,
      );
    doc.fillColor("black");
    for (const citation of standard.citations) {
      doc.text(`Citation: ${citation.text}${citation.url ? ` <${citation.url}>` : ""}`, {
        indent: 10,
      });
    }
    doc.moveDown(0.4);
  }
  if (header.standards.length === 0) doc.text("No standard applies to this scope.");
}

function practitionerSection(doc: Doc, practitioner: ExportPractitioner): void {
  doc.addPage();
  heading(doc, practitioner.name, 18);
  line(
    doc,
    "Clinic",
    practitioner.clinic
      ? `${practitioner.clinic.name} (${practitioner.clinic.jurisdiction})`
      : "none",
  );
  line(
    doc,
    "Licenses",
    practitioner.licenses.length === 0
      ? "none on file"
      : practitioner.licenses
          .map(
            (license) =>
              `${license.jurisdiction} ${license.number} (${license.status}${license.expiresOn ? `, expires ${license.expiresOn}` : ""})`,
          )
          .join("; "),
  );
  doc.moveDown(0.5);
  const records = new Map(practitioner.records.map((record) => [record.recordId, record]));
  for (const evaluation of practitioner.evaluations) {
    heading(
      doc,
      `${evaluation.standardId} v${evaluation.standardVersion}: ${VERDICT_WORDS[evaluation.verdict]}`,
      13,
    );
    doc.font(FONT).fontSize(10).text(evaluation.summary);
    if (evaluation.nextLapse) {
      doc.text(`Next lapse: ${evaluation.nextLapse.on} (${evaluation.nextLapse.title})`);
    }
    for (const warning of evaluation.warnings) doc.fillColor(MUTED).text(`Note: ${warning}`);
    doc.fillColor("black").moveDown(0.3);
    for (const requirement of evaluation.requirements) {
      ensureRoom(doc, 60);
      doc
        .font(BOLD)
        .fontSize(10)
        .text(
          `${requirement.met ? "MET" : "NOT MET"}  ${requirement.title}${requirement.advisory ? " (advisory)" : ""}`,
        );
      doc
        .font(FONT)
        .fontSize(9)
        .text(
          `Have ${requirement.have} of ${requirement.need} ${requirement.unit}${requirement.validUntil ? `; valid until ${requirement.validUntil}` : ""}`,
          { indent: 12 },
        );
      doc.text(
        `Citation: ${requirement.citation.text}${requirement.citation.url ? ` <${requirement.citation.url}>` : ""}`,
        { indent: 12 },
      );
      if (requirement.gap) doc.text(`Gap: ${requirement.gap}`, { indent: 12 });
      if (requirement.evidence.length === 0) {
        doc.fillColor(MUTED).text("Evidence: none counted", { indent: 12 }).fillColor("black");
      } else {
        doc.text("Evidence:", { indent: 12 });
        for (const evidence of requirement.evidence) {
          const record = records.get(evidence.recordId);
          doc.text(
            `${evidence.completedOn}  ${evidence.title} [${evidenceRef(evidence)}]${evidence.amount ? `: ${evidence.amount} counted` : ""}${record ? `, ${record.status}` : ""}`,
            { indent: 24 },
          );
        }
      }
      doc.moveDown(0.3);
    }
    doc.moveDown(0.5);
  }
  if (practitioner.evaluations.length === 0) doc.text("No standard in scope applies.");
}

/** Runs `write` then ends the document; a failure destroys the stream with the error. */
function produce(doc: Doc, write: () => Promise<void>): Readable {
  write().then(
    () => doc.end(),
    (error: unknown) => doc.destroy(error as Error),
  );
  return doc as unknown as Readable;
}

/** The audit report for a whole export. */
export function auditReportPdf(
  header: ExportHeader,
  practitioners: AnyIterable<ExportPractitioner>,
): Readable {
  const doc = newDoc("Compliance audit report", header);
  return produce(doc, async () => {
    cover(doc, header);
    doc.addPage();
    heading(doc, "Summary", 16);
    const columns: Column[] = [
      { title: "Practitioner", width: 140 },
      { title: "Standard", width: 100 },
      { title: "Verdict", width: 105 },
      { title: "Next lapse", width: 70 },
      { title: "Gaps", width: 97 },
    ];
    // The summary precedes the sections but needs every practitioner: keep only their rows.
    const kept: ExportPractitioner[] = [];
    for await (const practitioner of practitioners) kept.push(practitioner);
    table(
      doc,
      columns,
      kept.flatMap((practitioner) =>
        practitioner.evaluations.map((evaluation) => [
          practitioner.name,
          `${evaluation.standardId} v${evaluation.standardVersion}`,
          VERDICT_WORDS[evaluation.verdict],
          evaluation.nextLapse?.on ?? "",
          evaluation.gaps.length === 0 ? "none" : String(evaluation.gaps.length),
        ]),
      ),
    );
    if (kept.length === 0) doc.text("No practitioner is in scope.");
    for (const practitioner of kept) practitionerSection(doc, practitioner);
    numberPages(doc, `${header.organization.name}: audit report as of ${header.scope.asOf}`);
  });
}

function hoursText(record: ExportRecord): string {
  if (!record.hours) return "";
  const total = record.hours.theory + record.hours.practical + record.hours.online;
  return record.hours.online > 0 ? `${total} (${record.hours.online} online)` : String(total);
}

/** One practitioner's CE transcript: every training record on file as of the export. */
export function transcriptPdf(header: ExportHeader, practitioner: ExportPractitioner): Readable {
  const doc = newDoc(`CE transcript: ${practitioner.name}`, header);
  return produce(doc, async () => {
    doc.font(BOLD).fontSize(20).text("Continuing education transcript");
    doc.moveDown(0.3);
    doc.font(FONT).fontSize(12).text(practitioner.name);
    doc.moveDown(0.5);
    scopeLines(doc, header);
    doc.moveDown(1);
    const columns: Column[] = [
      { title: "Completed", width: 65 },
      { title: "Kind", width: 85 },
      { title: "Title", width: 170 },
      { title: "Provider", width: 90 },
      { title: "Hours", width: 50 },
      { title: "Status", width: 52 },
    ];
    table(
      doc,
      columns,
      practitioner.records.map((record) => [
        record.completedOn,
        record.kind,
        record.title,
        record.provider ?? "",
        hoursText(record),
        record.status,
      ]),
    );
    const verified = practitioner.records.filter((record) => record.status === "verified");
    const hours = verified.reduce(
      (sum, record) =>
        sum +
        (record.hours ? record.hours.theory + record.hours.practical + record.hours.online : 0),
      0,
    );
    doc
      .font(BOLD)
      .fontSize(10)
      .text(`Verified hours on file: ${hours} across ${verified.length} verified records`);
    numberPages(doc, `${practitioner.name}: transcript as of ${header.scope.asOf}`);
  });
}
