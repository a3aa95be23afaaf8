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
