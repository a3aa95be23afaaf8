import type {
  Citation,
  Confidence,
  IsoDate,
  Jurisdiction,
  RecordKind,
  RequirementKind,
  StandardKind,
  StandardStatus,
} from "@dn/schema";

/** The verdict, in order of precedence (the first that applies wins). */
export const VERDICTS = [
  "not-permitted",
  "not-qualified",
  "pending-verification",
  "expiring",
  "qualified",
] as const;
export type Verdict = (typeof VERDICTS)[number];

export const VERDICT_LABELS: Record<Verdict, string> = {
  "not-permitted": "Not permitted",
  "not-qualified": "Not qualified",
  "pending-verification": "Pending verification",
  expiring: "Expiring",
  qualified: "Qualified",
};

export interface EvaluateOptions {
  /** The date of the evaluation: picks the version in force and ignores later completions. */
  asOf: IsoDate;
  /** An ISO instant: only record versions recorded by then are known. */
  knownAt?: string;
  /** Something lapsing within this many days makes a qualified verdict `expiring` (default 60). */
  horizonDays?: number;
}

/** Why a record did not count toward a requirement. */
export const EXCLUSION_REASONS = [
  "recorded-after-known-at",
  "completed-after-as-of",
  "rejected",
  "withdrawn",
  "not-verified",
  "online",
  "outside-window",
  "topic-not-covered",
  "not-passed",
  "wrong-exam-type",
  "other-jurisdiction",
  "expired",
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface RecordRef {
  recordId: string;
  version: number | null;
  kind: RecordKind;
  title: string;
  completedOn: IsoDate;
  /** Added by a what-if question, not on file. */
  hypothetical: boolean;
}

/** A record that counted, with what it contributed. */
export interface CountedRecord extends RecordRef {
  /** Hours or sessions counted from it (0 for records that count as a whole, e.g. an exam). */
  amount: number;
  /** Why part of it did not count, e.g. its online hours. */
  note: string | null;
}

/** A record that did not count, with the reason in words. */
export interface ExcludedRecord extends RecordRef {
  reason: ExclusionReason;
  message: string;
}

export interface Measure {
  label: string;
  have: number;
  need: number;
  unit:
    | "hours"
    | "sessions"
    | "years"
    | "topics"
    | "exams"
    | "filings"
    | "credentials"
    | "licenses";
}

/**
 * What a requirement's result is, in one word:
 * - `met`: satisfied on the evidence that counts, with nothing outstanding;
 * - `not-met`: not satisfied, and no open deadline lets it count for now;
 * - `due-on-track` / `due-behind`: counted as met for now (an open CE cycle, staged training, a
 *   filing window) on condition that the rest is done by `due.by`; on track or behind by the
 *   pace rule of {@link DueBy.pace}.
 */
export const REQUIREMENT_STATES = ["met", "not-met", "due-on-track", "due-behind"] as const;
export type RequirementState = (typeof REQUIREMENT_STATES)[number];

export const REQUIREMENT_STATE_LABELS: Record<RequirementState, string> = {
  met: "Met",
  "not-met": "Not met",
  "due-on-track": "Due, on track",
  "due-behind": "Due, behind",
};

/** One measure that is still short while a requirement is due. */
export interface Shortfall {
  label: string;
  /** How much is still needed: need − have. */
  remaining: number;
  unit: Measure["unit"];
  /**
   * How much the days left allow at the even pace of the whole period, rounded up to a whole
   * unit: ceil(need × daysLeft ÷ periodDays). The measure is on track when remaining ≤ this.
   */
  allowance: number;
}

/**
 * The deadline of a due requirement and the pace toward it.
 *
 * The pace rule: a requirement is on track when, for every measure still short, what is still
 * needed fits in the days left at the even pace the whole period asks for:
 * `remaining ≤ ceil(need × daysLeft ÷ periodDays)`. Otherwise it is behind. `periodDays` counts
 * the days from `from` to `by`, `daysLeft` the days from the evaluation date to `by`, both ends
 * included. A one-off action (a filing) is therefore on track until its deadline passes.
 */
export interface DueBy {
  /** The last day to finish. */
  by: IsoDate;
  /** The first day of the period the deadline closes (cycle start, first course, training done). */
  from: IsoDate;
  periodDays: number;
  daysLeft: number;
  /** What is still needed of the main measure (the one `have`/`need` show). */
  remaining: number;
  unit: Measure["unit"];
  /** Every measure still short, with what the days left allow. */
  shortfalls: Shortfall[];
  pace: "on-track" | "behind";
}

export interface RequirementResult {
  id: string;
  title: string;
  kind: RequirementKind;
  citation: Citation;
  confidence: Confidence;
  advisory: boolean;
  /** Met on the evidence that counts (verified evidence unless the requirement says otherwise). */
  met: boolean;
  /** Met if every pending record were verified. */
  metIfPendingVerified: boolean;
  /** Met for now, on condition of finishing by `validUntil` (staged training, open CE cycle). */
  provisional: boolean;
  /** The main measure, e.g. 12 of 40 face-to-face hours. */
  have: number;
  need: number;
  unit: Measure["unit"];
  /** Every measure the requirement checks (total, face-to-face, practical, ...). */
  measures: Measure[];
  counted: CountedRecord[];
  excluded: ExcludedRecord[];
  /** The last day this stays met without new evidence; null when it does not lapse. */
  validUntil: IsoDate | null;
  /** A manager-readable sentence: what counted, what did not and why. */
  explanation: string;
  /** What is missing, or null when nothing is. */
  gap: string | null;
  /** Met, not met, or due by a date and on track or behind (see {@link RequirementState}). */
  state: RequirementState;
  /** The deadline and pace when the state is due-on-track or due-behind; otherwise null. */
  due: DueBy | null;
  /**
   * The state in words, from the same numbers: "Met", "Not met", "Due by 2027-03-31: 20 more CE
   * hours this cycle in 396 days, behind (17 fit at the cycle's pace)".
   */
  stateLabel: string;
}

export interface Gap {
  requirementId: string;
  advisory: boolean;
  message: string;
}

export interface Lapse {
  /** The first day on which the requirement is no longer met. */
  on: IsoDate;
  requirementId: string;
  title: string;
}

export interface StandardRef {
  id: string;
  version: number;
  title: string;
  kind: StandardKind;
  jurisdiction: Jurisdiction | null;
  status: StandardStatus;
  draft: boolean;
  effectiveFrom: IsoDate | null;
  effectiveTo: IsoDate | null;
  confidence: Confidence;
  lastVerified: IsoDate;
  citations: Citation[];
}

export interface Evaluation {
  standard: StandardRef;
  practitioner: { id: string; name: string };
  asOf: IsoDate;
  knownAt: string | null;
  horizonDays: number;
  status: Verdict;
  /** One line for a list or a heading. */
  summary: string;
  requirements: RequirementResult[];
  /** The next date on which something that is met lapses, if any. */
  nextLapse: Lapse | null;
  gaps: Gap[];
  /** Caveats about the evaluation itself, e.g. a draft or a version not in force on asOf. */
  warnings: string[];
}
