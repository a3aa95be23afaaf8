import type { AppRouter } from "@dn/api";
import { systemClock, utcDateOf } from "@dn/clock";
import { createTRPCClient, httpLink } from "@trpc/client";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { expect, inject } from "vitest";

export const DEMO_PASSWORD = "dn-demo-2026";

/** An address in the admin app started by the global setup. */
export function adminUrl(path: string): string {
  return new URL(path, inject("adminUrl")).toString();
}

/** Debian's Chromium, headless, with nothing reaching out to the network on its own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.DN_CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Logs in through the login form and waits until the app has taken the user to their start page. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(adminUrl("/login"));
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => url.pathname !== "/login");
  // On a phone the header folds into a menu, so "Log out" is present but may be hidden.
  await page
    .getByRole("button", { name: "Log out", includeHidden: true })
    .waitFor({ state: "attached" });
}

/** Opens the header's menu when it is folded (phones), so its links can be clicked. */
export async function openMenu(page: Page): Promise<void> {
  // The toggle appears once the page is interactive (hidden on wide screens): wait for it, so
  // the header does not fold away under a click.
  const toggle = page.getByRole("button", { name: "Menu", exact: true, includeHidden: true });
  await toggle.waitFor({ state: "attached" });
  if (await toggle.isVisible()) await toggle.click();
}

/**
 * Follows "Next →" links until `locator` is on the page (lists are cursor-paginated, and
 * seeded data may fill the first page). Each page is a full load, so what is read is that page.
 */
export async function findOnPages(page: Page, locator: Locator): Promise<Locator> {
  for (;;) {
    if ((await locator.count()) > 0) return locator;
    const next = page.getByRole("link", { name: "Next →" });
    const href = (await next.count()) > 0 ? await next.getAttribute("href") : null;
    if (!href) throw new Error(`Not found on any page: ${locator.toString()}`);
    await page.goto(new URL(href, page.url()).toString());
  }
}

/** A typed API client signed in as `email`, for checking what the UI did (or did not) write. */
export async function apiClientFor(email: string, password = DEMO_PASSWORD) {
  const url = `${inject("apiUrl")}/trpc`;
  const session = await createTRPCClient<AppRouter>({
    links: [httpLink({ url })],
  }).auth.login.mutate({ email, password });
  if (session.status !== "signed-in") throw new Error(`${email} was asked for a second factor`);
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url, headers: { Authorization: `Bearer ${session.token}` } })],
  });
}

/** A calendar date `days` before today (UTC), as YYYY-MM-DD: the apps under test run on the real clock. */
export function daysAgo(days: number): string {
  return utcDateOf(new Date(systemClock().getTime() - days * 86_400_000));
}

/** Nothing in <main> sticks out sideways at this viewport (wide tables scroll inside). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => {
    const main = document.querySelector("main");
    if (!main) return Number.POSITIVE_INFINITY;
    const beyondViewport = main.getBoundingClientRect().right - window.innerWidth;
    return Math.max(main.scrollWidth - main.clientWidth, beyondViewport);
  });
  expect(overflow, `${new URL(page.url()).pathname} scrolls sideways`).toBeLessThanOrEqual(0);
}

/** The message shown for a form field once it is marked invalid, read through aria-describedby. */
export async function fieldError(page: Page, label: string): Promise<string | null> {
  const input = page.getByLabel(label, { exact: true });
  await input.and(page.locator('[aria-invalid="true"]')).waitFor();
  const describedBy = await input.getAttribute("aria-describedby");
  expect(describedBy).toBeTruthy();
  // A field may be described by its hint too: the error is the element that is an error list.
  const ids = (describedBy ?? "").split(/\s+/);
  for (const id of ids) {
    const element = page.locator(`[id="${id}"]`);
    if ((await element.getAttribute("class"))?.includes("error-list")) return element.textContent();
  }
  return page.locator(`[id="${ids[0]}"]`).textContent();
}
