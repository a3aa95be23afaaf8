import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "@dn/clock";
import {
  claimEmbeddedJob,
  claimExportJob,
  type DbHandle,
  findExportJob,
  findSentEmail,
  listAuditEventsForEntity,
} from "@dn/db";
import { buildTrainingRecord, createTestDb, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { localAccountServices } from "../services/context.ts";
import { newExportLease, runExportAttempt } from "../services/export-jobs.ts";
import { createSmtpMailer } from "../services/mailer.ts";
import { LocalFileStore } from "../services/storage/local-file-store.ts";
import { buildOrgWorld, type OrgWorld } from "../test-support.ts";
import { startSmtpTestServer } from "../testing/smtp-test-server.ts";
import { EmbeddedJobQueue } from "./embedded-queue.ts";
import { PgBossJobQueue } from "./pg-boss-queue.ts";
import type { JobQueue } from "./queue.ts";
import { runSchedulerTick, startWorkers, type WorkerRuntime } from "./work.ts";

/** A clock the test moves. */
function movableClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

const until = async (condition: () => Promise<boolean>, ms = 20_000) => {
  const end = performance.now() + ms;
  while (!(await condition())) {
    if (performance.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe.each(await testDialects())("the embedded job queue on %s", (dialect) => {
  let handle: DbHandle;
  let clock: ReturnType<typeof movableClock>;
  let queue: EmbeddedJobQueue;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    clock = movableClock("2026-11-27T09:00:00.000Z");
    queue = new EmbeddedJobQueue({ db: handle.db, now: clock.now, leaseMs: 30_000 });
  });
  afterEach(async () => {
    await queue.stop();
    await handle.destroy();
  });

  test("a failing job is retried with doubling delays, then kept as dead until an admin retries it", async () => {
    const seen: { attempt: number; last: boolean }[] = [];
    let fail = true;
    await queue.work("alerts.daily", async (_run, job) => {
      seen.push({ attempt: job.attempt, last: job.lastAttempt });
      if (fail) throw new Error("smtp down");
    });
    await queue.send("alerts.daily", {
      organizationId: "o",
      timeZone: "UTC",
      localDate: "2026-11-27",
    });
    expect(await queue.drain()).toBe(1);
    // The first retry waits 60 s (the policy), the next 120 s: not earlier.
    clock.advance(59_000);
    expect(await queue.drain()).toBe(0);
    clock.advance(1_000);
    expect(await queue.drain()).toBe(1);
    for (const wait of [120_000, 240_000, 480_000, 960_000]) {
      clock.advance(wait);
      expect(await queue.drain()).toBe(1);
    }
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.at(-1)?.last).toBe(true);
    clock.advance(10 * 60_000_000);
    expect(await queue.drain()).toBe(0);

    const dead = await queue.deadJobs(10);
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ queue: "alerts.daily", attempts: 6, error: "smtp down" });
    fail = false;
    expect(await queue.retryDead(dead[0]?.id ?? "")).toBe(true);
    expect(await queue.drain()).toBe(1);
    expect(await queue.deadJobs(10)).toEqual([]);
  });

  test("a job whose worker died is taken again once its lease runs out, as its next attempt", async () => {
    await queue.send("export.run", { exportId: "e1" });
    // A worker claims it and dies: no heartbeat, no completion.
    const at = clock.now().toISOString();
    const lease = new Date(clock.now().getTime() + 30_000).toISOString();
    expect(await claimEmbeddedJob(handle.db, "export.run", at, lease)).not.toBeNull();
    const attempts: number[] = [];
    await queue.work("export.run", async (_data, job) => {
      attempts.push(job.attempt);
    });
    expect(await queue.drain()).toBe(0);
    clock.advance(30_001);
    expect(await queue.drain()).toBe(1);
    expect(attempts).toEqual([2]);
  });

  test("while a job with a singleton key waits, sending the key again adds nothing", async () => {
    let runs = 0;
    await queue.work("scheduler.tick", async () => {
      runs += 1;
    });
    await queue.send("scheduler.tick", {}, { singletonKey: "tick" });
    await queue.send("scheduler.tick", {}, { singletonKey: "tick" });
    expect(await queue.drain()).toBe(1);
    await queue.send("scheduler.tick", {}, { singletonKey: "tick" });
    expect(await queue.drain()).toBe(1);
    expect(runs).toBe(2);
  });

  test("started, it works jobs as they are sent", async () => {
    const done: string[] = [];
    await queue.work("export.run", async ({ exportId }) => {
      done.push(exportId);
    });
    await queue.start();
    await queue.send("export.run", { exportId: "a" });
    await queue.send("export.run", { exportId: "b" });
    await until(async () => done.length === 2);
    expect(done.sort()).toEqual(["a", "b"]);
  });
});

