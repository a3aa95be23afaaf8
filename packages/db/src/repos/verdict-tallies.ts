/**
 * The verdict and deadline tallies (migrations 2026-12-04T0300 and 0500): what the active
 * practitioners' stored rows say, counted as they are written, so the dashboard and the staff
 * matrix read a few dozen rows at any size. Only the transactions that change evaluation states
 * or stored evaluations change them (`saveEvaluations`, `updatePractitioner`), each by the
 * difference it makes.
 */
import { sql } from "kysely";
import type { DeadlineTallyTable, VerdictTallyTable } from "../evaluation-tables.ts";
import { isPostgres } from "../migrate.ts";
import type { Db } from "./types.ts";

/** What a state contributes: counted only while its practitioner is active. */
export interface TalliedState {
  organizationId: string;
  clinicId: string;
  active: number;
  worst: string | null;
  qualified: number;
  pendingRecords: number;
  pendingWithoutEvidence: number;
  /** The state's dated deadlines (JSON array of objects with a `due` date). */
  deadlinesJson: string;
}

/** What a stored evaluation contributes, under its state's clinic. */
export interface TalliedEvaluation {
  standardId: string;
  standardVersion: number;
  standardTitle: string;
  verdict: string;
}

/** Rows per upsert: 8 values each, far below any variable limit. */
const ROWS_PER_STATEMENT = 100;

/** Changes to the tallies, summed by key, written in one pass in key order. */
export class TallyChanges {
  readonly #byKey = new Map<string, VerdictTallyTable>();
  readonly #deadlines = new Map<string, DeadlineTallyTable>();

  /** Counts (`sign` 1) or uncounts (-1) a state and the stored evaluations read under it. */
  add(state: TalliedState, evaluations: readonly TalliedEvaluation[], sign: 1 | -1): void {
    if (state.active !== 1) return;
    this.#bump({
      organizationId: state.organizationId,
      clinicId: state.clinicId,
      standardId: "",
      standardVersion: 0,
      verdict: state.worst ?? "",
      standardTitle: "",
      count: sign,
      qualified: sign * state.qualified,
      pendingRecords: sign * state.pendingRecords,
      pendingWithoutEvidence: sign * state.pendingWithoutEvidence,
    });
    for (const { due } of JSON.parse(state.deadlinesJson) as { due: string }[]) {
      const key = JSON.stringify([state.organizationId, state.clinicId, due]);
      const row = this.#deadlines.get(key);
      if (row) row.count += sign;
      else {
        this.#deadlines.set(key, {
          organizationId: state.organizationId,
          clinicId: state.clinicId,
          due,
          count: sign,
        });
      }
    }
    for (const e of evaluations) {
      this.#bump({
        organizationId: state.organizationId,
        clinicId: state.clinicId,
        standardId: e.standardId,
        standardVersion: e.standardVersion,
        verdict: e.verdict,
        standardTitle: e.standardTitle,
        count: sign,
        qualified: 0,
        pendingRecords: 0,
        pendingWithoutEvidence: 0,
      });
    }
  }

  #bump(change: VerdictTallyTable): void {
    const key = JSON.stringify([
      change.organizationId,
      change.clinicId,
      change.standardId,
      change.standardVersion,
      change.verdict,
    ]);
    const row = this.#byKey.get(key);
    if (!row) {
      this.#byKey.set(key, change);
      return;
    }
    row.count += change.count;
    row.qualified += change.qualified;
    row.pendingRecords += change.pendingRecords;
    row.pendingWithoutEvidence += change.pendingWithoutEvidence;
    if (change.standardTitle && change.count > 0) row.standardTitle = change.standardTitle;
  }

  /**
   * Adds the changes to the stored tallies, in key order: two transactions that change the same
   * tallies on PostgreSQL take their row locks in the same order, so they wait instead of
   * deadlocking.
   */
  async write(db: Db): Promise<void> {
    const rows = inKeyOrder(
      this.#byKey,
      (row) =>
        row.count !== 0 ||
        row.qualified !== 0 ||
        row.pendingRecords !== 0 ||
        row.pendingWithoutEvidence !== 0,
    );
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await db
        .insertInto("verdictTallies")
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .onConflict((oc) =>
          oc
            .columns(["organizationId", "clinicId", "standardId", "standardVersion", "verdict"])
            .doUpdateSet({
              count: sql`verdict_tallies.count + excluded.count`,
              qualified: sql`verdict_tallies.qualified + excluded.qualified`,
              pendingRecords: sql`verdict_tallies.pending_records + excluded.pending_records`,
              pendingWithoutEvidence: sql`verdict_tallies.pending_without_evidence
                + excluded.pending_without_evidence`,
              // A version's title, kept from whichever write counted it in.
              standardTitle: sql`case when excluded.count > 0 then excluded.standard_title
                else verdict_tallies.standard_title end`,
            }),
        )
        .execute();
    }
    const deadlines = inKeyOrder(this.#deadlines, (row) => row.count !== 0);
    for (let i = 0; i < deadlines.length; i += ROWS_PER_STATEMENT) {
      await db
        .insertInto("deadlineTallies")
        .values(deadlines.slice(i, i + ROWS_PER_STATEMENT))
        .onConflict((oc) =>
          oc
            .columns(["organizationId", "clinicId", "due"])
            .doUpdateSet({ count: sql`deadline_tallies.count + excluded.count` }),
        )
        .execute();
    }
    this.#byKey.clear();
    this.#deadlines.clear();
  }
}

/** The rows that change something, in the order of their keys. */
function inKeyOrder<T>(byKey: ReadonlyMap<string, T>, changes: (row: T) => boolean): T[] {
  return [...byKey.entries()]
    .filter(([, row]) => changes(row))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

/**
 * The states of `practitionerIds` as they are before a change, locked on PostgreSQL until the
 * transaction ends (in id order), so what is uncounted is what was counted. SQLite's writer
 * holds the database from the transaction's start (BEGIN IMMEDIATE).
 */
export async function readTalliedStates(
  db: Db,
  practitionerIds: readonly string[],
): Promise<Map<string, TalliedState>> {
  const result = new Map<string, TalliedState>();
  if (practitionerIds.length === 0) return result;
  let query = db
    .selectFrom("evaluationStates")
    .select([
      "practitionerId",
      "organizationId",
      "clinicId",
      "active",
      "worst",
      "qualified",
      "pendingRecords",
      "pendingWithoutEvidence",
      "deadlinesJson",
    ])
    .where("practitionerId", "in", practitionerIds)
    .orderBy("practitionerId");
  if (isPostgres(db)) query = query.forUpdate();
  for (const row of await query.execute()) result.set(row.practitionerId, row);
  return result;
}
