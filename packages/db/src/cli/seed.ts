/** `pnpm --filter @dn/db seed`: seeds demo data on first run only (no organization yet). */
import { systemClock } from "@dn/clock";
import { createDb, resolveDbTarget } from "../create-db.ts";
import { migrateToLatest } from "../migrate.ts";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "../seed/demo.ts";

const target = resolveDbTarget();
const { db, destroy } = createDb();
try {
  await migrateToLatest(db);
  const summary = await seedDemoIfEmpty(db, systemClock());
  const where = target.dialect === "sqlite" ? `SQLite ${target.path}` : "PostgreSQL";
  if (summary === null) {
    console.info(`${where} already has an organization: demo data not seeded (first run only).`);
  } else {
    console.info(
      [
        `Seeded demo data into ${where}:`,
        `  ${summary.clinics} clinics, ${summary.practitioners} practitioners, ${summary.licenses} licenses,`,
        `  ${summary.records} training records (${summary.recordVersions} versions).`,
        `  Logins (password ${DEMO_PASSWORD}):`,
        ...summary.users.map((user) => `    ${user}`),
      ].join("\n"),
    );
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await destroy();
}
