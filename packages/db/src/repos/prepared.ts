import { type Compilable, CompiledQuery } from "kysely";
import type { Db } from "./types.ts";

const SLOT = "\u0000slot:";

/**
 * A query built and compiled once per database handle, then run with new values: for the few
 * queries on every request (the session, the audit chain head), where kysely building and
 * compiling the query took longer than SQLite answering it (decision 061). `build` names each
 * value it takes with `slot(name)`; every other value in it is a constant of the query. The
 * plugins' result transforms (camelCase) still apply.
 */
export function preparedQuery<Row, Names extends string>(
  build: (db: Db, slot: (name: Names) => never) => Compilable<Row>,
): (db: Db, params: Record<Names, unknown>) => Promise<Row[]> {
  type Params = Record<Names, unknown>;
  const compiled = new WeakMap<Db, { sql: string; values: ((params: Params) => unknown)[] }>();
  const compile = (db: Db) => {
    const query = build(db, (name) => `${SLOT}${name}` as never).compile();
    const values = query.parameters.map((value) => {
      if (typeof value === "string" && value.startsWith(SLOT)) {
        const name = value.slice(SLOT.length) as Names;
        return (params: Params) => params[name];
      }
      return () => value;
    });
    const entry = { sql: query.sql, values };
    compiled.set(db, entry);
    return entry;
  };
  return async (db, params) => {
    const { sql, values } = compiled.get(db) ?? compile(db);
    const result = await db.executeQuery<Row>(
      CompiledQuery.raw(
        sql,
        values.map((value) => value(params)),
      ),
    );
    return result.rows;
  };
}
