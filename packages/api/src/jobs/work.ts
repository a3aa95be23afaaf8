/**
 * What the workers do (docs/decisions/060-background-jobs.md). `startWorkers` registers a handler
 * per queue on this process and, once per cluster, the scheduler tick. Handlers take ids from the
 * job and the truth from the database, and are safe to run twice: exports are claimed under a
 * lease, alerts are deduplicated per user and bucket, and every email is sent once per key.
 */
import {
  claimScheduledRun,
  type Db,
  listActiveMembers,
  listExportJobsNeedingWorker,
  listMemberTimeZones,
  listOrganizationTimeZones,
} from "@dn/db";
import { checkpointAuditChain } from "../services/audit-checkpoints.service.ts";
import { type AccountServices, writeAudit } from "../services/context.ts";
import { raiseDeadlineAlerts, sendDigests } from "../services/deadlines.service.ts";
import { reevaluateStale, refreshTrendMonths } from "../services/evaluations.ts";
import {
  DEFAULT_EXPORT_LEASE_MS,
  type ExportRuntime,
  runExportAttempt,
} from "../services/export-jobs.ts";
import { deliverNotifications } from "../services/notify.ts";
import { type DailyRun, type JobQueue, QUEUE_POLICIES } from "./queue.ts";
import { dueDailyRuns } from "./schedule.ts";

export interface WorkerRuntime extends ExportRuntime {
  /** Mail (digests are not scheduled without it), links and error reporting. */
  accounts: AccountServices;
}

/** How many practitioners one `evaluations.refresh` job recomputes before yielding its turn. */
const REFRESH_BATCH = 1000;

/** How long a queued export may wait before the tick queues it again (its message was lost). */
const QUEUED_EXPORT_GRACE_MS = 2 * 60_000;

async function membersInZone(db: Db, run: DailyRun) {
  const zones = await listMemberTimeZones(db, run.organizationId);
  const members = await listActiveMembers(db, run.organizationId);
  return members.filter((member) => zones.get(member.id) === run.timeZone);
}

/**
 * Raises the day's deadline alerts of the members in the run's time zone (audited), then emails
 * those who opted in. Returns how many alerts were new.
 */
export async function runDailyAlerts(runtime: WorkerRuntime, run: DailyRun): Promise<number> {
  const users = await membersInZone(runtime.db, run);
  // Brought up to date before the transaction, so it holds no evaluation rows while it runs
  // (dashboards refreshing the same rows would wait for it on PostgreSQL).
  await reevaluateStale(runtime.db, {
    organizationId: run.organizationId,
    now: runtime.now(),
    limit: Number.POSITIVE_INFINITY,
  });
  const raised = await runtime.db.transaction().execute(async (trx) => {
    const at = runtime.now().toISOString();
    const created = await raiseDeadlineAlerts(
      trx,
      run.organizationId,
      users,
      { asOf: run.localDate },
      at,
    );
    await writeAudit(trx, { organizationId: run.organizationId, actorId: null }, at, {
      action: "alerts.run",
      entityType: "organization",
      entityId: run.organizationId,
      before: null,
      after: {
        asOf: run.localDate,
        timeZone: run.timeZone,
        members: users.length,
        created: created.length,
      },
    });
    return created;
  });
  await deliverNotifications(
    { db: runtime.db, now: runtime.now, accounts: runtime.accounts },
    raised,
  );
  return raised.length;
}

/** Emails the day's digests of the members in the run's time zone, each at most once. */
export async function runDailyDigests(runtime: WorkerRuntime, run: DailyRun): Promise<string[]> {
  const mailer = runtime.accounts.mailer;
  if (!mailer) return [];
  const users = await membersInZone(runtime.db, run);
  return sendDigests(runtime.db, mailer, run.organizationId, run.localDate, {
    at: runtime.now().toISOString(),
    userIds: new Set(users.map((user) => user.id)),
  });
}

