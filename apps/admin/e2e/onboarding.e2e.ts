/**
 * A clinic's first day, as a new user would live it, on a fresh installation: this file starts
 * its own stack on an EMPTY database with the API's mail going to a real SMTP server. The set-up
 * page creates the organization, its clinic and the admin; the admin turns on two-factor
 * authentication, adds a practitioner and invites a manager and that PT; both accept from the
 * emailed links and are signed in; the PT logs a record; the manager verifies it. Once on a
 * desktop and once on a phone, each on its own fresh installation.
 */
import { randomUUID } from "node:crypto";
import { type SmtpTestServer, startSmtpTestServer, totpCodeAt } from "@dn/api/testing";
import { systemClock } from "@dn/clock";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  daysAgo,
  expectNoSidewaysScroll,
  fieldError,
  launchBrowser,
  openMenu,
} from "./fixtures.ts";
import { type DnStack, startDnStack } from "./global-setup.ts";

const VIEWPORTS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
] as const;

let browser: Browser;
let smtp: SmtpTestServer;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await smtp?.stop();
});

/** Waits for the email to `address` and returns the first link to `path` in it. */
async function linkSentTo(address: string, base: string, path: string): Promise<string> {
  const pattern = new RegExp(`${base}${path}[A-Za-z0-9_-]+`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const link = pattern.exec((await smtp.lastTextTo(address)) ?? "")?.[0];
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no email with a ${path} link reached ${address}`);
}

describe.each(VIEWPORTS)("a new clinic's first day on a %s", (viewportName, viewport) => {
  let stack: DnStack;
  const contexts: BrowserContext[] = [];
  const suffix = randomUUID().slice(0, 8);
  const people = {
    admin: { name: "Morgan Ellis", email: `morgan.${suffix}@bayview.test` },
    manager: { name: "Riley Chen", email: `riley.${suffix}@bayview.test` },
    pt: { name: "Sam Okafor, PT", email: `sam.${suffix}@bayview.test` },
  };

  beforeAll(async () => {
    stack = await startDnStack({
      seed: false,
      env: { ...process.env, DN_SMTP_URL: smtp.url, DN_MAIL_FROM: "dn <hello@dn.test>" },
    });
  });
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await stack?.stop();
  });

  const url = (path: string) => new URL(path, stack.adminUrl).toString();
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    return context.newPage();
  }
  async function goVia(page: Page, link: string, heading: string) {
    await openMenu(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
    await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    await expectNoSidewaysScroll(page);
  }

  test("set-up, invitations by email, a logged record and its verification", async () => {
    // 1. The empty installation opens on its set-up page.
    const admin = await newPage();
    await admin.goto(url("/"));
    await admin.waitForURL((next) => next.pathname === "/setup");
    await admin.getByRole("heading", { level: 1, name: "Set up dn" }).waitFor();
    await expectNoSidewaysScroll(admin);
    await admin.getByLabel("Organization name").fill(`Bayview Physical Therapy ${viewportName}`);
    await admin.getByLabel("Clinic name").fill("Bayview Annapolis");
    await admin.getByLabel("State").selectOption("US-MD");
    await admin.getByLabel("Time zone").selectOption("America/New_York");
    await admin.getByLabel("Your name").fill(people.admin.name);
    await admin.getByLabel("Your email").fill(people.admin.email);
    // A common password is refused next to its field, and nothing is created.
    await admin.getByLabel("Password", { exact: true }).fill("qwerty123456");
    await admin.getByLabel("Password again").fill("qwerty123456");
    await admin.getByRole("button", { name: "Create the organization" }).click();
    await expect(fieldError(admin, "Password")).resolves.toBe(
      "is one of the most common passwords; choose another",
    );
    const adminPassword = "salt marsh at low tide in november";
    await admin.getByLabel("Password", { exact: true }).fill(adminPassword);
    await admin.getByLabel("Password again").fill(adminPassword);
    await admin.getByRole("button", { name: "Create the organization" }).click();
    await admin.waitForURL((next) => next.pathname !== "/setup");
    await admin.getByText(`Bayview Physical Therapy ${viewportName}`).first().waitFor();
    // The set-up page is closed for good.
    const again = await newPage();
    await again.goto(url("/setup"));
    await again.waitForURL((next) => next.pathname === "/login");

    // 2. The admin turns on two-factor authentication from Account.
    await goVia(admin, "Account", "Account");
    await admin.getByRole("button", { name: "Set up two-factor authentication" }).click();
    const secret = (await admin.locator(".totp-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await admin.locator(".totp-qr svg").count()).toBe(1);
    await admin.getByLabel("6-digit code").fill(totpCodeAt(secret, systemClock()));
    await admin.getByRole("button", { name: "Turn on" }).click();
    await admin.getByRole("list", { name: "Recovery codes" }).waitFor();
    expect(
      await admin.getByRole("list", { name: "Recovery codes" }).getByRole("listitem").count(),
    ).toBe(10);
    await expectNoSidewaysScroll(admin);

    // 3. The admin adds the PT's practitioner record.
    await goVia(admin, "Practitioners", "Practitioners");
    await admin.getByRole("link", { name: "Add practitioner" }).click();
    await admin.getByLabel("Name", { exact: true }).fill(people.pt.name);
    await admin.getByLabel("Email (optional)").fill(people.pt.email);
    await admin.getByLabel("Profession").selectOption("PT");
    await admin
      .getByLabel("Clinic", { exact: true })
      .selectOption({ label: "Bayview Annapolis (MD)" });
    await admin.getByRole("button", { name: "Add practitioner" }).click();
    await admin.getByRole("heading", { level: 1, name: people.pt.name }).waitFor();

    // 4. Invitations: a manager and the PT, from the People page.
    await goVia(admin, "People", "People");
    const invite = admin.getByRole("region", { name: "Invite someone" });
    await invite.getByLabel("Email", { exact: true }).fill(people.manager.email);
    await invite.getByLabel("Role", { exact: true }).selectOption("manager");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await admin.getByText("Invitation sent. The link in it works once, for 7 days.").waitFor();
    await invite.getByLabel("Email", { exact: true }).fill(people.pt.email);
    await invite.getByLabel("Role", { exact: true }).selectOption("practitioner");
    const record = invite.getByLabel("Practitioner record");
    const ptOption = record.locator("option", { hasText: people.pt.name });
    await record.selectOption((await ptOption.getAttribute("value")) ?? "");
    await invite.getByRole("button", { name: "Send invitation" }).click();
    const pending = admin.getByRole("region", { name: "Pending invitations" });
    await pending.getByText(people.pt.email, { exact: true }).waitFor();
    await pending.getByText(people.manager.email, { exact: true }).waitFor();
    await expectNoSidewaysScroll(admin);

    // 5. Both accept from their emails and land signed in.
    async function accept(person: { name: string; email: string }, password: string) {
      const link = await linkSentTo(person.email, stack.adminUrl, "/invite/");
      const page = await newPage();
      await page.goto(link);
      await page.getByRole("heading", { level: 1, name: /^Join Bayview/ }).waitFor();
      await expectNoSidewaysScroll(page);
      await page.getByLabel("Your name").fill(person.name);
      await page.getByLabel("Choose a password").fill(password);
      await page.getByRole("button", { name: /^Join / }).click();
      await page.waitForURL((next) => !next.pathname.startsWith("/invite/"));
      await page
        .getByRole("button", { name: "Log out", includeHidden: true })
        .waitFor({ state: "attached" });
      return page;
    }
    const manager = await accept(people.manager, "harbor lights and a slow ferry");
    const pt = await accept(people.pt, "cedar smoke over the winter pier");

    // 6. The PT logs a course.
    const title = `Dry Needling Level 1 (${suffix})`;
    await pt.goto(url("/records"));
    await pt.getByLabel("Kind", { exact: true }).selectOption("dn-course");
    await pt.getByLabel("Title", { exact: true }).fill(title);
    await pt.getByLabel("Provider (optional)").fill("Chesapeake Needling Institute");
    await pt.getByLabel("Completion date").fill(daysAgo(5));
    await pt.getByLabel("Theory", { exact: true }).fill("12");
    await pt.getByLabel("Practical", { exact: true }).fill("15");
    await pt.getByRole("button", { name: "Log record" }).click();
    await pt.waitForURL((next) => next.searchParams.has("created"));
    await expect(pt.getByRole("status").textContent()).resolves.toContain("pending review");
    await expectNoSidewaysScroll(pt);

    // 7. The manager verifies it from the review queue.
    await goVia(manager, "Review queue", "Review queue");
    const card = manager.getByRole("article", { name: title });
    await expect(card.textContent()).resolves.toContain(people.pt.name);
    await card.getByRole("button", { name: `Verify ${title}` }).click();
    await manager.waitForURL((next) => next.searchParams.get("done") === "verify");
    await expect(manager.getByRole("status").textContent()).resolves.toContain("Record verified");

    await pt.goto(url("/records"));
    const row = pt.getByRole("row").filter({ hasText: title });
    await expect(row.textContent()).resolves.toContain("Verified");

    // Both invitations are used; the People page lists three active members.
    await admin.goto(url("/people"));
    const members = admin.getByRole("region", { name: "Members" });
    for (const person of Object.values(people)) {
      await members.getByText(person.email, { exact: true }).waitFor();
    }
    expect(
      await admin.getByRole("region", { name: "Pending invitations" }).getByText("@").count(),
    ).toBe(0);
  });
});
