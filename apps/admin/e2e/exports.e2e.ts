import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminUrl, apiClientFor, launchBrowser, login } from "./fixtures.ts";

let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), "dn-e2e-exports-"));

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("compliance exports in the admin app", () => {
  test("a manager exports a signed bundle, watches it finish, downloads it, and verifies it; a damaged copy fails", async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await login(page, "manager@dn.demo");
    await page.getByRole("link", { name: "Exports", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Compliance exports" }).waitFor();

    await page.getByLabel("Format").selectOption("bundle");
    await page.getByLabel("As of").fill("2026-11-01");
    await page.getByRole("button", { name: "Start export" }).click();
    await page.getByText("Export queued.").waitFor();

    // The page refreshes itself while the job runs; the download link appears when it is done.
    const download = page.getByRole("link", { name: /^Download/ }).first();
    await download.waitFor({ timeout: 90_000 });
    const row = page.getByRole("row").filter({ has: download });
    expect(await row.getByText("Done").count()).toBe(1);
    const me = await (await apiClientFor("manager@dn.demo")).auth.me.query();
    expect(await row.getByText(me.user.name).count()).toBe(1);

    const [file] = await Promise.all([page.waitForEvent("download"), download.click()]);
    const saved = join(dir, "bundle.zip");
    await file.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 2).toString()).toBe("PK");

    await page.getByRole("link", { name: "Exports", exact: true }).click();
    await page.getByRole("link", { name: "Verify a bundle" }).click();
    await page.getByLabel("Bundle (.zip)").setInputFiles(saved);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: "Verified: bundle.zip" }).waitFor();

    const damaged = Buffer.from(readFileSync(saved));
    const at = Math.floor(damaged.length / 3);
    damaged[at] = (damaged[at] ?? 0) ^ 0xff;
    writeFileSync(join(dir, "damaged.zip"), damaged);
    await page.getByLabel("Bundle (.zip)").setInputFiles(join(dir, "damaged.zip"));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("heading", { name: "Not verified: damaged.zip" }).waitFor();
    await context.close();
  });

  test("a manager exports one practitioner's audit report as a PDF", async () => {
    const me = await (await apiClientFor("pt@dn.demo")).auth.me.query();
    const practitioner = me.practitioner;
    if (!practitioner) throw new Error("pt@dn.demo is not a practitioner");
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await login(page, "manager@dn.demo");
    await page.goto(adminUrl(`/exports?practitionerId=${practitioner.id}`));
    expect(await page.getByLabel("Who").inputValue()).toBe(`practitioner:${practitioner.id}`);
    await page.getByLabel("Format").selectOption("pdf-report");
    await page.getByRole("button", { name: "Start export" }).click();
    await page.getByText("Export queued.").waitFor();
    const row = page.locator("tr.row--highlight");
    await row.getByRole("link", { name: /^Download/ }).waitFor({ timeout: 90_000 });
    expect(await row.getByText(`Practitioner ${practitioner.id.slice(0, 8)}`).count()).toBe(1);
    const [file] = await Promise.all([
      page.waitForEvent("download"),
      row.getByRole("link", { name: /^Download/ }).click(),
    ]);
    const saved = join(dir, "report.pdf");
    await file.saveAs(saved);
    expect(readFileSync(saved).subarray(0, 5).toString()).toBe("%PDF-");
    await context.close();
  });

  test("a manager creates a regulator token, sees its secret once, and revokes it", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "manager@dn.demo");
    await page.goto(adminUrl("/regulator-tokens"));
    await page.getByLabel("Who it is for").fill("E2E state board");
    await page.getByLabel("Limited to jurisdiction (optional)").selectOption("US-FL");
    await page.getByLabel("Expires after (days)").fill("7");
    await page.getByRole("button", { name: "Create token" }).click();
    const secret = await page.getByLabel("The token").inputValue();
    expect(secret).toMatch(/^dnr_/);
    const row = page.getByRole("row").filter({ hasText: "E2E state board" });
    await row.getByText("Active").waitFor();
    await row.getByRole("button", { name: /^Revoke/ }).click();
    await page
      .getByRole("row")
      .filter({ hasText: "E2E state board" })
      .getByText("Revoked")
      .waitFor();
    await context.close();
  });

  test("an auditor may export but may not manage tokens", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "auditor@dn.demo");
    await page.goto(adminUrl("/exports"));
    await page.getByRole("heading", { level: 1, name: "Compliance exports" }).waitFor();
    expect(await page.getByRole("link", { name: "Regulator API tokens" }).count()).toBe(0);
    const response = await page.goto(adminUrl("/regulator-tokens"));
    expect(response?.status()).toBe(403);
    await context.close();
  });
});
