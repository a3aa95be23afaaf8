import { type Kysely, type RawBuilder, type SqlBool, sql } from "kysely";
import type { Database } from "../database.ts";
import { isPostgres } from "../migrate.ts";

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

/**
 * `column = value`, as a condition no index is chosen for on SQLite (its unary `+`): for
 * statements that find their rows by a list of primary keys and say the organization as a
 * safeguard. Without statistics SQLite's planner takes the organization's equality on an index
 * led by `organization_id` to be as narrow as the keys, and walks every row of the organization
 * (at 100,000 staff, marking one practitioner stale read 100,000 index entries). PostgreSQL
 * plans by its statistics and gets the plain condition.
 */
export function equalsWithoutIndex(db: Db, column: string, value: string): RawBuilder<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${sql.ref(column)} = ${value}`
    : sql<SqlBool>`+${sql.ref(column)} = ${value}`;
}

/**
 * How many values one `IN (...)` list carries at most. SQLite refuses a statement with more than
 * 32,766 variables and PostgreSQL more than 65,535 parameters, so a list of ids that may cover a
 * whole organization is queried in chunks of this size (decision 058).
 */
export const IN_LIST_CHUNK = 500;

/** `values` in consecutive slices of at most `size` (duplicates removed, order kept). */
export function chunksOf<T>(values: Iterable<T>, size: number = IN_LIST_CHUNK): T[][] {
  const unique = [...new Set(values)];
  const chunks: T[][] = [];
  for (let i = 0; i < unique.length; i += size) chunks.push(unique.slice(i, i + size));
  return chunks;
}