describe.each(await testDialects())("exports, daily runs and digests as jobs on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let dir: string;
  let clock: ReturnType<typeof movableClock>;
  let runtime: WorkerRuntime;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    dir = mkdtempSync(join(tmpdir(), "dn-jobs-"));
    clock = movableClock("2026-11-27T09:00:01.000Z");
    runtime = {
      db: handle.db,
      storage: new LocalFileStore(dir),
      now: clock.now,
      leaseMs: 30_000,
      accounts: localAccountServices(),
    };
  });
  afterEach(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("an export whose worker died is finished once by the next attempt; a live lease is left alone", async () => {
    const queued = await world.as.manager.exports.create({
      kind: "csv-summary",
      scope: { kind: "organization", asOf: "2026-11-01" },
    });
    // Attempt 1 claims the export and its process dies.
    const first = await claimExportJob(handle.db, queued.id, newExportLease(runtime));
    expect(first?.attempts).toBe(1);
    // While its lease is fresh, a second delivery of the job changes nothing.
    clock.advance(10_000);
    expect(await runExportAttempt(runtime, queued.id, { attempt: 1, of: 3 })).toBeNull();
    // The tick finds it stranded once the heartbeat is older than the lease, and queues it again.
    const sent: unknown[] = [];
    clock.advance(25_000);
    const tick = await runSchedulerTick(runtime, {
      send: async (name, data) => {
        sent.push({ name, data });
      },
    });
    expect(tick.exports).toBe(1);
    expect(sent).toContainEqual({ name: "export.run", data: { exportId: queued.id } });
    const done = await runExportAttempt(runtime, queued.id, { attempt: 1, of: 3 });
    expect(done).toMatchObject({ status: "done", attempts: 2 });
    // Delivered yet again (a doubled message): done is done.
    expect(await runExportAttempt(runtime, queued.id, { attempt: 1, of: 3 })).toBeNull();
    const audit = await listAuditEventsForEntity(handle.db, "export", queued.id);
    expect(audit.filter((event) => event.action === "export.complete")).toHaveLength(1);
    // The dead attempt can no longer write to the job.
    expect((await findExportJob(handle.db, queued.id))?.runToken).toBe(done?.runToken);
  });

  test("a failing export stays queued while retries remain, then fails with the reason", async () => {
    const queued = await world.as.manager.exports.create({
      kind: "bundle",
      scope: { kind: "organization", asOf: "2026-11-01" },
    });
    // Evidence whose bytes are missing from the store makes every attempt fail.
    const failing: WorkerRuntime = { ...runtime, blobStore: new LocalFileStore(join(dir, "none")) };
    const { insertEvidenceFile } = await import("@dn/db");
    await insertEvidenceFile(handle.db, {
      id: "00000000-0000-4000-8000-00000000e001",
      organizationId: world.organization.id,
      practitionerId: world.self.id,
      recordId: world.selfRecord.id,
      sha256: "a".repeat(64),
      mediaType: "application/pdf",
      sizeBytes: 10,
      fileName: "gone.pdf",
      uploadedBy: world.users.manager.id,
      uploadedAt: "2026-11-27T09:00:00.000Z",
    });
    await expect(runExportAttempt(failing, queued.id, { attempt: 1, of: 2 })).rejects.toThrow(
      /no stored content/,
    );
    const retrying = await findExportJob(handle.db, queued.id);
    expect(retrying?.status).toBe("queued");
    expect(retrying?.error).toMatch(/attempt 1 of 2 failed \(retrying\)/);
    await expect(runExportAttempt(failing, queued.id, { attempt: 2, of: 2 })).rejects.toThrow(
      /no stored content/,
    );
    const failed = await findExportJob(handle.db, queued.id);
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toMatch(/no stored content/);
  });

  test("the evaluations.refresh job brings today's verdicts and then every finished month of the trend up to date", async () => {
    const queue = new EmbeddedJobQueue({ db: handle.db, now: clock.now, leaseMs: 30_000 });
    try {
      // Starting the workers ticks once, which asks for each organization's refresh.
      await startWorkers(queue, runtime);
      await queue.drain();
    } finally {
      await queue.stop();
    }
    const states = await handle.db
      .selectFrom("evaluationStates")
      .select(["practitionerId", "stale"])
      .where("organizationId", "=", world.organization.id)
      .execute();
    expect(states.map((s) => s.stale)).toEqual([0, 0]);
    const months = await handle.db
      .selectFrom("trendMonths")
      .select("month")
      .distinct()
      .where("organizationId", "=", world.organization.id)
      .execute();
    expect(months).toHaveLength(11);
    const dashboard = await world.as.manager.dashboard.summary({});
    expect(dashboard.trend.filter((t) => t.pending)).toEqual([]);
  });

  test("each day's alerts and digests are queued once per organization and time zone, whoever ticks", async () => {
    const smtp = await startSmtpTestServer();
    const mailer = createSmtpMailer({ url: smtp.url, from: "dn <alerts@dn.test>" });
    try {
      await buildTrainingRecord(handle.db, {
        practitionerId: world.self.id,
        recordedBy: world.users.practitioner.id,
        kind: "cpr",
        title: "CPR certification",
        completedOn: "2024-12-03",
        expiresOn: "2026-12-03",
      });
      const withMail: WorkerRuntime = { ...runtime, accounts: localAccountServices({ mailer }) };
      // The clinic is in America/New_York (the builder's default may differ: read it).
      const sent: { name: string; data: unknown }[] = [];
      const sender = {
        send: async (name: string, data: unknown) => {
          sent.push({ name, data });
        },
      };
      // Two instances tick in the same minute, and again a minute later.
      clock.advance(5 * 3600_000); // 14:00 UTC: after 06:00 in every US zone
      await runSchedulerTick(withMail, sender as never);
      await runSchedulerTick(withMail, sender as never);
      clock.advance(60_000);
      await runSchedulerTick(withMail, sender as never);
      // Each tick also asks for the organization's stale evaluations to be refreshed.
      expect(sent.filter((s) => s.name === "evaluations.refresh")).toEqual(
        Array(3).fill({
          name: "evaluations.refresh",
          data: { organizationId: world.organization.id },
        }),
      );
      expect(
        sent
          .map((s) => s.name)
          .filter((name) => name !== "evaluations.refresh")
          .sort(),
      ).toEqual(["alerts.daily", "digest.daily"]);
      const run = sent.find((s) => s.name === "digest.daily")?.data as {
        organizationId: string;
        timeZone: string;
        localDate: string;
      };
      expect(run).toMatchObject({ organizationId: world.organization.id, localDate: "2026-11-27" });

      // The digest job delivered twice (a retry, or a second worker) emails each member once.
      const { runDailyDigests, runDailyAlerts } = await import("./work.ts");
      const firstRun = await runDailyDigests(withMail, run);
      const secondRun = await runDailyDigests(withMail, run);
      expect(firstRun).toContain(world.users.practitioner.email);
      expect(secondRun).toEqual([]);
      const toPt = smtp.messages.filter((m) => m.to.includes(world.users.practitioner.email));
      expect(toPt).toHaveLength(1);
      const key = `digest|${world.users.practitioner.id}|${world.organization.id}|2026-11-27`;
      expect(await findSentEmail(handle.db, key)).toMatchObject({ status: "sent" });

      expect(await runDailyAlerts(withMail, run)).toBeGreaterThan(0);
      expect(await runDailyAlerts(withMail, run)).toBe(0);
    } finally {
      mailer.close();
      await smtp.stop();
    }
  });
});

