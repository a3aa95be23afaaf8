/**
 * What the API and the worker process both open from the environment: the migrated database,
 * file storage, mail, the sign-in throttle and the job queue (docs/decisions/060-background-jobs.md).
 */
import {
  type AccountServices,
  createJobQueue,
  createLoginThrottle,
  createOutboxMailer,
  createSmtpMailer,
  createStorage,
  type JobQueue,
  type Mailer,
  startWorkers,
  throttleStoreFor,
  type WorkerRuntime,
} from "@dn/api";
import { systemClock } from "@dn/clock";
import { createDb, type DbHandle, migrateToLatest } from "@dn/db";
import type { Logger } from "pino";
import { type ApiEnv, loadStorageSettings } from "./env.ts";

export interface HostRuntime {
  db: DbHandle;
  storage: ReturnType<typeof createStorage>;
  mailer: Mailer | null;
  accounts: AccountServices;
  queue: JobQueue;
  /** Stops the queue (waiting for running jobs), then closes mail and the database. */
  close(): Promise<void>;
}

export async function openHostRuntime(env: ApiEnv, logger: Logger): Promise<HostRuntime> {
  const db = createDb({
    onIdleConnectionError: (error) =>
      logger.warn({ err: error }, "a pooled database connection failed"),
  });
  try {
    const applied = await migrateToLatest(db.db);
    if (applied.length > 0) logger.info({ migrations: applied }, "applied database migrations");
  } catch (error) {
    await db.destroy();
    throw new Error(`could not migrate the database: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // Evidence files and exports: local directories by default, or one S3 bucket shared by instances.
  const storage = createStorage(loadStorageSettings(), { cwd: process.cwd() });
  logger.info({ files: storage.files.location, exports: storage.exports.location }, "file storage");
  const mailer: Mailer | null = env.DN_SMTP_URL
    ? createSmtpMailer({ url: env.DN_SMTP_URL, from: env.DN_MAIL_FROM })
    : env.DN_MAIL_OUTBOX_DIR
      ? createOutboxMailer({ directory: env.DN_MAIL_OUTBOX_DIR, from: env.DN_MAIL_FROM })
      : null;
  if (!mailer)
    logger.warn(
      "no DN_SMTP_URL or DN_MAIL_OUTBOX_DIR: invitations, resets and digests cannot be sent",
    );
  // One throttle per process; on PostgreSQL its counts live in the database, shared by instances.
  const accounts: AccountServices = {
    mailer,
    throttle: await createLoginThrottle(throttleStoreFor(db)),
    appUrl: env.DN_APP_URL,
    reportError: (error, doing) => logger.error({ err: error }, `failed ${doing}`),
  };
  const queue = createJobQueue(db, {
    now: systemClock,
    leaseMs: env.DN_JOB_LEASE_SECONDS * 1000,
    pollMs: env.DN_JOB_POLL_MS,
    // A failed job is stored with its reason and retried; the process carries on.
    onError: (error, job) => logger.error({ err: error, job }, "background job failed"),
  });
  await queue.start();
  logger.info({ driver: queue.driver }, "job queue");
  return {
    db,
    storage,
    mailer,
    accounts,
    queue,
    async close() {
      await queue.stop();
      mailer?.close();
      storage.close();
      await db.destroy();
    },
  };
}

/** Works every queue in this process: exports, daily alerts and digests, the scheduler tick. */
export async function startHostWorkers(runtime: HostRuntime, env: ApiEnv): Promise<void> {
  const worker: WorkerRuntime = {
    db: runtime.db.db,
    storage: runtime.storage.exports,
    blobStore: runtime.storage.files,
    now: systemClock,
    leaseMs: env.DN_JOB_LEASE_SECONDS * 1000,
    accounts: runtime.accounts,
  };
  await startWorkers(runtime.queue, worker);
}
