/**
 * PDF exports made with pdfkit: the audit report (headline counts per standard, scope, standards
 * applied, a summary table, one section per practitioner starting on its own page, page
 * numbers) and a practitioner's CE transcript.
 *
 * Text is set in fonts shipped in packages/exports/fonts (docs/decisions/006-libraries.md):
 * DejaVu Sans for Latin (Vietnamese included), Greek and Cyrillic, and Droid Sans Fallback for
 * the characters DejaVu lacks (Chinese, Japanese, Korean). Each string is split into runs by
 * which font has its glyphs, and this module lays the runs out itself (lines break at spaces,
 * hyphens and slashes; a word wider than its line, such as a run of ideographs or a URL, breaks
 * between characters), so a row's height is known before it is drawn and a table can start a
 * new page, with its header row, in time.
 *
 * Pages are buffered until the end to number them "Page i of n", so a PDF holds its pages in
 * memory; the streamed formats for very large exports are CSV and JSON.
 */
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import {
  type ExportEvaluation,
  type ExportHeader,
  type ExportPractitioner,
  type ExportRecord,
  type ExportRequirement,
  RECORD_KIND_LABELS,
} from "@dn/schema";
import { openSync as openFont } from "fontkit";
import PDFDocument from "pdfkit";
import { type AnyIterable, VERDICT_WORDS } from "./model.ts";

type Doc = PDFKit.PDFDocument;

// ---------------------------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------------------------

const FONT_FILES = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  fallback: "DroidSansFallback.ttf",
} as const;
type FontKey = keyof typeof FONT_FILES;
type Face = "regular" | "bold";

const fontPaths = new Map<FontKey, string>();

/**
 * The font's file, which is also its name in a document: pdfkit caches an opened font under the
 * path, so switching fonts by path never parses a font twice (a `registerFont` alias of the
 * default font would be reopened on every switch).
 */
function fontPath(key: FontKey): string {
  let path = fontPaths.get(key);
  if (!path) {
    path = fileURLToPath(new URL(`../fonts/${FONT_FILES[key]}`, import.meta.url));
    fontPaths.set(key, path);
  }
  return path;
}

/** Which code points each font has a glyph for, read once per process and memoized. */
const coverage = new Map<FontKey, { has(codePoint: number): boolean }>();

function covers(key: FontKey, codePoint: number): boolean {
  let entry = coverage.get(key);
  if (!entry) {
    const face = openFont(fontPath(key));
    if (!("hasGlyphForCodePoint" in face)) throw new Error(`${FONT_FILES[key]} is a collection`);
    const memo = new Map<number, boolean>();
    entry = {
      has(codePoint) {
        let known = memo.get(codePoint);
        if (known === undefined) {
          known = face.hasGlyphForCodePoint(codePoint);
          memo.set(codePoint, known);
        }
        return known;
      },
    };
    coverage.set(key, entry);
  }
  return entry.has(codePoint);
}

/** The font a character is set in: the face's own when it has the glyph, else the fallback. */
function fontFor(char: string, face: Face): FontKey {
  const codePoint = char.codePointAt(0) ?? 0;
  if (codePoint < 0x250 || covers(face, codePoint)) return face;
  return covers("fallback", codePoint) ? "fallback" : face;
}

// ---------------------------------------------------------------------------------------------
// Page geometry, colours and styles
// ---------------------------------------------------------------------------------------------

const MARGIN = 50;
const FOOTER_GAP = 15;
const TEXT = "#111111";
const MUTED = "#555555";
const RULE = "#c8c8c8";
const HEADER_FILL = "#ececec";
/** Line height as a multiple of the font size, and the baseline's distance below the line top. */
const LEADING = 1.25;
const ASCENT = 0.95;

/**
 * Tones of the verdict and state chips: dark text on a light fill, each pair above 7:1 contrast
 * (WCAG AAA), and always with a word and a symbol, so no meaning rests on colour alone.
 */
const TONES = {
  good: { text: "#14532d", fill: "#dcfce7" },
  warn: { text: "#713f12", fill: "#fef3c7" },
  info: { text: "#1e3a8a", fill: "#dbeafe" },
  bad: { text: "#7f1d1d", fill: "#fee2e2" },
  stop: { text: "#581c87", fill: "#f3e8ff" },
  neutral: { text: "#374151", fill: "#e5e7eb" },
} as const;
type Tone = keyof typeof TONES;

