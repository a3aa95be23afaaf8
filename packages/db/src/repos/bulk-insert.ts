import { CompiledQuery } from "kysely";
import { isPostgres } from "../migrate.ts";
import type { Db } from "./types.ts";

/** Bound values per statement: far below SQLite's 32,766 and PostgreSQL's 65,535. */
const VALUES_PER_STATEMENT = 6000;

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Statement texts by dialect, table, columns and row count: an import reuses a handful. */
const statements = new Map<string, string>();

function statementFor(postgres: boolean, table: string, columns: readonly string[], rows: number) {
  const key = `${postgres ? "pg" : "sqlite"}\u0000${table}\u0000${columns.join(",")}\u0000${rows}`;
  let text = statements.get(key);
  if (!text) {
    let n = 0;
    const tuple = () => `(${columns.map(() => (postgres ? `$${++n}` : "?")).join(",")})`;
    const names = columns.map((column) => `"${snakeCase(column)}"`).join(",");
    text = `insert into "${snakeCase(table)}" (${names}) values ${Array.from({ length: rows }, tuple).join(",")}`;
    statements.set(key, text);
  }
  return text;
}

/**
 * Inserts `rows` (camelCase keys, every row setting the first row's keys) into `table` in
 * multi-row statements whose text is built once and reused. What kysely's insert builder
 * writes, without parsing every value of every row into a query tree first: that was a third
 * of a bulk import's time (decision 058). Values are bound as given, as kysely binds them.
 */
export async function bulkInsert(
  db: Db,
  table: string,
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  // A key left undefined is not written (the column's default), as kysely leaves it out.
  const columns = Object.keys(first).filter((column) => first[column] !== undefined);
  const postgres = isPostgres(db);
  const perStatement = Math.max(1, Math.floor(VALUES_PER_STATEMENT / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const end = Math.min(rows.length, start + perStatement);
    const parameters: unknown[] = [];
    for (let i = start; i < end; i += 1) {
      const row = rows[i] as Record<string, unknown>;
      for (const column of columns) {
        const value = row[column];
        if (value === undefined)
          throw new Error(`bulkInsert into ${table}: row ${i} has no ${column}`);
        parameters.push(value);
      }
    }
    await db.executeQuery(
      CompiledQuery.raw(statementFor(postgres, table, columns, end - start), parameters),
    );
  }
}
