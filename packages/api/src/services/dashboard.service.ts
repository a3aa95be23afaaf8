/**
 * The manager's dashboard and staff matrix: verdicts per standard and per clinic, what lapses
 * soon, unverified evidence, and a 12-month trend of the share of qualified staff, each month
 * evaluated as of its last day with what was known then (`knownAt`), so the past is not
 * rewritten by later entries.
 *
 * Today's figures come from the stored evaluations (docs/decisions/057-stored-evaluations.md):
 * what is stale is recomputed first, then one grouped query counts and the matrix is a page of
 * SQL. A date chosen explicitly (`asOf`) is the rare, exact path and evaluates live.
 */
import { addDays, daysBetween, deadlineBucket } from "@dn/compliance";
import type { Db } from "@dn/db";
import {
  appliedStandardsOf,
  countStoredDeadlines,
  countStoredPending,
  countUnverifiedEvidence,
  decodeCursor,
  encodeCursor,
  findAuditChainHead,
  findClinicById,
  InvalidCursorError,
  listMatrixPage,
  listStaffOfOrganization,
  listStoredVerdicts,
  listVerdictTallies,
  talliedMatrixTotal,
  verdictCountsOf,
} from "@dn/db";
import type { Clinic, Dashboard, Matrix } from "@dn/schema";
import {
  DASHBOARD_DEADLINES,
  type MatrixInput,
  MatrixInputSchema,
  VERDICT_NAMES,
} from "@dn/schema";
import { badRequest, notFound } from "../errors.ts";
import {
  dateAt,
  deadlinesOnToday,
  evaluateOnToday,
  headlineDate,
  type Today,
  todayFrom,
} from "./clinic-today.ts";
import type { ServiceContext } from "./context.ts";
import {
  clinicDatesOf,
  deadlinesFromStored,
  isStoredDate,
  listSoonestDeadlines,
  refreshEvaluations,
  storedTrendMonths,
  trendDates,
} from "./evaluations.ts";
import { clinicIdsOf, requireClinicInReach, requireWideReach } from "./guards.ts";
import {
  activeOn,
  evaluateStaff,
  loadOrganizationRules,
  type OrganizationRules,
  VERDICT_RANK,
  worstVerdict,
} from "./staff-compliance.ts";

type Verdict = (typeof VERDICT_NAMES)[number];

/** The clinics a view covers: the one asked for, the actor's few, or (undefined) every one. */
type ClinicFilter = string | readonly string[] | undefined;

/**
 * The clinics the actor's view covers: the clinic asked for, if theirs to see (another
 * organization's, or outside a manager's clinics, is NOT_FOUND), else every clinic they may see.
 */
async function requireClinics(
  ctx: ServiceContext,
  clinicId: string | undefined,
): Promise<ClinicFilter> {
  const reach = requireWideReach(ctx, "read:practitioner", "the organization's dashboard");
  if (!clinicId) return clinicIdsOf(reach);
  const clinic = await findClinicById(ctx.db, clinicId);
  if (!clinic || clinic.organizationId !== ctx.actor.organizationId) {
    throw notFound("clinic", "clinicId");
  }
  requireClinicInReach(reach, clinic.id);
  return clinic.id;
}

function covers(clinics: ClinicFilter, clinicId: string): boolean {
  if (clinics === undefined) return true;
  return typeof clinics === "string" ? clinics === clinicId : clinics.includes(clinicId);
}

function emptyCounts(): Record<Verdict, number> {
  return Object.fromEntries(VERDICT_NAMES.map((v) => [v, 0])) as Record<Verdict, number>;
}

/** The clinic asked for, or every open clinic the view covers. */
function clinicsShown(rules: OrganizationRules, clinics: ClinicFilter): Clinic[] {
  return [...rules.clinics.values()].filter((clinic) =>
    typeof clinics === "string"
      ? clinic.id === clinics
      : clinic.archivedAt === null && covers(clinics, clinic.id),
  );
}

/** Qualified = every applicable standard in force is met (qualified or expiring). */
function isQualified(evaluations: Map<string, { status: Verdict }>): boolean {
  if (evaluations.size === 0) return false;
  return [...evaluations.values()].every(
    (e) => e.status === "qualified" || e.status === "expiring",
  );
}

/** Titles of the versions applied: the latest version any practitioner was evaluated against. */
function appliedTitles(
  applied: Iterable<{ standardId: string; version: number; title: string }>,
): Map<string, { version: number; title: string }> {
  const titles = new Map<string, { version: number; title: string }>();
  for (const entry of applied) {
    const seen = titles.get(entry.standardId);
    if (!seen || entry.version > seen.version) {
      titles.set(entry.standardId, { version: entry.version, title: entry.title });
    }
  }
  return titles;
}

