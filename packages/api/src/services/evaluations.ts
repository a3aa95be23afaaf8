/**
 * Stored evaluations kept current (docs/decisions/057-stored-evaluations.md). Every change that
 * can alter a verdict calls `markEvaluationsStale` (@dn/db) in its own transaction; this module
 * recomputes what is stale, missing or past its `valid_until`: on read (`refreshEvaluations`, so
 * a page never shows a verdict the compliance page would not) and in the background
 * (`reevaluateStale`, a plain function a job queue schedules). Work goes in batches that yield
 * to the event loop, so one organization's recomputation does not hold other requests.
 */
import { createHash } from "node:crypto";
import {
  addDays,
  addMonths,
  currentVersions,
  DEFAULT_HORIZON_DAYS,
  dateOfDayNumber,
  dayNumber,
  daysBetween,
  type Evaluation,
  evaluate,
  NoVersionInForceError,
  toDossier,
  upcomingDeadlines,
} from "@dn/compliance";
import {
  type ClinicDate,
  type Db,
  type EvaluationScope,
  findNthFirstDue,
  listLicensesOfPractitioners,
  listPractitionersToEvaluate,
  listRecordsWithEvidence,
  listRecordVersionsOfPractitioners,
  listStaffBatch,
  listStoredDeadlines,
  listTrendMonths,
  type NewEvaluationState,
  type NewStoredEvaluation,
  type PractitionerToEvaluate,
  saveEvaluations,
  saveTrendMonth,
} from "@dn/db";
import { toExportEvaluation, toSummaryEvaluation } from "@dn/exports";
import {
  type Deadline,
  type Dossier,
  type License,
  type StandardDocument,
  selectVersion,
  type TrainingRecord,
} from "@dn/schema";
import { dateAt, type Today } from "./clinic-today.ts";
import {
  activeOn,
  applicableFor,
  evaluateStaff,
  loadOrganizationRules,
  type OrganizationRules,
  type StaffMember,
  VERDICT_RANK,
  worstVerdict,
} from "./staff-compliance.ts";

/** Practitioners per batch: small enough that one batch holds the event loop for milliseconds. */
export const EVALUATION_BATCH = 200;
/** No stored verdict is trusted longer than this many days without being recomputed. */
export const MAX_VALID_DAYS = 31;
const FOREVER = "9999-12-31";
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Lets other callbacks (requests, /health) run between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const documentHashes = new WeakMap<StandardDocument, string>();
/** A standard version's identity and content hash (pack versions can change with a release). */
export function versionKeyOf(standard: StandardDocument): string {
  let hash = documentHashes.get(standard);
  if (!hash) {
    hash = sha256(JSON.stringify(standard)).slice(0, 16);
    documentHashes.set(standard, hash);
  }
  return `${standard.id}@${standard.version}#${hash}`;
}

/** Every YYYY-MM-DD string inside `value` (a dossier, an engine answer, a standard). */
function collectDates(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    // Most strings (ids, titles, codes) are not dates: two hyphens in place rule them out
    // before the pattern runs.
    if (value.length < 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return;
    if (value.length === 10 && ISO_DATE.test(value)) into.add(value);
    else if (value.length > 10 && value[10] === "T" && ISO_DATE.test(value.slice(0, 10))) {
      into.add(value.slice(0, 10));
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collectDates(item, into);
    return;
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const key in record) collectDates(record[key], into);
  }
}

/** Every date the dossier's licenses and records hold (computed once per practitioner). */
function datesOfDossier(dossier: Dossier): Set<string> {
  const dates = new Set<string>();
  collectDates(dossier.licenses, dates);
  collectDates(dossier.records, dates);
  return dates;
}

/** The month counts a standard's rules measure time in (`withinMonths`, `cycleMonths`, years × 12). */
function monthOffsetsOf(value: unknown, into: Set<number>): void {
  if (Array.isArray(value)) {
    for (const item of value) monthOffsetsOf(item, into);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === "number" && item > 0 && Number.isInteger(item)) {
      if (/months$/i.test(key)) into.add(item);
      else if (/years$/i.test(key)) into.add(item * 12);
    } else if (typeof item === "object") monthOffsetsOf(item, into);
  }
}

