/**
 * Stored evaluations (docs/decisions/057-stored-evaluations.md): one state row per practitioner
 * and one evaluation row per practitioner x applicable standard, kept current by marking them
 * stale in the transaction of every change that can alter a verdict, and recomputed by
 * `reevaluateStale` (@dn/api) or on read. No query here lists every practitioner's id: scopes are
 * an organization plus (few) clinics, and the only id lists are a batch's or a page's.
 */
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { EvaluationStateRow, StoredEvaluationRow } from "../evaluation-tables.ts";
import { bulkInsert } from "./bulk-insert.ts";
import {
  afterKey,
  containsPattern,
  decodeCursor,
  InvalidCursorError,
  type Page,
  toPage,
} from "./cursor.ts";
import { type Db, equalsWithoutIndex, inClinics } from "./types.ts";
import {
  readTalliedStates,
  type TalliedEvaluation,
  type TalliedState,
  TallyChanges,
} from "./verdict-tallies.ts";

/** Ids per statement when a list is bounded by a batch, far below any variable limit. */
const CHUNK = 500;

export type StaleTarget =
  | { organizationId: string; practitionerIds: readonly string[] }
  | { organizationId: string; clinicId: string }
  | { organizationId: string; all: true };

/**
 * Marks the stored evaluations of some (or all) of an organization's practitioners stale. Call
 * it with the transaction of the change, so a rollback leaves nothing marked. A practitioner with
 * no state row yet is computed on the next read anyway. Each mark adds 1 to `stale`, so a
 * recomputation that read its inputs before the mark does not clear it (see `saveEvaluations`).
 */