function byClinicOf(
  rules: OrganizationRules,
  clinics: ClinicFilter,
  counted: Map<string, Record<Verdict, number>>,
): Dashboard["byClinic"] {
  return [...rules.clinics.values()]
    .filter((clinic) =>
      typeof clinics === "string"
        ? clinic.id === clinics
        : covers(clinics, clinic.id) && (clinic.archivedAt === null || counted.has(clinic.id)),
    )
    .map((clinic) => ({
      clinicId: clinic.id,
      name: clinic.name,
      jurisdiction: clinic.jurisdiction,
      counts: counted.get(clinic.id) ?? emptyCounts(),
    }));
}

function share(qualified: number, total: number): number {
  return total === 0 ? 0 : qualified / total;
}

export async function getDashboard(
  ctx: ServiceContext,
  input: { asOf?: string; clinicId?: string },
): Promise<Dashboard> {
  const clinics = await requireClinics(ctx, input.clinicId);
  const now = ctx.now();
  const organizationId = ctx.actor.organizationId;
  const rules = await loadOrganizationRules(ctx.db, organizationId);
  if (!isStoredDate(rules, now, clinics, input.asOf)) {
    return getDashboardLive(ctx, rules, { asOf: input.asOf as string }, clinics);
  }
  const today: Today = { at: now };
  const cacheKey = await storedViewKey(ctx, rules, clinics, today);
  const cached = storedDashboards.get(ctx.db, cacheKey);
  if (cached) return cached;
  const dashboard = await computeStoredDashboard(ctx, rules, clinics, today);
  // A month still being computed by the job is not audited when it lands: not cached.
  if (!dashboard.trend.some((month) => month.pending)) {
    storedDashboards.set(ctx.db, cacheKey, dashboard);
  }
  return dashboard;
}

/**
 * What is read from the stored evaluations for a view, kept by the view (organization, clinics,
 * the clinics' dates, anything else the caller adds) and the organization's audit chain head
 * (its hash), per database handle. Every change that can alter a figure (a record, a review,
 * an evidence file, a license, a standard, an assignment, a clinic, a practitioner) writes an
 * audit row, which moves the head, and the dates move with the calendar: an entry is only ever
 * reused for the very state it was computed from. The head is read from the database on every
 * request, so another instance's change is seen at once (decision 057). Least recently used
 * entries go beyond STORED_VIEW_CACHE_SIZE per database.
 */
class StoredViewCache<T> {
  readonly #byDb = new WeakMap<Db, Map<string, T>>();

  get(db: Db, key: string): T | undefined {
    const entries = this.#byDb.get(db);
    const value = entries?.get(key);
    if (entries && value !== undefined) {
      entries.delete(key);
      entries.set(key, value);
    }
    return value;
  }

  set(db: Db, key: string, value: T): void {
    const entries = this.#byDb.get(db) ?? new Map<string, T>();
    this.#byDb.set(db, entries);
    entries.set(key, value);
    if (entries.size > STORED_VIEW_CACHE_SIZE) {
      entries.delete(entries.keys().next().value as string);
    }
  }

  forget(db: Db): void {
    this.#byDb.delete(db);
  }
}

export const STORED_VIEW_CACHE_SIZE = 200;

/**
 * The key of a view's cached reads. The head is read before anything else: a change committed
 * while the view is computed makes a new head, so nothing is filed under a head older than
 * what it was computed from.
 */
async function storedViewKey(
  ctx: ServiceContext,
  rules: OrganizationRules,
  clinics: ClinicFilter,
  today: Today,
  extra: unknown = null,
): Promise<string> {
  const head = await findAuditChainHead(ctx.db, ctx.actor.organizationId);
  return JSON.stringify([
    ctx.actor.organizationId,
    clinics ?? null,
    clinicDatesOf(rules, today, clinics),
    head?.hash ?? "",
    extra,
  ]);
}

const storedDashboards = new StoredViewCache<Dashboard>();
/** A matrix view's standards and row count (its pages are read each time, by cursor). */
interface StoredMatrixView {
  applied: { standardId: string; version: number; title: string }[];
  total: number;
}
const storedMatrixViews = new StoredViewCache<StoredMatrixView>();

/** Drops a database's cached views: for tests that edit stored rows behind the services. */
export function forgetStoredDashboards(db: Db): void {
  storedDashboards.forget(db);
  storedMatrixViews.forget(db);
}