/**
 * The last date on which `evaluation` is sure to hold if no input changes. Conservative: every
 * date the dossier, the answer or the standard's versions name, the day after each, each one
 * `horizonDays` earlier (when "expiring" would begin), and each dossier date plus every whole
 * multiple of the standard's month periods (windows and CE cycles) are treated as possible
 * changes; the day before the earliest one after `asOf` is the limit, and never more than
 * MAX_VALID_DAYS ahead.
 */
export function validUntilOf(
  asOf: string,
  dossier: Dossier,
  versions: readonly StandardDocument[],
  evaluation: Evaluation | null,
  dossierDates: ReadonlySet<string> = datesOfDossier(dossier),
): string {
  const dates = new Set(dossierDates);
  if (evaluation) collectDates(evaluation, dates);
  for (const version of versions) {
    if (version.effectiveFrom) dates.add(version.effectiveFrom);
    if (version.effectiveTo) dates.add(version.effectiveTo);
  }
  const months = new Set<number>();
  const applied = evaluation
    ? versions.find((v) => v.version === evaluation.standard.version)
    : undefined;
  if (applied) monthOffsetsOf(applied, months);
  const asOfMonth = monthIndexOf(asOf);
  for (const date of dossierDates) {
    for (const period of months) {
      // Multiples that land in a month before asOf's cannot pass it: start at the last of them.
      let k = Math.min(200, Math.max(1, Math.floor((asOfMonth - monthIndexOf(date)) / period)));
      let next = addMonths(date, period * k);
      while (next <= asOf && k < 200) {
        k += 1;
        next = addMonths(date, period * k);
      }
      dates.add(next);
    }
  }
  // In day numbers: a few hundred dates, each a possible change on itself, the day after and
  // `horizon` days before; the limit is the day before the earliest change after asOf.
  const horizon = evaluation?.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const from = dayNumber(asOf);
  let limit = from + MAX_VALID_DAYS;
  for (const date of dates) {
    const day = dayNumber(date);
    for (const change of [day, day + 1, day - horizon]) {
      if (change > from && change - 1 < limit) limit = change - 1;
    }
  }
  return dateOfDayNumber(limit);
}

