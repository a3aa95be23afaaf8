/**
 * Starts the API: open and migrate the database, open storage, mail and the job queue, work the
 * background jobs here too (unless DN_RUN_WORKERS=false), listen, and shut down cleanly on
 * SIGINT/SIGTERM.
 */
import { preloadTimeZoneData, systemClock } from "@dn/clock";
import { pino } from "pino";
import { loadApiEnv } from "./env.ts";
import { type HostRuntime, openHostRuntime, startHostWorkers } from "./runtime.ts";
import { createServer } from "./server.ts";

const env = loadApiEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: "dn-api", env: env.NODE_ENV } });

let runtime: HostRuntime;
try {
  runtime = await openHostRuntime(env, logger);
} catch (error) {
  logger.fatal({ err: error }, "could not start");
  process.exit(1);
}
if (env.DN_RUN_WORKERS) await startHostWorkers(runtime, env);
else logger.info("DN_RUN_WORKERS=false: background jobs are left to `pnpm worker` processes");

// Clinics' dates are computed on every dashboard; the first would otherwise load ICU's zones.
preloadTimeZoneData();
const server = createServer({
  db: runtime.db,
  logger,
  store: runtime.storage.files,
  exportStorage: runtime.storage.exports,
  now: systemClock,
  accounts: runtime.accounts,
  jobs: runtime.queue,
  trustedProxies: env.DN_TRUSTED_PROXIES,
  readiness: { storage: () => runtime.storage.check(), queue: () => runtime.queue.check() },
});
server.on("error", (error) => {
  logger.fatal({ err: error }, "the server could not start");
  void runtime.close().finally(() => process.exit(1));
});
server.listen(env.DN_API_PORT, env.DN_API_HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.DN_API_PORT;
  logger.info(
    { url: `http://${env.DN_API_HOST}:${port}`, db: runtime.db.dialect },
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
    // Running jobs get up to 30 s to finish; one cut short is retried by another worker.
    void runtime.close().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "closing down failed");
        process.exit(1);
      },
    );
  });
  server.closeIdleConnections();
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
