import { createHash, createPublicKey } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalFileStore } from "@dn/api";
import { fixedClock } from "@dn/clock";
import type { DbHandle } from "@dn/db";
import { buildOrganization, createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createServer } from "./server.ts";

describe.each(await testDialects())("the host serves the export routes on %s", (dialect) => {
  let handle: DbHandle;
  let server: ReturnType<typeof createServer>;
  let base: string;
  let dir: string;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    dir = mkdtempSync(join(tmpdir(), "dn-api-exports-"));
    server = createServer({
      db: handle,
      logger: pino({ level: "silent" }),
      exportStorage: new LocalFileStore(dir),
      now: fixedClock(TEST_NOW),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the organization's public key at its fixed address, the same on every request", async () => {
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    const first = await fetch(`${base}/.well-known/dn-export-key/${organization.id}`);
    expect(first.status).toBe(200);
    const pem = await first.text();
    const der = createPublicKey(pem).export({ type: "spki", format: "der" });
    expect(first.headers.get("x-key-fingerprint")).toBe(
      createHash("sha256").update(der).digest("hex"),
    );
    const again = await fetch(`${base}/.well-known/dn-export-key/${organization.id}.pem`);
    expect(await again.text()).toBe(pem);
    const unknown = await fetch(`${base}/.well-known/dn-export-key/${crypto.randomUUID()}`);
    expect(unknown.status).toBe(404);
  });

  test("the OpenAPI document is public; the REST API refuses requests without a token", async () => {
    const openapi = await fetch(`${base}/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe("3.1.0");
    const refused = await fetch(`${base}/rest/v1/verdicts?asOf=2026-11-01`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("UNAUTHORIZED");
    // Other paths still reach the host's own 404.
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });
});
