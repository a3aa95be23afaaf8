/**
 * Row types of the stored evaluations (migration 2026-12-02T0600-stored-evaluations), merged
 * into `Database` in database.ts (docs/decisions/057-stored-evaluations.md).
 */
import type { Generated, Selectable } from "kysely";

/** One per practitioner: whether their stored evaluations hold, and their summary. */
export interface EvaluationStateTable {
  practitionerId: string;
  organizationId: string;
  /**
   * The practitioner's clinic, always `practitioners.clinic_id`: written with the state and moved
   * with the practitioner (`updatePractitioner`), so a clinic's counts need no join.
   */
  clinicId: string;
  /** 0/1: an input changed since the evaluations were computed. */
  stale: Generated<number>;
  /** 0/1: on staff on `asOf` (an inactive practitioner has no stored evaluations). */
  active: number;
  /** The date (the clinic's today) the evaluations were computed as of. */
  asOf: string;
  /** The last date on which the stored verdicts still hold without any input changing. */
  validUntil: string;
  worst: string | null;
  /** VERDICT_RANK index of `worst` (0 = not permitted); 5 when no standard applies. */
  worstRank: number;
  /** 0/1: every applicable standard in force is met (qualified or expiring). */
  qualified: number;
  fingerprint: string;
  /** JSON array of the practitioner's dated deadlines (kind, due, title, standard, requirement). */
  deadlinesJson: Generated<string>;
  /** The earliest `due` in `deadlinesJson`, if any. */
  firstDue: string | null;
  /** Current record versions awaiting review (0 when inactive). */
  pendingRecords: number;
  /** Of those, how many have no evidence file. */
  pendingWithoutEvidence: number;
  /** When the oldest of them was recorded. */
  oldestPendingAt: string | null;
  evaluatedAt: string;
}

/** One per practitioner x applicable standard. */
export interface StoredEvaluationTable {
  practitionerId: string;
  standardId: string;
  organizationId: string;
  standardVersion: number;
  standardTitle: string;
  verdict: string;
  verdictRank: number;
  /** The engine's whole answer (`Evaluation`) as JSON. */
  evaluationJson: string;
  /**
   * What the summary CSV prints of it (`SummaryEvaluation` of @dn/exports) as JSON; null only
   * on rows written before the column existed, whose states the migration marked stale.
   */
  summaryJson: string | null;
  nextLapse: string | null;
  asOf: string;
  validUntil: string;
  fingerprint: string;
  evaluatedAt: string;
}

/**
 * What the active practitioners' stored rows say, counted as they are written: per clinic,
 * standard version and verdict, how many stored evaluations; with `standardId` '' (and version
 * 0), per clinic and worst verdict ('' when nothing applies), how many active practitioners
 * (`count`), how many of them are qualified, and their pending records. Always the sum over `evaluation_states` and
 * `stored_evaluations`: changed only in the transactions that change those (`saveEvaluations`,
 * `updatePractitioner`). A row whose count fell to 0 stays, and is not read.
 */
export interface VerdictTallyTable {
  organizationId: string;
  clinicId: string;
  standardId: string;
  standardVersion: number;
  verdict: string;
  /** The version's title ('' on practitioner rows). */
  standardTitle: string;
  count: number;
  qualified: number;
  /** On practitioner rows: the counted states' pending records, and those without evidence. */
  pendingRecords: number;
  pendingWithoutEvidence: number;
}

/**
 * How many deadlines the active practitioners' states list (`deadlinesJson`) per clinic and due
 * date: kept with the verdict tallies, by the same transactions.
 */
export interface DeadlineTallyTable {
  organizationId: string;
  clinicId: string;
  due: string;
  count: number;
}

/** A finished month's figures for one clinic, keyed by the standard versions in force then. */
export interface TrendMonthTable {
  organizationId: string;
  clinicId: string;
  /** YYYY-MM. */
  month: string;
  versionsKey: string;
  qualified: number;
  total: number;
  computedAt: string;
}

export interface EvaluationTables {
  evaluationStates: EvaluationStateTable;
  storedEvaluations: StoredEvaluationTable;
  trendMonths: TrendMonthTable;
  verdictTallies: VerdictTallyTable;
  deadlineTallies: DeadlineTallyTable;
}

export type EvaluationStateRow = Selectable<EvaluationStateTable>;
export type StoredEvaluationRow = Selectable<StoredEvaluationTable>;