export async function markEvaluationsStale(db: Db, target: StaleTarget): Promise<void> {
  const bump = { stale: sql<number>`stale + 1` };
  if ("all" in target) {
    await db
      .updateTable("evaluationStates")
      .set(bump)
      .where("organizationId", "=", target.organizationId)
      .execute();
    return;
  }
  if ("clinicId" in target) {
    await db
      .updateTable("evaluationStates")
      .set(bump)
      .where("organizationId", "=", target.organizationId)
      .where("practitionerId", "in", (eb) =>
        eb.selectFrom("practitioners").select("id").where("clinicId", "=", target.clinicId),
      )
      .execute();
    return;
  }
  const ids = [...new Set(target.practitionerIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .updateTable("evaluationStates")
      .set(bump)
      .where("practitionerId", "in", ids.slice(i, i + CHUNK))
      .where(equalsWithoutIndex(db, "organization_id", target.organizationId))
      .execute();
  }
}

/** Whose evaluations an assignment (added or removed) can change: its scope's. */
export function staleTargetOfAssignment(assignment: {
  organizationId: string;
  scope: "organization" | "clinic" | "practitioner";
  scopeId: string;
}): StaleTarget {
  if (assignment.scope === "clinic") {
    return { organizationId: assignment.organizationId, clinicId: assignment.scopeId };
  }
  if (assignment.scope === "practitioner") {
    return { organizationId: assignment.organizationId, practitionerIds: [assignment.scopeId] };
  }
  return { organizationId: assignment.organizationId, all: true };
}

/** The clinics that share one local date ("today"), for the freshness checks. */
export interface ClinicDate {
  clinicIds: readonly string[];
  date: string;
}

export interface PractitionerToEvaluate {
  id: string;
  name: string;
  profession: "PT" | "PTA" | "other";
  clinicId: string;
  createdAt: string;
  archivedAt: string | null;
  /** The state's `stale` counter as read. */
  staleSeen: number;
}

/**
 * Practitioners of `clinicDates`' clinics whose stored evaluations do not hold on their clinic's
 * date: marked stale (a new practitioner's first state is), past `valid_until`, or computed for a
 * later date. By id, after `afterId`, at most `limit`.
 *
 * Each reason is a range of an index on the states, so the check costs what does not hold, not
 * the organization (at 100,000 staff the left join over every practitioner it replaces took
 * 137-275 ms with nothing to do, holding the event loop on SQLite). Every practitioner has a
 * state from the moment they are inserted (`insertNewEvaluationStates`).
 */
export async function listPractitionersToEvaluate(
  db: Db,
  input: {
    organizationId: string;
    clinicDates: readonly ClinicDate[];
    limit: number;
    afterId?: string | null;
  },
): Promise<PractitionerToEvaluate[]> {
  const groups = input.clinicDates.filter((group) => group.clinicIds.length > 0);
  if (groups.length === 0) return [];
  const organizationId = input.organizationId;
  const dates = groups.map((group) => group.date).sort();
  const earliest = dates[0] as string;
  const latest = dates[dates.length - 1] as string;
  const candidates = [
    sql`select c.practitioner_id as id from evaluation_states c
      where c.organization_id = ${organizationId} and c.stale > 0`,
    sql`select c.practitioner_id as id from evaluation_states c
      where c.organization_id = ${organizationId} and c.stale = 0 and c.valid_until < ${latest}`,
    sql`select c.practitioner_id as id from evaluation_states c
      where c.organization_id = ${organizationId} and c.as_of > ${earliest}`,
  ];
  let query = db
    .selectFrom("practitioners as p")
    .innerJoin("evaluationStates as s", "s.practitionerId", "p.id")
    .select([
      "p.id",
      "p.name",
      "p.profession",
      "p.clinicId",
      "p.createdAt",
      "p.archivedAt",
      "s.stale as staleSeen",
    ])
    // The candidates are the organization's already; said again of `p`, SQLite would walk every
    // practitioner of the organization to test each against them instead of looking each up.
    .where(sql<SqlBool>`p.id in (${sql.join(candidates, sql` union `)})`)
    .where((eb) =>
      eb.or(
        groups.map((group) =>
          eb.and([
            inClinics("p.clinicId", group.clinicIds),
            eb.or([
              eb("s.stale", ">", 0),
              eb("s.validUntil", "<", group.date),
              eb("s.asOf", ">", group.date),
            ]),
          ]),
        ),
      ),
    );
  if (input.afterId) query = query.where("p.id", ">", input.afterId);
  const rows = await query.orderBy("p.id").limit(input.limit).execute();
  return rows.map((row) => ({
    ...row,
    profession: row.profession as PractitionerToEvaluate["profession"],
  }));
}

export type NewEvaluationState = Omit<EvaluationStateRow, "stale">;

/**
 * The states of new practitioners, written with them (call it in their transaction): marked
 * stale, so the next refresh computes them, and inactive, so nothing counts them until then.
 * With a state for every practitioner from the start, the refresh check is ranges of the
 * states' indexes alone: no search for practitioners without one, which at 100,000 staff cost
 * two counts of the organization (9 ms) before every dashboard computed after a change.
 */
export async function insertNewEvaluationStates(
  db: Db,
  practitioners: readonly { id: string; organizationId: string; clinicId: string }[],
): Promise<void> {
  await bulkInsert(
    db,
    "evaluationStates",
    practitioners.map((practitioner) => ({
      practitionerId: practitioner.id,
      organizationId: practitioner.organizationId,
      clinicId: practitioner.clinicId,
      stale: 1,
      active: 0,
      asOf: "",
      validUntil: "",
      worst: null,
      // As when no standard applies (VERDICT_RANK.length).
      worstRank: 5,
      qualified: 0,
      fingerprint: "",
      deadlinesJson: "[]",
      firstDue: null,
      pendingRecords: 0,
      pendingWithoutEvidence: 0,
      oldestPendingAt: null,
      evaluatedAt: "",
    })),
  );
}

export type NewStoredEvaluation = StoredEvaluationRow;

/**
 * Writes freshly computed evaluations for a batch, in one transaction. A practitioner whose state
 * was marked again since `staleSeen` was read keeps its mark and its old rows (their inputs
 * changed while they were being computed); the others get `stale = 0` and their new rows.
 * Returns the ids written.
 */
export async function saveEvaluations(
  db: Db,
  batch: readonly {
    state: NewEvaluationState;
    staleSeen: number;
    evaluations: readonly NewStoredEvaluation[];
  }[],
): Promise<string[]> {
  if (batch.length === 0) return [];
  // Inside the caller's transaction when there is one (the alert job's), else in its own.
  const inTransaction = <T>(work: (trx: Db) => Promise<T>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  return inTransaction(async (trx) => {
    const ids = batch.map((item) => item.state.practitionerId);
    const before = new Map<string, TalliedState>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      for (const [id, state] of await readTalliedStates(trx, ids.slice(i, i + CHUNK))) {
        before.set(id, state);
      }
    }
    const written: string[] = [];
    for (const item of batch) {
      const { practitionerId } = item.state;
      const updated = await trx
        .updateTable("evaluationStates")
        .set({ ...item.state, stale: 0 })
        .where("practitionerId", "=", practitionerId)
        .where("stale", "=", item.staleSeen)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) continue;
      written.push(practitionerId);
    }
    const writtenIds = new Set(written);
    const replacing = batch.filter((item) => writtenIds.has(item.state.practitionerId));
    // The tallies lose what the old rows counted and gain what the new ones count.
    const removed = new Map<string, TalliedEvaluation[]>();
    for (let i = 0; i < written.length; i += CHUNK) {
      const rows = await trx
        .deleteFrom("storedEvaluations")
        .where("practitionerId", "in", written.slice(i, i + CHUNK))
        .returning(["practitionerId", "standardId", "standardVersion", "standardTitle", "verdict"])
        .execute();
      for (const row of rows) {
        const own = removed.get(row.practitionerId) ?? [];
        own.push(row);
        removed.set(row.practitionerId, own);
      }
    }
    const tallies = new TallyChanges();
    for (const item of replacing) {
      const old = before.get(item.state.practitionerId);
      if (old) tallies.add(old, removed.get(item.state.practitionerId) ?? [], -1);
      tallies.add(item.state, item.evaluations, 1);
    }
    await bulkInsert(
      trx,
      "storedEvaluations",
      replacing.flatMap((item) => item.evaluations),
    );
    await tallies.write(trx);
    return written;
  });
}

