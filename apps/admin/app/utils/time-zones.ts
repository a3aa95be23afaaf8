/**
 * The time zone picker's choices: the zones US clinics use first, by their everyday names, then
 * every zone this system knows. A clinic's "today" is the date in its zone, so the choice matters.
 */

/** The zones of the fifty states and Puerto Rico, in the order people expect. */
export const COMMON_TIME_ZONES = [
  { value: "America/New_York", label: "Eastern time (New York)" },
  { value: "America/Chicago", label: "Central time (Chicago)" },
  { value: "America/Denver", label: "Mountain time (Denver)" },
  { value: "America/Phoenix", label: "Mountain time without daylight saving (Phoenix)" },
  { value: "America/Los_Angeles", label: "Pacific time (Los Angeles)" },
  { value: "America/Anchorage", label: "Alaska time (Anchorage)" },
  { value: "Pacific/Honolulu", label: "Hawaii time (Honolulu)" },
  { value: "America/Puerto_Rico", label: "Atlantic time (Puerto Rico)" },
] as const;

export interface TimeZoneChoices {
  common: { value: string; label: string }[];
  /** Every other zone, by name; includes `current` when it is an alias not otherwise listed. */
  others: string[];
}

/**
 * The choices for a picker whose value is `current` (a stored zone may be an alias such as
 * America/Indiana/Indianapolis, which must stay selectable). Computed on the server so the page
 * renders the same list the browser hydrates.
 */
export function timeZoneChoices(current?: string | null): TimeZoneChoices {
  const common = COMMON_TIME_ZONES.map((zone) => ({ ...zone }));
  const listed = new Set<string>(common.map((zone) => zone.value));
  const others = new Set<string>(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  if (current) others.add(current);
  return {
    common,
    others: [...others].filter((zone) => !listed.has(zone)).sort((a, b) => a.localeCompare(b)),
  };
}
