/**
 * SQLite writers that wait their turn instead of failing or freezing the process.
 *
 * Two processes (the API and a CLI import) share one SQLite file. A deferred transaction that
 * reads and then writes cannot be saved by a busy timeout once another writer has committed
 * (SQLITE_BUSY_SNAPSHOT), and better-sqlite3's busy timeout waits synchronously, holding the event
 * loop for as long as the other writer holds the lock. So:
 * - every transaction starts with BEGIN IMMEDIATE: it takes the write lock up front or not at all;
 * - the synchronous busy wait is short (BUSY_WAIT_MS), and a statement that still finds the
 *   database busy is retried asynchronously with backoff, for at most MAX_WAIT_MS in all.
 */
import type BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type QueryResult,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from "kysely";

/** How long one attempt may block the event loop waiting for the lock. */
export const BUSY_WAIT_MS = 25;
/** How long a statement keeps trying before its SQLITE_BUSY is reported. */
export const MAX_WAIT_MS = 30_000;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt`, retrying while SQLite answers busy, with backoff up to MAX_WAIT_MS. */
async function whileBusy<T>(attempt: () => Promise<T>): Promise<T> {
  const started = performance.now();
  for (let delay = 5; ; delay = Math.min(delay * 2, 250)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || performance.now() - started + delay > MAX_WAIT_MS) throw error;
      await sleep(delay);
    }
  }
}

/** A connection whose statements wait out a busy database asynchronously. */
class PatientConnection implements DatabaseConnection {
  readonly #inner: DatabaseConnection;
  constructor(inner: DatabaseConnection) {
    this.#inner = inner;
  }
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return whileBusy(() => this.#inner.executeQuery<R>(query));
  }
  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.#inner.streamQuery<R>(query, chunkSize);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async acquireConnection(): Promise<DatabaseConnection> {
    return new PatientConnection(await super.acquireConnection());
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

/** kysely's SQLite dialect with immediate transactions and asynchronous busy retries. */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * A select whose SQL text starts with this comment comes back from SQLite as arrays of its
 * columns' values, in order, instead of objects: better-sqlite3 builds each row object with one
 * native property store per column, five times as long as the array for a 26-column record row,
 * and most of a re-evaluation's time (decision 058). PostgreSQL ignores the comment and answers
 * objects, so a reader that starts with it accepts both.
 */
export const ROWS_AS_ARRAYS = "/* rows as arrays */ ";
/** ROWS_AS_ARRAYS for a kysely `sql` template. */
export const rowsAsArrays = sql.raw(ROWS_AS_ARRAYS);

/** How many prepared statements a connection keeps (the app has a few hundred distinct queries). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The database as kysely's SQLite dialect sees it, with prepared statements reused by SQL text:
 * kysely prepares every query anew, and preparing was a tenth of a `practitioners.list` request
 * (decision 058). Least recently used statements are dropped beyond STATEMENT_CACHE_SIZE; one
 * still being iterated (a streamed query) is never handed out twice.
 */
export function withStatementCache(
  sqlite: BetterSqlite3.Database,
  size = STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      const cached = cache.get(text);
      if (cached && !cached.busy) {
        // Map order is insertion order: re-inserting marks it most recently used.
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = sqlite.prepare(text);
      if (text.startsWith(ROWS_AS_ARRAYS)) statement.raw(true);
      if (!cached) {
        cache.set(text, statement);
        if (cache.size > size) cache.delete(cache.keys().next().value as string);
      }
      return statement;
    },
  };
}
