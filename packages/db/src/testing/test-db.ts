import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { createDb, type DbHandle, type DialectName, sqliteDbHandle } from "../create-db.ts";
import { migrateToLatest } from "../migrate.ts";
import { loadTestEnv } from "./env.ts";

export interface CreateTestDbOptions {
  dialect: DialectName;
  /** SQLite only: a real temporary file (WAL) instead of an in-memory database (default false). */
  file?: boolean;
}

export interface TestDbHandle extends DbHandle {
  /** PostgreSQL only: this test's database, for tests that open a second handle on it. */
  readonly url?: string;
}

/**
 * A fresh, migrated database for one test, copied from a template that is migrated once:
 * - SQLite: the migrated database is serialized once per test file; each test opens a copy in
 *   memory (or written to a temporary file with `file: true`).
 * - PostgreSQL: one template database per set of migrations (`dn_tpl_<hash>`), built once under
 *   an advisory lock and shared by every worker and package; each test gets its own database
 *   (`CREATE DATABASE ... TEMPLATE`), dropped by `destroy()`.
 * A database per test, rather than a schema, means no connection can see another test's tables
 * and no search_path is involved; and migrating once removes the per-test migration that every
 * worker used to queue for behind kysely's single migration lock.
 */
export async function createTestDb(options: CreateTestDbOptions): Promise<TestDbHandle> {
  return options.dialect === "sqlite"
    ? createSqliteTestDb(options.file ?? false)
    : createPostgresTestDb();
}

// ---------------------------------------------------------------------------------------------
// Migrations fingerprint: a template is reused only for exactly these migrations.
// ---------------------------------------------------------------------------------------------

const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));

let fingerprint: string | null = null;
function migrationsFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash("sha256");
  for (const name of readdirSync(MIGRATIONS_DIR).sort()) {
    hash
      .update(name)
      .update("\0")
      .update(readFileSync(join(MIGRATIONS_DIR, name)))
      .update("\0");
  }
  fingerprint = hash.digest("hex").slice(0, 16);
  return fingerprint;
}

// ---------------------------------------------------------------------------------------------
// SQLite
// ---------------------------------------------------------------------------------------------

let sqliteImage: Promise<Buffer> | null = null;

/** The migrated empty database as bytes, built once per test file. */
function migratedSqliteImage(): Promise<Buffer> {
  sqliteImage ??= (async () => {
    const sqlite = new BetterSqlite3(":memory:");
    const handle = sqliteDbHandle(sqlite);
    try {
      await migrateToLatest(handle.db);
      return sqlite.serialize();
    } finally {
      await handle.destroy();
    }
  })();
  return sqliteImage;
}

async function createSqliteTestDb(file: boolean): Promise<DbHandle> {
  const image = await migratedSqliteImage();
  if (!file) return sqliteDbHandle(new BetterSqlite3(image));
  const dir = await mkdtemp(join(tmpdir(), "dn-test-"));
  const path = join(dir, "test.sqlite");
  writeFileSync(path, image);
  const handle = createDb({ sqlitePath: path });
  return {
    ...handle,
    destroy: async () => {
      await handle.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

/** Any fixed 64-bit key: only test-template builders take this advisory lock. */
const TEMPLATE_LOCK_KEY = 7_310_402_118;

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

let templateReady: Promise<string> | null = null;

/** True when the template's migrations were recorded later than the server's clock reads now. */
export async function builtInTheFuture(url: string, template: string): Promise<boolean> {
  return withClient(databaseUrl(url, template), async (client) => {
    const { rows } = await client.query<{ ahead: boolean }>(
      "select coalesce(max(timestamp::timestamptz) > now(), false) as ahead from kysely_migration",
    );
    return rows[0]?.ahead === true;
  });
}

/** The name of the migrated template database, building it if no process has yet. */
function postgresTemplate(url: string): Promise<string> {
  templateReady ??= withClient(url, async (client) => {
    const template = `dn_tpl_${migrationsFingerprint()}`;
    await client.query("select pg_advisory_lock($1)", [TEMPLATE_LOCK_KEY]);
    try {
      const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [
        template,
      ]);
      // kysely orders executed migrations by their timestamps: a template migrated by a run
      // whose clock was moved ahead (faketime) makes a test that reverts and re-applies a
      // migration read them out of order. Such a template is rebuilt.
      const builtAhead = rowCount !== 0 && (await builtInTheFuture(url, template));
      if (builtAhead) await client.query(`drop database "${template}" with (force)`);
      if (rowCount === 0 || builtAhead) {
        // Built under another name and renamed when complete: a template is never half-migrated.
        const building = `${template}_building_${randomSuffix()}`;
        await client.query(`create database "${building}"`);
        const handle = createDb({ databaseUrl: databaseUrl(url, building), poolSize: 1 });
        try {
          await migrateToLatest(handle.db);
        } finally {
          await handle.destroy();
        }
        await client.query(`alter database "${building}" rename to "${template}"`);
      }
      return template;
    } finally {
      await client.query("select pg_advisory_unlock($1)", [TEMPLATE_LOCK_KEY]);
    }
  });
  // A failed build is not cached: the next test tries again and reports its own error.
  templateReady.catch(() => {
    templateReady = null;
  });
  return templateReady;
}

async function createPostgresTestDb(): Promise<TestDbHandle> {
  const url = loadTestEnv().PG_TEST_URL;
  const template = await postgresTemplate(url);
  const database = `dn_t_${randomSuffix()}`;
  await withClient(url, (client) =>
    client.query(`create database "${database}" template "${template}"`),
  );
  const testUrl = databaseUrl(url, database);
  const handle = createDb({ databaseUrl: testUrl, poolSize: 4 });
  return {
    ...handle,
    url: testUrl,
    destroy: async () => {
      await handle.destroy();
      // FORCE: a connection a failed test left open must not keep its database alive.
      await withClient(url, (client) =>
        client.query(`drop database if exists "${database}" with (force)`),
      );
    },
  };
}

function randomSuffix(): string {
  return randomUUID().replaceAll("-", "").slice(0, 16);
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

// ---------------------------------------------------------------------------------------------
// Which dialects to run
// ---------------------------------------------------------------------------------------------

let dialectsPromise: Promise<DialectName[]> | null = null;

/**
 * The dialects a suite runs against (`describe.each(await testDialects())`): SQLite always;
 * PostgreSQL when the test server answers. On CI an unreachable server is an error (CI never
 * skips); locally it is skipped with a loud warning. `DN_TEST_DIALECTS=sqlite` runs one.
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