type Verdict = ExportEvaluation["verdict"];

const VERDICT_STYLE: Record<Verdict, { tone: Tone; symbol: string }> = {
  qualified: { tone: "good", symbol: "✓" },
  expiring: { tone: "warn", symbol: "⚠" },
  "pending-verification": { tone: "info", symbol: "◷" },
  "not-qualified": { tone: "bad", symbol: "✗" },
  "not-permitted": { tone: "stop", symbol: "⊘" },
};

/** The verdicts in the order the headline counts them. */
const VERDICT_ORDER: readonly Verdict[] = [
  "qualified",
  "expiring",
  "pending-verification",
  "not-qualified",
  "not-permitted",
];

interface Style {
  size: number;
  bold?: boolean;
  color?: string;
}

/** A stretch of text with its own weight, for "Label: value" lines. */
interface Span {
  text: string;
  bold?: boolean;
}

function lineHeight(size: number): number {
  return size * LEADING;
}

function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

// ---------------------------------------------------------------------------------------------
// Text layout
// ---------------------------------------------------------------------------------------------

interface Run {
  font: FontKey;
  text: string;
  width: number;
  /** Bold asked for, set in the fallback font (which has no bold): drawn filled and stroked. */
  strong: boolean;
}

/**
 * A unit the line breaker keeps whole unless it is wider than a line: a word (text without spaces,
 * ideographs included) or the spaces between words.
 */
interface Piece {
  runs: Run[];
  width: number;
  space: boolean;
}

interface Line {
  runs: Run[];
  width: number;
}

const MARK = /\p{M}/u;
const SPACE = /\s/u;

/** Advance widths at size 1, by font and text: fonts are fixed, and words repeat. */
const widths = new Map<string, number>();

function widthOf(doc: Doc, font: FontKey, size: number, text: string): number {
  const key = `${font}\u0000${text}`;
  let unit = widths.get(key);
  if (unit === undefined) {
    if (widths.size > 100_000) widths.clear();
    unit = doc.font(fontPath(font)).fontSize(1000).widthOfString(text) / 1000;
    widths.set(key, unit);
  }
  return unit * size;
}

/** Splits spans into pieces (words and spaces), each into runs by font. */
function piecesOf(doc: Doc, spans: readonly Span[], size: number): Piece[] {
  const pieces: Piece[] = [];
  let current: {
    chars: { char: string; font: FontKey; strong: boolean }[];
    space: boolean;
  } | null = null;
  const flush = () => {
    if (!current || current.chars.length === 0) return;
    const runs: Run[] = [];
    for (const { char, font, strong } of current.chars) {
      const last = runs.at(-1);
      if (last && last.font === font && last.strong === strong) last.text += char;
      else runs.push({ font, text: char, width: 0, strong });
    }
    for (const run of runs) run.width = widthOf(doc, run.font, size, run.text);
    pieces.push({
      runs,
      width: runs.reduce((sum, run) => sum + run.width, 0),
      space: current.space,
    });
    current = null;
  };
  for (const span of spans) {
    const face: Face = span.bold ? "bold" : "regular";
    for (const char of span.text.normalize("NFC")) {
      const space = SPACE.test(char);
      if (MARK.test(char) && current && !current.space) {
        // A combining mark stays with its base character, in its font.
        const base = current.chars.at(-1);
        current.chars.push({ char, font: base?.font ?? face, strong: base?.strong ?? false });
        continue;
      }
      const font = space ? face : fontFor(char, face);
      const entry = {
        char: space ? " " : char,
        font,
        strong: face === "bold" && font === "fallback",
      };
      if (!current || current.space !== space) {
        flush();
        current = { chars: [], space };
      }
      current.chars.push(entry);
      // Allow a break after a hyphen or a slash (long compound words, URLs).
      if (char === "-" || char === "/") flush();
    }
    flush();
  }
  return pieces;
}

/** Breaks an over-long piece into pieces of at most `width`, one character at least each. */
function splitPiece(doc: Doc, piece: Piece, size: number, width: number): Piece[] {
  const parts: Piece[] = [];
  let runs: Run[] = [];
  let used = 0;
  const push = () => {
    if (runs.length > 0) parts.push({ runs, width: used, space: false });
    runs = [];
    used = 0;
  };
  for (const run of piece.runs) {
    const clusters = run.text.match(/\P{M}\p{M}*/gu) ?? [];
    for (const cluster of clusters) {
      const clusterWidth = widthOf(doc, run.font, size, cluster);
      if (used > 0 && used + clusterWidth > width) push();
      const last = runs.at(-1);
      if (last && last.font === run.font && last.strong === run.strong) {
        last.text += cluster;
        last.width += clusterWidth;
      } else {
        runs.push({ font: run.font, text: cluster, width: clusterWidth, strong: run.strong });
      }
      used += clusterWidth;
    }
  }
  push();
  return parts;
}

