/**
 * The scale-out proof (issue 12): two API processes and a worker process on one PostgreSQL
 * database and one S3 store (a real s3rver), mail to a real SMTP server, all started here.
 * - 20 exports created through A while B restarts twice: each finishes exactly once and
 *   downloads through either instance;
 * - digests triggered on both instances send each email once;
 * - a certificate uploaded through A downloads through B;
 * - the worker killed with SIGKILL in the middle of an export: a new worker finishes it, once.
 * The processes run on the real clock, so the data's dates are set relative to it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer as createNetServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { AppRouter } from "@dn/api";
import {
  type S3TestServer,
  type SmtpTestServer,
  startS3TestServer,
  startSmtpTestServer,
} from "@dn/api/testing";
import { systemClock } from "@dn/clock";
import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  createTestDb,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import type { Practitioner, TrainingRecord, User } from "@dn/schema";
import { createTRPCClient, httpLink } from "@trpc/client";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

const API_DIR = fileURLToPath(new URL("..", import.meta.url));
const CERTIFICATE = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF\n",
  "latin1",
);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | null | false>,
  ms = 90_000,
): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface Host {
  name: string;
  child: ChildProcess;
  output: string[];
  port: number | null;
}

const dialects = await testDialects();

describe.skipIf(!dialects.includes("postgres"))("several API instances on one PostgreSQL", () => {
  let db: DbHandle & { url?: string };
  let s3: S3TestServer;
  let smtp: SmtpTestServer;
  let manager: User;
  let pt: User;
  let record: TrainingRecord;
  let staff: Practitioner[];
  const hosts: Host[] = [];

  function start(
    name: string,
    script: "main" | "worker",
    extra: Record<string, string> = {},
    port: number | null = null,
  ): Host {
    const child = spawn(process.execPath, ["--import", "tsx", `src/${script}.ts`], {
      cwd: API_DIR,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        // The suite's second run moves the clock with faketime (LD_PRELOAD and FAKETIME*): the
        // hosts must see the same clock as the data the test builds from it.
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            ([name]) =>
              name === "LD_PRELOAD" ||
              name.startsWith("FAKETIME") ||
              name === "DONT_FAKE_MONOTONIC",
          ),
        ),
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        DATABASE_URL: db.url ?? "",
        ...s3.env("scale-out"),
        DN_SMTP_URL: smtp.url,
        DN_MAIL_FROM: "dn <jobs@dn.test>",
        DN_JOB_LEASE_SECONDS: "4",
        DN_JOB_POLL_MS: "500",
        DN_RUN_WORKERS: "false",
        DN_API_HOST: "127.0.0.1",
        ...(port ? { DN_API_PORT: String(port) } : {}),
        ...extra,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const host: Host = { name, child, output: [], port };
    child.stdout?.on("data", (chunk: Buffer) => host.output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => host.output.push(chunk.toString()));
    hosts.push(host);
    return host;
  }

  async function startApi(name: string, port?: number): Promise<Host> {
    const host = start(name, "main", {}, port ?? (await freePort()));
    await until(`${name} to be ready`, async () => {
      if (host.child.exitCode !== null) throw new Error(`${name} exited: ${host.output.join("")}`);
      const response = await fetch(`http://127.0.0.1:${host.port}/ready`);
      return response.status === 200;
    });
    return host;
  }

  async function stop(host: Host, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (host.child.exitCode !== null || host.child.signalCode !== null) return;
    const exited = new Promise((resolve) => host.child.once("exit", resolve));
    host.child.kill(signal);
    await exited;
  }

  const base = (host: Host) => `http://127.0.0.1:${host.port}`;

  async function signIn(host: Host, user: User) {
    const anonymous = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${base(host)}/trpc` })],
    });
    const session = await anonymous.auth.login.mutate({
      email: user.email,
      password: TEST_PASSWORD,
    });
    if (session.status !== "signed-in") throw new Error("no second factor was expected");
    const token = session.token;
    return {
      token,
      api: createTRPCClient<AppRouter>({
        links: [
          httpLink({
            url: `${base(host)}/trpc`,
            headers: () => ({ authorization: `Bearer ${token}` }),
          }),
        ],
      }),
    };
  }

  beforeAll(async () => {
    db = await createTestDb({ dialect: "postgres" });
    s3 = await startS3TestServer();
    smtp = await startSmtpTestServer();
    const organization = await buildOrganization(db.db, { name: "Harbor" });
    const clinic = await buildClinic(db.db, {
      organizationId: organization.id,
      jurisdiction: "US-MD",
    });
    staff = [];
    for (let i = 0; i < 12; i++) {
      staff.push(await buildPractitioner(db.db, { clinicId: clinic.id, name: `Staff ${i}` }));
    }
    const self = staff[0] as Practitioner;
    manager = await buildUser(db.db, { organizationId: organization.id, role: "manager" });
    pt = await buildUser(db.db, {
      organizationId: organization.id,
      role: "practitioner",
      practitionerId: self.id,
    });
    // Something to put in the digest: a CPR card that lapses in 30 days from the real today (the
    // processes under test run on the system clock, so the data follows it).
    const inDays = (days: number) =>
      new Date(systemClock().getTime() + days * 86_400_000).toISOString().slice(0, 10);
    record = await buildTrainingRecord(db.db, {
      practitionerId: self.id,
      recordedBy: pt.id,
      kind: "cpr",
      title: "CPR certification",
      completedOn: inDays(-700),
      expiresOn: inDays(30),
    });
  }, 120_000);

  // A test that fails half-way must not leave its processes working the next test's jobs.
  afterEach(async () => {
    for (const host of hosts.splice(0)) await stop(host, "SIGKILL");
  });

  afterAll(async () => {
    for (const host of hosts) await stop(host, "SIGKILL");
    await smtp?.stop();
    await s3?.stop();
    await db?.destroy();
  });

  test("exports finish once and download anywhere while an instance restarts; digests go once; files are shared", async () => {
    const a = await startApi("A");
    let b = await startApi("B");
    const worker = start("worker", "worker");
    const onA = await signIn(a, manager);

    // 20 exports through A while B restarts twice.
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const job = await onA.api.exports.create.mutate({
        kind: i % 2 === 0 ? "csv-summary" : "json",
        scope: { kind: "organization", asOf: "2026-11-01" },
      });
      ids.push(job.id);
      if (i === 6 || i === 13) {
        const port = b.port ?? undefined;
        await stop(b);
        b = await startApi(`B${i}`, port);
      }
    }
    for (const id of ids) {
      await until(`export ${id}`, async () => {
        const job = await onA.api.exports.byId.query({ id });
        if (job.status === "failed") throw new Error(`export failed: ${job.error}`);
        return job.status === "done" ? job : null;
      });
    }
    const onB = await signIn(b, manager);
    for (const id of ids) {
      const completions = (await listAuditEventsForEntity(db.db, "export", id)).filter(
        (event) => event.action === "export.complete",
      );
      expect(completions, `export ${id} completed once`).toHaveLength(1);
      const job = await onB.api.exports.byId.query({ id });
      for (const [host, token] of [
        [a, onA.token],
        [b, onB.token],
      ] as const) {
        const download = await fetch(`${base(host)}/exports/${id}/download`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(download.status).toBe(200);
        const bytes = Buffer.from(await download.arrayBuffer());
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(job.sha256);
      }
    }

    // Digests triggered on both instances (and by the scheduler's own tick): one email each.
    await onA.api.jobs.sendDigests.mutate();
    await onB.api.jobs.sendDigests.mutate();
    await until(
      "the digests",
      async () =>
        smtp.messages.some((m) => m.to.includes(pt.email)) &&
        smtp.messages.some((m) => m.to.includes(manager.email)),
    );
    await sleep(3000);
    for (const email of [pt.email, manager.email]) {
      expect(
        smtp.messages.filter((m) => m.to.includes(email)),
        `digests to ${email}`,
      ).toHaveLength(1);
    }

    // A certificate uploaded through A downloads through B.
    const ptOnA = await signIn(a, pt);
    const upload = await fetch(`${base(a)}/files/records/${record.id}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${ptOnA.token}`,
        "content-type": "application/octet-stream",
        "x-file-name": encodeURIComponent("CPR card.pdf"),
      },
      body: CERTIFICATE,
    });
    expect(upload.status).toBe(201);
    const file = (await upload.json()) as { id: string };
    const download = await fetch(`${base(b)}/files/${file.id}`, {
      headers: { authorization: `Bearer ${onB.token}` },
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(CERTIFICATE);

    await stop(worker);
    await stop(b);
    await stop(a);
  }, 240_000);

  test("a worker killed with SIGKILL in the middle of an export: the next worker finishes it, once", async () => {
    const a = await startApi("A2");
    const onA = await signIn(a, manager);
    // A report of every practitioner takes long enough to be caught running.
    const queued = await onA.api.exports.create.mutate({
      kind: "pdf-report",
      scope: { kind: "organization", asOf: "2026-11-01" },
    });
    const first = start("worker-1", "worker");
    await until("the export to be running", async () => {
      const job = await onA.api.exports.byId.query({ id: queued.id });
      if (job.status === "done")
        throw new Error("the export finished before it could be interrupted");
      return job.status === "running" && job.progress > 0;
    });
    await stop(first, "SIGKILL");
    expect((await onA.api.exports.byId.query({ id: queued.id })).status).toBe("running");
    // The dead worker's lease (4 s) runs out; a new worker takes the export over and finishes it.
    await sleep(4500);
    const second = start("worker-2", "worker");
    const done = await until(
      "the export to finish",
      async () => {
        const job = await onA.api.exports.byId.query({ id: queued.id });
        if (job.status === "failed") throw new Error(`export failed: ${job.error}`);
        return job.status === "done" ? job : null;
      },
      120_000,
    );
    const completions = (await listAuditEventsForEntity(db.db, "export", queued.id)).filter(
      (event) => event.action === "export.complete",
    );
    expect(completions).toHaveLength(1);
    const row = await db.db
      .selectFrom("exportJobs")
      .select("attempts")
      .where("id", "=", queued.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.attempts)).toBe(2);
    const download = await fetch(`${base(a)}/exports/${queued.id}/download`, {
      headers: { authorization: `Bearer ${onA.token}` },
    });
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(done.sha256);
    await stop(second);
    await stop(a);
  }, 240_000);
});
