import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createDb, type DbHandle } from "./create-db.ts";
import { migrateToLatest } from "./migrate.ts";
import { countOrganizations } from "./repos/organizations.repo.ts";
import { withStatementCache } from "./sqlite-writers.ts";
import { buildOrganization } from "./testing/builders.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two handles on one SQLite file stand for two processes (the API and a CLI import): each has its
 * own connection and its own locks, exactly as separate processes would.
 */
describe("SQLite writers on one file", () => {
  let dir: string;
  let importer: DbHandle;
  let api: DbHandle;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-writers-"));
    const path = join(dir, "dn.sqlite");
    importer = createDb({ sqlitePath: path });
    await migrateToLatest(importer.db);
    api = createDb({ sqlitePath: path });
  });
  afterEach(async () => {
    await importer.destroy();
    await api.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("writes made while a long import holds the lock wait for it instead of failing", async () => {
    let importing = true;
    const longImport = importer.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 20; i += 1) {
        await buildOrganization(trx, { name: `Imported ${i}` });
        await sleep(25); // the import's own work between rows: the event loop stays free
      }
      importing = false;
    });
    await sleep(50);
    expect(importing).toBe(true);
    // A transaction that reads and then writes (the case a busy timeout cannot save when it
    // starts deferred), and plain single-statement writes, all during the import.
    const readThenWrite = api.db.transaction().execute(async (trx) => {
      const seen = await countOrganizations(trx);
      await buildOrganization(trx, { name: `After ${seen}` });
      return seen;
    });
    const singles = Array.from({ length: 10 }, (_, i) =>
      buildOrganization(api.db, { name: `API write ${i}` }),
    );
    const [seen] = await Promise.all([readThenWrite, ...singles, longImport]);
    // The API's transaction began only once the import had committed: it saw all 20 rows.
    expect(seen).toBe(20);
    expect(await countOrganizations(api.db)).toBe(31);
  });

  test("a transaction that fails rolls back and releases the lock for the next writer", async () => {
    await expect(
      importer.db.transaction().execute(async (trx) => {
        await buildOrganization(trx, { name: "Half done" });
        throw new Error("the import found a bad row");
      }),
    ).rejects.toThrow("the import found a bad row");
    await buildOrganization(api.db, { name: "Next" });
    expect(await countOrganizations(api.db)).toBe(1);
  });
});

describe("prepared statements reused by SQL text", () => {
  test("the same text gets the same statement, the least recently used goes first, and one being iterated is never shared", () => {
    const sqlite = new BetterSqlite3(":memory:");
    try {
      sqlite.exec("create table t (n integer); insert into t values (1), (2), (3);");
      const database = withStatementCache(sqlite, 2);
      const a = database.prepare("select n from t where n = ?");
      expect(database.prepare("select n from t where n = ?")).toBe(a);
      const b = database.prepare("select n from t order by n");
      // Using `a` again makes `b` the least recently used: the next new text pushes `b` out.
      expect(database.prepare("select n from t where n = ?")).toBe(a);
      database.prepare("select count(*) from t");
      expect(database.prepare("select n from t order by n")).not.toBe(b);

      // A streamed query holds its statement until it is done: the same text meanwhile gets its own.
      const streaming = database.prepare("select n from t order by n") as BetterSqlite3.Statement;
      const rows = streaming.iterate([]);
      expect(rows.next().value).toEqual({ n: 1 });
      const meanwhile = database.prepare("select n from t order by n");
      expect(meanwhile).not.toBe(streaming);
      expect(meanwhile.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect([...rows]).toEqual([{ n: 2 }, { n: 3 }]);
      expect(database.prepare("select n from t order by n")).toBe(streaming);
    } finally {
      sqlite.close();
    }
  });
});