/**
 * The per-minute tick: queues each daily run that is due and not yet claimed (the first instance
 * to claim a run queues it), and queues again exports whose message was lost or whose worker
 * died (the export's lease decides who runs it).
 */
export async function runSchedulerTick(
  runtime: WorkerRuntime,
  queue: Pick<JobQueue, "send">,
): Promise<{ daily: number; exports: number; checkpoints: number }> {
  const now = runtime.now();
  const at = now.toISOString();
  let daily = 0;
  const zones = await listOrganizationTimeZones(runtime.db);
  // One signed audit checkpoint per organization and UTC day (decision 055), by whichever
  // instance claims it first.
  let checkpoints = 0;
  for (const organizationId of new Set(zones.map((zone) => zone.organizationId))) {
    const run = { kind: "audit-checkpoint", organizationId, timeZone: "UTC" };
    if (await claimScheduledRun(runtime.db, { ...run, localDate: at.slice(0, 10), at })) {
      await checkpointAuditChain(runtime.db, organizationId, now);
      checkpoints += 1;
    }
  }
  for (const run of dueDailyRuns(zones, now)) {
    const kinds = runtime.accounts.mailer ? (["alerts", "digest"] as const) : (["alerts"] as const);
    for (const kind of kinds) {
      if (await claimScheduledRun(runtime.db, { kind, ...run, at })) {
        await queue.send(kind === "alerts" ? "alerts.daily" : "digest.daily", run, {
          singletonKey: `${kind}|${run.organizationId}|${run.timeZone}|${run.localDate}`,
        });
        daily += 1;
      }
    }
  }
  const lease = runtime.leaseMs ?? DEFAULT_EXPORT_LEASE_MS;
  const stranded = await listExportJobsNeedingWorker(runtime.db, {
    queuedBefore: new Date(now.getTime() - QUEUED_EXPORT_GRACE_MS).toISOString(),
    staleBefore: new Date(now.getTime() - lease).toISOString(),
    limit: 100,
  });
  for (const exportId of stranded) {
    await queue.send("export.run", { exportId }, { singletonKey: exportId });
  }
  // Stored evaluations marked stale by changes (or expired overnight) are recomputed in the
  // background, so the next page load finds them current.
  for (const organizationId of new Set(zones.map((zone) => zone.organizationId))) {
    await queue.send("evaluations.refresh", { organizationId }, { singletonKey: organizationId });
  }
  return { daily, exports: stranded.length, checkpoints };
}

/** Registers every queue's handler on `queue` in this process, and the scheduler tick. */
export async function startWorkers(queue: JobQueue, runtime: WorkerRuntime): Promise<void> {
  const attempts = QUEUE_POLICIES["export.run"].retryLimit + 1;
  await queue.work("export.run", async ({ exportId }, job) => {
    await runExportAttempt(runtime, exportId, { attempt: job.attempt, of: attempts });
  });
  await queue.work("alerts.daily", async (run) => {
    await runDailyAlerts(runtime, run);
  });
  await queue.work("digest.daily", async (run) => {
    await runDailyDigests(runtime, run);
  });
  await queue.work("evaluations.refresh", async ({ organizationId }) => {
    const { remaining: stale } = await reevaluateStale(runtime.db, {
      organizationId,
      now: runtime.now(),
      limit: REFRESH_BATCH,
    });
    // Today's verdicts first; then the trend's missing finished months, all in one turn (one
    // pass that reads each practitioner once), so dashboards never compute them on a page view.
    const remaining =
      stale ||
      (await refreshTrendMonths(runtime.db, { organizationId, now: runtime.now() })).remaining;
    if (remaining) {
      await queue.send("evaluations.refresh", { organizationId }, { singletonKey: organizationId });
    }
  });
  await queue.work("scheduler.tick", async () => {
    await runSchedulerTick(runtime, queue);
  });
  await queue.scheduleTick();
}
