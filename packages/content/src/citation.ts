/**
 * Citations in one consistent, APA-like style (after APA 7th edition for books):
 *
 *   Family, G. I., Family, G., & Family, G. (Year). *Title: Subtitle* (Edition, pages). Publisher. URL
 *
 * - Authors are "Family, Initials." joined by commas, the last preceded by "&"; when the work
 *   lists more authors than recorded (`etAl`) the list ends ", et al." and has no "&".
 * - A work with no named author starts with its title, followed by the year.
 * - Titles keep the capitalization they were entered with (sentence-casing proper nouns such
 *   as "Fascia" or "Ruminant" automatically is unreliable), and are set in italics.
 * - In-text: (Family, Year), (Family & Family, Year), (Family et al., Year) for three or more.
 *
 * Pure: no I/O, no clock. The parts carry emphasis so a page can italicize the title.
 */
import type { CitedStudy, LiteratureReference, PersonName } from "@dn/schema";

export interface CitationPart {
  text: string;
  italic: boolean;
}

export interface Citation {
  /** The citation as runs of text, the title italic. */
  parts: CitationPart[];
  /** The same citation as plain text. */
  text: string;
}

export type CitableReference = Pick<
  LiteratureReference,
  "authors" | "etAl" | "year" | "workTitle" | "subtitle" | "edition" | "pages" | "publisher" | "url"
>;

/** "César" -> "C.", "Terri M." -> "T. M.", "Jean-Pierre" -> "J.-P.", "A. Lee" -> "A. L." */
export function initialsOf(given: string): string {
  return given
    .trim()
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) =>
      word
        .split("-")
        .filter((part) => part.length > 0)
        .map((part) => `${Array.from(part)[0]?.toUpperCase() ?? ""}.`)
        .join("-"),
    )
    .join(" ");
}

/** "Dommerholt, J." */
export function formatPersonName(name: PersonName): string {
  return name.given ? `${name.family}, ${initialsOf(name.given)}` : name.family;
}

/** The author list of a reference list entry. */
export function formatAuthorList(authors: readonly PersonName[], etAl: boolean): string {
  const names = authors.map(formatPersonName);
  if (names.length === 0) return "";
  if (etAl) return `${names.join(", ")}, et al.`;
  if (names.length === 1) return names[0] ?? "";
  if (names.length === 2) return `${names[0]}, & ${names[1]}`;
  return `${names.slice(0, -1).join(", ")}, & ${names[names.length - 1]}`;
}

/** Adds a full stop unless the text already ends in one (or in ? or !). */
function withStop(text: string): string {
  return /[.?!]$/.test(text) ? text : `${text}.`;
}

function titleOf(reference: CitableReference): string {
  return reference.subtitle ? `${reference.workTitle}: ${reference.subtitle}` : reference.workTitle;
}

function detailsOf(reference: CitableReference): string | null {
  const details = [reference.edition, reference.pages].filter(
    (value): value is string => value !== null && value !== "",
  );
  return details.length > 0 ? `(${details.join(", ")})` : null;
}

/** The reference-list entry for a work. */
export function formatCitation(reference: CitableReference): Citation {
  const parts: CitationPart[] = [];
  const plain = (text: string) => parts.push({ text, italic: false });
  const italic = (text: string) => parts.push({ text, italic: true });
  const title = titleOf(reference);
  const details = detailsOf(reference);
  const authors = formatAuthorList(reference.authors, reference.etAl);

  if (authors) {
    plain(`${withStop(authors)} (${reference.year}). `);
    if (details) {
      italic(title);
      plain(` ${details}. `);
    } else {
      italic(withStop(title));
      plain(" ");
    }
  } else {
    // No author: the title takes the author's place.
    if (details) {
      italic(title);
      plain(` ${details}. (${reference.year}). `);
    } else {
      italic(withStop(title));
      plain(` (${reference.year}). `);
    }
  }
  plain(withStop(reference.publisher));
  if (reference.url) plain(` ${reference.url}`);

  const merged = mergeParts(parts);
  return { parts: merged, text: merged.map((part) => part.text).join("") };
}

function mergeParts(parts: CitationPart[]): CitationPart[] {
  const merged: CitationPart[] = [];
  for (const part of parts) {
    const last = merged[merged.length - 1];
    if (last && last.italic === part.italic) last.text += part.text;
    else merged.push({ ...part });
  }
  return merged;
}

/** The in-text citation: "(Dommerholt & Fernández de las Peñas, 2013)", "(Schleip et al., 2013)". */
export function formatInTextCitation(reference: CitableReference): string {
  const families = reference.authors.map((author) => author.family);
  const [first, second] = families;
  let who: string;
  if (first === undefined) who = reference.workTitle;
  else if (reference.etAl || families.length >= 3) who = `${first} et al.`;
  else if (second !== undefined) who = `${first} & ${second}`;
  else who = first;
  return `(${who}, ${reference.year})`;
}

/** A study a work cites, as cited: "Gunn et al. (1980). Title." */
export function formatCitedStudy(study: CitedStudy): string {
  const head = `${study.authors} (${study.year})`;
  return study.title ? `${head}. ${withStop(study.title)}` : head;
}
