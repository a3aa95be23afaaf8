/**
 * The one module that reads the wall clock (DEVELOPERS.md: "only the hosts and one clock module").
 * Everything else takes a `Clock` from its caller: hosts (API, CLI, admin server, seed) pass
 * `systemClock`, tests pass `fixedClock(...)`, so no result depends on the day the code runs.
 * The lint rule in tooling/biome/no-wall-clock.grit refuses any other read.
 */

/** Where "now" comes from. */
export type Clock = () => Date;

/** The real time. Only hosts use it. */
// biome-ignore lint/plugin: the one read of the wall clock.
export const systemClock: Clock = () => new Date();

/** A clock stopped at `instant` (an ISO timestamp or a Date): every call returns a fresh copy. */
export function fixedClock(instant: string | Date): Clock {
  const ms = typeof instant === "string" ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new Error(`fixedClock: not an instant: ${String(instant)}`);
  return () => new Date(ms);
}

/** The UTC calendar date (YYYY-MM-DD) of an instant. */
export function utcDateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Builds the first zoned formatter, which loads ICU's time-zone data (about 20 ms, once per
 * process), so that a host pays for it while starting instead of during its first request.
 */
export function preloadTimeZoneData(): void {
  localDateOf(new Date(0), "UTC");
}

/**
 * The calendar date (YYYY-MM-DD) an instant falls on in an IANA time zone: "today" for a clinic
 * in `timeZone` at `instant`. Throws a RangeError for a zone Intl does not know.
 */
export function localDateOf(instant: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year").padStart(4, "0")}-${part("month")}-${part("day")}`;
}