function toSpans(text: string | readonly Span[]): readonly Span[] {
  return typeof text === "string" ? [{ text }] : text;
}

/** Lays text out in lines no wider than `width`; explicit newlines start new lines. */
function layout(doc: Doc, text: string | readonly Span[], style: Style, width: number): Line[] {
  const lines: Line[] = [];
  const paragraphs: Span[][] = [[]];
  for (const span of toSpans(text)) {
    const parts = span.text.split("\n");
    parts.forEach((part, index) => {
      if (index > 0) paragraphs.push([]);
      paragraphs.at(-1)?.push({ text: part, bold: span.bold ?? style.bold ?? false });
    });
  }
  for (const spans of paragraphs) {
    let line: Piece[] = [];
    let used = 0;
    const close = () => {
      while (line.at(-1)?.space) line.pop();
      const runs: Run[] = [];
      for (const run of line.flatMap((piece) => piece.runs)) {
        const last = runs.at(-1);
        if (last && last.font === run.font && last.strong === run.strong) {
          last.text += run.text;
          last.width += run.width;
        } else {
          runs.push({ ...run });
        }
      }
      lines.push({ runs, width: runs.reduce((sum, run) => sum + run.width, 0) });
      line = [];
      used = 0;
    };
    const queue = piecesOf(doc, spans, style.size);
    while (queue.length > 0) {
      const piece = queue.shift() as Piece;
      if (piece.space) {
        if (line.length > 0) {
          line.push(piece);
          used += piece.width;
        }
        continue;
      }
      const trailing = line.at(-1)?.space ? (line.at(-1)?.width ?? 0) : 0;
      if (used + piece.width <= width + 0.01) {
        line.push(piece);
        used += piece.width;
      } else if (line.length > 0 && used - trailing > 0) {
        close();
        queue.unshift(piece);
      } else {
        const [first, ...rest] = splitPiece(doc, piece, style.size, width);
        if (first) {
          line.push(first);
          used += first.width;
        }
        if (rest.length > 0) {
          close();
          queue.unshift(...rest);
        }
      }
    }
    close();
  }
  return lines;
}

function linesHeight(lines: readonly Line[], size: number): number {
  return lines.length * lineHeight(size);
}

/** Draws laid-out lines with their top at `top`. */
function drawLines(
  doc: Doc,
  lines: readonly Line[],
  at: { x: number; top: number; width: number; align?: "left" | "center" | "right" },
  style: Style,
): void {
  const color = style.color ?? TEXT;
  // pdfkit moves its cursor to where it draws; the callers' flow keeps its own.
  const cursor = { x: doc.x, y: doc.y };
  lines.forEach((line, index) => {
    const baseline = at.top + index * lineHeight(style.size) + style.size * ASCENT;
    let x =
      at.align === "center"
        ? at.x + (at.width - line.width) / 2
        : at.align === "right"
          ? at.x + at.width - line.width
          : at.x;
    for (const run of line.runs) {
      doc.font(fontPath(run.font)).fontSize(style.size).fillColor(color);
      if (run.strong) {
        doc
          .save()
          .lineWidth(style.size * 0.035)
          .strokeColor(color);
        doc.text(run.text, x, baseline, {
          lineBreak: false,
          baseline: "alphabetic",
          fill: true,
          stroke: true,
        });
        doc.restore();
      } else {
        doc.text(run.text, x, baseline, { lineBreak: false, baseline: "alphabetic" });
      }
      x += run.width;
    }
  });
  doc.x = cursor.x;
  doc.y = cursor.y;
}

/** Flows text at the cursor from the left margin (plus `indent`), starting pages as needed. */
function paragraph(
  doc: Doc,
  text: string | readonly Span[],
  style: Style,
  options: { indent?: number; after?: number } = {},
): void {
  const indent = options.indent ?? 0;
  const width = contentWidth(doc) - indent;
  const height = lineHeight(style.size);
  for (const line of layout(doc, text, style, width)) {
    if (doc.y + height > bottom(doc)) doc.addPage();
    drawLines(doc, [line], { x: MARGIN + indent, top: doc.y, width }, style);
    doc.y += height;
  }
  doc.y += options.after ?? 0;
  doc.x = MARGIN;
}

