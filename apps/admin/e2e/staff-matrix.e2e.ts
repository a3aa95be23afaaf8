import { mkdir } from "node:fs/promises";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  adminUrl,
  apiClientFor,
  expectNoSidewaysScroll,
  launchBrowser,
  login,
} from "./fixtures.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  await mkdir("/tmp/dn-screens", { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

const VIEWPORTS = [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const;

const RANK = ["Not permitted", "Not qualified", "Pending verification", "Expiring", "Qualified"];

describe.each(VIEWPORTS)("the staff matrix on a %s", (viewportName, viewport) => {
  test("names standards, colours verdicts, picks a standard, sorts by a column and downloads what it shows", async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await login(page, "manager@dn.demo");
    await page.goto(adminUrl("/staff"));
    await page.getByRole("heading", { level: 1, name: "Staff compliance" }).waitFor();
    await expectNoSidewaysScroll(page);

    const api = await apiClientFor("manager@dn.demo");
    const matrix = await api.dashboard.matrix.query({});
    expect(matrix.standards.length).toBeGreaterThan(0);
    const headers = await page.locator('[data-testid="staff-matrix"] thead th').allTextContents();
    for (const standard of matrix.standards) {
      expect(headers.some((h) => h.includes(standard.title))).toBe(true);
      expect(headers.some((h) => h.trim() === standard.standardId)).toBe(false);
    }
    expect(headers.join(" ")).not.toContain("proposal, not in force");

    // Verdict chips are coloured and say the verdict in words.
    const chip = page.locator('[data-testid="staff-matrix"] tbody .verdict').first();
    expect(RANK.concat("No rule in force")).toContain((await chip.textContent())?.trim());
    const colour = await chip.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(colour).not.toBe("rgba(0, 0, 0, 0)");

    if (viewportName === "desktop") {
      const position = await page
        .locator('[data-testid="staff-matrix"] thead th')
        .first()
        .evaluate((el) => getComputedStyle(el).position);
      expect(position).toBe("sticky");
    } else {
      // Stacked cards: each cell names its column, nothing scrolls sideways.
      const display = await page
        .locator('[data-testid="staff-matrix"] tbody tr')
        .first()
        .evaluate((el) => getComputedStyle(el).display);
      expect(display).toBe("block");
      const label = await page
        .locator('[data-testid="staff-matrix"] tbody td')
        .first()
        .evaluate((el) => getComputedStyle(el, "::before").content);
      expect(label).toContain("Clinic");
    }
    await page.screenshot({
      path: `/tmp/dn-screens/staff-matrix-${viewport.width}.png`,
      fullPage: true,
    });

    // Sort by the overall verdict, worst first, by clicking its header.
    if (viewportName === "desktop") {
      await page.getByRole("link", { name: /^Overall/ }).click();
    } else {
      await page.getByLabel("Sort by").selectOption("worst");
      await page.getByRole("button", { name: "Apply" }).click();
    }
    await page.waitForURL((url) => url.searchParams.get("sort") === "worst");
    await page
      .locator('[data-testid="staff-matrix"] th[aria-sort="ascending"]', { hasText: "Overall" })
      .waitFor({ state: "attached" });
    const overall = await page
      .locator('[data-testid="staff-matrix"] tbody tr td:nth-of-type(2)')
      .allTextContents();
    const ranks = overall.map((text) => {
      const index = RANK.indexOf(text.trim());
      return index === -1 ? RANK.length : index;
    });
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    await expectNoSidewaysScroll(page);

    // The picker lists standards by name; choosing one filters to it.
    const first = matrix.standards[0] as { standardId: string; title: string };
    await page.getByLabel("Standard", { exact: true }).selectOption({ label: first.title });
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL((url) => url.searchParams.get("standardId") === first.standardId);
    await expect.poll(() => page.locator('[data-testid="staff-matrix"] thead th').count()).toBe(4);

    // The CSV is exactly the page shown: same rows, same order, same columns.
    const names = await page.locator('[data-testid="staff-matrix"] tbody th').allTextContents();
    const csvUrl = new URL(page.url());
    csvUrl.pathname = "/staff.csv";
    const href = await page
      .getByRole("link", { name: "Download CSV of this page" })
      .getAttribute("href");
    expect(href).toBe(`/staff.csv${csvUrl.search}`);
    const response = await page.request.get(csvUrl.toString());
    expect(response.headers()["content-type"]).toContain("text/csv");
    const lines = (await response.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(names.length + 1);
    expect(lines[0]).toContain(first.title);
    const firstCell = (line: string) => {
      const quoted = /^"((?:[^"]|"")*)"/.exec(line);
      return quoted ? (quoted[1] ?? "").replaceAll('""', '"') : line.split(",")[0];
    };
    expect(lines.slice(1).map(firstCell)).toEqual(names.map((name) => name.trim()));

    // The dashboard titles standards by the version applied (not Maryland's proposal).
    await page.goto(adminUrl("/dashboard"));
    const byStandard = await page.locator('[data-testid="by-standard"] tbody th').allTextContents();
    expect(byStandard.length).toBeGreaterThan(0);
    expect(byStandard.join(" ")).not.toContain("proposal, not in force");
    await expectNoSidewaysScroll(page);
    await page.screenshot({
      path: `/tmp/dn-screens/dashboard-${viewport.width}.png`,
      fullPage: true,
    });

    // The exports page offers the standards by name to tick, not an id to type.
    await page.goto(adminUrl("/exports"));
    const picker = page.getByRole("group", { name: "Standards (optional)" });
    await picker.getByRole("checkbox", { name: first.title }).waitFor();
    await context.close();
  });
});
