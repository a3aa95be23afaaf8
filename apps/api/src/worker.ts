/**
 * `pnpm worker`: a process that only works background jobs (exports, daily alerts and digests,
 * the scheduler tick) against the same database, storage and mail as the API. Run API instances
 * with DN_RUN_WORKERS=false and as many of these as the work needs.
 */
import { pino } from "pino";
import { loadApiEnv } from "./env.ts";
import { type HostRuntime, openHostRuntime, startHostWorkers } from "./runtime.ts";

const env = loadApiEnv();
const logger = pino({ level: env.LOG_LEVEL, base: { service: "dn-worker", env: env.NODE_ENV } });

let runtime: HostRuntime;
try {
  runtime = await openHostRuntime(env, logger);
  await startHostWorkers(runtime, env);
} catch (error) {
  logger.fatal({ err: error }, "could not start");
  process.exit(1);
}
logger.info({ driver: runtime.queue.driver }, "dn worker running");

let stopping = false;
function shutdown(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker shutting down: finishing the jobs in hand");
  void runtime.close().then(
    () => process.exit(0),
    (error: unknown) => {
      logger.error({ err: error }, "closing down failed");
      process.exit(1);
    },
  );
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