/** Starts a new page unless `height` more points fit on this one. */
function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

function space(doc: Doc, points: number): void {
  doc.y += points;
}

function heading(doc: Doc, text: string, size = 16): void {
  ensureRoom(doc, lineHeight(size) + 60);
  paragraph(doc, text, { size, bold: true }, { after: size * 0.3 });
}

function labelled(doc: Doc, label: string, value: string): void {
  paragraph(doc, [{ text: `${label}: `, bold: true }, { text: value }], { size: 10 });
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/** One block of text in a cell; with a tone it is drawn as a chip (fill behind the text). */
interface Block {
  text: string | readonly Span[];
  size?: number;
  bold?: boolean;
  color?: string;
  tone?: Tone;
}
type Cell = string | Block | readonly Block[];

interface Column {
  title: string;
  width: number;
  align?: "left" | "right";
}

const CELL_PAD = 3;
const CELL_SIZE = 8.5;
const CHIP_PAD = 2;

function blocksOf(cell: Cell): readonly Block[] {
  if (typeof cell === "string") return [{ text: cell }];
  return "text" in cell ? [cell as Block] : (cell as readonly Block[]);
}

interface LaidBlock {
  block: Block;
  style: Style;
  lines: Line[];
  height: number;
}

function layoutCell(doc: Doc, cell: Cell, width: number, bold: boolean): LaidBlock[] {
  return blocksOf(cell).map((block) => {
    const style: Style = {
      size: block.size ?? CELL_SIZE,
      bold: block.bold ?? bold,
      color: block.tone ? TONES[block.tone].text : (block.color ?? TEXT),
    };
    const inner = block.tone ? width - 2 * CHIP_PAD : width;
    const lines = layout(doc, block.text, style, inner);
    const gap = block.tone ? 2 * CHIP_PAD + 1 : 1;
    return { block, style, lines, height: linesHeight(lines, style.size) + gap };
  });
}

function drawCell(
  doc: Doc,
  laid: readonly LaidBlock[],
  x: number,
  top: number,
  width: number,
  align: "left" | "right",
): void {
  let y = top;
  for (const { block, style, lines, height } of laid) {
    if (block.tone) {
      const textWidth = Math.max(0, ...lines.map((line) => line.width));
      const chipWidth = textWidth + 2 * CHIP_PAD;
      const chipX = align === "right" ? x + width - chipWidth : x;
      doc
        .roundedRect(chipX, y, chipWidth, height - 1, 2)
        .fillColor(TONES[block.tone].fill)
        .fill();
      drawLines(
        doc,
        lines,
        { x: chipX + CHIP_PAD, top: y + CHIP_PAD, width: textWidth, align: "left" },
        style,
      );
    } else {
      drawLines(doc, lines, { x, top: y, width, align }, style);
    }
    y += height;
  }
}

interface TableOptions {
  /** Shown above the header row again when the table continues on a new page. */
  caption?: string;
}

/**
 * A table that starts a new page when a row does not fit, repeating the header row (and the
 * caption, marked "continued") at the top of each page it runs onto.
 */
function table(
  doc: Doc,
  columns: readonly Column[],
  rows: Iterable<readonly Cell[]>,
  options: TableOptions = {},
): void {
  const totalWidth = columns.reduce((sum, column) => sum + column.width, 0);
  const measure = (cells: readonly Cell[], bold: boolean) => {
    const laid = columns.map((column, index) =>
      layoutCell(doc, cells[index] ?? "", column.width - 2 * CELL_PAD, bold),
    );
    const height =
      Math.max(...laid.map((blocks) => blocks.reduce((sum, block) => sum + block.height, 0))) +
      2 * CELL_PAD;
    return { laid, height };
  };
  const header = measure(
    columns.map((column) => ({ text: column.title, size: 8, bold: true })),
    true,
  );
  const draw = (row: { laid: LaidBlock[][]; height: number }, fill: string | null) => {
    const top = doc.y;
    if (fill) doc.rect(MARGIN, top, totalWidth, row.height).fillColor(fill).fill();
    let x = MARGIN;
    columns.forEach((column, index) => {
      drawCell(
        doc,
        row.laid[index] ?? [],
        x + CELL_PAD,
        top + CELL_PAD,
        column.width - 2 * CELL_PAD,
        column.align ?? "left",
      );
      x += column.width;
    });
    doc
      .moveTo(MARGIN, top + row.height)
      .lineTo(MARGIN + totalWidth, top + row.height)
      .strokeColor(RULE)
      .lineWidth(0.5)
      .stroke();
    doc.y = top + row.height;
  };
  const drawHeader = () => draw(header, HEADER_FILL);
  const pageTop = () => doc.page.margins.top;

  let first = true;
  for (const cells of rows) {
    const row = measure(cells, false);
    const needed = row.height + (first ? header.height : 0);
    if (doc.y + needed > bottom(doc) && doc.y > pageTop()) {
      doc.addPage();
      if (!first && options.caption) {
        paragraph(doc, `${options.caption} (continued)`, { size: 9, color: MUTED }, { after: 2 });
      }
      drawHeader();
    } else if (first) {
      drawHeader();
    }
    first = false;
    draw(row, null);
  }
  if (first) drawHeader();
  doc.x = MARGIN;
  space(doc, 8);
}

// ---------------------------------------------------------------------------------------------
// Words for readers
// ---------------------------------------------------------------------------------------------

function verdictBlock(verdict: Verdict, size = CELL_SIZE): Block {
  const { tone, symbol } = VERDICT_STYLE[verdict];
  return { text: `${symbol} ${VERDICT_WORDS[verdict]}`, tone, bold: true, size };
}

/** "Florida — dry needling by physical therapists (v1)": the title, never the id alone. */
function standardName(header: ExportHeader, id: string, version: number): string {
  const exact = header.standards.find((s) => s.id === id && s.version === version);
  const any = exact ?? header.standards.find((s) => s.id === id);
  return `${any?.title ?? id} (v${version})`;
}

const STATE_WORDS: Record<
  ExportRequirement["state"],
  { label: string; tone: Tone; symbol: string }
> = {
  met: { label: "Met", tone: "good", symbol: "✓" },
  "not-met": { label: "Not met", tone: "bad", symbol: "✗" },
  "due-on-track": { label: "Due, on track", tone: "info", symbol: "◷" },
  "due-behind": { label: "Due, behind", tone: "warn", symbol: "⚠" },
};

/**
 * A requirement's state as a chip (met, not met, due by a date and on track or behind, from the
 * engine) and the engine's sentence for it when that says more than the chip.
 */
function requirementState(requirement: ExportRequirement): { chip: Block; detail: string | null } {
  const word = STATE_WORDS[requirement.state];
  const label =
    requirement.due && requirement.state !== "met" && requirement.state !== "not-met"
      ? `Due by ${requirement.due.by}, ${requirement.due.pace === "on-track" ? "on track" : "behind"}`
      : word.label;
  const tone: Tone = requirement.advisory && word.tone === "bad" ? "neutral" : word.tone;
  const text = `${word.symbol} ${label}${requirement.advisory ? " (advisory)" : ""}`;
  const detail = requirement.stateLabel.trim();
  return {
    chip: { text, tone, bold: true },
    detail: detail && detail !== word.label && detail !== label ? detail : null,
  };
}

function amount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function citationText(citation: { text: string; url?: string | null | undefined }): string {
  return citation.url ? `${citation.text} <${citation.url}>` : citation.text;
}

// ---------------------------------------------------------------------------------------------
// Document frame
// ---------------------------------------------------------------------------------------------

function newDoc(title: string, header: ExportHeader): Doc {
  return new PDFDocument({
    size: "LETTER",
    // The bottom margin leaves room for the page number below the text.
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + 10 },
    bufferPages: true,
    font: fontPath("regular"),
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

function scopeLines(doc: Doc, header: ExportHeader): void {
  labelled(doc, "Organization", header.organization.name);
  labelled(doc, "Scope", header.scopeLabel);
  labelled(doc, "As of", header.scope.asOf);
  labelled(doc, "Records known at", header.scope.knownAt ?? "the time of export");
  labelled(
    doc,
    "Generated",
    `${header.generatedAt} by ${header.generatedBy.name} (${header.generatedBy.role})`,
  );
}

/** Writes "Page i of n" at the foot of every buffered page. */
function numberPages(doc: Doc, label: string): void {
  const range = doc.bufferedPageRange();
  const style: Style = { size: 8, color: MUTED };
  for (let index = range.start; index < range.start + range.count; index += 1) {
    doc.switchToPage(index);
    const width = doc.page.width - 2 * MARGIN;
    const page = `Page ${index + 1} of ${range.count}`;
    const full = layout(doc, `${label} | ${page}`, style, width);
    // A label too long for one line gives way to the page number.
    const lines = full.length === 1 ? full : layout(doc, page, style, width);
    drawLines(
      doc,
      lines,
      { x: MARGIN, top: doc.page.height - MARGIN + FOOTER_GAP - 10, width, align: "center" },
      style,
    );
  }
  doc.fillColor(TEXT);
}

/** Runs `write` then ends the document; a failure destroys the stream with the error. */
function produce(doc: Doc, write: () => Promise<void>): Readable {
  write().then(
    () => doc.end(),
    (error: unknown) => doc.destroy(error as Error),
  );
  return doc as unknown as Readable;
}

// ---------------------------------------------------------------------------------------------
// The audit report
// ---------------------------------------------------------------------------------------------

type Counts = Record<Verdict, number>;

/** Verdicts per standard version, in the header's order (then any other version seen). */
function countVerdicts(
  header: ExportHeader,
  practitioners: readonly ExportPractitioner[],
): { name: string; counts: Counts; total: number }[] {
  const rows = new Map<string, { name: string; counts: Counts; total: number }>();
  const row = (id: string, version: number) => {
    const key = `${id}@${version}`;
    let entry = rows.get(key);
    if (!entry) {
      entry = {
        name: standardName(header, id, version),
        counts: {
          qualified: 0,
          expiring: 0,
          "pending-verification": 0,
          "not-qualified": 0,
          "not-permitted": 0,
        },
        total: 0,
      };
      rows.set(key, entry);
    }
    return entry;
  };
  for (const standard of header.standards) row(standard.id, standard.version);
  for (const practitioner of practitioners) {
    for (const evaluation of practitioner.evaluations) {
      const entry = row(evaluation.standardId, evaluation.standardVersion);
      entry.counts[evaluation.verdict] += 1;
      entry.total += 1;
    }
  }
  return [...rows.values()];
}

function headline(
  doc: Doc,
  header: ExportHeader,
  practitioners: readonly ExportPractitioner[],
): void {
  heading(doc, "At a glance", 14);
  const verdicts = practitioners.reduce((sum, p) => sum + p.evaluations.length, 0);
  paragraph(
    doc,
    `${practitioners.length} ${practitioners.length === 1 ? "practitioner" : "practitioners"} in scope; ${verdicts} ${verdicts === 1 ? "verdict" : "verdicts"} against ${header.standards.length} ${header.standards.length === 1 ? "standard" : "standards"}. Expiring practitioners are still qualified, but a requirement lapses soon.`,
    { size: 9, color: MUTED },
    { after: 4 },
  );
  const counts = countVerdicts(header, practitioners);
  const numberColumn = (verdict: Verdict, width: number): Column => ({
    title: `${VERDICT_STYLE[verdict].symbol} ${VERDICT_WORDS[verdict]}`,
    width,
    align: "right",
  });
  const columns: Column[] = [
    { title: "Standard", width: 172 },
    numberColumn("qualified", 58),
    numberColumn("expiring", 54),
    numberColumn("pending-verification", 66),
    numberColumn("not-qualified", 58),
    numberColumn("not-permitted", 58),
    { title: "Total", width: 46, align: "right" },
  ];
  table(
    doc,
    columns,
    counts.map((entry) => [
      { text: entry.name, bold: true },
      ...VERDICT_ORDER.map(
        (verdict): Block =>
          entry.counts[verdict] > 0
            ? {
                text: String(entry.counts[verdict]),
                tone: VERDICT_STYLE[verdict].tone,
                bold: true,
              }
            : { text: "0", color: MUTED },
      ),
      { text: String(entry.total), bold: true },
    ]),
    { caption: "At a glance" },
  );
  if (counts.length === 0) paragraph(doc, "No standard applies to this scope.", { size: 10 });
}

function standardsApplied(doc: Doc, header: ExportHeader): void {
  heading(doc, "Standards applied", 14);
  for (const standard of header.standards) {
    ensureRoom(doc, 50);
    paragraph(doc, `${standard.title} (v${standard.version})`, { size: 10, bold: true });
    paragraph(
      doc,
      `${standard.authority}; in force ${standard.effectiveFrom ?? "(draft)"} to ${standard.effectiveTo ?? "now"}; sources last verified ${standard.lastVerified}`,
      { size: 9, color: MUTED },
    );
    for (const citation of standard.citations) {
      paragraph(doc, `Citation: ${citationText(citation)}`, { size: 9 }, { indent: 10 });
    }
    space(doc, 5);
  }
  if (header.standards.length === 0)
    paragraph(doc, "No standard applies to this scope.", { size: 10 });
}

function summaryTable(
  doc: Doc,
  header: ExportHeader,
  practitioners: readonly ExportPractitioner[],
): void {
  heading(doc, "Summary", 14);
  const columns: Column[] = [
    { title: "Practitioner", width: 108 },
    { title: "Clinic", width: 92 },
    { title: "Standard", width: 130 },
    { title: "Verdict", width: 92 },
    { title: "Next lapse", width: 56 },
    { title: "Gaps", width: 34, align: "right" },
  ];
  table(
    doc,
    columns,
    practitioners.flatMap((practitioner) =>
      practitioner.evaluations.map((evaluation): Cell[] => [
        { text: practitioner.name, bold: true },
        practitioner.clinic ? practitioner.clinic.name : { text: "none", color: MUTED },
        standardName(header, evaluation.standardId, evaluation.standardVersion),
        verdictBlock(evaluation.verdict),
        evaluation.nextLapse?.on ?? "",
        String(evaluation.gaps.length),
      ]),
    ),
    { caption: "Summary" },
  );
  if (practitioners.length === 0) paragraph(doc, "No practitioner is in scope.", { size: 10 });
}

function requirementsTable(
  doc: Doc,
  practitioner: ExportPractitioner,
  evaluation: ExportEvaluation,
  caption: string,
): void {
  const records = new Map(practitioner.records.map((record) => [record.recordId, record]));
  const columns: Column[] = [
    { title: "Requirement", width: 178 },
    { title: "State", width: 84 },
    { title: "Progress", width: 84 },
    { title: "Evidence counted", width: 166 },
  ];
  table(
    doc,
    columns,
    evaluation.requirements.map((requirement): Cell[] => {
      const state = requirementState(requirement);
      const progress: Block[] = [
        { text: `${amount(requirement.have)} of ${amount(requirement.need)} ${requirement.unit}` },
      ];
      if (requirement.validUntil) {
        progress.push({ text: `valid until ${requirement.validUntil}`, size: 7.5, color: MUTED });
      }
      if (state.detail) progress.push({ text: state.detail, size: 7.5 });
      const about: Block[] = [
        { text: requirement.title, bold: true },
        // The citation's address is listed once, under "Standards applied".
        { text: requirement.citation.text, size: 7.5, color: MUTED },
      ];
      if (requirement.gap) {
        about.push({ text: [{ text: "Gap: ", bold: true }, { text: requirement.gap }], size: 8 });
      }
      const evidence: Block[] =
        requirement.evidence.length === 0
          ? [{ text: "none counted", color: MUTED }]
          : requirement.evidence.map((item) => {
              const record = records.get(item.recordId);
              const parts = [
                item.completedOn,
                item.title,
                ...(item.version !== null ? [`version ${item.version}`] : []),
                ...(item.amount ? [`${amount(item.amount)} counted`] : []),
                ...(record ? [record.status] : []),
              ];
              return { text: parts.join(" · ") };
            });
      return [about, state.chip, progress, evidence];
    }),
    { caption },
  );
}

function practitionerSection(
  doc: Doc,
  header: ExportHeader,
  practitioner: ExportPractitioner,
): void {
  doc.addPage();
  heading(doc, practitioner.name, 18);
  labelled(
    doc,
    "Clinic",
    practitioner.clinic
      ? `${practitioner.clinic.name} (${practitioner.clinic.jurisdiction})`
      : "none",
  );
  labelled(
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
  space(doc, 8);
  for (const evaluation of practitioner.evaluations) {
    const name = standardName(header, evaluation.standardId, evaluation.standardVersion);
    heading(doc, name, 12);
    const chip = layoutCell(doc, verdictBlock(evaluation.verdict, 10), contentWidth(doc), true);
    const chipHeight = chip.reduce((sum, block) => sum + block.height, 0);
    ensureRoom(doc, chipHeight);
    drawCell(doc, chip, MARGIN, doc.y, contentWidth(doc), "left");
    doc.y += chipHeight + 3;
    paragraph(doc, evaluation.summary, { size: 9.5 });
    if (evaluation.nextLapse) {
      paragraph(doc, `Next lapse: ${evaluation.nextLapse.on} (${evaluation.nextLapse.title})`, {
        size: 9.5,
      });
    }
    for (const warning of evaluation.warnings) {
      paragraph(doc, `Note: ${warning}`, { size: 9, color: MUTED });
    }
    space(doc, 4);
    requirementsTable(doc, practitioner, evaluation, `${practitioner.name}: ${name}`);
    space(doc, 6);
  }
  if (practitioner.evaluations.length === 0) {
    paragraph(doc, "No standard in scope applies.", { size: 10 });
  }
}

/** The audit report for a whole export. */
export function auditReportPdf(
  header: ExportHeader,
  practitioners: AnyIterable<ExportPractitioner>,
): Readable {
  const doc = newDoc("Compliance audit report", header);
  return produce(doc, async () => {
    // The counts and the summary precede the sections but need every practitioner.
    const kept: ExportPractitioner[] = [];
    for await (const practitioner of practitioners) kept.push(practitioner);
    paragraph(doc, "Compliance audit report", { size: 22, bold: true }, { after: 4 });
    paragraph(doc, `${header.organization.name}: ${header.scopeLabel}`, { size: 12 });
    paragraph(doc, `Compliance as of ${header.scope.asOf}`, { size: 12 }, { after: 10 });
    headline(doc, header, kept);
    space(doc, 4);
    scopeLines(doc, header);
    space(doc, 10);
    standardsApplied(doc, header);
    space(doc, 6);
    summaryTable(doc, header, kept);
    for (const practitioner of kept) practitionerSection(doc, header, practitioner);
    numberPages(doc, `${header.organization.name}: audit report as of ${header.scope.asOf}`);
  });
}

// ---------------------------------------------------------------------------------------------
// The CE transcript
// ---------------------------------------------------------------------------------------------

function hoursText(record: ExportRecord): string {
  if (!record.hours) return "";
  const total = record.hours.theory + record.hours.practical + record.hours.online;
  return record.hours.online > 0
    ? `${amount(total)} (${amount(record.hours.online)} online)`
    : amount(total);
}

const STATUS_TONES: Record<ExportRecord["status"], Tone> = {
  verified: "good",
  pending: "info",
  rejected: "bad",
  withdrawn: "neutral",
};

/** One practitioner's CE transcript: every training record on file as of the export. */
export function transcriptPdf(header: ExportHeader, practitioner: ExportPractitioner): Readable {
  const doc = newDoc(`CE transcript: ${practitioner.name}`, header);
  return produce(doc, async () => {
    paragraph(doc, "Continuing education transcript", { size: 20, bold: true }, { after: 3 });
    paragraph(doc, practitioner.name, { size: 13 }, { after: 6 });
    if (practitioner.clinic) {
      labelled(doc, "Clinic", `${practitioner.clinic.name} (${practitioner.clinic.jurisdiction})`);
    }
    scopeLines(doc, header);
    space(doc, 12);
    const columns: Column[] = [
      { title: "Completed", width: 58 },
      { title: "Kind", width: 66 },
      { title: "Title", width: 180 },
      { title: "Provider", width: 86 },
      { title: "Hours", width: 70, align: "right" },
      { title: "Status", width: 52 },
    ];
    table(
      doc,
      columns,
      practitioner.records.map((record): Cell[] => [
        record.completedOn,
        RECORD_KIND_LABELS[record.kind],
        record.title,
        record.provider ?? "",
        hoursText(record),
        { text: record.status, tone: STATUS_TONES[record.status] },
      ]),
      { caption: `Transcript of ${practitioner.name}` },
    );
    if (practitioner.records.length === 0) {
      paragraph(doc, "No training record is on file.", { size: 10 });
    }
    const verified = practitioner.records.filter((record) => record.status === "verified");
    const hours = verified.reduce(
      (sum, record) =>
        sum +
        (record.hours ? record.hours.theory + record.hours.practical + record.hours.online : 0),
      0,
    );
    paragraph(
      doc,
      `Verified hours on file: ${amount(hours)} across ${verified.length} verified records`,
      { size: 10, bold: true },
    );
    numberPages(doc, `${practitioner.name}: transcript as of ${header.scope.asOf}`);
  });
}