async function computeStoredDashboard(
  ctx: ServiceContext,
  rules: OrganizationRules,
  clinics: ClinicFilter,
  today: Today,
): Promise<Dashboard> {
  const now = ctx.now();
  const organizationId = ctx.actor.organizationId;
  const scope = { organizationId, ...(clinics === undefined ? {} : { clinics }) };
  await refreshEvaluations(ctx.db, rules, { today, clinics, now });
  const asOf = headlineDate(today, clinicsShown(rules, clinics));
  const dates = trendDates(asOf);
  // Each clinic's next 30 days; the soonest deadlines are read from as few lists as hold them.
  const clinicDates = clinicDatesOf(rules, today, clinics);
  const windows = clinicDates.map((group) => ({
    clinicIds: group.clinicIds,
    from: group.date,
    until: addDays(group.date, 30),
  }));
  const tallies = await listVerdictTallies(ctx.db, scope);
  const counted = verdictCountsOf(tallies);
  const [deadlineRows, lapsingSoonTotal, unverified, months] = await Promise.all([
    listSoonestDeadlines(ctx.db, scope, clinicDates, addDays(asOf, 30), DASHBOARD_DEADLINES),
    countStoredDeadlines(ctx.db, scope, windows),
    countStoredPending(ctx.db, scope, tallies),
    storedTrendMonths(
      ctx.db,
      rules,
      dates.slice(0, -1) as { month: string; asOf: string; knownAt: string }[],
      (clinicId) => covers(clinics, clinicId),
    ),
  ]);

  const byStandard = new Map<string, Record<Verdict, number>>();
  for (const row of counted.byStandard) {
    const counts = byStandard.get(row.standardId) ?? emptyCounts();
    counts[row.verdict as Verdict] += row.count;
    byStandard.set(row.standardId, counts);
  }
  const titles = appliedTitles(counted.byStandard);
  const byClinic = new Map<string, Record<Verdict, number>>();
  let practitionerCount = 0;
  for (const row of counted.byClinic) {
    practitionerCount += row.count;
    if (row.verdict === null) continue;
    const counts = byClinic.get(row.clinicId) ?? emptyCounts();
    counts[row.verdict as Verdict] += row.count;
    byClinic.set(row.clinicId, counts);
  }
  const lapsingSoon = deadlinesFromStored(
    deadlineRows.map((row) => ({
      deadlinesJson: row.deadlinesJson,
      asOf: dateAt(today, rules.clinics.get(row.clinicId)),
    })),
    30,
    deadlineBucket,
    daysBetween,
  );
  const trend = dates.map((date) => {
    const figure =
      date.knownAt === undefined
        ? { qualified: counted.qualified, total: practitionerCount }
        : (months.get(date.month) ?? null);
    return {
      month: date.month,
      asOf: date.asOf,
      qualified: figure?.qualified ?? 0,
      total: figure?.total ?? 0,
      share: figure ? share(figure.qualified, figure.total) : 0,
      pending: figure === null,
    };
  });
  return {
    asOf,
    practitionerCount,
    byStandard: [...byStandard.entries()]
      .map(([standardId, counts]) => ({
        standardId,
        title: titles.get(standardId)?.title ?? standardId,
        counts,
      }))
      .sort((a, b) => a.standardId.localeCompare(b.standardId)),
    byClinic: byClinicOf(rules, clinics, byClinic),
    lapsingSoon: lapsingSoon.slice(0, DASHBOARD_DEADLINES),
    lapsingSoonTotal,
    unverified,
    trend,
  };
}

