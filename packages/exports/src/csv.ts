/**
 * CSV exports, streamed: rows are produced one practitioner at a time and written through
 * csv-stringify with back-pressure, so memory does not grow with the number of rows.
 */
import { pipeline, Readable } from "node:stream";
import type { ExportHeader } from "@dn/schema";
import { stringify } from "csv-stringify";
import {
  type AnyIterable,
  type EvaluatedPractitioner,
  evidenceRef,
  type SummarizedPractitioner,
} from "./model.ts";

export const SUMMARY_COLUMNS = [
  "practitioner_id",
  "practitioner_name",
  "profession",
  "clinic",
  "clinic_jurisdiction",
  "standard_id",
  "standard_version",
  "as_of",
  "verdict",
  "summary",
  "next_lapse_on",
  "next_lapse_requirement",
  "gap_count",
  "gaps",
  "due_requirements",
] as const;

export const DETAIL_COLUMNS = [
  "practitioner_id",
  "practitioner_name",
  "standard_id",
  "standard_version",
  "requirement_id",
  "requirement_title",
  "requirement_kind",
  "have",
  "need",
  "unit",
  "met",
  "advisory",
  "provisional",
  "valid_until",
  "gap",
  "citation",
  "citation_url",
  "evidence_ids",
  "state",
  "due_by",
  "days_left",
  "remaining",
  "pace",
  "state_label",
] as const;

export type SummaryRow = Record<(typeof SUMMARY_COLUMNS)[number], string | number>;
export type DetailRow = Record<(typeof DETAIL_COLUMNS)[number], string | number>;

const yesNo = (value: boolean) => (value ? "yes" : "no");

/** One row per practitioner and standard. */
export function summaryRowsOf(practitioner: SummarizedPractitioner, asOf: string): SummaryRow[] {
  return practitioner.evaluations.map((evaluation) => ({
    practitioner_id: practitioner.id,
    practitioner_name: practitioner.name,
    profession: practitioner.profession,
    clinic: practitioner.clinic?.name ?? "",
    clinic_jurisdiction: practitioner.clinic?.jurisdiction ?? "",
    standard_id: evaluation.standardId,
    standard_version: evaluation.standardVersion,
    as_of: asOf,
    verdict: evaluation.verdict,
    summary: evaluation.summary,
    next_lapse_on: evaluation.nextLapse?.on ?? "",
    next_lapse_requirement: evaluation.nextLapse?.requirementId ?? "",
    gap_count: evaluation.gaps.length,
    gaps: evaluation.gaps.map((gap) => `${gap.requirementId}: ${gap.message}`).join(" | "),
    due_requirements: evaluation.requirements
      .filter((requirement) => requirement.due !== null)
      .map((requirement) => `${requirement.id}: ${requirement.stateLabel}`)
      .join(" | "),
  }));
}

/** One row per requirement of each evaluation, with the evidence that counted. */
export function detailRowsOf(practitioner: EvaluatedPractitioner): DetailRow[] {
  return practitioner.evaluations.flatMap((evaluation) =>
    evaluation.requirements.map((requirement) => ({
      practitioner_id: practitioner.id,
      practitioner_name: practitioner.name,
      standard_id: evaluation.standardId,
      standard_version: evaluation.standardVersion,
      requirement_id: requirement.id,
      requirement_title: requirement.title,
      requirement_kind: requirement.kind,
      have: requirement.have,
      need: requirement.need,
      unit: requirement.unit,
      met: yesNo(requirement.met),
      advisory: yesNo(requirement.advisory),
      provisional: yesNo(requirement.provisional),
      valid_until: requirement.validUntil ?? "",
      gap: requirement.gap ?? "",
      citation: requirement.citation.text,
      citation_url: requirement.citation.url ?? "",
      evidence_ids: requirement.evidence.map(evidenceRef).join(";"),
      state: requirement.state,
      due_by: requirement.due?.by ?? "",
      days_left: requirement.due?.daysLeft ?? "",
      remaining: requirement.due?.remaining ?? "",
      pace: requirement.due?.pace ?? "",
      state_label: requirement.stateLabel,
    })),
  );
}

async function* flatRows<P, T>(
  practitioners: AnyIterable<P>,
  rowsOf: (practitioner: P) => T[],
): AsyncGenerator<T> {
  for await (const practitioner of practitioners) yield* rowsOf(practitioner);
}

function csvStream<T>(rows: AsyncIterable<T>, columns: readonly string[]): Readable {
  // escape_formulas: a cell a spreadsheet would run (=, +, -, @, tab, CR) starts with a quote.
  const stringifier = stringify({
    header: true,
    columns: [...columns],
    eof: true,
    escape_formulas: true,
  });
  // pipeline destroys the stringifier with the source's error, so readers see failures.
  pipeline(Readable.from(rows), stringifier, () => {});
  return stringifier;
}

/** The summary CSV as a byte stream (UTF-8, header row first, RFC 4180 quoting). */
export function summaryCsv(
  header: Pick<ExportHeader, "scope">,
  practitioners: AnyIterable<SummarizedPractitioner>,
): Readable {
  return csvStream(
    flatRows(practitioners, (p) => summaryRowsOf(p, header.scope.asOf)),
    SUMMARY_COLUMNS,
  );
}

/** The detail CSV as a byte stream. */
export function detailCsv(practitioners: AnyIterable<EvaluatedPractitioner>): Readable {
  return csvStream(flatRows(practitioners, detailRowsOf), DETAIL_COLUMNS);
}
