import type { Dossier, DossierLicense, DossierRecord, StandardDocument } from "@dn/schema";
import { evaluateWith } from "./evaluate.ts";
import type {
  EvaluateOptions,
  Evaluation,
  Measure,
  RequirementResult,
  RequirementState,
  Verdict,
} from "./types.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A record the practitioner is considering ("if I take this 27-hour in-person course"). It is
 * treated as verified and known; `completedOn` defaults to the evaluation date.
 */
export type HypotheticalRecord = DistributiveOmit<
  DossierRecord,
  "id" | "version" | "recordedAt" | "status" | "completedOn" | "provenance" | "reviewReason"
> & { id?: string; completedOn?: string };

export interface WhatIfOptions extends EvaluateOptions {
  /** Licenses the practitioner is considering, e.g. one in the state they may move to. */
  hypotheticalLicenses?: readonly DossierLicense[];
}

/**
 * One side of a change, taken whole from one requirement result, so the numbers, the state and
 * what is still missing cannot disagree ("27 of 30" is shown with "due by …, 3 more hours").
 */
export interface RequirementSide {
  met: boolean;
  have: number;
  need: number;
  state: RequirementState;
  stateLabel: string;
  /** The deadline when due (the result's `due.by`), else null. */
  dueBy: string | null;
  gap: string | null;
}

export interface RequirementChange {
  requirementId: string;
  title: string;
  before: RequirementSide;
  after: RequirementSide;
}

/** What one hypothetical record did for one requirement: counted (how much) or why not. */
export interface PlannedEffect {
  recordId: string;
  title: string;
  counted: boolean;
  /** Hours, sessions or topics counted (0 when not counted or counted as a whole). */
  amount: number;
  /** Why it did not count, or a note on what part did not. */
  message: string | null;
}

/** A requirement after the plan: its state and what the planned records did for it. */
export interface RequirementAfter {
  requirementId: string;
  title: string;
  advisory: boolean;
  state: RequirementState;
  stateLabel: string;
  have: number;
  need: number;
  unit: Measure["unit"];
  gap: string | null;
  planned: PlannedEffect[];
}

export interface WhatIf {
  before: Evaluation;
  after: Evaluation;
  statusChanged: boolean;
  changes: RequirementChange[];
  /** Every requirement after the plan, in the standard's order. */
  requirementsAfter: RequirementAfter[];
  /** Whether the plan leaves the practitioner qualified (or qualified but expiring). */
  qualifiesAfter: boolean;
  /** e.g. "Not qualified → Qualified". */
  summary: string;
}

export function sideOf(result: RequirementResult): RequirementSide {
  return {
    met: result.met,
    have: result.have,
    need: result.need,
    state: result.state,
    stateLabel: result.stateLabel,
    dueBy: result.due?.by ?? null,
    gap: result.gap,
  };
}

function plannedEffects(result: RequirementResult): PlannedEffect[] {
  return [
    ...result.counted
      .filter((c) => c.hypothetical)
      .map((c) => ({
        recordId: c.recordId,
        title: c.title,
        counted: true,
        amount: c.amount,
        message: c.note,
      })),
    ...result.excluded
      .filter((e) => e.hypothetical)
      .map((e) => ({
        recordId: e.recordId,
        title: e.title,
        counted: false,
        amount: 0,
        message: e.message,
      })),
  ];
}

function changed(before: RequirementResult, after: RequirementResult): boolean {
  return (
    before.met !== after.met ||
    before.state !== after.state ||
    before.have !== after.have ||
    before.measures.some((m, index) => m.have !== after.measures[index]?.have)
  );
}

const LABELS: Record<Verdict, string> = {
  "not-permitted": "not permitted",
  "not-qualified": "not qualified",
  "pending-verification": "pending verification",
  expiring: "expiring",
  qualified: "qualified",
};

/** Evaluates the dossier as it is and with hypothetical records (and licenses) added. */
export function whatIf(
  dossier: Dossier,
  standard: StandardDocument | readonly StandardDocument[],
  hypotheticalRecords: readonly HypotheticalRecord[],
  options: WhatIfOptions,
): WhatIf {
  const { hypotheticalLicenses, ...evaluateOptions } = options;
  const records = hypotheticalRecords.map(
    (record, index) =>
      ({
        ...record,
        id: record.id ?? `hypothetical-${index + 1}`,
        completedOn: record.completedOn ?? options.asOf,
        recordedAt: "1970-01-01T00:00:00.000Z",
        status: "verified",
        provenance: "self-reported",
      }) as DossierRecord,
  );
  const before = evaluateWith(dossier, standard, evaluateOptions);
  const after = evaluateWith(dossier, standard, evaluateOptions, {
    records,
    licenses: hypotheticalLicenses ?? [],
  });
  const changes: RequirementChange[] = [];
  after.requirements.forEach((r, index) => {
    const previous = before.requirements[index];
    if (!previous || !changed(previous, r)) return;
    changes.push({
      requirementId: r.id,
      title: r.title,
      before: sideOf(previous),
      after: sideOf(r),
    });
  });
  const requirementsAfter = after.requirements.map((r) => ({
    requirementId: r.id,
    title: r.title,
    advisory: r.advisory,
    state: r.state,
    stateLabel: r.stateLabel,
    have: r.have,
    need: r.need,
    unit: r.unit,
    gap: r.gap,
    planned: plannedEffects(r),
  }));
  const statusChanged = before.status !== after.status;
  return {
    before,
    after,
    statusChanged,
    changes,
    requirementsAfter,
    qualifiesAfter: after.status === "qualified" || after.status === "expiring",
    summary: statusChanged
      ? `${LABELS[before.status]} → ${LABELS[after.status]}: ${after.summary}`
      : `still ${LABELS[after.status]}: ${after.summary}`,
  };
}