/** The dashboard on a date chosen explicitly: every practitioner evaluated live. */
async function getDashboardLive(
  ctx: ServiceContext,
  rules: OrganizationRules,
  input: { asOf: string },
  clinics: ClinicFilter,
): Promise<Dashboard> {
  const today = todayFrom(input.asOf, ctx.now());
  const organizationId = ctx.actor.organizationId;
  const [staff, unverified] = await Promise.all([
    listStaffOfOrganization(ctx.db, organizationId, clinics),
    countUnverifiedEvidence(ctx.db, organizationId, clinics),
  ]);
  const asOf = headlineDate(today, clinicsShown(rules, clinics));
  const dates = trendDates(asOf);
  // Past months as of their last day; this month as of the date asked for.
  const evaluated = await evaluateStaff(ctx.db, rules, staff, dates.slice(0, -1));
  const dated = await evaluateOnToday(ctx.db, rules, staff, today);
  const current = dated.map((item) => item.entry);

  const byStandard = new Map<string, Record<Verdict, number>>();
  const byClinic = new Map<string, Record<Verdict, number>>();
  const applied: { standardId: string; version: number; title: string }[] = [];
  for (const entry of current) {
    for (const [standardId, evaluation] of entry.evaluations) {
      const counts = byStandard.get(standardId) ?? emptyCounts();
      counts[evaluation.status] += 1;
      byStandard.set(standardId, counts);
      applied.push({
        standardId,
        version: evaluation.standard.version,
        title: evaluation.standard.title,
      });
    }
    const worst = worstVerdict(entry.evaluations.values());
    if (worst) {
      const counts = byClinic.get(entry.practitioner.clinicId) ?? emptyCounts();
      counts[worst] += 1;
      byClinic.set(entry.practitioner.clinicId, counts);
    }
  }
  const titles = appliedTitles(applied);
  const lapsing = deadlinesOnToday(dated, 30);
  const trend = dates.map((date) => {
    const active =
      date.knownAt === undefined
        ? current
        : (evaluated.get(date.asOf) ?? []).filter((e) => activeOn(e.practitioner, date.asOf));
    const qualified = active.filter((e) => isQualified(e.evaluations)).length;
    return {
      month: date.month,
      asOf: date.asOf,
      qualified,
      total: active.length,
      share: share(qualified, active.length),
      pending: false,
    };
  });
  return {
    asOf,
    practitionerCount: current.length,
    byStandard: [...byStandard.entries()]
      .map(([standardId, counts]) => ({
        standardId,
        title: titles.get(standardId)?.title ?? standardId,
        counts,
      }))
      .sort((a, b) => a.standardId.localeCompare(b.standardId)),
    byClinic: byClinicOf(rules, clinics, byClinic),
    lapsingSoon: lapsing.slice(0, DASHBOARD_DEADLINES),
    lapsingSoonTotal: lapsing.length,
    unverified,
    trend,
  };
}

type MatrixParsed = ReturnType<typeof MatrixInputSchema.parse>;

/** Practitioner x applicable standard, one page at a time, filtered and sorted. */
export async function getMatrix(ctx: ServiceContext, raw: MatrixInput): Promise<Matrix> {
  const input = MatrixInputSchema.parse(raw);
  if (input.sort === "standard" && !input.sortStandardId) {
    throw badRequest("is required to sort by a standard", "sortStandardId");
  }
  const clinics = await requireClinics(ctx, input.clinicId);
  const rules = await loadOrganizationRules(ctx.db, ctx.actor.organizationId);
  try {
    if (!isStoredDate(rules, ctx.now(), clinics, input.asOf)) {
      return await getMatrixLive(ctx, rules, input, clinics);
    }
    return await getMatrixStored(ctx, rules, input, clinics);
  } catch (error) {
    if (error instanceof InvalidCursorError) throw badRequest(error.message, "cursor");
    throw error;
  }
}

async function getMatrixStored(
  ctx: ServiceContext,
  rules: OrganizationRules,
  input: MatrixParsed,
  clinics: ClinicFilter,
): Promise<Matrix> {
  const now = ctx.now();
  const today: Today = { at: now };
  const organizationId = ctx.actor.organizationId;
  // The view's standards and total are cached like dashboards; only the page is read each time.
  const filter = {
    ...(input.standardId ? { standardId: input.standardId } : {}),
    ...(input.verdict ? { verdict: input.verdict } : {}),
    ...(input.search ? { search: input.search } : {}),
  };
  const viewKey = await storedViewKey(ctx, rules, clinics, today, filter);
  const scope = { organizationId, ...(clinics === undefined ? {} : { clinics }) };
  let view: { applied: StoredMatrixView["applied"]; total?: number } | undefined =
    storedMatrixViews.get(ctx.db, viewKey);
  if (!view) {
    await refreshEvaluations(ctx.db, rules, { today, clinics, now });
    const tallies = await listVerdictTallies(ctx.db, scope);
    // Without a search the tallies count the matches; the page query counts a search's.
    view = {
      applied: appliedStandardsOf(tallies),
      ...(filter.search ? {} : { total: talliedMatrixTotal(tallies, filter) }),
    };
  }
  const page = await listMatrixPage(ctx.db, {
    ...scope,
    ...filter,
    sort: input.sort,
    ...(input.sortStandardId ? { sortStandardId: input.sortStandardId } : {}),
    cursor: input.cursor ?? null,
    limit: input.limit,
    ...(view.total === undefined ? {} : { total: view.total }),
  });
  const applied = view.applied;
  storedMatrixViews.set(ctx.db, viewKey, { applied, total: page.total });
  const verdicts = await listStoredVerdicts(
    ctx.db,
    page.items.map((row) => row.practitionerId),
  );
  const cells = new Map<string, Record<string, Verdict>>();
  for (const row of verdicts) {
    const own = cells.get(row.practitionerId) ?? {};
    own[row.standardId] = row.verdict as Verdict;
    cells.set(row.practitionerId, own);
  }
  const standards = applied
    .filter((s) => !input.standardId || s.standardId === input.standardId)
    .map((s) => ({ standardId: s.standardId, version: s.version, title: s.title }));
  return {
    asOf: headlineDate(today, clinicsShown(rules, clinics)),
    standards,
    total: page.total,
    nextCursor: page.nextCursor,
    rows: page.items.map((row) => ({
      practitionerId: row.practitionerId,
      name: row.name,
      clinicId: row.clinicId,
      clinicName: row.clinicName,
      cells: cells.get(row.practitionerId) ?? {},
      worst: (row.worst as Verdict | null) ?? null,
    })),
  };
}

