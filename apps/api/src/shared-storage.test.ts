/**
 * Two API instances on one database and one S3 store (a real s3rver, not a mock): a certificate
 * uploaded through one downloads through the other, and an export built by one instance's
 * worker, carrying that certificate, downloads through the other.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AppRouter, ExportWorker, type Storage } from "@dn/api";
import { type S3TestServer, startS3TestServer } from "@dn/api/testing";
import { fixedClock } from "@dn/clock";
import { createDb, type DbHandle, migrateToLatest } from "@dn/db";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  createTestDb,
  TEST_NOW,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import { verifyBundleBuffer } from "@dn/exports";
import type { TrainingRecord, User } from "@dn/schema";
import { createTRPCClient, httpLink } from "@trpc/client";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createServer } from "./server.ts";

const CERTIFICATE = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 2\n0000000000 65535 f \n0000000009 00000 n \ntrailer << /Size 2 /Root 1 0 R >>\nstartxref\n45\n%%EOF\n",
  "latin1",
);

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(async () => {
  await s3?.stop();
});

interface Instance {
  db: DbHandle;
  storage: Storage;
  server: ReturnType<typeof createServer>;
  base: string;
}

async function startInstance(db: DbHandle, storage: Storage): Promise<Instance> {
  const server = createServer({
    db,
    logger: pino({ level: "silent" }),
    store: storage.files,
    exportStorage: storage.exports,
    now: fixedClock(TEST_NOW),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    db,
    storage,
    server,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  };
}

async function stopInstance(instance: Instance): Promise<void> {
  instance.server.closeAllConnections();
  await new Promise((resolve) => instance.server.close(resolve));
  instance.storage.close();
  await instance.db.destroy();
}

/** Two handles on one database: a shared SQLite file, or one PostgreSQL database. */
async function twoHandles(
  dialect: string,
): Promise<{ a: DbHandle; b: DbHandle; done: () => Promise<void> }> {
  if (dialect === "postgres") {
    const a = await createTestDb({ dialect: "postgres" });
    const b = createDb({ databaseUrl: a.url as string });
    return { a, b, done: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), "dn-two-instances-"));
  const a = createDb({ sqlitePath: join(dir, "dn.sqlite") });
  await migrateToLatest(a.db);
  const b = createDb({ sqlitePath: join(dir, "dn.sqlite") });
  return { a, b, done: () => rm(dir, { recursive: true, force: true }) };
}

describe.each(await testDialects())("two API instances sharing %s and one S3 store", (dialect) => {
  let a: Instance;
  let b: Instance;
  let cleanup: () => Promise<void>;
  let pt: User;
  let manager: User;
  let record: TrainingRecord;
  let run = 0;

  beforeEach(async () => {
    run += 1;
    const handles = await twoHandles(dialect);
    cleanup = handles.done;
    // Each instance has its own S3 client, as two processes would; both on one bucket and prefix.
    const prefix = `${dialect}-${run}`;
    a = await startInstance(handles.a, s3.createStorage(prefix));
    b = await startInstance(handles.b, s3.createStorage(prefix));
    const organization = await buildOrganization(a.db.db, { name: "Harbor" });
    const clinic = await buildClinic(a.db.db, {
      organizationId: organization.id,
      jurisdiction: "US-MD",
    });
    const practitioner = await buildPractitioner(a.db.db, { clinicId: clinic.id, name: "Dana" });
    manager = await buildUser(a.db.db, { organizationId: organization.id, role: "manager" });
    pt = await buildUser(a.db.db, {
      organizationId: organization.id,
      role: "practitioner",
      practitionerId: practitioner.id,
    });
    record = await buildTrainingRecord(a.db.db, {
      practitionerId: practitioner.id,
      recordedBy: pt.id,
    });
  });
  afterEach(async () => {
    await stopInstance(b);
    await stopInstance(a);
    await cleanup();
  });

  async function tokenFor(instance: Instance, user: User): Promise<string> {
    const client = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${instance.base}/trpc` })],
    });
    const session = await client.auth.login.mutate({ email: user.email, password: TEST_PASSWORD });
    if (session.status !== "signed-in") throw new Error("no second factor was expected");
    return session.token;
  }

  async function uploadThroughA(): Promise<{ id: string; sha256: string }> {
    const response = await fetch(`${a.base}/files/records/${record.id}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${await tokenFor(a, pt)}`,
        "content-type": "application/octet-stream",
        "x-file-name": encodeURIComponent("CPR card.pdf"),
      },
      body: CERTIFICATE,
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string; sha256: string };
  }

  test("a certificate uploaded through A downloads through B, stored once in the bucket", async () => {
    const file = await uploadThroughA();
    const download = await fetch(`${b.base}/files/${file.id}`, {
      headers: { authorization: `Bearer ${await tokenFor(b, manager)}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await download.arrayBuffer())).toEqual(CERTIFICATE);
    const prefix = `${dialect}-${run}/files/`;
    expect(await s3.listKeys(prefix)).toEqual([
      `${prefix}${file.sha256.slice(0, 2)}/${file.sha256.slice(2, 4)}/${file.sha256}`,
    ]);
  });

  test("an export built by A's worker carries the certificate and downloads through B", async () => {
    const file = await uploadThroughA();
    const managerOnA = await tokenFor(a, manager);
    const client = createTRPCClient<AppRouter>({
      links: [
        httpLink({
          url: `${a.base}/trpc`,
          headers: () => ({ authorization: `Bearer ${managerOnA}` }),
        }),
      ],
    });
    const queued = await client.exports.create.mutate({
      kind: "bundle",
      scope: { kind: "organization", asOf: "2026-11-01" },
    });
    const worker = new ExportWorker({
      db: a.db.db,
      storage: a.storage.exports,
      blobStore: a.storage.files,
      now: fixedClock("2026-11-27T12:00:01.000Z"),
    });
    await worker.runPending();
    const done = await client.exports.byId.query({ id: queued.id });
    expect(done.status).toBe("done");

    const download = await fetch(`${b.base}/exports/${queued.id}/download`, {
      headers: { authorization: `Bearer ${await tokenFor(b, manager)}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("x-content-sha256")).toBe(done.sha256);
    const bundle = Buffer.from(await download.arrayBuffer());
    const verified = await verifyBundleBuffer(bundle);
    expect(verified.problems).toEqual([]);
    const certificate = verified.manifest?.files.find((entry) =>
      entry.path.includes(`/evidence/${record.id}/${file.id.slice(0, 8)}-`),
    );
    expect(certificate?.sha256).toBe(file.sha256);
  });
});
