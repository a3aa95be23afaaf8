import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createDb, type DbHandle } from "./create-db.ts";
import { migrateToLatest } from "./migrate.ts";
import { countOrganizations } from "./repos/organizations.repo.ts";
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
