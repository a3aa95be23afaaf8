/**
 * The standard editor's text: a standard document written as YAML (or JSON, which is YAML),
 * parsed and validated with the same StandardDocumentSchema the API uses, each problem named by
 * its field path and, where the text has it, its line.
 */
import { type StandardDocument, StandardDocumentSchema } from "@dn/schema";
import { LineCounter, type Node, parseDocument, stringify } from "yaml";

export interface SourceProblem {
  /** The dotted path of the field, e.g. `requirements.0.citation.text`, or "(document)". */
  path: string;
  /** 1-based line in the text, when the field (or its nearest parent) is there. */
  line: number | null;
  message: string;
}

export type ParsedSource =
  | { ok: true; document: StandardDocument }
  | { ok: false; problems: SourceProblem[] };

/** A standard document as the YAML the editor starts from. */
export function standardToYaml(document: unknown): string {
  return stringify(document, { lineWidth: 0 });
}

type PathKey = string | number;

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: readonly PathKey[],
): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)) as
      | Node
      | null
      | undefined;
    if (node && typeof node === "object" && "range" in node && node.range) {
      return counter.linePos(node.range[0]).line;
    }
  }
  return null;
}

function joinPath(path: readonly PathKey[]): string {
  return path.length === 0 ? "(document)" : path.join(".");
}

/** Parses and validates the editor's text; never throws for bad input. */
export function parseStandardText(text: string): ParsedSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: "(syntax)",
        line: error.linePos?.[0]?.line ?? null,
        message: error.message.split("\n")[0] ?? error.message,
      })),
    };
  }
  const result = StandardDocumentSchema.safeParse(doc.toJS());
  if (result.success) return { ok: true, document: result.data };
  const problems: SourceProblem[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.filter(
      (key): key is PathKey => typeof key === "string" || typeof key === "number",
    );
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          path: joinPath([...path, key]),
          line: lineOf(doc, counter, [...path, key]),
          message: "is not a known field here",
        });
      }
    } else {
      problems.push({
        path: joinPath(path),
        line: lineOf(doc, counter, path),
        message: issue.message,
      });
    }
  }
  return { ok: false, problems };
}

/**
 * The API's field errors for `document.*` (from `standards.create`/`update`) as problems in the
 * editor's text.
 */
export function problemsFromApi(
  text: string,
  fieldErrors: Record<string, string[]>,
): SourceProblem[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  return Object.entries(fieldErrors).flatMap(([field, messages]) => {
    const path = field
      .replace(/^document\.?/, "")
      .split(".")
      .filter(Boolean)
      .map((key) => (/^\d+$/.test(key) ? Number(key) : key));
    return messages.map((message) => ({
      path: joinPath(path),
      line: lineOf(doc, counter, path),
      message,
    }));
  });
}

/** A new clinic policy to start from, in force from `today` (YYYY-MM-DD). */
export function newStandardTemplate(today: string): string {
  return `# A custom standard, written in YAML. Save creates version 1; each later save is a new version.
id: my-clinic-dn-policy
version: 1
title: My clinic's dry-needling policy
kind: clinic-policy
jurisdiction: null
authority: Clinical governance committee
status: permitted
effectiveFrom: ${today}
effectiveTo: null
citations:
  - text: Clinic policy manual, section 1
confidence: C1
lastVerified: ${today}
requirements:
  - id: training
    title: 27 hours of in-person DN training
    citation:
      text: Clinic policy manual, section 1.1
    kind: training-hours
    minTotal: 27
    minFaceToFace: 27
  - id: cpr
    title: CPR current
    citation:
      text: Clinic policy manual, section 1.2
    kind: credential-current
    credential: cpr
`;
}
