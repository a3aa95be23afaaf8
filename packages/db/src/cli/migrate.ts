/** `pnpm --filter @dn/db migrate`: applies pending migrations to the configured database. */
import { createDb, resolveDbTarget } from "../create-db.ts";
import { migrateToLatest } from "../migrate.ts";

const target = resolveDbTarget();
const { db, destroy } = createDb();
try {
  const applied = await migrateToLatest(db);
  const where = target.dialect === "sqlite" ? `SQLite ${target.path}` : "PostgreSQL";
  console.info(
    applied.length > 0
      ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(", ")}`
      : `${where} is up to date; no migrations to apply.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await destroy();
}
