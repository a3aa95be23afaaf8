import { request } from "node:http";
import type { DbHandle } from "@dn/db";
import { createTestDb, TEST_PASSWORD, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { MAX_BATCH_SIZE, MAX_BODY_BYTES } from "./http.ts";
import {
  buildOrgWorld,
  countRows,
  type OrgWorld,
  serveTrpc,
  type TrpcTestServer,
} from "./test-support.ts";

/** A POST whose body streams in chunks without a Content-Length, until the server answers. */
function streamPost(url: string, totalBytes: number): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
    });
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on("error", (error) => (sent > 0 ? undefined : reject(error)));
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    req.write('{"email":"');
    pump();
  });
}

describe.each(await testDialects())("tRPC request limits on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let server: TrpcTestServer;
  let base: string;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    server = await serveTrpc(handle.db);
    base = server.base;
  });
  afterEach(async () => {
    await server.close();
    await handle.destroy();
  });

  test("a body declared larger than 1 MB is a 413 before it is read, and nothing is written", async () => {
    const before = await countRows(handle);
    const body = JSON.stringify({ email: "a@b.test", password: "x".repeat(MAX_BODY_BYTES) });
    const response = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(response.status).toBe(413);
    const answer = (await response.json()) as { error: { data: { code: string } } };
    expect(answer.error.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await countRows(handle)).toEqual(before);
  });

  test("a streamed body without a length is cut off at the limit with a 413", async () => {
    const { status, sent } = await streamPost(`${base}/trpc/auth.login`, 20 * MAX_BODY_BYTES);
    expect(status).toBe(413);
    // The server answered long before the client could send all 20 MB.
    expect(sent).toBeLessThan(20 * MAX_BODY_BYTES);
  });

  test(`a batch of more than ${MAX_BATCH_SIZE} calls is refused as a whole; a small one is answered`, async () => {
    const credentials = { email: world.users.manager.email, password: "wrong password" };
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => "auth.login").join(",");
      const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, credentials]));
      return fetch(`${base}/trpc/${paths}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      });
    };
    const tooMany = await batch(MAX_BATCH_SIZE + 1);
    expect(tooMany.status).toBe(400);
    const refusal = (await tooMany.json()) as { error: { message: string } };
    expect(refusal.error.message).toBe("Batch call exceeds maximum size");
    const allowed = await batch(2);
    expect(allowed.status).toBe(401);
    expect(((await allowed.json()) as unknown[]).length).toBe(2);
  });

  test("a roster file over 1 MB still reaches imports.run, which has its own larger limit", async () => {
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: world.users.manager.email, password: TEST_PASSWORD }),
    });
    const { result } = (await login.json()) as { result: { data: { token: string } } };
    const rows = Array.from(
      { length: 15_000 },
      (_, i) =>
        `Staff Member ${i},staff${i}@example.test,PT,${world.clinic.name},US-MD,MD${100000 + i},2020-01-01,2028-01-01`,
    );
    const content = [
      "name,email,profession,clinic,license_state,license_number,license_issued,license_expires",
      ...rows,
      "",
    ].join("\n");
    expect(content.length).toBeGreaterThan(MAX_BODY_BYTES);
    const response = await fetch(`${base}/trpc/imports.run`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${result.data.token}` },
      body: JSON.stringify({ kind: "roster", fileName: "roster.csv", content, dryRun: true }),
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as { result: { data: { rowsValid: number } } };
    expect(report.result.data.rowsValid).toBe(15_000);
  });

  test("an ordinary login still works under the limits", async () => {
    const response = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: world.users.manager.email, password: TEST_PASSWORD }),
    });
    expect(response.status).toBe(200);
  });
});
