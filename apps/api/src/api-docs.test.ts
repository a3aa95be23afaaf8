import type { AddressInfo } from "node:net";
import { fixedClock } from "@dn/clock";
import { createTestDb, TEST_NOW } from "@dn/db/testing";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { API_DOCS_CSP } from "./api-docs.ts";
import { createServer } from "./server.ts";

describe("the regulator API's interactive reference at /api/docs", () => {
  let handle: Awaited<ReturnType<typeof createTestDb>>;
  let server: ReturnType<typeof createServer>;
  let baseUrl: string;

  beforeEach(async () => {
    handle = await createTestDb({ dialect: "sqlite" });
    server = createServer({
      db: handle,
      logger: pino({ level: "silent" }),
      now: fixedClock(TEST_NOW),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    await handle.destroy();
  });

  test("the page is HTML under a strict CSP, with no inline script, never framed, nosniff", async () => {
    const response = await fetch(`${baseUrl}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toBe(API_DOCS_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");

    const html = await response.text();
    // Every <script> loads a file; none carries code of its own.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/api\/docs\//);
      expect(body?.trim()).toBe("");
    }
    // Nothing is fetched from another host.
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  test("every asset the page names loads from the API with its content type", async () => {
    const html = await (await fetch(`${baseUrl}/api/docs`)).text();
    const urls = [...html.matchAll(/(?:src|href)="(\/api\/docs\/[^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(urls).toEqual([
      "/api/docs/swagger-ui.css",
      "/api/docs/favicon-32x32.png",
      "/api/docs/swagger-ui-bundle.js",
      "/api/docs/init.js",
    ]);
    const expected: Record<string, string> = {
      css: "text/css; charset=utf-8",
      png: "image/png",
      js: "text/javascript; charset=utf-8",
    };
    for (const url of urls) {
      const response = await fetch(`${baseUrl}${url}`);
      expect(response.status, url).toBe(200);
      expect(response.headers.get("content-type"), url).toBe(expected[url?.split(".").pop() ?? ""]);
      expect(response.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect((await response.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    }
    const bundle = await (await fetch(`${baseUrl}/api/docs/swagger-ui-bundle.js`)).text();
    expect(bundle).toContain("SwaggerUIBundle");
  });

  test("the page reads this API's /openapi.json, which answers", async () => {
    const init = await (await fetch(`${baseUrl}/api/docs/init.js`)).text();
    expect(init).toContain('new URL("/openapi.json"');
    expect(init).toContain("validatorUrl: null");
    const spec = await fetch(`${baseUrl}/openapi.json`);
    expect(spec.status).toBe(200);
    expect(((await spec.json()) as { openapi: string }).openapi).toMatch(/^3\.1/);
  });

  test("only the listed files are served: others in the package, and writes, are refused", async () => {
    const other = await fetch(`${baseUrl}/api/docs/package.json`);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const escaped = await fetch(`${baseUrl}/api/docs/%2e%2e%2f%2e%2e%2fpackage.json`);
    expect(escaped.status).toBe(404);
    const post = await fetch(`${baseUrl}/api/docs`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });
});
