/**
 * The PostgreSQL queue: pg-boss (docs/decisions/060-background-jobs.md) in its own schema of the
 * installation's database, over the installation's connection pool. Every instance sends and
 * works; pg-boss hands each job to one worker, retries failures with backoff, and sends the
 * scheduler tick once a minute for the whole cluster.
 */
import type { Clock } from "@dn/clock";
import type { DbHandle } from "@dn/db";
import PgBoss from "pg-boss";
import {
  type DeadJob,
  JOB_NAMES,
  type JobHandler,
  type JobName,
  type JobPayloads,
  type JobQueue,
  QUEUE_POLICIES,
  type SendOptions,
} from "./queue.ts";

export interface PgBossQueueOptions {
  pool: NonNullable<DbHandle["pgPool"]>;
  now: Clock;
  /** pg-boss's schema (default `pgboss`). */
  schema?: string;
  /** How often an idle worker asks for jobs (default 2 s; pg-boss's minimum is 0.5 s). */
  pollSeconds?: number;
  /** How often pg-boss expires and archives jobs (default 60 s). */
  maintenanceSeconds?: number;
  onError?: (error: unknown, job: { queue: string; id: string }) => void;
}

export class PgBossJobQueue implements JobQueue {
  readonly driver = "pg-boss" as const;
  private readonly boss: PgBoss;
  private readonly schema: string;

  constructor(private readonly options: PgBossQueueOptions) {
    this.schema = options.schema ?? "pgboss";
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema))
      throw new Error(`not a schema name: ${this.schema}`);
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => options.pool.query(text, values) },
      schema: this.schema,
      maintenanceIntervalSeconds: options.maintenanceSeconds ?? 60,
      archiveCompletedAfterSeconds: 7 * 86_400,
    });
    this.boss.on("error", (error) => options.onError?.(error, { queue: "pg-boss", id: "-" }));
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const name of JOB_NAMES) {
      const policy = QUEUE_POLICIES[name];
      const settings = {
        name,
        // One waiting job per singleton key: sending the same key again while it waits is a no-op.
        policy: "short" as const,
        retryLimit: policy.retryLimit,
        retryDelay: policy.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: policy.expireSeconds,
      };
      if (await this.boss.getQueue(name)) await this.boss.updateQueue(name, settings);
      else
        await this.boss.createQueue(name, settings).catch(async (error: unknown) => {
          // Another instance created it between the check and here.
          if (!(await this.boss.getQueue(name))) throw error;
        });
    }
  }

  async send<N extends JobName>(
    name: N,
    data: JobPayloads[N],
    options: SendOptions = {},
  ): Promise<void> {
    await this.boss.send(name, data as object, {
      // The short policy keys uniqueness on the singleton key; jobs without one get their own.
      singletonKey: options.singletonKey ?? crypto.randomUUID(),
    });
  }

  async work<N extends JobName>(name: N, handler: JobHandler<N>): Promise<void> {
    await this.boss.work<JobPayloads[N]>(
      name,
      {
        batchSize: 1,
        includeMetadata: true,
        pollingIntervalSeconds: this.options.pollSeconds ?? 2,
      },
      async ([job]) => {
        if (!job) return;
        try {
          await handler(job.data, {
            id: job.id,
            attempt: job.retryCount + 1,
            lastAttempt: job.retryCount >= job.retryLimit,
          });
        } catch (error) {
          this.options.onError?.(error, { queue: name, id: job.id });
          throw error;
        }
      },
    );
  }

  async scheduleTick(): Promise<void> {
    await this.boss.schedule(
      "scheduler.tick",
      "* * * * *",
      {},
      { tz: "UTC", singletonKey: "tick" },
    );
    // And one now: a starting worker recovers stranded exports without waiting for the minute.
    await this.send("scheduler.tick", {}, { singletonKey: "tick" });
  }

  async deadJobs(limit: number): Promise<DeadJob[]> {
    const table = (name: string) => `${this.schema}.${name}`;
    const { rows } = await this.options.pool.query<{
      id: string;
      name: string;
      data: unknown;
      retry_count: number;
      output: { message?: string } | null;
      created_on: Date;
      completed_on: Date | null;
    }>(
      `select id, name, data, retry_count, output, created_on, completed_on from ${table("job")} where state = 'failed'
       union all
       select id, name, data, retry_count, output, created_on, completed_on from ${table("archive")} where state = 'failed'
       order by completed_on desc nulls last limit $1`,
      [limit],
    );
    return rows.map((row) => ({
      id: row.id,
      queue: row.name,
      data: row.data,
      attempts: row.retry_count + 1,
      error: row.output?.message ?? (row.output ? JSON.stringify(row.output) : null),
      createdAt: row.created_on.toISOString(),
      failedAt: row.completed_on?.toISOString() ?? null,
    }));
  }

  async retryDead(id: string): Promise<boolean> {
    const { rows } = await this.options.pool.query<{ name: string; data: object }>(
      `select name, data from ${this.schema}.job where id = $1 and state = 'failed'
       union all select name, data from ${this.schema}.archive where id = $1 and state = 'failed'`,
      [id],
    );
    const dead = rows[0];
    if (!dead) return false;
    await this.boss.send(dead.name, dead.data, { singletonKey: `retry:${id}` });
    await this.options.pool.query(
      `update ${this.schema}.job set state = 'cancelled' where id = $1 and state = 'failed'`,
      [id],
    );
    await this.options.pool.query(
      `update ${this.schema}.archive set state = 'cancelled' where id = $1 and state = 'failed'`,
      [id],
    );
    return true;
  }

  async check(): Promise<void> {
    await this.options.pool.query(`select 1 from ${this.schema}.version`);
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
  }
}