/** The scope of a read: an organization, optionally one clinic or a manager's clinics. */
export interface EvaluationScope {
  organizationId: string;
  clinics?: string | readonly string[];
}

/** `column` holds one of the scope's clinics (always true for the whole organization). */
function inScopeClinics(column: string, scope: EvaluationScope) {
  if (scope.clinics === undefined) return sql<boolean>`1 = 1`;
  return typeof scope.clinics === "string"
    ? sql<boolean>`${sql.ref(column)} = ${scope.clinics}`
    : inClinics(column, scope.clinics);
}

/**
 * Verdict counts of the stored evaluations, read from their tallies (a few rows per clinic,
 * whatever the size): per standard and version applied, per clinic (each active practitioner
 * by their worst verdict, null when nothing applies), and how many are qualified under
 * everything that applies.
 */
export function verdictCountsOf(tallies: readonly VerdictTallyRow[]): {
  byStandard: {
    standardId: string;
    version: number;
    title: string;
    verdict: string;
    count: number;
  }[];
  byClinic: { clinicId: string; verdict: string | null; count: number }[];
  /** Active practitioners qualified under every applicable standard. */
  qualified: number;
} {
  const byStandard = new Map<
    string,
    { standardId: string; version: number; title: string; verdict: string; count: number }
  >();
  const byClinic: { clinicId: string; verdict: string | null; count: number }[] = [];
  let qualified = 0;
  for (const row of tallies) {
    if (row.standardId === "") {
      byClinic.push({ clinicId: row.clinicId, verdict: row.verdict || null, count: row.count });
      qualified += row.qualified;
      continue;
    }
    const key = JSON.stringify([row.standardId, row.standardVersion, row.verdict]);
    const seen = byStandard.get(key);
    if (seen) seen.count += row.count;
    else {
      byStandard.set(key, {
        standardId: row.standardId,
        version: row.standardVersion,
        title: row.standardTitle || row.standardId,
        verdict: row.verdict,
        count: row.count,
      });
    }
  }
  return { byStandard: [...byStandard.values()], byClinic, qualified };
}

/**
 * The dashboard's unverified-evidence figures from the tallies: the active practitioners'
 * pending records in scope, those without evidence, and when the oldest was recorded (one index
 * seek per clinic that has any), as `countUnverifiedEvidence` counts them from the records.
 */
