import type { Kysely } from "kysely";
import type { Database } from "../database.ts";

/** A database handle or an open transaction: every repository function takes one first. */
export type Db = Kysely<Database>;

/** An instant normalised to the stored form (`toISOString`, UTC, milliseconds). */
export function toStoredInstant(instant: string | Date): string {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${String(instant)}`);
  return date.toISOString();
}
