/**
 * The columns of each CSV import, described once: the importer reads the header against
 * `IMPORT_COLUMNS` and treats `OPTIONAL_IMPORT_COLUMNS` as optional, and the downloadable
 * template (`importTemplateCsv`), `dn import template` and the README describe the same list.
 * Each column has an example value (typed by the column list, so a new column without one does
 * not compile); the two example rows belong together: the completion is for the roster's license.
 * Pure: no database, no clock (the admin app imports it through `@dn/api/import-template`).
 */
import {
  COMPLETION_COLUMNS,
  type ImportKind,
  JURISDICTIONS,
  type Jurisdiction,
  ROSTER_COLUMNS,
} from "@dn/schema";

export const IMPORT_COLUMNS = {
  roster: ROSTER_COLUMNS,
  completions: COMPLETION_COLUMNS,
} as const satisfies Record<ImportKind, readonly string[]>;

/** Columns the header may leave out and a row may leave empty. */
export const OPTIONAL_IMPORT_COLUMNS: ReadonlySet<string> = new Set(["license_expires"]);

/** Columns holding a US state: `MD`, `md`, ` MD ` and `US-MD` all mean US-MD. */
export const JURISDICTION_IMPORT_COLUMNS: ReadonlySet<string> = new Set(["license_state", "state"]);

export interface ImportColumn {
  name: string;
  required: boolean;
  description: string;
  example: string;
}

type Described<C extends readonly string[]> = Record<
  C[number],
  { description: string; example: string }
>;

const ROSTER: Described<typeof ROSTER_COLUMNS> = {
  name: { description: "full name, at most 200 characters", example: "Ana Reyes" },
  email: { description: "email address; one practitioner per email", example: "ana@example.com" },
  profession: { description: "PT or PTA", example: "PT" },
  clinic: {
    description: "the name of one of the organization's clinics (case does not matter)",
    example: "Harbor Baltimore",
  },
  license_state: {
    description: "the licensing state: two letters (MD) or ISO 3166-2 (US-MD)",
    example: "MD",
  },
  license_number: { description: "the license number, at most 50 characters", example: "PT12345" },
  license_issued: {
    description: "date issued, YYYY-MM-DD, not in the future",
    example: "2019-05-01",
  },
  license_expires: {
    description: "expiry date, YYYY-MM-DD, not before license_issued; empty if none",
    example: "2027-05-31",
  },
};

const COMPLETIONS: Described<typeof COMPLETION_COLUMNS> = {
  license_number: {
    description: "the license number of a practitioner of the organization",
    example: ROSTER.license_number.example,
  },
  state: {
    description: "the state of that license: two letters (MD) or ISO 3166-2 (US-MD)",
    example: ROSTER.license_state.example,
  },
  course_id: { description: "the provider's course id, at most 100 characters", example: "DN-101" },
  completion_date: {
    description: "date completed, YYYY-MM-DD, not in the future",
    example: "2025-03-14",
  },
  hours: { description: "hours, more than 0 and at most 5000", example: "27" },
  subject_area: {
    description: "what the course covered (dry needling courses become DN course records)",
    example: "Dry needling level 1",
  },
};

const DESCRIBED: { [K in ImportKind]: Described<(typeof IMPORT_COLUMNS)[K]> } = {
  roster: ROSTER,
  completions: COMPLETIONS,
};

/** The columns of `kind` in the order the template writes them, with what each holds. */
export function importColumns(kind: ImportKind): ImportColumn[] {
  const described = DESCRIBED[kind] as Record<string, { description: string; example: string }>;
  return IMPORT_COLUMNS[kind].map((name) => ({
    name,
    required: !OPTIONAL_IMPORT_COLUMNS.has(name),
    description: described[name]?.description ?? "",
    example: described[name]?.example ?? "",
  }));
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The template of `kind`: the header row and one example row, CRLF-terminated (RFC 4180). */
export function importTemplateCsv(kind: ImportKind): string {
  const columns = importColumns(kind);
  const header = columns.map((c) => c.name).join(",");
  const example = columns.map((c) => csvCell(c.example)).join(",");
  return `${header}\r\n${example}\r\n`;
}

/** The download name of the template of `kind`. */
export function importTemplateFileName(kind: ImportKind): string {
  return `${kind}.csv`;
}

/**
 * A state as written in an import (`MD`, `md`, ` us-md `) as its ISO 3166-2 code, or null when
 * it names no jurisdiction. An empty cell stays empty (the row schema reports it as missing).
 */
export function normalizeImportJurisdiction(value: string): Jurisdiction | "" | null {
  const code = value.trim().toUpperCase();
  if (code === "") return "";
  const iso = /^[A-Z]{2}$/.test(code) ? `US-${code}` : code;
  return iso in JURISDICTIONS ? (iso as Jurisdiction) : null;
}