export async function countStoredPending(
  db: Db,
  scope: EvaluationScope,
  tallies: readonly VerdictTallyRow[],
): Promise<{
  pendingRecords: number;
  pendingWithoutEvidence: number;
  oldestPendingAt: string | null;
}> {
  let pendingRecords = 0;
  let pendingWithoutEvidence = 0;
  const clinicsWithPending = new Set<string>();
  for (const row of tallies) {
    if (row.standardId !== "") continue;
    pendingRecords += row.pendingRecords;
    pendingWithoutEvidence += row.pendingWithoutEvidence;
    if (row.pendingRecords > 0) clinicsWithPending.add(row.clinicId);
  }
  if (clinicsWithPending.size === 0) {
    return { pendingRecords, pendingWithoutEvidence, oldestPendingAt: null };
  }
  const oldestOf = [...clinicsWithPending].map(
    (clinicId) => sql`select min(s.oldest_pending_at) as oldest from evaluation_states s
      where s.organization_id = ${scope.organizationId} and s.clinic_id = ${clinicId}
        and s.active = 1`,
  );
  const { rows } = await sql<{ oldest: string | null }>`select min(oldest) as oldest
    from (${sql.join(oldestOf, sql` union all `)}) per_clinic`.execute(db);
  return { pendingRecords, pendingWithoutEvidence, oldestPendingAt: rows[0]?.oldest ?? null };
}

/**
 * How many active practitioners the tallies say match: under a standard (with a verdict there),
 * or by worst verdict, or all. A practitioner has one stored evaluation per standard.
 */
export function talliedMatrixTotal(
  tallies: readonly VerdictTallyRow[],
  filter: { standardId?: string; verdict?: string },
): number {
  let total = 0;
  for (const row of tallies) {
    const matches = filter.standardId
      ? row.standardId === filter.standardId &&
        (filter.verdict === undefined || row.verdict === filter.verdict)
      : row.standardId === "" && (filter.verdict === undefined || row.verdict === filter.verdict);
    if (matches) total += row.count;
  }
  return total;
}

export type VerdictTallyRow = Awaited<ReturnType<typeof listVerdictTallies>>[number];

/**
 * The tallies in scope that count something: read once per view, for its counts, pending
 * figures, applied standards and matrix total.
 */
export function listVerdictTallies(db: Db, scope: EvaluationScope) {
  return db
    .selectFrom("verdictTallies as t")
    .select([
      "t.clinicId",
      "t.standardId",
      "t.standardVersion",
      "t.standardTitle",
      "t.verdict",
      "t.count",
      "t.qualified",
      "t.pendingRecords",
      "t.pendingWithoutEvidence",
    ])
    .where("t.organizationId", "=", scope.organizationId)
    .where(inScopeClinics("t.clinic_id", scope))
    .where("t.count", ">", 0)
    .execute();
}

/** The deadline lists of active practitioners in scope with something due by `until`. */
export async function listStoredDeadlines(
  db: Db,
  scope: EvaluationScope,
  until: string,
  practitionerId?: string,
): Promise<{ practitionerId: string; clinicId: string; deadlinesJson: string }[]> {
  let query = db
    .selectFrom("evaluationStates as s")
    .select(["s.practitionerId", "s.clinicId", "s.deadlinesJson"])
    .where("s.organizationId", "=", scope.organizationId)
    .where("s.active", "=", 1)
    .where("s.firstDue", "is not", null)
    .where("s.firstDue", "<=", until);
  if (typeof scope.clinics === "string") query = query.where("s.clinicId", "=", scope.clinics);
  else if (scope.clinics) query = query.where(inClinics("s.clinicId", scope.clinics));
  if (practitionerId !== undefined) query = query.where("s.practitionerId", "=", practitionerId);
  return query.execute();
}

/**
 * How many deadlines fall in each clinic's window (its date to 30 days on, say), from the
 * deadline tallies: at most one row per clinic and day, whatever the size.
 */
export async function countStoredDeadlines(
  db: Db,
  scope: EvaluationScope,
  windows: readonly { clinicIds: readonly string[]; from: string; until: string }[],
): Promise<number> {
  if (windows.length === 0) return 0;
  const from = windows.map((w) => w.from).sort()[0] as string;
  const until = windows.map((w) => w.until).sort()[windows.length - 1] as string;
  const rows = await db
    .selectFrom("deadlineTallies as d")
    .select(["d.clinicId", "d.due", "d.count"])
    .where("d.organizationId", "=", scope.organizationId)
    .where(inScopeClinics("d.clinic_id", scope))
    .where("d.due", ">=", from)
    .where("d.due", "<=", until)
    .where("d.count", ">", 0)
    .execute();
  const windowOf = new Map<string, { from: string; until: string }>();
  for (const w of windows) for (const clinicId of w.clinicIds) windowOf.set(clinicId, w);
  let total = 0;
  for (const row of rows) {
    const own = windowOf.get(row.clinicId);
    if (own && row.due >= own.from && row.due <= own.until) total += row.count;
  }
  return total;
}

