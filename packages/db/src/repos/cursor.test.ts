import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import { afterKey } from "./cursor.ts";

/** Keys with ties on the first column, in no particular order. */
const KEYS: [string, string][] = [
  ["b", "2"],
  ["a", "9"],
  ["c", "1"],
  ["b", "1"],
  ["a", "3"],
  ["b", "7"],
  ["c", "0"],
];

describe.each(await testDialects())("keyset cursors on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  /** Every key, two at a time, each page after the last key of the one before. */
  async function pageThrough(direction: "asc" | "desc"): Promise<string[]> {
    const rows = sql.join(KEYS.map(([a, b]) => sql`(${a}, ${b})`));
    const order = sql.raw(direction);
    const seen: string[] = [];
    let last: [string, string] | null = null;
    // Bounded: a cursor that does not move on would otherwise page forever.
    for (let pages = 0; pages < KEYS.length; pages += 1) {
      const where = last ? afterKey(["k.a", "k.b"], last, direction) : sql`1 = 1`;
      const page = await sql<{ a: string; b: string }>`
        with k(a, b) as (values ${rows})
        select k.a, k.b from k where ${where} order by k.a ${order}, k.b ${order} limit 2
      `.execute(handle.db);
      if (page.rows.length === 0) return seen;
      seen.push(...page.rows.map((row) => `${row.a}${row.b}`));
      const end = page.rows.at(-1) as { a: string; b: string };
      last = [end.a, end.b];
    }
    return seen;
  }

  test("pages ascending through ties on the first column, missing none", async () => {
    expect(await pageThrough("asc")).toEqual(["a3", "a9", "b1", "b2", "b7", "c0", "c1"]);
  });

  test("pages descending the same way", async () => {
    expect(await pageThrough("desc")).toEqual(["c1", "c0", "b7", "b2", "b1", "a9", "a3"]);
  });
});
