import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import {
  describeIssues,
  type IsoDate,
  type SchemaProblem,
  type StandardDocument,
  StandardDocumentSchema,
  selectVersion,
} from "@dn/schema";
import { parseDocument } from "yaml";

/** The folder holding the pack's documents, one version per `.yaml`/`.json` file. */
export const STANDARDS_DIR = fileURLToPath(new URL("../standards/", import.meta.url));

/** A standard document that failed to parse or validate, with one problem per field. */
export class StandardValidationError extends Error {
  constructor(
    readonly source: string,
    readonly problems: SchemaProblem[],
  ) {
    super(
      `${source} is not a valid standard document:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`,
    );
    this.name = "StandardValidationError";
  }
}

/**
 * Parses one standard document written as YAML or JSON (JSON is YAML), and validates it.
 * `source` names the file in error messages. Throws StandardValidationError.
 */
export function parseStandardSource(text: string, source = "(standard)"): StandardDocument {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new StandardValidationError(
      source,
      document.errors.map((error) => ({
        path: "(syntax)",
        message: error.message.split("\n")[0] ?? error.message,
      })),
    );
  }
  const result = StandardDocumentSchema.safeParse(document.toJS());
  if (!result.success) throw new StandardValidationError(source, describeIssues(result.error));
  return result.data;
}

/** Reads and validates one standard file from disk. */
export function readStandardFile(path: string): StandardDocument {
  return parseStandardSource(readFileSync(path, "utf8"), path);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path);
      return /\.(ya?ml|json)$/.test(entry.name) ? [path] : [];
    })
    .sort();
}

export interface PackEntry {
  /** The file, relative to the standards folder, e.g. `state-dn/us-fl-dn.v1.yaml`. */
  file: string;
  standard: StandardDocument;
}

/** Reads every document of the pack (all versions, drafts included) with its file. */
export function loadStandardsPackEntries(dir: string = STANDARDS_DIR): PackEntry[] {
  return listFiles(dir).map((path) => ({
    file: relative(dir, path),
    standard: readStandardFile(path),
  }));
}

/**
 * Reads and validates every document of the pack: all versions of every standard, drafts
 * included, sorted by id and version. Throws StandardValidationError on the first bad file.
 */
export function loadStandardsPack(dir: string = STANDARDS_DIR): StandardDocument[] {
  return loadStandardsPackEntries(dir)
    .map((entry) => entry.standard)
    .sort((a, b) => (a.id === b.id ? a.version - b.version : a.id < b.id ? -1 : 1));
}

/** The pack shipped with this package, read once at import. */
export const standardsPack: readonly StandardDocument[] = Object.freeze(loadStandardsPack());

/** Every version (drafts included) of one standard, oldest first. */
export function standardVersions(
  id: string,
  pack: readonly StandardDocument[] = standardsPack,
): StandardDocument[] {
  return pack.filter((standard) => standard.id === id);
}

/** The version of `id` in force on `asOf`, or undefined when none is (drafts never are). */
export function findStandard(
  id: string,
  asOf: IsoDate,
  pack: readonly StandardDocument[] = standardsPack,
): StandardDocument | undefined {
  return selectVersion(standardVersions(id, pack), asOf);
}

/** The distinct standard ids in the pack, sorted. */
export function listStandardIds(pack: readonly StandardDocument[] = standardsPack): string[] {
  return [...new Set(pack.map((standard) => standard.id))].sort();
}

/** The latest version of each standard that is in force on `asOf`. */
export function standardsInForce(
  asOf: IsoDate,
  pack: readonly StandardDocument[] = standardsPack,
): StandardDocument[] {
  return listStandardIds(pack)
    .map((id) => findStandard(id, asOf, pack))
    .filter((standard): standard is StandardDocument => standard !== undefined);
}