/**
 * The `n`th earliest first deadline (`first_due`) among the active states in scope due by
 * `until`, or null when fewer have one: where the lists holding the soonest deadlines end.
 */
export async function findNthFirstDue(
  db: Db,
  scope: EvaluationScope,
  until: string,
  n: number,
): Promise<string | null> {
  const row = await db
    .selectFrom("evaluationStates as s")
    .select("s.firstDue")
    .where("s.organizationId", "=", scope.organizationId)
    .where("s.active", "=", 1)
    .where("s.firstDue", "is not", null)
    .where("s.firstDue", "<=", until)
    .where(inScopeClinics("s.clinic_id", scope))
    .orderBy("s.firstDue")
    .offset(n - 1)
    .limit(1)
    .executeTakeFirst();
  return row?.firstDue ?? null;
}

/** The stored evaluation of one practitioner against one standard, with its state. */
export async function findStoredEvaluation(
  db: Db,
  practitionerId: string,
  standardId: string,
): Promise<(StoredEvaluationRow & { stale: number }) | null> {
  const row = await db
    .selectFrom("storedEvaluations as e")
    .innerJoin("evaluationStates as s", "s.practitionerId", "e.practitionerId")
    .selectAll("e")
    .select("s.stale")
    .where("e.practitionerId", "=", practitionerId)
    .where("e.standardId", "=", standardId)
    .executeTakeFirst();
  return row ?? null;
}

export const MATRIX_SORTS = ["name", "clinic", "worst", "standard"] as const;
export type MatrixSort = (typeof MATRIX_SORTS)[number];

export interface MatrixPageFilter extends EvaluationScope {
  /** Only practitioners this standard applies to. */
  standardId?: string;
  /** With this verdict: under `standardId` when given, else as their worst. */
  verdict?: string;
  /** Case-insensitive substring of the name. */
  search?: string;
  sort: MatrixSort;
  /** The standard whose column `sort: "standard"` orders by (not applying: last). */
  sortStandardId?: string;
  cursor?: string | null;
  limit: number;
  /**
   * The count over every page when the caller knows it (from the tallies when there is no
   * search, `talliedMatrixTotal`); counted from the matching states otherwise.
   */
  total?: number;
}

export interface MatrixPageRow {
  practitionerId: string;
  name: string;
  clinicId: string;
  clinicName: string;
  worst: string | null;
}

/**
 * A page of active practitioners in scope with their worst verdict, filtered and sorted in SQL
 * (keyset cursor on the sort key, the name and the id), and how many match over every page.
 */
