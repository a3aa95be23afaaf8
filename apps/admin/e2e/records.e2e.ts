import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminUrl, apiClientFor, daysAgo, findOnPages, launchBrowser, login } from "./fixtures.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** Every training record of the signed-in practitioner, through the API, across pages. */
async function countOwnRecords(email: string): Promise<number> {
  const api = await apiClientFor(email);
  const me = await api.auth.me.query();
  const practitionerId = me.practitioner?.id;
  if (!practitionerId) throw new Error(`${email} is not a practitioner`);
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await api.records.list.query({ practitionerId, cursor, limit: 200 });
    count += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

describe("logging and reviewing a training record", () => {
  test("a PT logs a DN course, a manager verifies it, and the PT sees it verified", async () => {
    const title = `E2E dry needling level 1 ${randomUUID().slice(0, 8)}`;

    const ptContext = await browser.newContext();
    const pt = await ptContext.newPage();
    await login(pt, "pt@dn.demo");
    expect(new URL(pt.url()).pathname).toBe("/records");
    await pt.getByRole("heading", { level: 1, name: "My records" }).waitFor();

    await pt.getByLabel("Kind", { exact: true }).selectOption("dn-course");
    await pt.getByLabel("Title", { exact: true }).fill(title);
    await pt.getByLabel("Provider (optional)").fill("E2E Needling Institute");
    await pt.getByLabel("Completion date").fill(daysAgo(10));
    await pt.getByLabel("Theory", { exact: true }).fill("12");
    await pt.getByLabel("Practical", { exact: true }).fill("15");
    await pt.getByLabel("Clean needle technique").check();
    await pt.getByLabel("OSHA bloodborne pathogens").check();
    await pt.getByRole("button", { name: "Log record" }).click();
    await pt.waitForURL((url) => url.pathname === "/records" && url.searchParams.has("created"));

    await expect(pt.getByRole("status").textContent()).resolves.toContain("pending review");
    const pendingRow = await findOnPages(pt, pt.getByRole("row").filter({ hasText: title }));
    await expect(pendingRow.textContent()).resolves.toContain("Pending review");
    await expect(pendingRow.textContent()).resolves.toContain("27 h (12 theory, 15 practical)");

    const managerContext = await browser.newContext();
    const manager = await managerContext.newPage();
    await login(manager, "manager@dn.demo");
    await manager.getByRole("link", { name: "Review queue" }).click();
    await manager.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
    const card = await findOnPages(manager, manager.getByRole("article", { name: title }));
    await expect(card.textContent()).resolves.toContain("Dana Whitfield");
    await card.getByRole("button", { name: `Verify ${title}` }).click();
    await manager.waitForURL((url) => url.searchParams.get("done") === "verify");
    await expect(manager.getByRole("status").textContent()).resolves.toContain("Record verified");

    await pt.goto(adminUrl("/records"));
    const verifiedRow = await findOnPages(pt, pt.getByRole("row").filter({ hasText: title }));
    await expect(verifiedRow.textContent()).resolves.toContain("Verified");
    await expect(verifiedRow.textContent()).resolves.not.toContain("Pending review");

    await ptContext.close();
    await managerContext.close();
  });

  test("without JavaScript, negative hours and an empty title show field errors and create nothing", async () => {
    const before = await countOwnRecords("pt@dn.demo");
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await login(page, "pt@dn.demo");

    // Without scripts every field group renders, whatever the kind.
    await expect(page.getByRole("group", { name: "CPR certification" }).isVisible()).resolves.toBe(
      true,
    );

    await page.getByLabel("Title", { exact: true }).fill("");
    await page.getByLabel("Completion date").fill(daysAgo(3));
    await page.getByLabel("Theory", { exact: true }).fill("-3");
    await page.getByRole("button", { name: "Log record" }).click();
    await page.waitForLoadState("domcontentloaded");

    const errorOf = async (label: string) => {
      const input = page.getByLabel(label, { exact: true });
      expect(await input.getAttribute("aria-invalid")).toBe("true");
      const describedBy = await input.getAttribute("aria-describedby");
      expect(describedBy).toBeTruthy();
      return page.locator(`[id="${describedBy}"]`).textContent();
    };
    await expect(errorOf("Title")).resolves.toContain("must not be empty");
    await expect(errorOf("Theory")).resolves.toContain("must not be negative");
    // What was typed is still there to correct.
    await expect(page.getByLabel("Theory", { exact: true }).inputValue()).resolves.toBe("-3");

    expect(await countOwnRecords("pt@dn.demo")).toBe(before);
    await context.close();
  });
});
