import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDb, type DbHandle, type DialectName } from "../create-db.ts";
import { migrateToLatest } from "../migrate.ts";
import { loadTestEnv } from "./env.ts";

export interface CreateTestDbOptions {
  dialect: DialectName;
  /** SQLite only: a real temporary file (WAL) instead of `:memory:` (default false). */
  file?: boolean;
}

/**
 * A fresh, migrated database for one test. SQLite: in memory or a temp file. PostgreSQL: a new
 * uniquely named schema in the test database, used by every pooled connection (search_path) and
 * dropped by `destroy()`.
 */
export async function createTestDb(options: CreateTestDbOptions): Promise<DbHandle> {
  if (options.dialect === "sqlite") {
    const dir = options.file ? mkdtempSync(join(tmpdir(), "dn-test-")) : null;
    const handle = createDb({ sqlitePath: dir ? join(dir, "test.sqlite") : ":memory:" });
    await migrateToLatest(handle.db);
    return {
      ...handle,
      destroy: async () => {
        await handle.destroy();
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const url = loadTestEnv().PG_TEST_URL;
  const schema = `dn_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await withClient(url, (client) => client.query(`create schema "${schema}"`));
  const handle = createDb({ databaseUrl: url, searchPath: schema, poolSize: 4 });
  try {
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle.destroy();
    await withClient(url, (client) => client.query(`drop schema if exists "${schema}" cascade`));
    throw error;
  }
  return {
    ...handle,
    destroy: async () => {
      await handle.destroy();
      await withClient(url, (client) => client.query(`drop schema if exists "${schema}" cascade`));
    },
  };
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

let dialectsPromise: Promise<DialectName[]> | null = null;

/**
 * The dialects a suite runs against (`describe.each(await testDialects())`): SQLite always;
 * PostgreSQL when the test server answers. On CI an unreachable server is an error (CI never
 * skips); locally it is skipped with a loud warning.
 */
export function testDialects(): Promise<DialectName[]> {
  dialectsPromise ??= resolveDialects();
  return dialectsPromise;
}

async function resolveDialects(): Promise<DialectName[]> {
  const env = loadTestEnv();
  const wanted = env.DN_TEST_DIALECTS ?? ["sqlite", "postgres"];
  const dialects: DialectName[] = wanted.includes("sqlite") ? ["sqlite"] : [];
  if (!wanted.includes("postgres")) return dialects;

  const reason = await postgresUnreachableReason(env.PG_TEST_URL);
  if (reason === null) return [...dialects, "postgres"];
  const where = redactPassword(env.PG_TEST_URL);
  if (env.CI) {
    throw new Error(`PostgreSQL is required on CI but there is no server at ${where}: ${reason}`);
  }
  console.warn(
    [
      "",
      "=".repeat(78),
      `  PostgreSQL tests SKIPPED: no server at ${where} (${reason}).`,
      "  Only SQLite was tested. Start PostgreSQL or set PG_TEST_URL to run both dialects.",
      "=".repeat(78),
      "",
    ].join("\n"),
  );
  return dialects;
}

async function postgresUnreachableReason(url: string): Promise<string | null> {
  try {
    await withClient(url, (client) => client.query("select 1"));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function redactPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
