/**
 * The export model: pure mappings from the engine's evaluations and a dossier into the
 * `dn-compliance-export` v1 shapes of @dn/schema. No I/O, no clock.
 */
import type { Evaluation } from "@dn/compliance";
import type {
  Dossier,
  DossierRecord,
  ExportEvaluation,
  ExportPractitioner,
  ExportRecord,
  ExportStandard,
  Jurisdiction,
  StandardDocument,
} from "@dn/schema";

export function toExportStandard(standard: StandardDocument): ExportStandard {
  return {
    id: standard.id,
    version: standard.version,
    title: standard.title,
    kind: standard.kind,
    jurisdiction: standard.jurisdiction,
    authority: standard.authority,
    effectiveFrom: standard.effectiveFrom,
    effectiveTo: standard.effectiveTo,
    confidence: standard.confidence,
    lastVerified: standard.lastVerified,
    citations: standard.citations.map((citation) => ({ ...citation })),
  };
}

export function toExportEvaluation(evaluation: Evaluation): ExportEvaluation {
  return {
    standardId: evaluation.standard.id,
    standardVersion: evaluation.standard.version,
    verdict: evaluation.status,
    summary: evaluation.summary,
    nextLapse: evaluation.nextLapse ? { ...evaluation.nextLapse } : null,
    gaps: evaluation.gaps.map((gap) => ({ ...gap })),
    warnings: [...evaluation.warnings],
    requirements: evaluation.requirements.map((requirement) => ({
      id: requirement.id,
      title: requirement.title,
      kind: requirement.kind,
      citation: { ...requirement.citation },
      met: requirement.met,
      advisory: requirement.advisory,
      provisional: requirement.provisional,
      have: requirement.have,
      need: requirement.need,
      unit: requirement.unit,
      validUntil: requirement.validUntil,
      gap: requirement.gap,
      explanation: requirement.explanation,
      evidence: requirement.counted
        .filter((counted) => !counted.hypothetical)
        .map((counted) => ({
          recordId: counted.recordId,
          version: counted.version,
          kind: counted.kind,
          title: counted.title,
          completedOn: counted.completedOn,
          amount: counted.amount,
          note: counted.note,
        })),
      state: requirement.state,
      due: requirement.due
        ? {
            ...requirement.due,
            shortfalls: requirement.due.shortfalls.map((shortfall) => ({ ...shortfall })),
          }
        : null,
      stateLabel: requirement.stateLabel,
    })),
  };
}

function hoursOf(record: DossierRecord): ExportRecord["hours"] {
  return record.kind === "dn-course" || record.kind === "ce-activity"
    ? {
        theory: record.hours.theory ?? 0,
        practical: record.hours.practical ?? 0,
        online: record.hours.online ?? 0,
      }
    : null;
}

/**
 * Each record as known at `knownAt` (its latest version recorded by then), completed by `asOf`,
 * in completion order: the transcript and the evidence list of an export.
 */
export function recordsKnownAt(
  dossier: Dossier,
  options: { asOf: string; knownAt?: string | null },
): ExportRecord[] {
  const knownAtMs = options.knownAt ? Date.parse(options.knownAt) : null;
  const latest = new Map<string, DossierRecord>();
  for (const record of dossier.records) {
    if (knownAtMs !== null && Date.parse(record.recordedAt) > knownAtMs) continue;
    const seen = latest.get(record.id);
    if (!seen || (record.version ?? 0) > (seen.version ?? 0)) latest.set(record.id, record);
  }
  return [...latest.values()]
    .filter((record) => record.completedOn <= options.asOf)
    .sort((a, b) =>
      a.completedOn === b.completedOn
        ? a.id.localeCompare(b.id)
        : a.completedOn.localeCompare(b.completedOn),
    )
    .map((record) => ({
      recordId: record.id,
      version: record.version ?? null,
      kind: record.kind,
      title: record.title,
      provider: record.provider ?? null,
      completedOn: record.completedOn,
      status: record.status,
      hours: hoursOf(record),
      recordedAt: record.recordedAt,
    }));
}

export interface ToExportPractitionerInput {
  dossier: Dossier;
  clinic: { id: string; name: string; jurisdiction: Jurisdiction } | null;
  evaluations: readonly Evaluation[];
  asOf: string;
  knownAt?: string | null;
}

/** What the CSV files hold of a practitioner: who, where and each evaluation. */
export type EvaluatedPractitioner = Pick<
  ExportPractitioner,
  "id" | "name" | "profession" | "clinic" | "evaluations"
>;

type ExportRequirement = ExportEvaluation["requirements"][number];

/**
 * What the summary CSV prints of an evaluation. Stored beside the whole answer (decision 058),
 * so a summary export reads a few hundred bytes per answer; any `ExportEvaluation` is one.
 */
export interface SummaryEvaluation
  extends Pick<
    ExportEvaluation,
    "standardId" | "standardVersion" | "verdict" | "summary" | "nextLapse"
  > {
  gaps: Pick<ExportEvaluation["gaps"][number], "requirementId" | "message">[];
  /** The requirements with a deadline (`due`): the others print nothing in the summary. */
  requirements: Pick<ExportRequirement, "id" | "stateLabel" | "due">[];
}

/** A practitioner as the summary CSV reads one: an `EvaluatedPractitioner` is one. */
export interface SummarizedPractitioner extends Omit<EvaluatedPractitioner, "evaluations"> {
  evaluations: SummaryEvaluation[];
}

/** The summary CSV's part of an evaluation, as stored: the same cells, fewer bytes. */
export function toSummaryEvaluation(evaluation: ExportEvaluation): SummaryEvaluation {
  return {
    standardId: evaluation.standardId,
    standardVersion: evaluation.standardVersion,
    verdict: evaluation.verdict,
    summary: evaluation.summary,
    nextLapse: evaluation.nextLapse,
    gaps: evaluation.gaps.map(({ requirementId, message }) => ({ requirementId, message })),
    requirements: evaluation.requirements
      .filter((requirement) => requirement.due !== null)
      .map(({ id, stateLabel, due }) => ({ id, stateLabel, due })),
  };
}

/** One practitioner's part of an export: who, where, each evaluation, the records on file. */
export function toExportPractitioner(input: ToExportPractitionerInput): ExportPractitioner {
  const { dossier } = input;
  return {
    id: dossier.practitioner.id,
    name: dossier.practitioner.name,
    profession: dossier.practitioner.profession,
    clinic: input.clinic ? { ...input.clinic } : null,
    licenses: dossier.licenses.map((license) => ({
      jurisdiction: license.jurisdiction,
      number: license.number,
      expiresOn: license.expiresOn ?? null,
      status: license.status,
    })),
    evaluations: input.evaluations.map(toExportEvaluation),
    records: recordsKnownAt(dossier, { asOf: input.asOf, knownAt: input.knownAt ?? null }),
  };
}

/** `recordId@vN` for an evidence reference: unambiguous across corrections. */
export function evidenceRef(evidence: { recordId: string; version: number | null }): string {
  return evidence.version === null
    ? evidence.recordId
    : `${evidence.recordId}@v${evidence.version}`;
}

/** Verdict words for readers (CSV, PDF). */
export const VERDICT_WORDS: Record<ExportEvaluation["verdict"], string> = {
  "not-permitted": "Not permitted",
  "not-qualified": "Not qualified",
  "pending-verification": "Pending verification",
  expiring: "Expiring",
  qualified: "Qualified",
};

/** Anything that can be iterated, synchronously or not. */
export type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;

/** A source of the practitioners of an export that can be read more than once (one per file). */
export type PractitionerSource = () => AnyIterable<ExportPractitioner>;