/** A date's month as a count of months (year × 12 + month − 1). */
function monthIndexOf(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** What a practitioner's evaluations depend on besides the standards: a stable hash. */
function inputsFingerprint(
  practitioner: StaffMember,
  rules: OrganizationRules,
  dossier: Dossier,
  applicable: readonly { standardId: string; reasons: readonly string[] }[],
): string {
  const clinic = rules.clinics.get(practitioner.clinicId);
  return sha256(
    JSON.stringify({
      practitioner: [
        practitioner.clinicId,
        clinic?.jurisdiction ?? null,
        clinic?.timeZone ?? null,
        practitioner.profession,
        practitioner.createdAt,
        practitioner.archivedAt,
      ],
      licenses: dossier.licenses,
      records: dossier.records.map((r) => [r.id, r.version, r.status, r.recordedAt]),
      applicable: applicable.map((a) => [a.standardId, a.reasons]),
    }),
  );
}

/** A deadline without the parts that depend on the reading date. */
type StoredDeadline = Omit<Deadline, "daysLeft" | "bucket">;

interface ComputedPractitioner {
  state: NewEvaluationState;
  evaluations: NewStoredEvaluation[];
}

/** A practitioner's records awaiting review, as the dashboard's unverified figures count them. */
export interface PendingSummary {
  pendingRecords: number;
  pendingWithoutEvidence: number;
  oldestPendingAt: string | null;
}

const NOTHING_PENDING: PendingSummary = {
  pendingRecords: 0,
  pendingWithoutEvidence: 0,
  oldestPendingAt: null,
};

/** The current (latest) versions of a practitioner's records that are pending review. */
export function pendingRecordsOf(versions: readonly TrainingRecord[]): TrainingRecord[] {
  return currentVersions(versions).filter((record) => record.status === "pending");
}

/** How many records are pending, how many of them have no evidence, and the oldest's time. */
export function pendingSummaryOf(
  pending: readonly TrainingRecord[],
  withEvidence: ReadonlySet<string>,
): PendingSummary {
  let oldestPendingAt: string | null = null;
  let pendingWithoutEvidence = 0;
  for (const record of pending) {
    if (!withEvidence.has(record.id)) pendingWithoutEvidence += 1;
    if (oldestPendingAt === null || record.recordedAt < oldestPendingAt) {
      oldestPendingAt = record.recordedAt;
    }
  }
  return { pendingRecords: pending.length, pendingWithoutEvidence, oldestPendingAt };
}

/**
 * One practitioner's stored evaluations as of `asOf` (their clinic's today), with what they
 * have pending (counted only while they are active).
 */
export function computePractitioner(
  rules: OrganizationRules,
  practitioner: StaffMember,
  licenses: readonly License[],
  dossier: Dossier,
  asOf: string,
  evaluatedAt: string,
  pending: PendingSummary,
): ComputedPractitioner {
  const base = {
    practitionerId: practitioner.id,
    organizationId: rules.organizationId,
    clinicId: practitioner.clinicId,
    asOf,
    evaluatedAt,
  };
  if (!activeOn(practitioner, asOf)) {
    const starts = practitioner.createdAt.slice(0, 10);
    return {
      state: {
        ...base,
        active: 0,
        validUntil: starts > asOf ? addDays(starts, -1) : FOREVER,
        worst: null,
        worstRank: VERDICT_RANK.length,
        qualified: 0,
        fingerprint: inputsFingerprint(practitioner, rules, dossier, []),
        deadlinesJson: "[]",
        firstDue: null,
        ...NOTHING_PENDING,
      },
      evaluations: [],
    };
  }
  const applicable = applicableFor(rules, practitioner, licenses);
  const fingerprint = inputsFingerprint(practitioner, rules, dossier, applicable);
  const evaluations: Evaluation[] = [];
  const rows: NewStoredEvaluation[] = [];
  const dossierDates = datesOfDossier(dossier);
  let validUntil = validUntilOf(asOf, dossier, [], null, dossierDates);
  if (practitioner.archivedAt !== null) {
    validUntil = [
      validUntil,
      addDays(practitioner.archivedAt.slice(0, 10), -1),
    ].sort()[0] as string;
  }
  for (const entry of applicable) {
    const versions = rules.versions.get(entry.standardId) ?? [];
    let evaluation: Evaluation | null = null;
    try {
      evaluation = evaluate(dossier, versions, { asOf });
    } catch (error) {
      if (!(error instanceof NoVersionInForceError)) throw error;
    }
    const until = validUntilOf(asOf, dossier, versions, evaluation, dossierDates);
    if (until < validUntil) validUntil = until;
    if (!evaluation) continue;
    evaluations.push(evaluation);
    const applied = versions.find((v) => v.version === evaluation.standard.version);
    rows.push({
      practitionerId: practitioner.id,
      standardId: entry.standardId,
      organizationId: rules.organizationId,
      standardVersion: evaluation.standard.version,
      standardTitle: evaluation.standard.title,
      verdict: evaluation.status,
      verdictRank: VERDICT_RANK.indexOf(evaluation.status),
      evaluationJson: JSON.stringify(evaluation),
      summaryJson: JSON.stringify(toSummaryEvaluation(toExportEvaluation(evaluation))),
      nextLapse: evaluation.nextLapse?.on ?? null,
      asOf,
      validUntil: until,
      fingerprint: sha256(`${fingerprint}|${applied ? versionKeyOf(applied) : ""}`),
      evaluatedAt,
    });
  }
  const worst = worstVerdict(evaluations);
  const deadlines: StoredDeadline[] = upcomingDeadlines([{ practitioner, dossier, evaluations }], {
    asOf,
    withinDays: 36_500,
  }).map(({ daysLeft: _d, bucket: _b, ...rest }) => rest);
  return {
    state: {
      ...base,
      active: 1,
      validUntil,
      worst,
      worstRank: worst === null ? VERDICT_RANK.length : VERDICT_RANK.indexOf(worst),
      qualified:
        evaluations.length > 0 &&
        evaluations.every((e) => e.status === "qualified" || e.status === "expiring")
          ? 1
          : 0,
      fingerprint,
      deadlinesJson: JSON.stringify(deadlines),
      firstDue: deadlines.map((d) => d.due).sort()[0] ?? null,
      ...pending,
    },
    evaluations: rows,
  };
}

/**
 * Computes and saves one batch of practitioners (three reads: licenses, record versions, and
 * which pending records have evidence; one write transaction).
 */
async function evaluateBatch(
  db: Db,
  rules: OrganizationRules,
  batch: readonly PractitionerToEvaluate[],
  today: Today,
  evaluatedAt: string,
): Promise<number> {
  const ids = batch.map((p) => p.id);
  const [licenses, records] = await Promise.all([
    listLicensesOfPractitioners(db, ids),
    listRecordVersionsOfPractitioners(db, ids),
  ]);
  const pending = new Map(ids.map((id) => [id, pendingRecordsOf(records.get(id) ?? [])]));
  const withEvidence = await listRecordsWithEvidence(
    db,
    [...pending.values()].flatMap((own) => own.map((record) => record.id)),
  );
  const computed = batch.map((practitioner) => {
    const own = licenses.get(practitioner.id) ?? [];
    const dossier = toDossier(practitioner, own, records.get(practitioner.id) ?? []);
    const asOf = dateAt(today, rules.clinics.get(practitioner.clinicId));
    const summary = pendingSummaryOf(pending.get(practitioner.id) ?? [], withEvidence);
    return {
      ...computePractitioner(rules, practitioner, own, dossier, asOf, evaluatedAt, summary),
      staleSeen: practitioner.staleSeen,
    };
  });
  return (await saveEvaluations(db, computed)).length;
}

/** The clinics of a view grouped by their local date `today` (few: one per time zone). */
export function clinicDatesOf(
  rules: OrganizationRules,
  today: Today,
  clinics?: string | readonly string[],
): ClinicDate[] {
  const byDate = new Map<string, string[]>();
  for (const clinic of rules.clinics.values()) {
    const covered =
      clinics === undefined ||
      (typeof clinics === "string" ? clinics === clinic.id : clinics.includes(clinic.id));
    if (!covered) continue;
    const date = dateAt(today, clinic);
    byDate.set(date, [...(byDate.get(date) ?? []), clinic.id]);
  }
  return [...byDate.entries()].map(([date, clinicIds]) => ({ date, clinicIds }));
}

/**
 * True when `asOf` is not given, or is today at every clinic of the view: the stored path.
 * Any other date (the past, a date some clinic has not reached) evaluates live.
 */
export function isStoredDate(
  rules: OrganizationRules,
  now: Date,
  clinics: string | readonly string[] | undefined,
  asOf: string | undefined,
): boolean {
  if (asOf === undefined) return true;
  const dates = clinicDatesOf(rules, { at: now }, clinics);
  return dates.length > 0 && dates.every((group) => group.date === asOf);
}

/**
 * Recomputes, in batches that yield to the event loop, every practitioner of the view whose
 * stored evaluations do not hold on their clinic's date. Returns how many were recomputed.
 */
export async function refreshEvaluations(
  db: Db,
  rules: OrganizationRules,
  input: { today: Today; clinics?: string | readonly string[]; now: Date; limit?: number },
): Promise<number> {
  const clinicDates = clinicDatesOf(rules, input.today, input.clinics);
  const evaluatedAt = input.now.toISOString();
  let done = 0;
  let afterId: string | null = null;
  const limit = input.limit ?? Number.POSITIVE_INFINITY;
  while (done < limit) {
    const batch = await listPractitionersToEvaluate(db, {
      organizationId: rules.organizationId,
      clinicDates,
      limit: Math.min(EVALUATION_BATCH, limit - done),
      afterId,
    });
    if (batch.length === 0) break;
    done += await evaluateBatch(db, rules, batch, input.today, evaluatedAt);
    afterId = batch[batch.length - 1]?.id ?? null;
    if (batch.length < EVALUATION_BATCH) break;
    await yieldToEventLoop();
  }
  return done;
}

/**
 * The background runner's unit of work: recomputes up to `limit` of the organization's stale,
 * missing or expired evaluations as of each clinic's date at `now`. A job queue calls it until
 * `remaining` is false (and once a day, for the rows whose `valid_until` has come).
 */
export async function reevaluateStale(
  db: Db,
  input: { organizationId: string; now: Date; limit?: number },
): Promise<{ evaluated: number; remaining: boolean }> {
  const rules = await loadOrganizationRules(db, input.organizationId);
  const limit = input.limit ?? 5_000;
  const evaluated = await refreshEvaluations(db, rules, {
    today: { at: input.now },
    now: input.now,
    limit,
  });
  return { evaluated, remaining: evaluated >= limit };
}

/**
 * The deadline lists that hold the `count` soonest deadlines due by `until`: those of the `count`
 * states whose first deadline comes first, and every other whose first deadline is at most as
 * many days later as the view's clinic dates differ. A list whose first deadline is later cannot
 * hold one of the soonest: those `count` first deadlines all come before each of its deadlines,
 * each seen from its own clinic's date.
 */
export async function listSoonestDeadlines(
  db: Db,
  scope: EvaluationScope,
  clinicDates: readonly ClinicDate[],
  until: string,
  count: number,
): Promise<{ practitionerId: string; clinicId: string; deadlinesJson: string }[]> {
  const last = await findNthFirstDue(db, scope, until, count);
  if (last === null) return listStoredDeadlines(db, scope, until);
  const days = clinicDates.map((group) => group.date).sort();
  const slack = days.length > 1 ? daysBetween(days[0] as string, days.at(-1) as string) : 0;
  const bound = addDays(last, slack);
  return listStoredDeadlines(db, scope, bound < until ? bound : until);
}

/** Reads the stored deadlines back as of each practitioner's date, within `withinDays`. */
export function deadlinesFromStored(
  rows: readonly { deadlinesJson: string; asOf: string }[],
  withinDays: number,
  bucketOf: (daysLeft: number) => Deadline["bucket"],
  daysBetween: (from: string, to: string) => number,
): Deadline[] {
  const result: Deadline[] = [];
  for (const row of rows) {
    for (const stored of JSON.parse(row.deadlinesJson) as StoredDeadline[]) {
      const daysLeft = daysBetween(row.asOf, stored.due);
      if (daysLeft < 0 || daysLeft > withinDays) continue;
      // Beyond the widest warning bucket a deadline is still listed, with no bucket, as
      // upcomingDeadlines lists it.
      result.push({ ...stored, daysLeft, bucket: bucketOf(daysLeft) });
    }
  }
  return result.sort(
    (a, b) =>
      a.daysLeft - b.daysLeft ||
      a.practitionerName.localeCompare(b.practitionerName) ||
      a.title.localeCompare(b.title),
  );
}

// ---------------------------------------------------------------------------------------------
// The trend from stored months
// ---------------------------------------------------------------------------------------------

/** The standard versions in force on `asOf` (what a month's figure depends on), as one key. */
export function versionsKeyOn(rules: OrganizationRules, asOf: string): string {
  const keys: string[] = [];
  for (const versions of rules.versions.values()) {
    const chosen = selectVersion(versions, asOf);
    if (chosen) keys.push(versionKeyOf(chosen));
  }
  return sha256([...rules.policyIds, "|", ...keys.sort()].join("\n"));
}

/**
 * Finished months' figures per clinic, in one pass over the staff: every practitioner on staff on
 * a month's `asOf` (its last day) evaluated as of it, known at `knownAt` (its last instant), in
 * batches that yield. Reading a batch's records costs about ten times evaluating them for one
 * date, so each batch is read once and evaluated for every month.
 */
async function computeTrendMonths(
  db: Db,
  rules: OrganizationRules,
  dates: readonly FinishedMonth[],
  versionsKeys: ReadonlyMap<string, string>,
  now: Date,
): Promise<void> {
  const byMonth = new Map(
    dates.map((date) => [date.month, new Map<string, { qualified: number; total: number }>()]),
  );
  let afterId: string | null = null;
  for (;;) {
    const staff = await listStaffBatch(db, rules.organizationId, afterId, EVALUATION_BATCH);
    if (staff.length === 0) break;
    const evaluated = await evaluateStaff(db, rules, staff, dates);
    for (const date of dates) {
      const byClinic = byMonth.get(date.month) as Map<string, { qualified: number; total: number }>;
      for (const entry of evaluated.get(date.asOf) ?? []) {
        if (!activeOn(entry.practitioner, date.asOf)) continue;
        const counts = byClinic.get(entry.practitioner.clinicId) ?? { qualified: 0, total: 0 };
        counts.total += 1;
        const list = [...entry.evaluations.values()];
        if (
          list.length > 0 &&
          list.every((e) => e.status === "qualified" || e.status === "expiring")
        )
          counts.qualified += 1;
        byClinic.set(entry.practitioner.clinicId, counts);
      }
    }
    afterId = staff[staff.length - 1]?.id ?? null;
    if (staff.length < EVALUATION_BATCH) break;
    await yieldToEventLoop();
  }
  for (const date of dates) {
    const byClinic = byMonth.get(date.month) as Map<string, { qualified: number; total: number }>;
    await saveTrendMonth(db, {
      organizationId: rules.organizationId,
      month: date.month,
      versionsKey: versionsKeys.get(date.month) as string,
      computedAt: now.toISOString(),
      // An empty "" row marks a month computed for an organization with nobody on staff.
      clinics: [
        { clinicId: "", qualified: 0, total: 0 },
        ...[...byClinic.entries()].map(([clinicId, counts]) => ({ clinicId, ...counts })),
      ],
    });
  }
}

/** The last day of each of the 12 months ending with `asOf`'s month (that month: `asOf`). */
export function trendDates(asOf: string): { month: string; asOf: string; knownAt?: string }[] {
  const [year, month] = asOf.split("-").map(Number) as [number, number];
  const dates: { month: string; asOf: string; knownAt?: string }[] = [];
  for (let back = 11; back >= 0; back -= 1) {
    const first = new Date(Date.UTC(year, month - 1 - back, 1));
    const label = first.toISOString().slice(0, 7);
    if (back === 0) {
      dates.push({ month: label, asOf });
    } else {
      const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0));
      const day = last.toISOString().slice(0, 10);
      dates.push({ month: label, asOf: day, knownAt: `${day}T23:59:59.999Z` });
    }
  }
  return dates;
}

