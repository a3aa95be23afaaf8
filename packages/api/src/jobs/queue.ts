/**
 * The one interface background work goes through (docs/decisions/060-background-jobs.md): named
 * queues with typed payloads, retries with backoff, a dead-letter state admins can see and retry,
 * and a per-minute scheduler tick. Two drivers: pg-boss on PostgreSQL (several instances share
 * it) and the embedded table queue on SQLite (one process; leases make a crash mid-job a retry).
 */

/** What each queue's jobs carry. Keep payloads to ids: the database holds the truth. */
export interface JobPayloads {
  /** Run (or resume after a crash) one export job. */
  "export.run": { exportId: string };
  /** Raise the day's deadline alerts for an organization's members in one time zone. */
  "alerts.daily": DailyRun;
  /** Email the day's deadline digests to an organization's members in one time zone. */
  "digest.daily": DailyRun;
  /** Recompute an organization's stale stored evaluations (a batch; queued again while more remain). */
  "evaluations.refresh": { organizationId: string };
  /** Every minute: queue the daily runs that are due and recover exports whose worker died. */
  "scheduler.tick": Record<string, never>;
}

export interface DailyRun {
  organizationId: string;
  timeZone: string;
  /** The local date in `timeZone` the run is for (YYYY-MM-DD). */
  localDate: string;
}

export type JobName = keyof JobPayloads;

export interface QueuePolicy {
  /** Retries after the first attempt fails; then the job is dead (failed, kept for admins). */
  retryLimit: number;
  /** Seconds before the first retry; doubled for each further one. */
  retryDelaySeconds: number;
  /** How long one attempt may run before the queue gives it to another worker. */
  expireSeconds: number;
}

export const QUEUE_POLICIES: Record<JobName, QueuePolicy> = {
  "export.run": { retryLimit: 2, retryDelaySeconds: 10, expireSeconds: 4 * 3600 },
  "alerts.daily": { retryLimit: 5, retryDelaySeconds: 60, expireSeconds: 15 * 60 },
  "digest.daily": { retryLimit: 5, retryDelaySeconds: 60, expireSeconds: 15 * 60 },
  "evaluations.refresh": { retryLimit: 3, retryDelaySeconds: 30, expireSeconds: 15 * 60 },
  "scheduler.tick": { retryLimit: 0, retryDelaySeconds: 1, expireSeconds: 5 * 60 },
};

export const JOB_NAMES = Object.keys(QUEUE_POLICIES) as JobName[];

export interface SendOptions {
  /** While a job with this key waits in the same queue, sending another is a no-op. */
  singletonKey?: string;
}

export interface JobInfo {
  id: string;
  /** 1 for the first run. */
  attempt: number;
  /** True when a failure now makes the job dead instead of retried. */
  lastAttempt: boolean;
}

export type JobHandler<N extends JobName> = (data: JobPayloads[N], job: JobInfo) => Promise<void>;

/** A job that used up its retries: what admins see on the Jobs page. */
export interface DeadJob {
  id: string;
  queue: string;
  data: unknown;
  attempts: number;
  error: string | null;
  createdAt: string;
  failedAt: string | null;
}

/** The part services see: they only ever queue work. */
export interface JobSender {
  send<N extends JobName>(name: N, data: JobPayloads[N], options?: SendOptions): Promise<void>;
}

export interface JobQueue extends JobSender {
  readonly driver: "embedded" | "pg-boss";
  /** Creates the queues (and pg-boss's schema); safe on every start of every instance. */
  start(): Promise<void>;
  /** Runs `handler` for the queue's jobs in this process, one at a time. */
  work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void>;
  /** Sends the scheduler tick every minute (pg-boss: once per minute across all instances). */
  scheduleTick(): Promise<void>;
  deadJobs(limit: number): Promise<DeadJob[]>;
  /** Puts a dead job back in its queue; false when there is no such dead job. */
  retryDead(id: string): Promise<boolean>;
  /** Throws when the queue cannot be reached (readiness). */
  check(): Promise<void>;
  /** Stops taking jobs and waits (up to `timeoutMs`) for the ones running to finish. */
  stop(timeoutMs?: number): Promise<void>;
}

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(QUEUE_POLICIES, name);
}

/** Seconds to wait before retry `n` (1-based): the policy's delay, doubled each time. */
export function retryDelaySeconds(policy: QueuePolicy, n: number): number {
  return policy.retryDelaySeconds * 2 ** Math.max(0, n - 1);
}
