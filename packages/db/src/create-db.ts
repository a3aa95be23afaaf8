import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./database.ts";
import { loadDbEnv } from "./env.ts";
import { BUSY_WAIT_MS, ImmediateSqliteDialect, withStatementCache } from "./sqlite-writers.ts";

export type DialectName = "sqlite" | "postgres";

export interface DbHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** PostgreSQL only: the pool kysely uses, for libraries that need a pg client (login throttle). */
  pgPool?: pg.Pool;
  /** Closes every connection. */
  destroy(): Promise<void>;
}

export type DbTarget =
  | { dialect: "postgres"; url: string; searchPath?: string }
  | { dialect: "sqlite"; path: string };

export interface CreateDbOptions {
  /** A postgres:// URL; when absent and no `sqlitePath` is given, the environment decides. */
  databaseUrl?: string;
  /** A SQLite file path, or ":memory:". */
  sqlitePath?: string;
  /** PostgreSQL only: the schema every pooled connection uses (tests use a scratch schema). */
  searchPath?: string;
  /** PostgreSQL only: the pool size (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL only: told when an idle pooled connection fails (the server restarted, or a test
   * database was dropped). The pool discards that connection and opens another when needed.
   */
  onIdleConnectionError?: (error: Error) => void;
}

/** The nearest ancestor directory of `start` holding pnpm-workspace.yaml. */
export function findRepoRoot(start: string): string | null {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, "pnpm-workspace.yaml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** `<repo root>/data/dn.sqlite`, the repo found from this module's location or the cwd. */
export function defaultSqlitePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = findRepoRoot(here) ?? findRepoRoot(process.cwd()) ?? process.cwd();
  return join(root, "data", "dn.sqlite");
}

/** Which database the options (or, without them, the environment) select. */
export function resolveDbTarget(options: CreateDbOptions = {}): DbTarget {
  if (options.databaseUrl) {
    return { dialect: "postgres", url: options.databaseUrl, searchPath: options.searchPath };
  }
  if (options.sqlitePath) return { dialect: "sqlite", path: options.sqlitePath };
  const env = loadDbEnv();
  if (env.DATABASE_URL) return { dialect: "postgres", url: env.DATABASE_URL };
  return { dialect: "sqlite", path: env.DN_SQLITE_PATH ?? defaultSqlitePath() };
}

// PostgreSQL returns int8 (count(*), sum of integers) and numeric as strings by default; every
// such value we read is a count or an hour total well inside the safe integer range.
const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
    return format === "binary"
      ? pg.types.getTypeParser(oid, "binary")
      : pg.types.getTypeParser(oid, "text");
  },
} as pg.CustomTypesConfig;

function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new Error(`searchPath must be a plain schema name, got ${JSON.stringify(name)}`);
  }
  return `"${name}"`;
}

/** Opens the database: PostgreSQL for a postgres:// URL, otherwise a SQLite file (WAL, FKs on). */
export function createDb(options: CreateDbOptions = {}): DbHandle {
  const target = resolveDbTarget(options);
  const plugins = [new CamelCasePlugin()];

  if (target.dialect === "postgres") {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: options.poolSize ?? 10,
      types: pgTypes,
      ...(target.searchPath
        ? { options: `-c search_path=${quoteIdentifier(target.searchPath)}` }
        : {}),
    });
    // Without a listener, pg's "error" event on an idle connection would end the process.
    pool.on("error", (error) => options.onIdleConnectionError?.(error));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
    const destroy = async () => {
      await db.destroy();
      // kysely ends the pool only once it has used it; the login throttle uses it directly.
      if (!pool.ended) await pool.end();
    };
    return { db, dialect: "postgres", pgPool: pool, destroy };
  }

  if (target.path !== ":memory:") mkdirSync(dirname(resolve(target.path)), { recursive: true });
  const sqlite = new BetterSqlite3(target.path);
  if (target.path !== ":memory:") {
    sqlite.pragma("journal_mode = WAL");
    // In WAL mode NORMAL loses no committed transaction when a process dies (kill -9 included),
    // only the last ones on a power cut; it spares an fsync per commit (decision 058).
    sqlite.pragma("synchronous = NORMAL");
  }
  return wrapSqlite(sqlite);
}

/**
 * Foreign keys on, immediate transactions that wait for the write lock without blocking the event
 * loop (sqlite-writers.ts), and the one column mapping: every SQLite handle gets these.
 */
function wrapSqlite(sqlite: BetterSqlite3.Database): DbHandle {
  sqlite.pragma("foreign_keys = ON");
  // Short on purpose: the wait blocks the event loop; longer waits are retried asynchronously.
  sqlite.pragma(`busy_timeout = ${BUSY_WAIT_MS}`);
  // A 32 MB page cache instead of 2 MB: a page of practitioners reads its records' index pages
  // from memory instead of with a system call each (decision 058); bounded, unlike mmap.
  sqlite.pragma("cache_size = -32768");
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }),
    plugins: [new CamelCasePlugin()],
  });
  return { db, dialect: "sqlite", destroy: () => db.destroy() };
}

/**
 * A handle on an open better-sqlite3 database: foreign keys, busy timeout and column mapping as
 * `createDb` sets them. Tests open copies of one migrated image this way
 * (`new BetterSqlite3(image)`) instead of migrating each time.
 */
export function sqliteDbHandle(sqlite: BetterSqlite3.Database): DbHandle {
  return wrapSqlite(sqlite);
}

/** Runs a trivial query; throws when the database does not answer. */
export async function pingDb(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
