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