export async function listMatrixPage(
  db: Db,
  filter: MatrixPageFilter,
): Promise<Page<MatrixPageRow> & { total: number }> {
  // The sort key: (rank or clinic name, name, id); `name` sorts by (name, id) alone.
  const standardRank =
    filter.sort === "standard" && filter.sortStandardId
      ? sql<number>`coalesce((select r.verdict_rank from stored_evaluations r where r.practitioner_id = p.id and r.standard_id = ${filter.sortStandardId}), 5)`
      : null;
  const lead: RawBuilder<string | number> | null =
    filter.sort === "clinic"
      ? sql<string>`c.name`
      : filter.sort === "worst"
        ? sql<number>`s.worst_rank`
        : standardRank;

  // The filters are said of the state row (the practitioner's through a subquery), so that the
  // count needs no join: at 100k staff it takes 11 ms alone and 90 ms through the joins.
  let matching = db
    .selectFrom("evaluationStates as s")
    .where("s.organizationId", "=", filter.organizationId)
    .where("s.active", "=", 1);
  const search = filter.search?.trim();
  if (filter.clinics !== undefined || search) {
    let practitioners = db
      .selectFrom("practitioners as q")
      .select("q.id")
      .where("q.organizationId", "=", filter.organizationId);
    if (typeof filter.clinics === "string") {
      practitioners = practitioners.where("q.clinicId", "=", filter.clinics);
    } else if (filter.clinics) {
      practitioners = practitioners.where(inClinics("q.clinicId", filter.clinics));
    }
    if (search) {
      practitioners = practitioners.where(
        sql<boolean>`lower(q.name) like ${containsPattern(search)} escape '\\'`,
      );
    }
    matching = matching.where("s.practitionerId", "in", practitioners);
  }
  if (filter.standardId) {
    const standardId = filter.standardId;
    const verdict = filter.verdict;
    matching = matching.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("storedEvaluations as f")
          .select("f.practitionerId")
          .whereRef("f.practitionerId", "=", "s.practitionerId")
          .where("f.standardId", "=", standardId)
          .$if(verdict !== undefined, (qb) => qb.where("f.verdict", "=", verdict as string)),
      ),
    );
  } else if (filter.verdict) {
    matching = matching.where("s.worst", "=", filter.verdict);
  }

  const total =
    filter.total ??
    Number(
      (await matching.select(sql<number | string>`count(*)`.as("total")).executeTakeFirst())
        ?.total ?? 0,
    );

  const base = matching
    .innerJoin("practitioners as p", "p.id", "s.practitionerId")
    .innerJoin("clinics as c", "c.id", "p.clinicId")
    // The same organization, said of the practitioner too: a page by name then walks
    // practitioners_organization_name_idx and stops after one page (1 ms at 100k staff) instead
    // of sorting every state of the organization (150 ms).
    .where("p.organizationId", "=", filter.organizationId);

  let page = base.select([
    "p.id as practitionerId",
    "p.name",
    "p.clinicId",
    "c.name as clinicName",
    "s.worst",
    "s.worstRank",
  ]);
  if (lead) page = page.select(lead.as("lead"));
  if (filter.cursor) {
    const values = decodeCursor(filter.cursor, lead ? 3 : 2);
    const [first, second, third] = values;
    if (lead) {
      const leadIsText = filter.sort === "clinic";
      if (typeof first !== (leadIsText ? "string" : "number") || typeof second !== "string") {
        throw new InvalidCursorError();
      }
      page = page.where(
        afterKey([lead, "p.name", "p.id"], [first as string | number, second, String(third)]),
      );
    } else {
      if (typeof first !== "string" || typeof second !== "string") throw new InvalidCursorError();
      page = page.where(afterKey(["p.name", "p.id"], [first, second]));
    }
  }
  if (lead) page = page.orderBy(lead);
  const rows = await page
    .orderBy("p.name")
    .orderBy("p.id")
    .limit(filter.limit + 1)
    .execute();
  const result = toPage(
    rows,
    filter.limit,
    (row) => ({
      practitionerId: row.practitionerId,
      name: row.name,
      clinicId: row.clinicId,
      clinicName: row.clinicName,
      worst: row.worst,
    }),
    (row) => {
      const key = [row.name, row.practitionerId];
      if (!lead) return key;
      const value = (row as unknown as { lead: string | number }).lead;
      return [filter.sort === "clinic" ? String(value) : Number(value), ...key];
    },
  );
  return { ...result, total };
}

