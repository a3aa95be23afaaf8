/**
 * The manager's dashboard and staff matrix: verdicts per standard and per clinic, what lapses
 * soon, unverified evidence, and a 12-month trend of the share of qualified staff, each month
 * evaluated as of its last day with what was known then (`knownAt`), so the past is not
 * rewritten by later entries.
 */
import { countUnverifiedEvidence, findClinicById, listStaffOfOrganization } from "@dn/db";
import type { Clinic, Dashboard, Matrix } from "@dn/schema";
import { type MatrixInput, MatrixInputSchema, VERDICT_NAMES } from "@dn/schema";
import { notFound } from "../errors.ts";
import { deadlinesOnToday, evaluateOnToday, headlineDate, todayFrom } from "./clinic-today.ts";
import type { ServiceContext } from "./context.ts";
import { clinicIdsOf, requireClinicInReach, requireWideReach } from "./guards.ts";
import {
  activeOn,
  evaluateStaff,
  loadOrganizationRules,
  type OrganizationRules,
  standardTitle,
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

export async function getDashboard(
  ctx: ServiceContext,
  input: { asOf?: string; clinicId?: string },
): Promise<Dashboard> {
  const clinics = await requireClinics(ctx, input.clinicId);
  const today = todayFrom(input.asOf, ctx.now());
  const organizationId = ctx.actor.organizationId;
  const [rules, staff, unverified] = await Promise.all([
    loadOrganizationRules(ctx.db, organizationId),
    listStaffOfOrganization(ctx.db, organizationId, clinics),
    countUnverifiedEvidence(ctx.db, organizationId, clinics),
  ]);
  const asOf = headlineDate(today, clinicsShown(rules, clinics));
  const dates = trendDates(asOf);
  // Past months as of their last day; this month as of each practitioner's clinic's today.
  const evaluated = await evaluateStaff(ctx.db, rules, staff, dates.slice(0, -1));
  const dated = await evaluateOnToday(ctx.db, rules, staff, today);
  const current = dated.map((item) => item.entry);

  const byStandard = new Map<string, Record<Verdict, number>>();
  const byClinic = new Map<string, Record<Verdict, number>>();
  for (const entry of current) {
    for (const [standardId, evaluation] of entry.evaluations) {
      const counts = byStandard.get(standardId) ?? emptyCounts();
      counts[evaluation.status] += 1;
      byStandard.set(standardId, counts);
    }
    const worst = worstVerdict(entry.evaluations.values());
    if (worst) {
      const counts = byClinic.get(entry.practitioner.clinicId) ?? emptyCounts();
      counts[worst] += 1;
      byClinic.set(entry.practitioner.clinicId, counts);
    }
  }

  const lapsingSoon = deadlinesOnToday(dated, 30);

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
      share: active.length === 0 ? 0 : qualified / active.length,
    };
  });

  return {
    asOf,
    practitionerCount: current.length,
    byStandard: [...byStandard.entries()]
      .map(([standardId, counts]) => ({
        standardId,
        title: standardTitle(rules, standardId),
        counts,
      }))
      .sort((a, b) => a.standardId.localeCompare(b.standardId)),
    byClinic: [...rules.clinics.values()]
      .filter((clinic) =>
        typeof clinics === "string"
          ? clinic.id === clinics
          : covers(clinics, clinic.id) && (clinic.archivedAt === null || byClinic.has(clinic.id)),
      )
      .map((clinic) => ({
        clinicId: clinic.id,
        name: clinic.name,
        jurisdiction: clinic.jurisdiction,
        counts: byClinic.get(clinic.id) ?? emptyCounts(),
      })),
    lapsingSoon,
    unverified,
    trend,
  };
}

/** Practitioner × applicable standard, with filters and sorting. */
export async function getMatrix(ctx: ServiceContext, raw: MatrixInput): Promise<Matrix> {
  const input = MatrixInputSchema.parse(raw);
  const clinics = await requireClinics(ctx, input.clinicId);
  const today = todayFrom(input.asOf, ctx.now());
  const [rules, staff] = await Promise.all([
    loadOrganizationRules(ctx.db, ctx.actor.organizationId),
    listStaffOfOrganization(ctx.db, ctx.actor.organizationId, clinics),
  ]);
  const search = input.search?.toLowerCase();
  const asOf = headlineDate(today, clinicsShown(rules, clinics));
  const matching = staff.filter((p) => !search || p.name.toLowerCase().includes(search));
  const evaluated = (await evaluateOnToday(ctx.db, rules, matching, today)).map((d) => d.entry);
  const standardIds = new Set<string>();
  let rows = evaluated.map((entry) => {
    const cells: Record<string, Verdict> = {};
    for (const [standardId, evaluation] of entry.evaluations) {
      cells[standardId] = evaluation.status;
      standardIds.add(standardId);
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
  const rank = (v: Verdict | null) => (v === null ? VERDICT_RANK.length : VERDICT_RANK.indexOf(v));
  rows.sort((a, b) => {
    if (input.sort === "clinic")
      return a.clinicName.localeCompare(b.clinicName) || a.name.localeCompare(b.name);
    if (input.sort === "worst")
      return rank(a.worst) - rank(b.worst) || a.name.localeCompare(b.name);
    return a.name.localeCompare(b.name);
  });
  const shown = input.standardId
    ? [input.standardId].filter((id) => standardIds.has(id))
    : [...standardIds].sort();
  return {
    asOf,
    standards: shown.map((standardId) => ({ standardId, title: standardTitle(rules, standardId) })),
    rows,
  };
}
