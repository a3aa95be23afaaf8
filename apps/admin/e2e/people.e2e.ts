/**
 * Invitations end to end, with the email read from a real SMTP server: this file starts a stack
 * of its own (the demo data, the API with DN_SMTP_URL pointing at an smtp-server on 127.0.0.1
 * and DN_APP_URL at its admin app). An admin invites a new practitioner from the People page;
 * the emailed link opens the accept page in a fresh browser, which refuses a weak password by the
 * field, then signs the person in; the link is dead afterwards. The practitioner's page shows the
 * login as active, and deactivating it there signs the person out at once.
 */
import { randomUUID } from "node:crypto";
import type { AppRouter } from "@dn/api";
import { type SmtpTestServer, startSmtpTestServer } from "@dn/api/testing";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { DEMO_PASSWORD, expectNoSidewaysScroll, fieldError, launchBrowser } from "./fixtures.ts";
import { type DnStack, startDnStack } from "./global-setup.ts";

const VIEWPORTS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
] as const;

let browser: Browser;
let smtp: SmtpTestServer;
let stack: DnStack;

beforeAll(async () => {
  smtp = await startSmtpTestServer();
  stack = await startDnStack({
    seed: true,
    env: { ...process.env, DN_SMTP_URL: smtp.url, DN_MAIL_FROM: "dn <invitations@dn.test>" },
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await smtp?.stop();
});

function url(path: string): string {
  return new URL(path, stack.adminUrl).toString();
}

async function login(page: Page, email: string): Promise<void> {
  await page.goto(url("/login"));
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((next) => next.pathname !== "/login");
  // On a phone the header folds into a menu, so "Log out" is present but may be hidden.
  await page
    .getByRole("button", { name: "Log out", includeHidden: true })
    .waitFor({ state: "attached" });
}

/** A typed client of this file's API, signed in as the demo admin. */
async function adminApi() {
  const trpc = `${stack.apiUrl}/trpc`;
  const session = await createTRPCClient<AppRouter>({
    links: [httpLink({ url: trpc })],
  }).auth.login.mutate({ email: "admin@dn.demo", password: DEMO_PASSWORD });
  if (session.status !== "signed-in")
    throw new Error("the demo admin was asked for a second factor");
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: trpc, headers: { Authorization: `Bearer ${session.token}` } })],
  });
}

/** Waits for the email to `address` and returns the invitation link in it. */
async function invitationLinkSentTo(address: string): Promise<string> {
  const pattern = new RegExp(`${stack.adminUrl}/invite/[A-Za-z0-9_-]+`);
  for (let attempt = 0; attempt < 100; attempt++) {
    const text = await smtp.lastTextTo(address);
    const link = text ? pattern.exec(text)?.[0] : undefined;
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no invitation email reached ${address}`);
}

describe.each(VIEWPORTS)("invitations on a %s", (viewportName, viewport) => {
  test("an admin invites a new practitioner, who accepts from the emailed link and is signed in", async () => {
    const suffix = randomUUID().slice(0, 8);
    const name = `E2E Invitee ${viewportName} ${suffix}`;
    const email = `e2e.invitee.${suffix}@example.test`;
    const api = await adminApi();
    const [clinic] = await api.clinics.list.query();
    const practitioner = await api.practitioners.create.mutate({
      name,
      email,
      profession: "PT",
      clinicId: clinic?.id as string,
    });

    const adminContext = await browser.newContext({ viewport });
    const admin = await adminContext.newPage();
    await login(admin, "admin@dn.demo");
    await admin.goto(url("/people"));
    await admin.getByRole("heading", { level: 1, name: "People" }).waitFor();
    await expectNoSidewaysScroll(admin);

    const invite = admin.getByRole("region", { name: "Invite someone" });
    await invite.getByLabel("Email", { exact: true }).fill(email);
    await invite.getByLabel("Role", { exact: true }).selectOption("practitioner");
    await invite.getByLabel("Practitioner record").selectOption(practitioner.id);
    await invite.getByRole("button", { name: "Send invitation" }).click();
    await admin.getByText("Invitation sent. The link in it works once, for 7 days.").waitFor();
    const pending = admin.getByRole("region", { name: "Pending invitations" });
    await pending.getByText(email, { exact: true }).waitFor();
    // The form is fresh for the next invitation.
    expect(await invite.getByLabel("Email", { exact: true }).inputValue()).toBe("");
    await expectNoSidewaysScroll(admin);

    const link = await invitationLinkSentTo(email);
    const text = (await smtp.lastTextTo(email)) ?? "";
    expect(text).toContain("as a practitioner");

    const inviteeContext = await browser.newContext({ viewport });
    const invitee = await inviteeContext.newPage();
    await invitee.goto(link);
    await invitee.getByRole("heading", { level: 1, name: /^Join / }).waitFor();
    expect(await invitee.getByText(email, { exact: true }).count()).toBe(1);
    expect(await invitee.getByText("Practitioner", { exact: true }).count()).toBe(1);
    await expectNoSidewaysScroll(invitee);

    await invitee.getByLabel("Your name").fill(name);
    await invitee.getByLabel("Choose a password").fill("too short");
    await invitee.getByRole("button", { name: /^Join / }).click();
    await expect(fieldError(invitee, "Choose a password")).resolves.toBe(
      "must be at least 12 characters",
    );
    await expectNoSidewaysScroll(invitee);
    await invitee.getByLabel("Your name").fill(name);
    await invitee.getByLabel("Choose a password").fill("amber lantern over quiet hills");
    await invitee.getByRole("button", { name: /^Join / }).click();
    await invitee.waitForURL((next) => next.pathname === "/records");
    await invitee
      .getByRole("button", { name: "Log out", includeHidden: true })
      .waitFor({ state: "attached" });

    // The link was used: opened again, it is refused.
    const strangerContext = await browser.newContext({ viewport });
    const stranger = await strangerContext.newPage();
    await stranger.goto(link);
    await stranger
      .getByText("This invitation link is not valid any more: ask for a new one.")
      .waitFor();
    await strangerContext.close();

    const members = await api.members.list.query({});
    expect(members.find((m) => m.email === email)).toMatchObject({
      role: "practitioner",
      status: "active",
      practitionerId: practitioner.id,
      name,
    });

    // The practitioner's page shows the login; deactivating it there signs them out at once.
    await admin.goto(url(`/practitioners/${practitioner.id}`));
    const loginLine = admin.locator(".login-status");
    await loginLine.getByText("Active", { exact: true }).waitFor();
    expect(await loginLine.getByText(email, { exact: true }).count()).toBe(1);
    await expectNoSidewaysScroll(admin);
    await admin.getByText("Deactivate login").click();
    await admin.getByRole("button", { name: `Deactivate ${name}'s login` }).click();
    await admin.getByText("Login deactivated. Their sessions ended at once.").waitFor();
    await loginLine.getByText("Deactivated", { exact: true }).waitFor();
    await invitee.reload();
    await invitee.waitForURL((next) => next.pathname === "/login");

    await adminContext.close();
    await inviteeContext.close();
  });
});
