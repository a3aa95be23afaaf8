/**
 * "Not in the future" checks on input dates. They need today, which schemas cannot know (they
 * never read the clock), so services run them with the caller's clock before writing anything.
 */
import type { Clock } from "@dn/clock";
import { utcDateOf } from "@dn/clock";
import { badRequest } from "../errors.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The latest date a user anywhere can mean as "today": the UTC date of `now` plus one day, the
 * grace for time zones ahead of UTC.
 */
export function latestPlausibleToday(now: Date): string {
  return utcDateOf(new Date(now.getTime() + DAY_MS));
}

/** Refuses, naming the field, any of `dates` (field path -> YYYY-MM-DD) after today. */
export function requireDatesNotInFuture(
  ctx: { now: Clock },
  dates: Record<string, string | null | undefined>,
): void {
  const latest = latestPlausibleToday(ctx.now());
  for (const [field, date] of Object.entries(dates)) {
    if (date != null && date > latest) throw badRequest("must not be in the future", field);
  }
}

/** Refuses, naming the field, any of `years` (field path -> year) after this year. */
export function requireYearsNotInFuture(
  ctx: { now: Clock },
  years: Record<string, number | null | undefined>,
): void {
  const latest = Number(latestPlausibleToday(ctx.now()).slice(0, 4));
  for (const [field, year] of Object.entries(years)) {
    if (year != null && year > latest) throw badRequest("must not be in the future", field);
  }
}
