import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, test } from "vitest";
import { createDb, findRepoRoot, resolveDbTarget } from "./create-db.ts";
import { loadDbEnv } from "./env.ts";
import { BUSY_WAIT_MS } from "./sqlite-writers.ts";

describe("loadDbEnv", () => {
  test.each([
    [{}, { DATABASE_URL: undefined, DN_SQLITE_PATH: undefined }],
    [{ DATABASE_URL: "" }, { DATABASE_URL: undefined, DN_SQLITE_PATH: undefined }],
    [
      { DATABASE_URL: "postgres://u@h:5432/d", DN_SQLITE_PATH: "/tmp/x.sqlite" },
      { DATABASE_URL: "postgres://u@h:5432/d", DN_SQLITE_PATH: "/tmp/x.sqlite" },
    ],
    [
      { DATABASE_URL: "postgresql://u@h/d" },
      { DATABASE_URL: "postgresql://u@h/d", DN_SQLITE_PATH: undefined },
    ],
  ])("accepts %j", (source, expected) => {
    expect(loadDbEnv(source)).toEqual(expected);
  });

  test("refuses a DATABASE_URL that is not PostgreSQL, naming the variable", () => {
    expect(() => loadDbEnv({ DATABASE_URL: "mysql://u@h/d" })).toThrow(
      /DATABASE_URL must be a postgres/,
    );
  });
});

describe("resolveDbTarget", () => {
  test("explicit options win over the environment", () => {
    expect(resolveDbTarget({ sqlitePath: ":memory:" })).toEqual({
      dialect: "sqlite",
      path: ":memory:",
    });
    expect(resolveDbTarget({ databaseUrl: "postgres://x@y/z", searchPath: "s" })).toEqual({
      dialect: "postgres",
      url: "postgres://x@y/z",
      searchPath: "s",
    });
  });

  test("the repo root is the nearest directory with pnpm-workspace.yaml", () => {
    const root = findRepoRoot(import.meta.dirname);
    expect(root).not.toBeNull();
    expect(existsSync(join(root ?? "", "pnpm-workspace.yaml"))).toBe(true);
    expect(findRepoRoot(tmpdir())).toBeNull();
  });
});

describe("createDb with SQLite", () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  test("creates the file's directory and turns on WAL, foreign keys and a short busy timeout", async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-createdb-"));
    const path = join(dir, "nested", "deeper", "dn.sqlite");
    const handle = createDb({ sqlitePath: path });
    try {
      expect(handle.dialect).toBe("sqlite");
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(handle.db);
      const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(handle.db);
      const timeout = await sql<{ timeout: number }>`pragma busy_timeout`.execute(handle.db);
      expect(journal.rows[0]).toEqual({ journalMode: "wal" });
      expect(keys.rows[0]).toEqual({ foreignKeys: 1 });
      // Short: longer waits are retried without blocking the event loop (sqlite-writers.ts).
      expect(timeout.rows[0]).toEqual({ timeout: BUSY_WAIT_MS });
      expect(existsSync(path)).toBe(true);
    } finally {
      await handle.destroy();
    }
  });
});
