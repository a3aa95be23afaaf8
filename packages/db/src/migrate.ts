import { type Kysely, Migrator, PostgresAdapter, sql } from "kysely";
import { migrationProvider } from "./migrations/index.ts";

/** True when `db` talks to PostgreSQL. */
export function isPostgres<DB>(db: Kysely<DB>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

async function createMigrator<DB>(db: Kysely<DB>): Promise<Migrator> {
  // Migrations name columns in snake_case themselves: run them without the CamelCasePlugin.
  const raw = db.withoutPlugins();
  let migrationTableSchema: string | undefined;
  if (isPostgres(raw)) {
    // Keep kysely's bookkeeping tables in the schema the connection works in, so a scratch
    // schema (tests) never sees another schema's migration table.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(raw);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({ db: raw, provider: migrationProvider, migrationTableSchema });
}

/** Applies every pending migration; returns the names applied. Throws naming the failed one. */
export async function migrateToLatest<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = await createMigrator(db);
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    const failed = results.find((result) => result.status === "Error")?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Database migration failed${failed ? ` in ${failed}` : ""}: ${reason}. Nothing after it was applied.`,
      { cause: error },
    );
  }
  return results
    .filter((result) => result.status === "Success")
    .map((result) => result.migrationName);
}

/** Reverts the most recent migration (development and tests). */
export async function migrateDown<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = await createMigrator(db);
  const { error, results = [] } = await migrator.migrateDown();
  if (error) {
    throw new Error(`Reverting the last migration failed: ${String(error)}`, { cause: error });
  }
  return results
    .filter((result) => result.status === "Success")
    .map((result) => result.migrationName);
}