/** The verdicts of a page of practitioners (at most a page's ids), by practitioner then standard. */
export async function listStoredVerdicts(
  db: Db,
  practitionerIds: readonly string[],
): Promise<{ practitionerId: string; standardId: string; verdict: string }[]> {
  if (practitionerIds.length === 0) return [];
  const rows: { practitionerId: string; standardId: string; verdict: string }[] = [];
  for (let i = 0; i < practitionerIds.length; i += CHUNK) {
    rows.push(
      ...(await db
        .selectFrom("storedEvaluations")
        .select(["practitionerId", "standardId", "verdict"])
        .where("practitionerId", "in", practitionerIds.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return rows;
}

/**
 * The stored answers of a page of practitioners (at most a page's ids) that hold as of `asOf`:
 * only practitioners on staff then whose state is not stale and was computed as of that very
 * date. By practitioner, then standard id: the answer's version and, as JSON, either the engine's
 * whole answer (`evaluationJson`) or what the summary CSV prints of it (`summaryJson`). A row
 * without the JSON asked for is left out, so its practitioner is evaluated live.
 */
export async function listCurrentEvaluationsOf(
  db: Db,
  practitionerIds: readonly string[],
  asOf: string,
  column: "evaluationJson" | "summaryJson",
): Promise<Map<string, Map<string, { standardVersion: number; json: string }>>> {
  const result = new Map<string, Map<string, { standardVersion: number; json: string }>>();
  for (let i = 0; i < practitionerIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom("evaluationStates as s")
      .leftJoin("storedEvaluations as e", "e.practitionerId", "s.practitionerId")
      .select(["s.practitionerId", "e.standardId", "e.standardVersion", `e.${column} as json`])
      .where("s.practitionerId", "in", practitionerIds.slice(i, i + CHUNK))
      .where("s.stale", "=", 0)
      .where("s.active", "=", 1)
      .where("s.asOf", "=", asOf)
      .execute();
    for (const row of rows) {
      const own = result.get(row.practitionerId) ?? new Map();
      result.set(row.practitionerId, own);
      if (row.standardId !== null && row.json !== null && row.standardVersion !== null) {
        own.set(row.standardId, { standardVersion: Number(row.standardVersion), json: row.json });
      }
    }
  }
  return result;
}

/** The standards applied in scope, with the title of the latest version applied. */
export function appliedStandardsOf(
  tallies: readonly VerdictTallyRow[],
): { standardId: string; version: number; title: string }[] {
  const rows = tallies
    .filter((row) => row.standardId !== "")
    .map((row) => ({ ...row, standardTitle: row.standardTitle || row.standardId }));
  const latest = new Map<string, { standardId: string; version: number; title: string }>();
  for (const row of rows) {
    const seen = latest.get(row.standardId);
    if (!seen || row.standardVersion > seen.version) {
      latest.set(row.standardId, {
        standardId: row.standardId,
        version: row.standardVersion,
        title: row.standardTitle,
      });
    }
  }
  return [...latest.values()].sort((a, b) => a.standardId.localeCompare(b.standardId));
}

/** Stored figures of finished months for these clinics. */
export async function listTrendMonths(
  db: Db,
  organizationId: string,
  months: readonly string[],
): Promise<
  { clinicId: string; month: string; versionsKey: string; qualified: number; total: number }[]
> {
  if (months.length === 0) return [];
  return db
    .selectFrom("trendMonths")
    .select(["clinicId", "month", "versionsKey", "qualified", "total"])
    .where("organizationId", "=", organizationId)
    .where("month", "in", [...months])
    .execute();
}

/** Replaces one month's stored figures (every clinic of the organization) in one transaction. */
export async function saveTrendMonth(
  db: Db,
  input: {
    organizationId: string;
    month: string;
    versionsKey: string;
    computedAt: string;
    clinics: readonly { clinicId: string; qualified: number; total: number }[];
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom("trendMonths")
      .where("organizationId", "=", input.organizationId)
      .where("month", "=", input.month)
      .execute();
    for (let i = 0; i < input.clinics.length; i += 200) {
      await trx
        .insertInto("trendMonths")
        .values(
          input.clinics.slice(i, i + 200).map((clinic) => ({
            organizationId: input.organizationId,
            month: input.month,
            versionsKey: input.versionsKey,
            computedAt: input.computedAt,
            ...clinic,
          })),
        )
        .execute();
    }
  });
}

/** The organization's practitioners by id, a batch at a time (keyset), for full passes. */
export async function listStaffBatch(
  db: Db,
  organizationId: string,
  afterId: string | null,
  limit: number,
): Promise<
  {
    id: string;
    name: string;
    profession: "PT" | "PTA" | "other";
    clinicId: string;
    createdAt: string;
    archivedAt: string | null;
  }[]
> {
  let query = db
    .selectFrom("practitioners")
    .select(["id", "name", "profession", "clinicId", "createdAt", "archivedAt"])
    .where("organizationId", "=", organizationId);
  if (afterId) query = query.where("id", ">", afterId);
  return query.orderBy("id").limit(limit).execute();
}

/** How many of the organization's state rows are marked stale. */
export async function countStaleEvaluations(db: Db, organizationId: string): Promise<number> {
  const row = await db
    .selectFrom("evaluationStates")
    .select(sql<number | string>`count(*)`.as("n"))
    .where("organizationId", "=", organizationId)
    .where("stale", ">", 0)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export type { EvaluationStateRow, StoredEvaluationRow };
