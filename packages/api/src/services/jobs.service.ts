/**
 * Dead background jobs, for admins: the organization's jobs that used up their retries, with the
 * reason, and putting one back in its queue (docs/decisions/060-background-jobs.md).
 */
import { localDateOf } from "@dn/clock";
import { findExportJob, listOrganizationTimeZones, updateExportJob } from "@dn/db";
import type { DeadJob, RetryDeadJobInput } from "@dn/schema";
import { DomainError, notFound } from "../errors.ts";
import type { DeadJob as QueuedDeadJob } from "../jobs/queue.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requirePermission } from "./guards.ts";

/** How many dead jobs of the installation are looked at (the newest). */
const SCAN = 500;

interface Owned {
  job: QueuedDeadJob;
  subject: string;
  exportId: string | null;
}

/** The dead jobs that belong to the actor's organization, described in words. */
async function ownDeadJobs(ctx: ServiceContext): Promise<Owned[]> {
  if (!ctx.jobs) return [];
  const owned: Owned[] = [];
  for (const job of await ctx.jobs.deadJobs(SCAN)) {
    const data = (job.data ?? {}) as {
      exportId?: unknown;
      organizationId?: unknown;
      localDate?: unknown;
    };
    if (typeof data.exportId === "string") {
      const exportJob = await findExportJob(ctx.db, data.exportId);
      if (exportJob?.organizationId !== ctx.actor.organizationId) continue;
      owned.push({
        job,
        subject: `${exportJob.kind} export as of ${exportJob.scope.asOf}`,
        exportId: exportJob.id,
      });
    } else if (data.organizationId === ctx.actor.organizationId) {
      const what = job.queue === "digest.daily" ? "deadline digests" : "deadline alerts";
      owned.push({ job, subject: `${what} for ${String(data.localDate)}`, exportId: null });
    }
  }
  return owned;
}

export async function listDeadJobs(ctx: ServiceContext): Promise<DeadJob[]> {
  requirePermission(ctx, "read:job");
  return (await ownDeadJobs(ctx)).map(({ job, subject }) => ({
    id: job.id,
    queue: job.queue,
    subject,
    attempts: job.attempts,
    error: job.error === null ? null : job.error.slice(0, 2000),
    createdAt: job.createdAt,
    failedAt: job.failedAt,
  }));
}

/** Puts one of the organization's dead jobs back in its queue (a failed export is queued again); audited. */
export async function retryDeadJob(
  ctx: ServiceContext,
  input: RetryDeadJobInput,
): Promise<{ retried: true }> {
  requirePermission(ctx, "run:job");
  const owned = (await ownDeadJobs(ctx)).find((entry) => entry.job.id === input.id);
  if (!owned || !ctx.jobs) throw notFound("job", "id");
  const jobs = ctx.jobs;
  await inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    if (owned.exportId) {
      await updateExportJob(tx.db, owned.exportId, { status: "queued", progress: 0, error: null });
    }
    await auditByActor(tx.db, tx, at, {
      action: "job.retry",
      entityType: "job",
      entityId: owned.job.id,
      before: { queue: owned.job.queue, attempts: owned.job.attempts, error: owned.job.error },
      after: { subject: owned.subject },
    });
  });
  if (!(await jobs.retryDead(input.id))) throw notFound("job", "id");
  return { retried: true };
}

/**
 * Queues today's deadline digests for the organization now, one job per time zone of its clinics
 * (managers, admins). Safe to call twice, from any instance: each member gets one digest a day.
 */
export async function queueDigests(ctx: ServiceContext): Promise<{ queued: number }> {
  requirePermission(ctx, "run:alert");
  const jobs = ctx.jobs;
  if (!jobs) throw new DomainError("CONFLICT", "background jobs are not running here");
  if (!ctx.accounts.mailer) {
    throw new DomainError(
      "CONFLICT",
      "no mail is configured (DN_SMTP_URL): digests cannot be sent",
    );
  }
  const zones = (await listOrganizationTimeZones(ctx.db)).filter(
    (zone) => zone.organizationId === ctx.actor.organizationId,
  );
  const runs = zones.map((zone) => ({ ...zone, localDate: localDateOf(ctx.now(), zone.timeZone) }));
  await inTransaction(ctx, (tx) =>
    auditByActor(tx.db, tx, tx.now().toISOString(), {
      action: "alerts.digest",
      entityType: "organization",
      entityId: ctx.actor.organizationId,
      before: null,
      after: { runs: runs.map(({ timeZone, localDate }) => ({ timeZone, localDate })) },
    }),
  );
  for (const run of runs) {
    await jobs.send("digest.daily", run, {
      singletonKey: `digest|${run.organizationId}|${run.timeZone}|${run.localDate}`,
    });
  }
  return { queued: runs.length };
}