type FinishedMonth = { month: string; asOf: string; knownAt: string };

/** The finished months any view's trend shows on `today` (clinics may be in different months). */
function finishedTrendMonths(rules: OrganizationRules, today: Today): FinishedMonth[] {
  const months = new Map<string, FinishedMonth>();
  for (const { date } of clinicDatesOf(rules, today)) {
    for (const entry of trendDates(date)) {
      if (entry.knownAt !== undefined) months.set(entry.month, entry as FinishedMonth);
    }
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
}

/**
 * Finished months' figures for the clinics of a view, read from storage: qualified and total per
 * month, or null for a month not stored yet with the standard versions in force at its end (the
 * background job `refreshTrendMonths` computes it; a page view never does).
 */
export async function storedTrendMonths(
  db: Db,
  rules: OrganizationRules,
  dates: readonly FinishedMonth[],
  covers: (clinicId: string) => boolean,
): Promise<Map<string, { qualified: number; total: number } | null>> {
  const keys = new Map(dates.map((date) => [date.month, versionsKeyOn(rules, date.asOf)]));
  const stored = await listTrendMonths(
    db,
    rules.organizationId,
    dates.map((d) => d.month),
  );
  const result = new Map<string, { qualified: number; total: number } | null>();
  for (const date of dates) result.set(date.month, null);
  for (const row of stored) {
    if (row.versionsKey !== keys.get(row.month)) continue;
    const figure = result.get(row.month) ?? { qualified: 0, total: 0 };
    result.set(row.month, figure);
    if (!covers(row.clinicId)) continue;
    figure.qualified += row.qualified;
    figure.total += row.total;
  }
  return result;
}

/**
 * The background job's part of the trend: computes and stores up to `limit` of the finished
 * months that are missing, or were stored with other standard versions than those in force at
 * their end, oldest first, in one pass over the staff. A job queue calls it until `remaining` is
 * false.
 */
export async function refreshTrendMonths(
  db: Db,
  input: { organizationId: string; now: Date; limit?: number },
): Promise<{ computed: number; remaining: boolean }> {
  const rules = await loadOrganizationRules(db, input.organizationId);
  const dates = finishedTrendMonths(rules, { at: input.now });
  const keys = new Map(dates.map((date) => [date.month, versionsKeyOn(rules, date.asOf)]));
  const stored = await listTrendMonths(
    db,
    rules.organizationId,
    dates.map((d) => d.month),
  );
  const missing = dates.filter(
    (date) =>
      !stored.some((row) => row.month === date.month && row.versionsKey === keys.get(date.month)),
  );
  const limit = input.limit ?? missing.length;
  const computing = missing.slice(0, limit);
  if (computing.length > 0) await computeTrendMonths(db, rules, computing, keys, input.now);
  return { computed: computing.length, remaining: missing.length > computing.length };
}
