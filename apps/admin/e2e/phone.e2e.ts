/**
 * Everything a practitioner does, at a phone's 390×844 and a desktop's 1440×900: no page is
 * wider than the viewport, no table scrolls sideways inside its frame on the phone (tables
 * stack into cards there), and on the phone the header's menu reaches every page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  adminUrl,
  apiClientFor,
  expectNoSidewaysScroll,
  launchBrowser,
  login,
  openMenu,
} from "./fixtures.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const VIEWPORTS = [
  ["phone", { width: 390, height: 844 }],
  ["desktop", { width: 1440, height: 900 }],
] as const;

/** The demo PT's pages reached from the header (by their link text) and those below them. */
const MENU_PAGES = ["My records", "My compliance", "Inbox", "Account"] as const;

async function ptPaths(): Promise<string[]> {
  const api = await apiClientFor("pt@dn.demo");
  const me = await api.auth.me.query();
  const practitionerId = me.practitioner?.id;
  if (!practitionerId) throw new Error("pt@dn.demo is a practitioner");
  const records = await api.records.list.query({ practitionerId, limit: 50 });
  const record = records.items[0];
  if (!record) throw new Error("the demo PT has training records");
  return [
    "/records",
    `/records/${record.id}/history`,
    `/records/${record.id}/evidence`,
    "/compliance",
    `/practitioners/${practitionerId}/compliance`,
    `/practitioners/${practitionerId}/portability`,
    `/practitioners/${practitionerId}/what-if`,
    "/inbox",
    "/account",
  ];
}

/** The document is no wider than the viewport, and (on a phone) no box in <main> scrolls sideways. */
async function expectFits(page: Page, phone: boolean): Promise<void> {
  const path = new URL(page.url()).pathname;
  const widths = await page.evaluate(() => ({
    document: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    // The outermost elements that stick out, to name in the failure.
    beyond: [...document.querySelectorAll("body *")]
      .filter(
        (element) =>
          element.getBoundingClientRect().right > window.innerWidth + 1 &&
          !(
            element.parentElement &&
            element.parentElement.getBoundingClientRect().right > window.innerWidth + 1
          ),
      )
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
  }));
  expect(
    widths.document,
    `${path} is wider than the viewport (${widths.beyond.join(", ")})`,
  ).toBeLessThanOrEqual(widths.viewport);
  await expectNoSidewaysScroll(page);
  if (!phone) return;
  const scrolling = await page.evaluate(() =>
    [...document.querySelectorAll("main *")]
      .filter((element) => {
        const overflowX = getComputedStyle(element).overflowX;
        return (
          (overflowX === "auto" || overflowX === "scroll") &&
          element.scrollWidth > element.clientWidth + 1
        );
      })
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
  );
  expect(scrolling, `${path}: boxes that scroll sideways on a phone`).toEqual([]);
  // Tables stack into cards (a row a card) rather than squeezing their columns.
  const unstacked = await page.evaluate(
    () =>
      [...document.querySelectorAll("main table")].filter(
        (table) => getComputedStyle(table).display === "table",
      ).length,
  );
  expect(unstacked, `${path}: tables not stacked into cards on a phone`).toBe(0);
}

describe.each(VIEWPORTS)("a practitioner's pages on a %s", (name, viewport) => {
  const phone = name === "phone";

  test("no page a PT uses is wider than the viewport", async () => {
    const paths = await ptPaths();
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    try {
      await login(page, "pt@dn.demo");
      for (const path of paths) {
        const response = await page.goto(adminUrl(path));
        expect(response?.status(), path).toBe(200);
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        await expectFits(page, phone);
      }
    } finally {
      await context.close();
    }
  });

  test("a what-if answer fits too", async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    try {
      await login(page, "pt@dn.demo");
      await page.goto(adminUrl("/compliance"));
      await page.getByRole("link", { name: "What-if planner", exact: true }).click();
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.getByLabel("Course name").fill("Planned level 2 course with a long name");
      await page.getByLabel("Kind").selectOption("dn-course");
      await page.getByLabel("Theory (in person)").fill("20");
      await page.getByLabel("Practical (in person)").fill("20");
      await page.getByRole("button", { name: "See what changes" }).click();
      await page.locator(".what-if-result").first().waitFor();
      await expectFits(page, phone);
    } finally {
      await context.close();
    }
  });

  test.runIf(phone)("the header folds into a menu that reaches every page", async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    try {
      await login(page, "pt@dn.demo");
      const nav = page.getByRole("navigation", { name: "Main" });
      for (const label of MENU_PAGES) {
        await openMenu(page);
        const link = nav.getByRole("link", { name: label, exact: true });
        expect(await link.isVisible(), `${label} shows once the menu is open`).toBe(true);
        await link.click();
        await page.waitForLoadState("networkidle");
        await page.getByRole("heading", { level: 1 }).first().waitFor();
        // The menu folds again on the new page, so the page starts at its heading.
        expect(await link.isVisible(), `${label}: the menu closes after a choice`).toBe(false);
        await expectFits(page, phone);
      }
    } finally {
      await context.close();
    }
  });
});