describe.each(await testDialects())("dead jobs for admins on %s", (dialect) => {
  test("an admin sees and retries only their organization's dead jobs; others may not", async () => {
    const handle = await createTestDb({ dialect });
    try {
      const harbor = await buildOrgWorld(handle.db, "Harbor");
      const bayside = await buildOrgWorld(handle.db, "Bayside");
      const clock = movableClock("2026-11-27T09:00:01.000Z");
      const queue = new EmbeddedJobQueue({ db: handle.db, now: clock.now });
      const { callerWithJobs } = await import("../test-support.ts");
      const harborAdmin = callerWithJobs(handle.db, harbor.users.admin, queue);
      const baysideAdmin = callerWithJobs(handle.db, bayside.users.admin, queue);
      const harborManager = callerWithJobs(handle.db, harbor.users.manager, queue);
      const queued = await harborAdmin.exports.create({
        kind: "csv-summary",
        scope: { kind: "organization", asOf: "2026-11-01" },
      });
      await queue.send("digest.daily", {
        organizationId: bayside.organization.id,
        timeZone: "UTC",
        localDate: "2026-11-27",
      });
      // Both jobs fail every attempt.
      await queue.work("export.run", async () => {
        throw new Error("storage unreachable");
      });
      await queue.work("digest.daily", async () => {
        throw new Error("smtp down");
      });
      for (let i = 0; i < 8; i++) {
        await queue.drain();
        clock.advance(3600_000);
      }
      const harborDead = await harborAdmin.jobs.dead();
      expect(harborDead).toEqual([
        expect.objectContaining({
          queue: "export.run",
          subject: "csv-summary export as of 2026-11-01",
          error: "storage unreachable",
        }),
      ]);
      expect((await baysideAdmin.jobs.dead()).map((job) => job.subject)).toEqual([
        "deadline digests for 2026-11-27",
      ]);
      await expect(harborManager.jobs.dead()).rejects.toThrow(/may not/);
      // Bayside cannot retry Harbor's job; Harbor can, and the export is queued again.
      const id = harborDead[0]?.id ?? "";
      await expect(baysideAdmin.jobs.retry({ id })).rejects.toThrow(/no job with this id/);
      expect(await harborAdmin.jobs.retry({ id })).toEqual({ retried: true });
      expect((await harborAdmin.exports.byId({ id: queued.id })).status).toBe("queued");
      expect(await harborAdmin.jobs.dead()).toEqual([]);
      const audit = await listAuditEventsForEntity(handle.db, "job", id);
      expect(audit.map((event) => event.action)).toEqual(["job.retry"]);
    } finally {
      await handle.destroy();
    }
  });
});

