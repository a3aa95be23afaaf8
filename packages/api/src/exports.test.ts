import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import {
  type DbHandle,
  insertEvidenceFile,
  insertSession,
  listAuditEventsForEntity,
  markEvaluationsStale,
} from "@dn/db";
import { buildLicense, createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import { verifyBundleBuffer } from "@dn/exports";
import { ComplianceExportSchema, type ExportJob } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { generateSessionToken, hashSessionToken } from "./auth/session.ts";
import { createExportsHttpHandler } from "./rest/exports-http.ts";
import { openApiDocumentText } from "./rest/openapi.ts";
import { ExportWorker } from "./services/export-jobs.ts";
import { putContent } from "./services/storage/content.ts";
import { LocalFileStore } from "./services/storage/local-file-store.ts";
import { buildOrgWorld, expectTrpcError, type OrgWorld } from "./test-support.ts";

const AS_OF = "2026-11-01";

/** When the export worker runs: a second after the request that queued the job (TEST_NOW). */
const WORKER_NOW = "2026-11-27T09:00:01.000Z";

describe.each(await testDialects())("compliance exports on %s", (dialect) => {
  let handle: DbHandle;
  let harbor: OrgWorld;
  let bayside: OrgWorld;
  let dir: string;
  let storage: LocalFileStore;
  let worker: ExportWorker;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    harbor = await buildOrgWorld(handle.db, "Harbor");
    bayside = await buildOrgWorld(handle.db, "Bayside");
    dir = mkdtempSync(join(tmpdir(), "dn-exports-"));
    storage = new LocalFileStore(dir);
    // The worker picks a job up a second after it was queued (audit rows are ordered by instant).
    worker = new ExportWorker({ db: handle.db, storage, now: fixedClock(WORKER_NOW) });
  });
  afterEach(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A certificate on Harbor's own record, as stored after an upload; returns the file's id. */
  async function attachCertificate(sha256: string, sizeBytes: number): Promise<string> {
    const id = randomUUID();
    await insertEvidenceFile(handle.db, {
      id,
      organizationId: harbor.organization.id,
      practitionerId: harbor.self.id,
      recordId: harbor.selfRecord.id,
      sha256,
      mediaType: "application/pdf",
      sizeBytes,
      fileName: "Certificate.pdf",
      uploadedBy: harbor.users.manager.id,
      uploadedAt: TEST_NOW,
    });
    return id;
  }

  function workerWith(store: LocalFileStore): ExportWorker {
    return new ExportWorker({
      db: handle.db,
      storage,
      now: fixedClock(WORKER_NOW),
      blobStore: store,
    });
  }

  /** Queues a bundle of Harbor's own practitioner, runs it with `store`, and returns the job. */
  async function bundleWith(store: LocalFileStore): Promise<ExportJob> {
    const queued = await harbor.as.manager.exports.create({
      kind: "bundle",
      scope: { kind: "practitioner", practitionerId: harbor.self.id, asOf: AS_OF },
    });
    await workerWith(store).runPending();
    return harbor.as.manager.exports.byId({ id: queued.id });
  }

  async function finished(id: string, world = harbor): Promise<ExportJob> {
    await worker.runPending();
    return world.as.manager.exports.byId({ id });
  }

  test("a manager's export runs in the background and is kept with its hash, creator and audit trail", async () => {
    const queued = await harbor.as.manager.exports.create({
      kind: "csv-summary",
      scope: { kind: "organization", asOf: AS_OF },
    });
    expect(queued.status).toBe("queued");
    const job = await finished(queued.id);
    expect(job.status).toBe("done");
    expect(job.progress).toBe(2);
    expect(job.total).toBe(2);
    expect(job.createdByName).toBe(harbor.users.manager.name);
    const bytes = readFileSync(join(dir, harbor.organization.id, job.id, "1", job.fileName ?? ""));
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(job.sha256);
    const csv = bytes.toString("utf8");
    expect(csv).toContain("us-md-dn");
    expect(csv).toContain(harbor.self.name);
    expect(csv).not.toContain(bayside.self.name);

    const history = await harbor.as.auditor.exports.list({});
    expect(history.items.map((item) => item.id)).toEqual([job.id]);
    expect((await bayside.as.manager.exports.list({})).items).toEqual([]);
    const audit = await listAuditEventsForEntity(handle.db, "export", job.id);
    expect(audit.map((event) => event.action)).toEqual(["export.create", "export.complete"]);
    expect(audit[0]?.actorId).toBe(harbor.users.manager.id);
  });

  test("CSV exports as of today read the stored evaluations, agree byte for byte with a live evaluation, and a stale mark sends them back to the engine", async () => {
    const today = WORKER_NOW.slice(0, 10);
    /** The file of a finished export of Harbor, as text. */
    async function exported(
      kind: "csv-summary" | "csv-detail",
      scope: { knownAt?: string } = {},
    ): Promise<string> {
      const queued = await harbor.as.manager.exports.create({
        kind,
        scope: { kind: "organization", asOf: today, ...scope },
      });
      const job = await finished(queued.id);
      expect(job.status).toBe("done");
      return readFileSync(
        join(dir, harbor.organization.id, job.id, "1", job.fileName ?? ""),
        "utf8",
      );
    }
    for (const kind of ["csv-summary", "csv-detail"] as const) {
      // As known at the worker's instant, every record counts: the same answers, evaluated live.
      expect(await exported(kind)).toBe(await exported(kind, { knownAt: WORKER_NOW }));
    }

    // The stored answer is what each file shows: mark one so it can be told apart. The summary
    // reads the stored summary, the detail the engine's whole answer.
    const row = await handle.db
      .selectFrom("storedEvaluations")
      .select(["practitionerId", "standardId", "evaluationJson", "summaryJson"])
      .where("practitionerId", "=", harbor.self.id)
      .executeTakeFirstOrThrow();
    const answer = JSON.parse(row.evaluationJson);
    answer.requirements[0].title = "as stored in the answer";
    await handle.db
      .updateTable("storedEvaluations")
      .set({
        evaluationJson: JSON.stringify(answer),
        summaryJson: JSON.stringify({
          ...JSON.parse(row.summaryJson ?? "null"),
          summary: "as stored",
        }),
      })
      .where("practitionerId", "=", row.practitionerId)
      .where("standardId", "=", row.standardId)
      .execute();
    const summary = await exported("csv-summary");
    expect(summary).toContain("as stored");
    expect(summary).not.toContain("as stored in the answer");
    expect(await exported("csv-detail")).toContain("as stored in the answer");
    await markEvaluationsStale(handle.db, {
      organizationId: harbor.organization.id,
      practitionerIds: [harbor.self.id],
    });
    expect(await exported("csv-summary")).not.toContain("as stored");
    expect(await exported("csv-detail")).not.toContain("as stored in the answer");
  });

  test("a JSON export of one practitioner against named standards is a valid document", async () => {
    const queued = await harbor.as.auditor.exports.create({
      kind: "json",
      scope: {
        kind: "practitioner",
        practitionerId: harbor.self.id,
        standardIds: ["us-md-dn"],
        asOf: AS_OF,
      },
    });
    const job = await finished(queued.id);
    const document = ComplianceExportSchema.parse(
      JSON.parse(
        readFileSync(join(dir, harbor.organization.id, job.id, "1", job.fileName ?? ""), "utf8"),
      ),
    );
    expect(document.scopeLabel).toBe(`practitioner ${harbor.self.name}`);
    expect(document.standards.map((s) => s.id)).toEqual(["us-md-dn"]);
    expect(document.practitioners).toHaveLength(1);
    expect(document.practitioners[0]?.evaluations[0]?.standardId).toBe("us-md-dn");
    expect(document.generatedBy.name).toBe(harbor.users.auditor.name);
  });

  test("a bundle is signed with the organization's key and verifies; the key is the same one every time", async () => {
    const queued = await harbor.as.manager.exports.create({
      kind: "bundle",
      scope: { kind: "clinic", clinicId: harbor.clinic.id, asOf: AS_OF },
    });
    const job = await finished(queued.id);
    expect(job.status).toBe("done");
    expect(job.total).toBe(10);
    const bytes = readFileSync(join(dir, harbor.organization.id, job.id, "1", job.fileName ?? ""));
    const key = await harbor.as.manager.exports.publicKey();
    const result = await verifyBundleBuffer(bytes, { publicKeyPem: key.publicKeyPem });
    expect(result.problems).toEqual([]);
    expect(result.manifest?.files.map((f) => f.path)).toEqual(
      expect.arrayContaining(["export.json", "summary.csv", "detail.csv", "report.pdf"]),
    );
    expect(
      result.manifest?.files.some((f) => f.path.endsWith(`/evidence/${harbor.selfRecord.id}.json`)),
    ).toBe(true);
    expect((await harbor.as.admin.exports.publicKey()).fingerprint).toBe(key.fingerprint);
    const other = await bayside.as.manager.exports.publicKey();
    expect(other.fingerprint).not.toBe(key.fingerprint);
    expect((await verifyBundleBuffer(bytes, { publicKeyPem: other.publicKeyPem })).ok).toBe(false);
  });

  test("a bundle carries the evidence files stored for the records, each hashed in the manifest", async () => {
    const store = new LocalFileStore(join(dir, "blobs"));
    const certificate = Buffer.from("%PDF-1.4 certificate of completion\n");
    const sha256 = await putContent(store, certificate);
    const fileId = await attachCertificate(sha256, certificate.length);
    const job = await bundleWith(store);
    const bytes = readFileSync(join(dir, harbor.organization.id, job.id, "1", job.fileName ?? ""));
    const result = await verifyBundleBuffer(bytes);
    expect(result.problems).toEqual([]);
    const evidence = result.manifest?.files.find((f) =>
      f.path.includes(`/evidence/${harbor.selfRecord.id}/${fileId.slice(0, 8)}-certificate.pdf`),
    );
    expect(evidence?.sha256).toBe(sha256);
    expect(evidence?.size).toBe(certificate.length);
  });

  test("a bundle whose evidence file is gone from the store fails with the reason; the next export still runs", async () => {
    const store = new LocalFileStore(join(dir, "blobs"));
    // A file on the record whose bytes are not in the store.
    const fileId = await attachCertificate("0".repeat(64), 1234);
    const failed = await bundleWith(store);
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain(`evidence file ${fileId} has no stored content`);
    // Nothing half-written is left where a finished export would be.
    const jobDir = join(dir, harbor.organization.id, failed.id);
    const files = existsSync(jobDir)
      ? readdirSync(jobDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      : [];
    expect(files.map((entry) => entry.name)).toEqual([]);

    const next = await harbor.as.manager.exports.create({
      kind: "json",
      scope: { kind: "practitioner", practitionerId: harbor.self.id, asOf: AS_OF },
    });
    await workerWith(store).runPending();
    expect((await harbor.as.manager.exports.byId({ id: next.id })).status).toBe("done");
  });

  test("scopes naming another organization's practitioner or clinic, or unknown standards, are refused and nothing is queued", async () => {
    const foreign = await expectTrpcError(
      harbor.as.manager.exports.create({
        kind: "json",
        scope: { kind: "practitioner", practitionerId: bayside.self.id, asOf: AS_OF },
      }),
      "NOT_FOUND",
    );
    expect(foreign.message).toContain("scope.practitionerId");
    await expectTrpcError(
      harbor.as.manager.exports.create({
        kind: "json",
        scope: { kind: "clinic", clinicId: bayside.clinic.id, asOf: AS_OF },
      }),
      "NOT_FOUND",
    );
    const unknown = await expectTrpcError(
      harbor.as.manager.exports.create({
        kind: "json",
        scope: { kind: "organization", standardIds: ["us-zz-dn"], asOf: AS_OF },
      }),
      "BAD_REQUEST",
    );
    expect(unknown.message).toContain("scope.standardIds.0");
    await expectTrpcError(
      harbor.as.practitioner.exports.create({
        kind: "json",
        scope: { kind: "organization", asOf: AS_OF },
      }),
      "FORBIDDEN",
    );
    expect((await harbor.as.manager.exports.list({})).items).toEqual([]);
    await expectTrpcError(
      bayside.as.manager.exports.byId({ id: "00000000-0000-4000-8000-000000000000" }),
      "NOT_FOUND",
    );
  });

  describe("regulator access over HTTP", () => {
    let server: Server;
    let base: string;
    let now: Date;

    beforeEach(async () => {
      now = new Date(TEST_NOW);
      const handler = createExportsHttpHandler({ db: handle.db, storage, now: () => now });
      server = createServer((req, res) => {
        if (!handler(req, res)) res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    const get = (path: string, secret?: string) =>
      fetch(`${base}${path}`, secret ? { headers: { authorization: `Bearer ${secret}` } } : {});

    test("a live token reads verdicts and exports of its organization, and each access is audited", async () => {
      const { token, secret } = await harbor.as.manager.apiTokens.create({
        label: "Maryland board",
        expiresInDays: 30,
      });
      const response = await get(`/rest/v1/verdicts?asOf=${AS_OF}`, secret);
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        header: { scope: unknown };
        verdicts: { practitionerName: string; verdict: string }[];
      };
      expect([...new Set(body.verdicts.map((v) => v.practitionerName))].sort()).toEqual(
        [harbor.colleague.name, harbor.self.name].sort(),
      );

      const created = await fetch(`${base}/rest/v1/exports`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ kind: "bundle", scope: { kind: "organization", asOf: AS_OF } }),
      });
      expect(created.status).toBe(202);
      const job = (await created.json()) as ExportJob;
      await worker.runPending();
      const download = await get(`/rest/v1/exports/${job.id}/download`, secret);
      expect(download.status).toBe(200);
      const bytes = Buffer.from(await download.arrayBuffer());
      expect(download.headers.get("x-content-sha256")).toBe(
        createHash("sha256").update(bytes).digest("hex"),
      );
      const keyResponse = await get(`/.well-known/dn-export-key/${harbor.organization.id}`);
      expect(keyResponse.status).toBe(200);
      const verified = await verifyBundleBuffer(bytes, { publicKeyPem: await keyResponse.text() });
      expect(verified.problems).toEqual([]);

      const audit = await listAuditEventsForEntity(handle.db, "api-token", token.id);
      // The clock is fixed in this test, so compare the set of requests recorded.
      expect(
        audit
          .filter((e) => e.action === "api-token.use")
          .map((e) => (e.after as { path: string }).path)
          .sort(),
      ).toEqual(["/rest/v1/exports", `/rest/v1/exports/${job.id}/download`, "/rest/v1/verdicts"]);
    });

    test("expired, revoked, unknown and missing tokens get nothing", async () => {
      const expiring = await harbor.as.manager.apiTokens.create({
        label: "short",
        expiresInDays: 1,
      });
      const revoked = await harbor.as.admin.apiTokens.create({ label: "gone", expiresInDays: 30 });
      await harbor.as.manager.apiTokens.revoke({ id: revoked.token.id });
      now = new Date(Date.parse(TEST_NOW) + 2 * 24 * 60 * 60 * 1000);
      for (const secret of [expiring.secret, revoked.secret, "dnr_not-a-token", undefined]) {
        const response = await get(`/rest/v1/verdicts?asOf=${AS_OF}`, secret);
        expect(response.status).toBe(401);
        const body = (await response.json()) as { error: { code: string }; verdicts?: unknown };
        expect(body.error.code).toBe("UNAUTHORIZED");
        expect(body.verdicts).toBeUndefined();
      }
      const refusals = await listAuditEventsForEntity(handle.db, "api-token", expiring.token.id);
      expect(refusals.map((e) => e.action)).toContain("api-token.refused");
    });

    test("a token scoped to another organization gets nothing of this one", async () => {
      const { secret } = await bayside.as.manager.apiTokens.create({
        label: "other",
        expiresInDays: 30,
      });
      const queued = await harbor.as.manager.exports.create({
        kind: "json",
        scope: { kind: "organization", asOf: AS_OF },
      });
      await worker.runPending();
      for (const path of [
        `/rest/v1/verdicts?asOf=${AS_OF}&practitionerId=${harbor.self.id}`,
        `/rest/v1/verdicts?asOf=${AS_OF}&clinicId=${harbor.clinic.id}`,
        `/rest/v1/exports/${queued.id}`,
        `/rest/v1/exports/${queued.id}/download`,
      ]) {
        const response = await get(path, secret);
        expect(response.status, path).toBe(404);
      }
      const own = (await (await get(`/rest/v1/verdicts?asOf=${AS_OF}`, secret)).json()) as {
        verdicts: { practitionerName: string }[];
      };
      expect(own.verdicts.every((v) => v.practitionerName.startsWith("Bayside"))).toBe(true);
      // Even a Harbor token sees only exports it asked for, not the manager's.
      const harborToken = await harbor.as.manager.apiTokens.create({
        label: "h",
        expiresInDays: 1,
      });
      expect((await get(`/rest/v1/exports/${queued.id}`, harborToken.secret)).status).toBe(404);
    });

    test("a token limited to one jurisdiction cannot widen it", async () => {
      const { secret } = await harbor.as.manager.apiTokens.create({
        label: "Florida board",
        jurisdiction: "US-FL",
        expiresInDays: 30,
      });
      const response = await get(`/rest/v1/verdicts?asOf=${AS_OF}`, secret);
      const body = (await response.json()) as {
        header: { standards: unknown[] };
        verdicts: unknown[];
      };
      expect(body.verdicts).toEqual([]);
      const widened = await get(`/rest/v1/verdicts?asOf=${AS_OF}&jurisdiction=US-MD`, secret);
      expect(widened.status).toBe(400);
      expect(((await widened.json()) as { error: { field: string } }).error.field).toBe(
        "scope.jurisdiction",
      );
    });

    test("a token limited to one jurisdiction sees only that jurisdiction's licenses and verdicts", async () => {
      for (const jurisdiction of ["US-FL", "US-GA", "US-NY"] as const) {
        await buildLicense(handle.db, { practitionerId: harbor.self.id, jurisdiction });
      }
      const { secret } = await harbor.as.manager.apiTokens.create({
        label: "Florida board",
        jurisdiction: "US-FL",
        expiresInDays: 30,
      });
      const response = await get(`/rest/v1/compliance?asOf=${AS_OF}`, secret);
      expect(response.status).toBe(200);
      const body = ComplianceExportSchema.parse(await response.json());
      const self = body.practitioners.find((p) => p.id === harbor.self.id);
      expect(self?.licenses.map((l) => l.jurisdiction)).toEqual(["US-FL"]);
      expect(body.practitioners.flatMap((p) => p.licenses.map((l) => l.jurisdiction))).toEqual([
        "US-FL",
      ]);
      expect(body.standards.every((s) => s.jurisdiction === "US-FL")).toBe(true);
      const verdicts = (await (await get(`/rest/v1/verdicts?asOf=${AS_OF}`, secret)).json()) as {
        header: { standards: { id: string; jurisdiction: string | null }[] };
        verdicts: { standardId: string }[];
      };
      const floridaIds = new Set(verdicts.header.standards.map((s) => s.id));
      expect(verdicts.header.standards.every((s) => s.jurisdiction === "US-FL")).toBe(true);
      expect(verdicts.verdicts.every((v) => floridaIds.has(v.standardId))).toBe(true);

      // The same holds for an export the token queues and downloads.
      const created = await fetch(`${base}/rest/v1/exports`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({ kind: "json", scope: { kind: "organization", asOf: AS_OF } }),
      });
      const job = (await created.json()) as ExportJob;
      await worker.runPending();
      const download = await get(`/rest/v1/exports/${job.id}/download`, secret);
      const exported = ComplianceExportSchema.parse(await download.json());
      expect(exported.practitioners.flatMap((p) => p.licenses.map((l) => l.jurisdiction))).toEqual([
        "US-FL",
      ]);
    });

    test("bad query parameters are named; the OpenAPI document is served and published", async () => {
      const { secret } = await harbor.as.manager.apiTokens.create({ label: "x", expiresInDays: 1 });
      const bad = await get("/rest/v1/verdicts?asOf=2026-02-30", secret);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("asOf");
      const served = await (await get("/openapi.json")).text();
      expect(served).toBe(openApiDocumentText());
      const published = readFileSync(
        new URL("../../../docs/openapi.json", import.meta.url),
        "utf8",
      );
      expect(published).toBe(served);
      expect(JSON.parse(served).openapi).toBe("3.1.0");
    });

    test("a manager downloads an export again with their session; no session gets nothing", async () => {
      const queued = await harbor.as.manager.exports.create({
        kind: "pdf-report",
        scope: { kind: "organization", asOf: AS_OF },
      });
      await worker.runPending();
      expect((await get(`/exports/${queued.id}/download`)).status).toBe(401);
      const audit = await listAuditEventsForEntity(handle.db, "export", queued.id);
      expect(audit.map((e) => e.action)).not.toContain("export.download");
      const secret = generateSessionToken();
      await insertSession(handle.db, {
        id: randomUUID(),
        userId: harbor.users.manager.id,
        membershipId: harbor.users.manager.membershipId,
        tokenHash: hashSessionToken(secret),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      });
      const response = await get(`/exports/${queued.id}/download`, secret);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      expect(response.headers.get("content-disposition")).toContain(".pdf");
      // A session of another organization's manager gets nothing.
      const otherSecret = generateSessionToken();
      await insertSession(handle.db, {
        id: randomUUID(),
        userId: bayside.users.manager.id,
        membershipId: bayside.users.manager.membershipId,
        tokenHash: hashSessionToken(otherSecret),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      });
      expect((await get(`/exports/${queued.id}/download`, otherSecret)).status).toBe(404);
      const after = await listAuditEventsForEntity(handle.db, "export", queued.id);
      expect(after.filter((e) => e.action === "export.download")).toHaveLength(1);
    });
  });
});
