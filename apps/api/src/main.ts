/** Starts the API: open and migrate the database, listen, shut down cleanly on SIGINT/SIGTERM. */
import { join } from "node:path";
import {
  type AccountServices,
  createLoginThrottle,
  createOutboxMailer,
  createSmtpMailer,
  ExportWorker,
  LocalDirectoryBlobStore,
  LocalExportStorage,
  type Mailer,
  throttleStoreFor,
} from "@dn/api";
import { systemClock } from "@dn/clock";
import { createDb, findRepoRoot, migrateToLatest } from "@dn/db";
import { pino } from "pino";
import { loadApiEnv } from "./env.ts";
import { createServer } from "./server.ts";

const env = loadApiEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: "dn-api", env: env.NODE_ENV } });

const db = createDb({
  onIdleConnectionError: (error) =>
    logger.warn({ err: error }, "a pooled database connection failed"),
});
try {
  const applied = await migrateToLatest(db.db);
  if (applied.length > 0) logger.info({ migrations: applied }, "applied database migrations");
} catch (error) {
  logger.fatal({ err: error }, "could not migrate the database");
  await db.destroy();
  process.exit(1);
}

const filesDir =
  env.DN_FILES_DIR ?? join(findRepoRoot(process.cwd()) ?? process.cwd(), "data", "files");
const store = new LocalDirectoryBlobStore(filesDir);
const exportStorage = new LocalExportStorage(
  env.DN_EXPORTS_DIR ?? join(findRepoRoot(process.cwd()) ?? process.cwd(), "data", "exports"),
);
// Export jobs run in this process; jobs left running by a stopped process are queued again.
const exportWorker = new ExportWorker(
  { db: db.db, storage: exportStorage, now: systemClock, blobStore: store },
  { onError: (error) => logger.error({ err: error }, "export worker failed") },
);
await exportWorker.start();
const mailer: Mailer | null = env.DN_SMTP_URL
  ? createSmtpMailer({ url: env.DN_SMTP_URL, from: env.DN_MAIL_FROM })
  : env.DN_MAIL_OUTBOX_DIR
    ? createOutboxMailer({ directory: env.DN_MAIL_OUTBOX_DIR, from: env.DN_MAIL_FROM })
    : null;
if (!mailer)
  logger.warn("no DN_SMTP_URL or DN_MAIL_OUTBOX_DIR: invitations and resets cannot be sent");
// One throttle per process; on PostgreSQL its counts live in the database, shared by instances.
const accounts: AccountServices = {
  mailer,
  throttle: await createLoginThrottle(throttleStoreFor(db)),
  appUrl: env.DN_APP_URL,
  reportError: (error, doing) => logger.error({ err: error }, `failed ${doing}`),
};
const server = createServer({ db, logger, store, exportStorage, now: systemClock, accounts });
server.on("error", (error) => {
  logger.fatal({ err: error }, "the server could not start");
  void db.destroy().finally(() => process.exit(1));
});
server.listen(env.DN_API_PORT, env.DN_API_HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.DN_API_PORT;
  logger.info(
    { url: `http://${env.DN_API_HOST}:${port}`, db: db.dialect },
    `dn API listening on http://${env.DN_API_HOST}:${port}`,
  );
});

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: no new connections");
  const force = setTimeout(() => {
    logger.warn("connections still open after 10s; closing them");
    server.closeAllConnections();
  }, 10_000);
  force.unref();
  server.close(() => {
    mailer?.close();
    void exportWorker
      .stop()
      .then(() => db.destroy())
      .then(
        () => {
          logger.info("stopped");
          process.exit(0);
        },
        (error: unknown) => {
          logger.error({ err: error }, "closing the database failed");
          process.exit(1);
        },
      );
  });
  server.closeIdleConnections();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
