import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminUrl, launchBrowser, login } from "./fixtures.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const VIEWPORTS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
] as const;

describe.each(VIEWPORTS)("security headers on a %s", (_, viewport) => {
  test("pages carry a nonce CSP and the app still hydrates under it, with no violation", async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    page.on("pageerror", (error) => violations.push(error.message));

    const response = await page.goto(adminUrl("/login"));
    const headers = response?.headers() ?? {};
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+';/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");

    // Remix's inline scripts ran (they carry the nonce) and the client router took over.
    await page.waitForFunction(() => "__remixRouter" in window);
    await login(page, "manager@dn.demo");
    const dashboard = await page.goto(adminUrl("/dashboard"));
    expect(dashboard?.headers()["content-security-policy"]).toContain("'nonce-");
    // A client-side navigation works: the router fetches data under the same policy.
    await page.getByRole("link", { name: /Staff/ }).first().click();
    await page.waitForURL((url) => url.pathname !== "/dashboard");
    expect(violations).toEqual([]);
    await context.close();
  });
});
