/** The job queue for a database: pg-boss on PostgreSQL, the embedded table queue on SQLite. */
import type { Clock } from "@dn/clock";
import type { DbHandle } from "@dn/db";
import { EmbeddedJobQueue } from "./embedded-queue.ts";
import { PgBossJobQueue } from "./pg-boss-queue.ts";
import type { JobQueue } from "./queue.ts";

export interface JobQueueOptions {
  now: Clock;
  /** Embedded queue: how long a claimed job stays its worker's without a heartbeat. */
  leaseMs?: number;
  /** How often idle workers look for jobs. */
  pollMs?: number;
  onError?: (error: unknown, job: { queue: string; id: string }) => void;
}

export function createJobQueue(handle: DbHandle, options: JobQueueOptions): JobQueue {
  if (handle.dialect === "postgres") {
    if (!handle.pgPool) throw new Error("a PostgreSQL handle without its pool");
    return new PgBossJobQueue({
      pool: handle.pgPool,
      now: options.now,
      pollSeconds: Math.max(0.5, (options.pollMs ?? 2000) / 1000),
      onError: options.onError,
    });
  }
  return new EmbeddedJobQueue({ db: handle.db, ...options });
}

export { EmbeddedJobQueue } from "./embedded-queue.ts";
export { PgBossJobQueue } from "./pg-boss-queue.ts";
export * from "./queue.ts";
export { DAILY_RUN_HOUR, dueDailyRuns } from "./schedule.ts";
export {
  runDailyAlerts,
  runDailyDigests,
  runSchedulerTick,
  startWorkers,
  type WorkerRuntime,
} from "./work.ts";
