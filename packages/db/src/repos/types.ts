import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../database.ts";

/** A database handle or an open transaction: every repository function takes one first. */
export type Db = Kysely<Database>;

/** An instant normalised to the stored form (`toISOString`, UTC, milliseconds). */
export function toStoredInstant(instant: string | Date): string {
  const date = typeof instant === "string" ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${String(instant)}`);
  return date.toISOString();
}

/**
 * A condition keeping rows whose `column` is one of `clinicIds` (a manager's few clinics): an
 * empty list keeps nothing, as an empty scope reaches nothing.
 */
export function inClinics(column: string, clinicIds: readonly string[]): RawBuilder<SqlBool> {
  if (clinicIds.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join([...clinicIds])})`;
}