/** The matrix on a date chosen explicitly: evaluated live, sorted and paged like the stored one. */
async function getMatrixLive(
  ctx: ServiceContext,
  rules: OrganizationRules,
  input: MatrixParsed,
  clinics: ClinicFilter,
): Promise<Matrix> {
  const today = todayFrom(input.asOf, ctx.now());
  const staff = await listStaffOfOrganization(ctx.db, ctx.actor.organizationId, clinics);
  const search = input.search?.toLowerCase();
  const asOf = headlineDate(today, clinicsShown(rules, clinics));
  const matching = staff.filter((p) => !search || p.name.toLowerCase().includes(search));
  const evaluated = (await evaluateOnToday(ctx.db, rules, matching, today)).map((d) => d.entry);
  const applied: { standardId: string; version: number; title: string }[] = [];
  let rows = evaluated.map((entry) => {
    const cells: Record<string, Verdict> = {};
    for (const [standardId, evaluation] of entry.evaluations) {
      cells[standardId] = evaluation.status;
      applied.push({
        standardId,
        version: evaluation.standard.version,
        title: evaluation.standard.title,
      });
    }
    return {
      practitionerId: entry.practitioner.id,
      name: entry.practitioner.name,
      clinicId: entry.practitioner.clinicId,
      clinicName: entry.clinic?.name ?? "",
      cells,
      worst: worstVerdict(entry.evaluations.values()),
    };
  });
  if (input.standardId) {
    rows = rows.filter((row) => row.cells[input.standardId as string] !== undefined);
  }
  if (input.verdict) {
    const verdict = input.verdict;
    rows = rows.filter((row) =>
      input.standardId ? row.cells[input.standardId] === verdict : row.worst === verdict,
    );
  }
  const rank = (v: Verdict | null | undefined) =>
    v === null || v === undefined ? VERDICT_RANK.length : VERDICT_RANK.indexOf(v);
  // The same key the stored matrix pages by: (lead, name, id).
  const keyOf = (row: (typeof rows)[number]): (string | number)[] => {
    const tail = [row.name, row.practitionerId];
    if (input.sort === "clinic") return [row.clinicName, ...tail];
    if (input.sort === "worst") return [rank(row.worst), ...tail];
    if (input.sort === "standard") return [rank(row.cells[input.sortStandardId ?? ""]), ...tail];
    return tail;
  };
  const compare = (a: (string | number)[], b: (string | number)[]) => {
    for (let i = 0; i < a.length; i += 1) {
      const x = a[i] as string | number;
      const y = b[i] as string | number;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
  rows.sort((a, b) => compare(keyOf(a), keyOf(b)));
  const total = rows.length;
  if (input.cursor) {
    const after = decodeCursor(input.cursor, input.sort === "name" ? 2 : 3);
    rows = rows.filter((row) => compare(keyOf(row), after) > 0);
  }
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  const titles = appliedTitles(applied);
  const shown = input.standardId
    ? [input.standardId].filter((id) => titles.has(id))
    : [...titles.keys()].sort();
  return {
    asOf,
    standards: shown.map((standardId) => ({
      standardId,
      version: titles.get(standardId)?.version ?? 0,
      title: titles.get(standardId)?.title ?? standardId,
    })),
    total,
    nextCursor: rows.length > input.limit && last ? encodeCursor(keyOf(last)) : null,
    rows: pageRows,
  };
}
