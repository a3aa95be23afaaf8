/**
 * Which daily runs are due (pure): each organization's alerts and digests run once a day per
 * time zone its clinics are in, from DAILY_RUN_HOUR local time, for that zone's local date.
 */
import { localDateOf } from "@dn/clock";
import type { DailyRun } from "./queue.ts";

/** Local hour (0-23) from which the day's alerts and digests are sent. */
export const DAILY_RUN_HOUR = 6;

const hourFormats = new Map<string, Intl.DateTimeFormat>();

/** The hour of the day (0-23) at `instant` in `timeZone`. */
export function localHourOf(instant: Date, timeZone: string): number {
  let format = hourFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" });
    hourFormats.set(timeZone, format);
  }
  const hour = format.formatToParts(instant).find((part) => part.type === "hour")?.value;
  return Number(hour) % 24;
}

/** The runs due at `now` for these (organization, time zone) pairs; claims make them once-only. */
export function dueDailyRuns(
  zones: readonly { organizationId: string; timeZone: string }[],
  now: Date,
  hour = DAILY_RUN_HOUR,
): DailyRun[] {
  return zones
    .filter((zone) => localHourOf(now, zone.timeZone) >= hour)
    .map((zone) => ({
      organizationId: zone.organizationId,
      timeZone: zone.timeZone,
      localDate: localDateOf(now, zone.timeZone),
    }));
}
