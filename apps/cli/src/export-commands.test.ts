import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buffer } from "node:stream/consumers";
import { LocalFileStore, putContent, type S3FileStore, type Storage } from "@dn/api";
import { type S3TestServer, startS3TestServer } from "@dn/api/testing";
import { fixedClock } from "@dn/clock";
import {
  createDb,
  type DbHandle,
  insertEvidenceFile,
  listExportJobs,
  migrateToLatest,
} from "@dn/db";
import {
  buildClinic,
  buildLicense,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
} from "@dn/db/testing";
import { generateSigningKeyPair } from "@dn/exports";
import type { User } from "@dn/schema";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import yauzl from "yauzl";
import yazl from "yazl";
import { runCli } from "./cli.ts";

async function rezip(bytes: Buffer, change: (path: string, data: Buffer) => Buffer | null) {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const out = new yazl.ZipFile();
  for await (const entry of zip.eachEntry()) {
    const data = change(entry.fileName, await buffer(await zip.openReadStreamPromise(entry)));
    if (data) out.addBuffer(data, entry.fileName);
  }
  zip.close();
  out.end();
  return buffer(out.outputStream);
}

describe("dn export and dn verify against a SQLite database file", () => {
  let dir: string;
  let path: string;
  let handle: DbHandle;
  let manager: User;
  let organizationId: string;
  const records: Array<{ id: string; practitionerId: string }> = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-cli-export-"));
    path = join(dir, "dn.sqlite");
    handle = createDb({ sqlitePath: path });
    await migrateToLatest(handle.db);
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    organizationId = organization.id;
    const clinic = await buildClinic(handle.db, {
      organizationId: organization.id,
      name: "Harbor Tampa",
      jurisdiction: "US-FL",
    });
    manager = await buildUser(handle.db, { organizationId: organization.id, role: "manager" });
    for (const name of ["Ana Reyes", "Ben Okafor"]) {
      const practitioner = await buildPractitioner(handle.db, { clinicId: clinic.id, name });
      await buildLicense(handle.db, { practitionerId: practitioner.id, jurisdiction: "US-FL" });
      const record = await buildTrainingRecord(handle.db, {
        practitionerId: practitioner.id,
        recordedBy: manager.id,
        status: "verified",
        recordedAt: "2025-04-01T00:00:00.000Z",
      });
      records.push({ id: record.id, practitionerId: practitioner.id });
    }
  });
  afterEach(async () => {
    records.length = 0;
    vi.unstubAllEnvs();
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function dn(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      cwd: dir,
      now: fixedClock("2026-11-27T09:00:00.000Z"),
      openDb: () => createDb({ sqlitePath: path }),
    });
    return { code, stdout, stderr };
  }

  async function exportBundle(): Promise<string> {
    const result = await dn(
      "export",
      "--kind",
      "bundle",
      "--as-of",
      "2026-11-01",
      "--as",
      manager.email,
      "--out",
      "out/bundle.zip",
      "--exports-dir",
      "exports",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^wrote out\/bundle\.zip: bundle export .* SHA-256 [0-9a-f]{64}/);
    return join(dir, "out/bundle.zip");
  }

  it("exports a signed bundle that is kept in the history, and verifies it", async () => {
    const bundle = await exportBundle();
    const history = await listExportJobs(handle.db, { organizationId, limit: 10 });
    expect(history.items).toHaveLength(1);
    expect(history.items[0]?.status).toBe("done");
    expect(history.items[0]?.createdByName).toBe(manager.name);

    const listed = await dn("exports", "--as", manager.email);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${manager.name}  bundle  organization as of 2026-11-01  done`);
    expect(listed.stdout).toContain(history.items[0]?.sha256 ?? "missing");

    const verified = await dn("verify", "out/bundle.zip");
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ok out\/bundle\.zip: \d+ files match manifest\.json/);

    const key = await handle.db
      .selectFrom("organizationKeys")
      .select("publicKeyPem")
      .executeTakeFirstOrThrow();
    writeFileSync(join(dir, "org.pem"), key.publicKeyPem);
    const withKey = await dn("verify", "out/bundle.zip", "--public-key", "org.pem");
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).toContain("under the public key supplied");
    expect(readFileSync(bundle).subarray(0, 2).toString()).toBe("PK");
  });

  it("verify names the file changed, the file removed, and a foreign key", async () => {
    const bundle = readFileSync(await exportBundle());
    writeFileSync(
      join(dir, "changed.zip"),
      await rezip(bundle, (p, data) => {
        if (p !== "summary.csv") return data;
        const copy = Buffer.from(data);
        copy[10] = (copy[10] ?? 0) ^ 1;
        return copy;
      }),
    );
    const changed = await dn("verify", "changed.zip");
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain("FAILED changed.zip");
    expect(changed.stderr).toContain("changed: summary.csv: changed");

    writeFileSync(
      join(dir, "removed.zip"),
      await rezip(bundle, (p, d) => (p === "report.pdf" ? null : d)),
    );
    const removed = await dn("verify", "removed.zip");
    expect(removed.code).toBe(1);
    expect(removed.stderr).toContain("missing: report.pdf: missing from the bundle");

    writeFileSync(join(dir, "other.pem"), generateSigningKeyPair().publicKeyPem);
    const foreign = await dn("verify", "out/bundle.zip", "--public-key", "other.pem");
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain("is not the public key you supplied");
  });

  it("refuses bad input by naming the option", async () => {
    const missing = await dn("verify", "nope.zip");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
    const badKind = await dn("export", "--kind", "xml", "--out", "x", "--as", manager.email);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain("--kind");
    const badDate = await dn(
      "export",
      "--as-of",
      "2026-02-30",
      "--out",
      "x",
      "--as",
      manager.email,
    );
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("--as-of");
    const badScope = await dn("export", "--scope", "clinic", "--out", "x", "--as", manager.email);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain("--scope");
  });
  /** A certificate stored in `store` and attached to the first record, as an upload does. */
  async function attachCertificate(store: LocalFileStore | S3FileStore, text: string) {
    const bytes = Buffer.from(`%PDF-1.4 ${text}\n%%EOF\n`);
    const sha256 = await putContent(store, bytes);
    const record = records[0] as { id: string; practitionerId: string };
    const id = crypto.randomUUID();
    await insertEvidenceFile(handle.db, {
      id,
      organizationId,
      practitionerId: record.practitionerId,
      recordId: record.id,
      sha256,
      mediaType: "application/pdf",
      sizeBytes: bytes.length,
      fileName: "CPR card.pdf",
      uploadedBy: manager.id,
      uploadedAt: "2025-04-01T00:00:00.000Z",
    });
    return { id, sha256, bytes, recordId: record.id };
  }

  async function certificatesIn(bundle: Buffer, recordId: string) {
    const zip = await yauzl.fromBufferPromise(bundle, { lazyEntries: true });
    const found: Record<string, Buffer> = {};
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.includes(`/evidence/${recordId}/`)) {
        found[entry.fileName] = await buffer(await zip.openReadStreamPromise(entry));
      }
    }
    zip.close();
    return found;
  }

  it("a bundle carries the certificates from the files directory (--files-dir or DN_FILES_DIR)", async () => {
    const certificate = await attachCertificate(new LocalFileStore(join(dir, "files")), "local");
    const result = await dn(
      "export",
      "--as-of",
      "2026-11-01",
      "--as",
      manager.email,
      "--out",
      "out/bundle.zip",
      "--exports-dir",
      "exports",
      "--files-dir",
      "files",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const bundle = readFileSync(join(dir, "out/bundle.zip"));
    expect(Object.values(await certificatesIn(bundle, certificate.recordId))).toEqual([
      certificate.bytes,
    ]);
    expect((await dn("verify", "out/bundle.zip")).code).toBe(0);

    // Without the files, the export fails saying so, instead of leaving certificates out.
    vi.stubEnv("DN_FILES_DIR", join(dir, "elsewhere"));
    const missing = await dn(
      "export",
      "--as",
      manager.email,
      "--out",
      "out/again.zip",
      "--exports-dir",
      "exports",
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`evidence file ${certificate.id} has no stored content`);
  });

  describe("with DN_STORAGE=s3", () => {
    let s3: S3TestServer;
    let storage: Storage;
    beforeAll(async () => {
      s3 = await startS3TestServer();
    });
    afterAll(async () => {
      await s3?.stop();
    });
    beforeEach(() => {
      for (const [name, value] of Object.entries(s3.env("cli"))) vi.stubEnv(name, value);
      storage = s3.createStorage("cli");
    });

    it("the bundle carries the certificates stored in the bucket, and the export is kept there", async () => {
      const certificate = await attachCertificate(storage.files as S3FileStore, "in S3");
      const result = await dn(
        "export",
        "--as-of",
        "2026-11-01",
        "--as",
        manager.email,
        "--out",
        "out/s3.zip",
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      const bundle = readFileSync(join(dir, "out/s3.zip"));
      expect(Object.values(await certificatesIn(bundle, certificate.recordId))).toEqual([
        certificate.bytes,
      ]);
      const [job] = (await listExportJobs(handle.db, { organizationId, limit: 1 })).items;
      const kept = await storage.exports.read(job?.storageKey ?? "missing");
      expect(kept && (await buffer(kept))).toEqual(bundle);
    });

    it("a directory option or a bad S3 setting is refused, naming it, and nothing is queued", async () => {
      const withDir = await dn(
        "export",
        "--as",
        manager.email,
        "--out",
        "x.zip",
        "--exports-dir",
        "exports",
      );
      expect(withDir.code).toBe(2);
      expect(withDir.stderr).toContain("--exports-dir: files are in S3 (DN_STORAGE=s3)");
      vi.stubEnv("DN_S3_BUCKET", "Bad_Bucket");
      const badBucket = await dn("export", "--as", manager.email, "--out", "x.zip");
      expect(badBucket.code).toBe(2);
      expect(badBucket.stderr).toContain("DN_S3_BUCKET must be a bucket name");
      expect((await listExportJobs(handle.db, { organizationId, limit: 10 })).items).toEqual([]);
    });
  });
});
