/**
 * The regulator API explains itself: the tokens page shows the API's full address and links to
 * the interactive reference the API serves, which runs under its strict CSP (nothing refused)
 * and lists the regulator endpoints read from /openapi.json.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminUrl, launchBrowser, login } from "./fixtures.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("the regulator API's reference", () => {
  test("the tokens page shows the API's full URL and its reference runs under the CSP", async () => {
    const apiUrl = inject("apiUrl");
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await login(page, "manager@dn.demo");
      await page.goto(adminUrl("/regulator-tokens"));
      // The address is absolute (the API's, by default DN_API_URL), not a path on this app.
      expect(await page.getByTestId("api-url").textContent()).toBe(apiUrl);
      const link = page.getByRole("link", { name: "Interactive API reference" });
      expect(await link.getAttribute("href")).toBe(`${apiUrl}/api/docs`);

      const refused: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") refused.push(message.text());
      });
      page.on("pageerror", (error) => refused.push(error.message));
      await link.click();
      await page.waitForURL(`${apiUrl}/api/docs`);
      // Swagger UI drew the document it fetched: its title and a regulator operation.
      await page
        .getByRole("heading", { name: /regulator/i })
        .first()
        .waitFor();
      await page
        .locator(".opblock-summary-path", { hasText: "/rest/v1/verdicts" })
        .first()
        .waitFor();
      expect(refused, "nothing was refused by the CSP or failed").toEqual([]);
    } finally {
      await context.close();
    }
  });
});
