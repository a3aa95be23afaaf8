import { type Hours, totalHours } from "@dn/schema";

/** An ISO instant shown in UTC as "YYYY-MM-DD HH:MM UTC" (no local time-zone shift). */
export function formatInstant(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "3 h theory" or "27 h (12 theory, 15 practical)"; "—" when no hours were logged. */
export function formatHours(hours: Hours): string {
  const modes = (
    [
      ["theory", hours.theory],
      ["practical", hours.practical],
      ["online", hours.online],
    ] as const
  ).filter(([, value]) => value > 0);
  const [only] = modes;
  if (!only) return "—";
  if (modes.length === 1) return `${formatNumber(only[1])} h ${only[0]}`;
  const parts = modes.map(([mode, value]) => `${formatNumber(value)} ${mode}`);
  return `${formatNumber(totalHours(hours))} h (${parts.join(", ")})`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, "");
}
