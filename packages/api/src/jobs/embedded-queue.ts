/**
 * The embedded queue: jobs in the installation's own database (the `jobs` table), worked in this
 * process. Built for SQLite installs, where one process serves everything; it is correct on
 * PostgreSQL too (every claim is one conditional UPDATE), which the tests use to run one suite on
 * both dialects. A claimed job holds a lease its worker renews every third of the lease; a job
 * whose process died is taken again once its lease runs out, as its next attempt.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "@dn/clock";
import {
  claimEmbeddedJob,
  completeEmbeddedJob,
  type Db,
  failEmbeddedJob,
  failExhaustedEmbeddedJobs,
  insertEmbeddedJob,
  listDeadEmbeddedJobs,
  purgeFinishedEmbeddedJobs,
  renewEmbeddedJobLease,
  retryDeadEmbeddedJob,
} from "@dn/db";
import { sql } from "kysely";
import {
  type DeadJob,
  type JobHandler,
  type JobName,
  type JobPayloads,
  type JobQueue,
  QUEUE_POLICIES,
  retryDelaySeconds,
  type SendOptions,
} from "./queue.ts";

export interface EmbeddedQueueOptions {
  db: Db;
  now: Clock;
  /** How long a claimed job stays this worker's without a heartbeat (default 60 s). */
  leaseMs?: number;
  /** How often an idle worker looks for due jobs (default 1 s). */
  pollMs?: number;
  /** Where a handler's failure is reported (it is also stored on the job). */
  onError?: (error: unknown, job: { queue: string; id: string }) => void;
}

const WEEK_MS = 7 * 86_400_000;

interface Loop {
  name: JobName;
  // biome-ignore lint/suspicious/noExplicitAny: each loop keeps its own queue's handler
  handler: JobHandler<any>;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

export class EmbeddedJobQueue implements JobQueue {
  readonly driver = "embedded" as const;
  private readonly loops = new Map<JobName, Loop>();
  private tickTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly leaseMs: number;
  private readonly pollMs: number;

  constructor(private readonly options: EmbeddedQueueOptions) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1000;
  }

  private iso(offsetMs = 0): string {
    return new Date(this.options.now().getTime() + offsetMs).toISOString();
  }

  async start(): Promise<void> {
    await purgeFinishedEmbeddedJobs(this.options.db, this.iso(-WEEK_MS));
    this.stopped = false;
    for (const loop of this.loops.values()) this.wake(loop, 0);
  }

  async send<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options: SendOptions = {},
  ): Promise<void> {
    const at = this.iso();
    await insertEmbeddedJob(this.options.db, {
      id: randomUUID(),
      queue: name,
      data,
      retryLimit: QUEUE_POLICIES[name].retryLimit,
      singletonKey: options.singletonKey ?? null,
      runAfter: at,
      createdAt: at,
    });
    const loop = this.loops.get(name);
    if (loop) this.wake(loop, 0);
  }

  async work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void> {
    if (this.loops.has(name)) throw new Error(`a worker for ${name} is already registered`);
    const loop: Loop = { name, handler, timer: null, running: null };
    this.loops.set(name, loop);
    if (!this.stopped) this.wake(loop, 0);
  }

  async scheduleTick(): Promise<void> {
    const send = () =>
      this.send("scheduler.tick", {}, { singletonKey: "tick" }).catch((error: unknown) =>
        this.options.onError?.(error, { queue: "scheduler.tick", id: "schedule" }),
      );
    await send();
    this.tickTimer = setInterval(send, 60_000);
    this.tickTimer.unref();
  }

  /** Runs every due job of every registered queue until none is left (tests, the CLI). */
  async drain(): Promise<number> {
    let ran = 0;
    for (;;) {
      let any = false;
      for (const loop of this.loops.values()) {
        while (await this.runOne(loop)) {
          any = true;
          ran += 1;
        }
      }
      if (!any) return ran;
    }
  }

  private wake(loop: Loop, delay: number): void {
    if (this.stopped || loop.running) return;
    if (loop.timer) clearTimeout(loop.timer);
    loop.timer = setTimeout(() => {
      loop.timer = null;
      loop.running = (async () => {
        try {
          while (!this.stopped && (await this.runOne(loop))) {
            // Keep going while there is work; yield between jobs.
            await new Promise((resolve) => setImmediate(resolve));
          }
        } catch (error) {
          this.options.onError?.(error, { queue: loop.name, id: "claim" });
        }
      })().finally(() => {
        loop.running = null;
        if (!this.stopped) this.wake(loop, this.pollMs);
      });
    }, delay);
    loop.timer.unref();
  }

  /** Claims and runs one job of the loop's queue; false when none was due. */
  private async runOne(loop: Loop): Promise<boolean> {
    const { db } = this.options;
    await failExhaustedEmbeddedJobs(db, this.iso());
    const job = await claimEmbeddedJob(db, loop.name, this.iso(), this.iso(this.leaseMs));
    if (!job) return false;
    const policy = QUEUE_POLICIES[loop.name];
    const heartbeat = setInterval(() => {
      void renewEmbeddedJobLease(db, job.id, job.attempts, this.iso(this.leaseMs)).catch(
        (error: unknown) => this.options.onError?.(error, { queue: loop.name, id: job.id }),
      );
    }, this.leaseMs / 3);
    heartbeat.unref();
    try {
      await loop.handler(job.data, {
        id: job.id,
        attempt: job.attempts,
        lastAttempt: job.attempts > job.retryLimit,
      });
      clearInterval(heartbeat);
      await completeEmbeddedJob(db, job.id, job.attempts, this.iso());
    } catch (error) {
      clearInterval(heartbeat);
      this.options.onError?.(error, { queue: loop.name, id: job.id });
      const message = error instanceof Error ? error.message : String(error);
      const retryAt =
        job.attempts > job.retryLimit
          ? null
          : this.iso(retryDelaySeconds(policy, job.attempts) * 1000);
      await failEmbeddedJob(db, job.id, job.attempts, message.slice(0, 2000), this.iso(), retryAt);
    }
    return true;
  }

  async deadJobs(limit: number): Promise<DeadJob[]> {
    return listDeadEmbeddedJobs(this.options.db, limit);
  }

  async retryDead(id: string): Promise<boolean> {
    const retried = await retryDeadEmbeddedJob(this.options.db, id, this.iso());
    if (retried) for (const loop of this.loops.values()) this.wake(loop, 0);
    return retried;
  }

  async check(): Promise<void> {
    await sql`select 1 from jobs where 1 = 0`.execute(this.options.db);
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopped = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
    const running: Promise<void>[] = [];
    for (const loop of this.loops.values()) {
      if (loop.timer) clearTimeout(loop.timer);
      loop.timer = null;
      if (loop.running) running.push(loop.running);
    }
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, timeoutMs);
        timeout.unref();
      }),
    ]);
    clearTimeout(timeout);
  }
}
