import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import { type DbHandle, hashAuditRow, listAuditCheckpoints, verifyAuditChain } from "@dn/db";
import { createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import {
  AUDIT_CHECKPOINT_PATH,
  AUDIT_SEGMENT_PATH,
  hashAuditSegmentRow,
  readBundleEntry,
  verifyBundleBuffer,
} from "@dn/exports";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { runSchedulerTick } from "./jobs/work.ts";
import { verifyAuditTrail } from "./services/audit.service.ts";
import { checkpointAuditChain } from "./services/audit-checkpoints.service.ts";
import { actorFromUser, localAccountServices, type ServiceContext } from "./services/context.ts";
import { ExportWorker } from "./services/export-jobs.ts";
import { LocalFileStore } from "./services/storage/local-file-store.ts";
import { buildOrgWorld, type OrgWorld } from "./test-support.ts";
import { createContextInner } from "./trpc.ts";

const AS_OF = "2026-11-01";
const WORKER_NOW = "2026-11-27T09:00:01.000Z";

async function zipText(bytes: Buffer, path: string): Promise<string | null> {
  return (await readBundleEntry(bytes, path))?.toString("utf8") ?? null;
}

describe.each(await testDialects())("signed audit checkpoints on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let other: OrgWorld;
  let dir: string;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    other = await buildOrgWorld(handle.db, "Bayside");
    dir = mkdtempSync(join(tmpdir(), "dn-checkpoints-"));
    for (const name of ["Clinic A", "Clinic B", "Clinic C", "Clinic D"]) {
      await world.as.admin.clinics.create({
        name,
        jurisdiction: "US-MD",
        timeZone: "America/New_York",
      });
    }
    await other.as.admin.clinics.create({
      name: "Elsewhere",
      jurisdiction: "US-MD",
      timeZone: "America/New_York",
    });
  });
  afterEach(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const auditor = (): ServiceContext => ({
    ...createContextInner({ db: handle.db, now: fixedClock(TEST_NOW) }),
    actor: actorFromUser(world.users.auditor),
  });

  async function rows() {
    return handle.db
      .selectFrom("auditEvents")
      .selectAll()
      .where("organizationId", "=", world.organization.id)
      .orderBy("seq")
      .execute();
  }

  test("a checkpoint signs the chain head; verify checks it, and signing the same head again adds nothing", async () => {
    const head = (await rows()).at(-1);
    const checkpoint = await checkpointAuditChain(
      handle.db,
      world.organization.id,
      new Date(TEST_NOW),
    );
    expect(checkpoint).toMatchObject({ seq: head?.seq, hash: head?.hash, signedAt: TEST_NOW });
    await checkpointAuditChain(handle.db, world.organization.id, new Date(WORKER_NOW));
    expect(await listAuditCheckpoints(handle.db, world.organization.id)).toHaveLength(1);
    expect(await verifyAuditTrail(auditor())).toMatchObject({ ok: true, rows: 4, checkpoints: 1 });
  });

  test("deleting the newest rows up to the last checkpoint is detected, though the shorter chain is valid", async () => {
    await checkpointAuditChain(handle.db, world.organization.id, new Date(TEST_NOW));
    await handle.db
      .deleteFrom("auditEvents")
      .where("organizationId", "=", world.organization.id)
      .where("seq", ">=", 3)
      .execute();
    expect(await verifyAuditChain(handle.db, world.organization.id)).toMatchObject({
      ok: true,
      rows: 2,
    });
    expect(await verifyAuditTrail(auditor())).toMatchObject({
      ok: false,
      seq: 4,
      problem: "checkpoint-truncated",
    });
  });

  test("a chain rewritten with recomputed hashes is detected by the checkpoint", async () => {
    await checkpointAuditChain(handle.db, world.organization.id, new Date(TEST_NOW));
    // Change row 2 and re-hash it and every later row: the chain alone verifies again.
    let prevHash = (await rows())[0]?.hash ?? "";
    for (const row of (await rows()).slice(1)) {
      const fields = {
        ...row,
        prevHash,
        afterJson: row.seq === 2 ? '{"name":"Rewritten"}' : row.afterJson,
      };
      const hash = hashAuditRow(fields);
      await handle.db
        .updateTable("auditEvents")
        .set({ afterJson: fields.afterJson, prevHash, hash })
        .where("id", "=", row.id)
        .execute();
      prevHash = hash;
    }
    expect(await verifyAuditChain(handle.db, world.organization.id)).toMatchObject({ ok: true });
    expect(await verifyAuditTrail(auditor())).toMatchObject({
      ok: false,
      seq: 4,
      problem: "checkpoint-mismatch",
    });
  });

  test("a checkpoint moved to another head, or signed by another key, fails its signature", async () => {
    await checkpointAuditChain(handle.db, world.organization.id, new Date(TEST_NOW));
    await handle.db
      .updateTable("auditCheckpoints")
      .set({ seq: 3, hash: (await rows())[2]?.hash ?? "" })
      .where("organizationId", "=", world.organization.id)
      .execute();
    expect(await verifyAuditTrail(auditor())).toMatchObject({
      ok: false,
      seq: 3,
      problem: "checkpoint-signature",
    });
    // Bayside's valid checkpoint copied over as Harbor's is not Harbor's key's signature either.
    await handle.db.deleteFrom("auditCheckpoints").execute();
    const foreign = await checkpointAuditChain(
      handle.db,
      other.organization.id,
      new Date(TEST_NOW),
    );
    await handle.db
      .insertInto("auditCheckpoints")
      .values({
        ...(foreign as NonNullable<typeof foreign>),
        organizationId: world.organization.id,
      })
      .execute();
    expect(await verifyAuditTrail(auditor())).toMatchObject({ problem: "checkpoint-signature" });
  });

  test("the scheduler tick checkpoints each organization once a day", async () => {
    let now = new Date(WORKER_NOW);
    const runtime = {
      db: handle.db,
      storage: new LocalFileStore(dir),
      now: () => now,
      accounts: localAccountServices(),
    };
    const send = { send: async () => {} };
    expect((await runSchedulerTick(runtime, send)).checkpoints).toBe(2);
    expect((await runSchedulerTick(runtime, send)).checkpoints).toBe(0);
    await world.as.admin.clinics.create({
      name: "Clinic E",
      jurisdiction: "US-MD",
      timeZone: "America/New_York",
    });
    now = new Date(Date.parse(WORKER_NOW) + 86_400_000);
    expect((await runSchedulerTick(runtime, send)).checkpoints).toBe(2);
    const checkpoints = await listAuditCheckpoints(handle.db, world.organization.id);
    expect(checkpoints.map((checkpoint) => checkpoint.seq)).toEqual([4, 5]);
    expect(await listAuditCheckpoints(handle.db, other.organization.id)).toHaveLength(1);
    expect(await verifyAuditTrail(auditor())).toMatchObject({ ok: true, checkpoints: 2 });
  });

  test("the bundle's hash of every row is the database's (one serialization)", async () => {
    for (const row of await rows()) {
      expect(hashAuditSegmentRow(world.organization.id, row)).toBe(hashAuditRow(row));
    }
  });

  describe("signed bundles carry the audit chain segment of their scope", () => {
    async function bundle(): Promise<Buffer> {
      const queued = await world.as.manager.exports.create({
        kind: "bundle",
        scope: { kind: "clinic", clinicId: world.clinic.id, asOf: AS_OF },
      });
      const storage = new LocalFileStore(dir);
      await new ExportWorker({ db: handle.db, storage, now: fixedClock(WORKER_NOW) }).runPending();
      const job = await world.as.manager.exports.byId({ id: queued.id });
      expect(job.status).toBe("done");
      return readFileSync(join(dir, world.organization.id, job.id, "1", job.fileName ?? ""));
    }

    test("in-scope rows in full, the rest as links, with the latest checkpoint; it verifies", async () => {
      await world.as.manager.practitioners.update({ id: world.self.id, name: "Harbor Renamed" });
      await checkpointAuditChain(handle.db, world.organization.id, new Date(TEST_NOW));
      const bytes = await bundle();
      const key = await world.as.manager.exports.publicKey();
      const result = await verifyBundleBuffer(bytes, { publicKeyPem: key.publicKeyPem });
      expect(result.problems).toEqual([]);
      expect(result.manifest?.files.map((file) => file.path)).toEqual(
        expect.arrayContaining([AUDIT_SEGMENT_PATH, AUDIT_CHECKPOINT_PATH]),
      );
      const lines = ((await zipText(bytes, AUDIT_SEGMENT_PATH)) ?? "")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      // 4 clinics, the rename, the export's creation: through the head when the file was written.
      expect(lines.map((line) => line.seq)).toEqual([1, 2, 3, 4, 5, 6]);
      const full = lines.filter((line) => "id" in line);
      expect(full.map((line) => `${line.entityType}|${line.action}`)).toEqual([
        "practitioner|practitioner.update",
        "export|export.create",
      ]);
      // Other clinics' rows are links only: nothing of them is revealed.
      expect(lines.filter((line) => !("id" in line))).toHaveLength(4);
      const checkpoint = JSON.parse((await zipText(bytes, AUDIT_CHECKPOINT_PATH)) ?? "null");
      expect(checkpoint).toMatchObject({ organizationId: world.organization.id, seq: 5 });
    });

    test("a row changed in the database before the export shows in the bundle's check", async () => {
      await world.as.manager.practitioners.update({ id: world.self.id, name: "Harbor Renamed" });
      await handle.db
        .updateTable("auditEvents")
        .set({ afterJson: '{"name":"Someone else"}' })
        .where("organizationId", "=", world.organization.id)
        .where("seq", "=", 5)
        .execute();
      const result = await verifyBundleBuffer(await bundle());
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual([
        expect.objectContaining({
          kind: "audit-chain",
          message: expect.stringContaining("seq 5"),
        }),
      ]);
    });

    test("a chain rewritten after its checkpoint shows in the bundle's check", async () => {
      await checkpointAuditChain(handle.db, world.organization.id, new Date(TEST_NOW));
      let prevHash = (await rows())[1]?.hash ?? "";
      for (const row of (await rows()).slice(2)) {
        const fields = { ...row, prevHash, afterJson: row.seq === 3 ? "{}" : row.afterJson };
        const hash = hashAuditRow(fields);
        await handle.db
          .updateTable("auditEvents")
          .set({ afterJson: fields.afterJson, prevHash, hash })
          .where("id", "=", row.id)
          .execute();
        prevHash = hash;
      }
      const result = await verifyBundleBuffer(await bundle());
      expect(result.problems).toEqual([
        expect.objectContaining({
          kind: "audit-chain",
          message: expect.stringContaining("the chain was rewritten"),
        }),
      ]);
    });
  });
});
