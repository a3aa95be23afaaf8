import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import {
  buildTrainingRecord,
  buildUser,
  createTestDb,
  TEST_NOW,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import { type EvidenceFile, MAX_EVIDENCE_BYTES } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { exeBytes, pdfBytes, pngBytes } from "./evidence-fixtures.ts";
import { createFilesHttpHandler } from "./files-http.ts";
import { LocalFileStore } from "./services/storage/local-file-store.ts";
import {
  buildOrgWorld,
  callerFor,
  expectTrpcError,
  type OrgWorld,
  signInWithPassword,
} from "./test-support.ts";

async function listBlobs(dir: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(path: string) {
    let entries: import("node:fs").Dirent[];
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await walk(join(path, entry.name));
      else found.push(entry.name);
    }
  }
  await walk(dir);
  return found;
}

async function fileOf(response: Response | Promise<Response>): Promise<EvidenceFile> {
  return (await (await response).json()) as EvidenceFile;
}

async function errorOf(
  response: Response,
): Promise<{ error: { message: string; field: string | null } }> {
  return (await response.json()) as { error: { message: string; field: string | null } };
}

describe.each(await testDialects())("evidence files on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let other: OrgWorld;
  let dir: string;
  let store: LocalFileStore;
  let server: Server;
  let baseUrl: string;
  const tokens: Record<string, string> = {};

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    other = await buildOrgWorld(handle.db, "Elsewhere");
    dir = await mkdtemp(join(tmpdir(), "dn-evidence-test-"));
    store = new LocalFileStore(dir);
    server = createServer(
      createFilesHttpHandler({ db: handle.db, store, now: fixedClock(TEST_NOW) }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    for (const [key, user] of [
      ["pt", world.users.practitioner],
      ["manager", world.users.manager],
      ["auditor", world.users.auditor],
      ["otherManager", other.users.manager],
    ] as const) {
      const session = await signInWithPassword(handle.db, user.email, TEST_PASSWORD);
      tokens[key] = session.token;
    }
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await handle.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  function upload(recordId: string, bytes: Uint8Array, name: string, token = tokens.pt) {
    return fetch(`${baseUrl}/files/records/${recordId}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/octet-stream",
        "x-file-name": encodeURIComponent(name),
      },
      body: bytes,
    });
  }

  async function evidenceRows() {
    const row = await handle.db
      .selectFrom("evidenceFiles")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  test("a PT attaches a PDF to their record: stored by SHA-256, listed, audited, downloadable", async () => {
    const bytes = pdfBytes();
    const response = await upload(world.selfRecord.id, bytes, "BLS card.pdf");
    expect(response.status).toBe(201);
    const file = await fileOf(response);
    expect(file).toMatchObject({
      recordId: world.selfRecord.id,
      mediaType: "application/pdf",
      sizeBytes: bytes.length,
      fileName: "BLS card.pdf",
      duplicates: [],
      duplicateElsewhere: false,
    });
    expect(await listBlobs(dir)).toEqual([file.sha256]);
    expect(await world.as.practitioner.evidence.list({ recordId: world.selfRecord.id })).toEqual([
      file,
    ]);
    const audit = await listAuditEventsForEntity(handle.db, "evidence-file", file.id);
    expect(audit.map((event) => event.action)).toEqual(["evidence-file.attach"]);

    const download = await fetch(`${baseUrl}/files/${file.id}`, {
      headers: { authorization: `Bearer ${tokens.manager}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(download.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
  });

  test.each([
    ["an .exe renamed to .pdf", () => exeBytes(), "certificate.pdf", 400, /Windows program/],
    [
      "a truncated PDF",
      () => pdfBytes().slice(0, 100),
      "certificate.pdf",
      400,
      /PDF is incomplete/,
    ],
    [
      "an oversized file",
      () => {
        const big = new Uint8Array(MAX_EVIDENCE_BYTES + 1);
        big.set(pdfBytes().slice(0, 8));
        return big;
      },
      "scan.pdf",
      413,
      /larger than 10 MB/,
    ],
  ])(
    "%s is refused with a clear message and nothing is stored",
    async (_name, make, fileName, status, message) => {
      const response = await upload(world.selfRecord.id, make(), fileName);
      expect(response.status).toBe(status);
      const body = await errorOf(response);
      expect(body.error.message).toMatch(message);
      expect(body.error.field).toBe("file");
      expect(await evidenceRows()).toBe(0);
      expect(await listBlobs(dir)).toEqual([]);
    },
  );

  test("the same certificate is stored once; on a second record it is flagged on both", async () => {
    const bytes = pngBytes();
    const first = await fileOf(upload(world.selfRecord.id, bytes, "card.png"));
    const again = await fileOf(upload(world.selfRecord.id, bytes, "card-again.png"));
    expect(again.id).toBe(first.id);
    const second = await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.practitioner.id,
      title: "Another course",
    });
    const reused = await fileOf(upload(second.id, bytes, "card.png"));
    expect(reused.id).not.toBe(first.id);
    expect(reused.duplicates).toEqual([
      expect.objectContaining({ recordId: world.selfRecord.id, title: world.selfRecord.title }),
    ]);
    const [listed] = await world.as.manager.evidence.list({ recordId: world.selfRecord.id });
    expect(listed?.duplicates.map((d) => d.recordId)).toEqual([second.id]);
    expect(await listBlobs(dir)).toEqual([first.sha256]);
    expect(await evidenceRows()).toBe(2);
  });

  test("a PT uploading a colleague's file learns only that it was uploaded elsewhere; a manager sees whose", async () => {
    const bytes = pngBytes();
    const colleagues = await fileOf(
      upload(world.colleagueRecord.id, bytes, "their-card.png", tokens.manager),
    );
    const response = await upload(world.selfRecord.id, bytes, "card.png");
    expect(response.status).toBe(201);
    const text = await response.text();
    const mine = JSON.parse(text) as EvidenceFile;
    expect(mine.duplicates).toEqual([]);
    expect(mine.duplicateElsewhere).toBe(true);
    for (const secret of [world.colleague.name, world.colleague.id, world.colleagueRecord.id]) {
      expect(text).not.toContain(secret);
    }
    const [listed] = await world.as.practitioner.evidence.list({ recordId: world.selfRecord.id });
    expect(listed).toEqual(mine);

    const [managed] = await world.as.manager.evidence.list({ recordId: world.selfRecord.id });
    expect(managed?.duplicates).toEqual([
      {
        recordId: world.colleagueRecord.id,
        practitionerId: world.colleague.id,
        practitionerName: world.colleague.name,
        title: world.colleagueRecord.title,
      },
    ]);
    expect(managed?.duplicateElsewhere).toBe(false);
    expect(colleagues.duplicateElsewhere).toBe(false);
  });

  test("downloads are authorized exactly like the record", async () => {
    const file = await fileOf(upload(world.selfRecord.id, pdfBytes(), "c.pdf"));
    const get = (token: string | undefined) =>
      fetch(`${baseUrl}/files/${file.id}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      }).then((r) => r.status);
    expect(await get(tokens.pt)).toBe(200);
    expect(await get(tokens.auditor)).toBe(200);
    expect(await get(tokens.otherManager)).toBe(404);
    expect(await get(undefined)).toBe(401);

    const colleagueUser = await buildUser(handle.db, {
      organizationId: world.organization.id,
      role: "practitioner",
      practitionerId: world.colleague.id,
    });
    const colleague = await signInWithPassword(handle.db, colleagueUser.email, TEST_PASSWORD);
    expect(await get(colleague.token)).toBe(404);
    await expectTrpcError(
      callerFor(handle.db, colleagueUser).evidence.list({ recordId: world.selfRecord.id }),
      "NOT_FOUND",
    );
  });

  test("an auditor may not upload, and nobody uploads to another organization's record", async () => {
    const byAuditor = await upload(world.selfRecord.id, pdfBytes(), "c.pdf", tokens.auditor);
    expect(byAuditor.status).toBe(403);
    const crossOrg = await upload(other.selfRecord.id, pdfBytes(), "c.pdf", tokens.manager);
    expect(crossOrg.status).toBe(404);
    expect(await evidenceRows()).toBe(0);
  });
});
