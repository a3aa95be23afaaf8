/**
 * "Today" is a clinic's local date (docs/decisions/052-clinic-time-zones.md): at 03:00 UTC on
 * 28 November a Los Angeles clinic is still on the 27th, so what is due on the 27th is due today
 * there, not overdue. A request may name its date (`asOf`), which then holds for everyone;
 * otherwise each practitioner is evaluated on their own clinic's date at the service's clock.
 */
import { localDateOf } from "@dn/clock";
import { upcomingDeadlines } from "@dn/compliance";
import type { Db } from "@dn/db";
import type { Clinic, Deadline } from "@dn/schema";
import {
  activeOn,
  evaluateStaff,
  type OrganizationRules,
  type StaffEvaluation,
  type StaffMember,
} from "./staff-compliance.ts";

/** A date the caller chose for everyone, or the instant whose date each clinic reads locally. */
export type Today = { asOf: string } | { at: Date };

/** The caller's `asOf` when given, else each clinic's date at `now`. */
export function todayFrom(asOf: string | undefined, now: Date): Today {
  return asOf === undefined ? { at: now } : { asOf };
}

/** The date `today` is at `clinic` (UTC for a clinic not known, which the schema prevents). */
export function dateAt(today: Today, clinic: Pick<Clinic, "timeZone"> | undefined): string {
  if ("asOf" in today) return today.asOf;
  return localDateOf(today.at, clinic?.timeZone ?? "UTC");
}

/**
 * The one date a view names ("as of …") when its rows may each have their own: the chosen date,
 * or the latest of `clinics`' dates (a clinic east of the others has already reached it), or
 * the UTC date when there is no clinic.
 */
export function headlineDate(today: Today, clinics: Iterable<Pick<Clinic, "timeZone">>): string {
  if ("asOf" in today) return today.asOf;
  let latest: string | null = null;
  for (const clinic of clinics) {
    const date = dateAt(today, clinic);
    if (latest === null || date > latest) latest = date;
  }
  return latest ?? dateAt(today, undefined);
}

/**
 * The dates a run for the whole organization used, for its audit row: the one date when every
 * open clinic shares it (or it was chosen), else each open clinic's date by clinic id.
 */
export function datesOfClinics(
  today: Today,
  clinics: readonly Pick<Clinic, "id" | "timeZone" | "archivedAt">[],
): string | Record<string, string> {
  const open = clinics.filter((clinic) => clinic.archivedAt === null);
  const dates = Object.fromEntries(open.map((clinic) => [clinic.id, dateAt(today, clinic)]));
  const distinct = new Set(Object.values(dates));
  if (distinct.size <= 1) return headlineDate(today, open);
  return dates;
}

export interface DatedEvaluation {
  /** The date this practitioner was evaluated as of: their clinic's today. */
  asOf: string;
  entry: StaffEvaluation;
}

/** Evaluates each of `staff` active on their clinic's date, as of that date. */
export async function evaluateOnToday(
  db: Db,
  rules: OrganizationRules,
  staff: readonly StaffMember[],
  today: Today,
): Promise<DatedEvaluation[]> {
  const byDate = new Map<string, StaffMember[]>();
  for (const practitioner of staff) {
    const asOf = dateAt(today, rules.clinics.get(practitioner.clinicId));
    if (!activeOn(practitioner, asOf)) continue;
    byDate.set(asOf, [...(byDate.get(asOf) ?? []), practitioner]);
  }
  const dated: DatedEvaluation[] = [];
  for (const [asOf, group] of byDate) {
    const evaluated = await evaluateStaff(db, rules, group, [{ asOf }]);
    for (const entry of evaluated.get(asOf) ?? []) dated.push({ asOf, entry });
  }
  return dated;
}

/** What lapses within `withinDays` of each practitioner's own date, soonest first. */
export function deadlinesOnToday(
  dated: readonly DatedEvaluation[],
  withinDays: number,
): Deadline[] {
  const byDate = new Map<string, DatedEvaluation[]>();
  for (const item of dated) byDate.set(item.asOf, [...(byDate.get(item.asOf) ?? []), item]);
  const deadlines: Deadline[] = [];
  for (const [asOf, group] of byDate) {
    const sources = group.map(({ entry }) => ({
      practitioner: entry.practitioner,
      dossier: entry.dossier,
      evaluations: [...entry.evaluations.values()],
    }));
    deadlines.push(...upcomingDeadlines(sources, { asOf, withinDays }));
  }
  // The order upcomingDeadlines gives within one date, across all of them.
  return deadlines.sort(
    (a, b) =>
      a.daysLeft - b.daysLeft ||
      a.practitionerName.localeCompare(b.practitionerName) ||
      a.title.localeCompare(b.title),
  );
}