describe.skipIf(!(await testDialects()).includes("postgres"))("the pg-boss queue", () => {
  let handle: DbHandle;
  let queue: JobQueue;

  beforeEach(async () => {
    handle = await createTestDb({ dialect: "postgres" });
    if (!handle.pgPool) throw new Error("no pool");
    queue = new PgBossJobQueue({ pool: handle.pgPool, now: systemClock, pollSeconds: 0.5 });
    await queue.start();
  });
  afterEach(async () => {
    await queue.stop(5_000);
    await handle.destroy();
  });

  test("two workers on one database run each job once; a job that keeps failing ends dead and can be retried", async () => {
    if (!handle.pgPool) throw new Error("no pool");
    const second = new PgBossJobQueue({
      pool: handle.pgPool,
      now: systemClock,
      pollSeconds: 0.5,
    });
    await second.start();
    const runs: string[] = [];
    const handler = async ({ exportId }: { exportId: string }) => {
      runs.push(exportId);
    };
    await queue.work("export.run", handler);
    await second.work("export.run", handler);
    for (let i = 0; i < 10; i++) await queue.send("export.run", { exportId: `e${i}` });
    await until(async () => runs.length >= 10);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(runs.sort()).toEqual([...Array(10).keys()].map((i) => `e${i}`).sort());

    let attempts = 0;
    await second.work("scheduler.tick", async () => {
      attempts += 1;
      throw new Error("always fails");
    });
    await queue.send("scheduler.tick", {}, { singletonKey: "t" });
    await until(async () => (await queue.deadJobs(10)).length === 1);
    const [dead] = await queue.deadJobs(10);
    expect(dead).toMatchObject({ queue: "scheduler.tick", error: "always fails" });
    expect(attempts).toBe(1);
    expect(await queue.retryDead(dead?.id ?? "")).toBe(true);
    await until(async () => attempts === 2);
    await second.stop(5_000);
  });
});
