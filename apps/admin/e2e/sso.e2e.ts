/**
 * Single sign-on through a real OpenID provider (oidc-provider, the API package's test harness)
 * started here on 127.0.0.1, where the API process started by the global setup reaches it. An
 * admin registers it on the settings page; then a browser follows the sign-in link, submits the
 * provider's login and consent pages (plain HTML forms) and comes back signed in.
 */
import { randomUUID } from "node:crypto";
import type { AppRouter } from "@dn/api";
import { startOidcTestProvider } from "@dn/api/testing";
import { createTRPCClient, httpLink } from "@trpc/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { adminUrl, launchBrowser, login } from "./fixtures.ts";

const CLIENT_ID = `dn-e2e-${randomUUID().slice(0, 8)}`;
const CLIENT_SECRET = `e2e-secret-${randomUUID()}`;
const ACCOUNTS = [
  { subject: "e2e-pt", email: "PT@dn.demo", emailVerified: true, name: "Demo Practitioner" },
  {
    subject: "e2e-stranger",
    email: "stranger@elsewhere.example",
    emailVerified: true,
    name: "Not A Member",
  },
  { subject: "e2e-unverified", email: "manager@dn.demo", emailVerified: false, name: "Unverified" },
];

let browser: Browser;
let idp: Awaited<ReturnType<typeof startOidcTestProvider>>;

beforeAll(async () => {
  // The global setup gives the API the admin app's address as DN_APP_URL: its callback is the
  // one redirect URI the API sends, so the only one the provider needs to allow.
  idp = await startOidcTestProvider({
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUris: [adminUrl("/sso/callback")],
      },
    ],
    accounts: ACCOUNTS,
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await idp?.close();
});

/** Goes through the provider's interaction pages (login, then consent) as `subject`. */
async function signInAtProvider(page: Page, subject: string): Promise<void> {
  const idpOrigin = new URL(idp.issuer).origin;
  for (let step = 0; step < 4; step++) {
    await page.waitForLoadState("load");
    const url = new URL(page.url());
    if (url.origin !== idpOrigin || !url.pathname.startsWith("/interaction/")) return;
    await page.locator('input[name="subject"]').fill(subject);
    // Each step ends on a new page (the next prompt may share the address): wait for it.
    await Promise.all([
      page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame()),
      page.getByRole("button", { name: "Continue" }).click(),
    ]);
  }
  throw new Error(`still at the provider after 4 steps: ${page.url()}`);
}

describe("single sign-on with OpenID Connect", () => {
  let signInUrl: string;
  const providerName = `E2E IdP ${randomUUID().slice(0, 8)}`;

  test("the login page points to the organization's link and names no provider", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(adminUrl("/login"));
    const hint = "Your organization uses single sign-on? Use the sign-in link it gave you.";
    expect(await page.getByText(hint, { exact: true }).count()).toBe(1);
    expect(await page.locator('a[href*="/sso/"]').count()).toBe(0);
    await context.close();
  });

  test("an admin adds the provider: a wrong issuer is refused on the field, the right one listed", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "admin@dn.demo");
    await page.goto(adminUrl("/settings/sso"));
    await page.getByRole("heading", { name: "Single sign-on", level: 1 }).waitFor();

    const fill = async (issuer: string) => {
      await page.getByLabel("Name staff know it by").fill(providerName);
      await page.getByLabel("Issuer URL").fill(issuer);
      await page.getByLabel("Client ID").fill(CLIENT_ID);
      await page.getByLabel("Client secret").fill(CLIENT_SECRET);
      await page.getByRole("button", { name: "Add provider" }).click();
    };

    await fill(`${idp.issuer}/no-such-issuer`);
    const issuer = page.getByLabel("Issuer URL");
    await issuer.and(page.locator('[aria-invalid="true"]')).waitFor();
    const describedBy = (await issuer.getAttribute("aria-describedby")) ?? "";
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toMatch(
      /discovery document|response/,
    );

    await fill(idp.issuer);
    const notice = page.getByRole("status").filter({ hasText: "added" });
    await notice.waitFor();
    signInUrl = (await notice.locator("code").textContent()) ?? "";
    expect(signInUrl).toMatch(/\/sso\/[0-9a-f-]{36}$/);
    const listed = page.getByLabel(`Sign-in link for ${providerName}`);
    expect(await listed.inputValue()).toBe(signInUrl);
    // The list shows the client, never its secret.
    expect(await page.locator("main").textContent()).not.toContain(CLIENT_SECRET);
    await context.close();
  });

  test("a member follows the link, signs in at the provider and lands signed in", async () => {
    expect(signInUrl, "the provider was added").toBeTruthy();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(signInUrl);
    expect(new URL(page.url()).origin).toBe(new URL(idp.issuer).origin);
    await signInAtProvider(page, "e2e-pt");

    await page.waitForURL((url) => url.pathname === "/records");
    await page.getByRole("button", { name: "Log out" }).waitFor();
    expect(await page.locator(".user-menu__role").textContent()).toBe("Practitioner");
    // The session is an ordinary one: other pages open with it.
    await page.goto(new URL("/compliance", signInUrl).href);
    await page.getByRole("button", { name: "Log out" }).waitFor();
    await context.close();
  });

  test("someone without a membership is told so plainly, with the way back to log in", async () => {
    for (const [subject, message] of [
      ["e2e-stranger", "No active membership in this organization for this account."],
      ["e2e-unverified", "did not verify this account's email address"],
    ] as const) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(signInUrl);
      await signInAtProvider(page, subject);
      await page.waitForURL((url) => url.pathname === "/sso/callback");
      const alert = page.getByRole("alert");
      expect(await alert.textContent()).toContain(message);
      await page.getByRole("link", { name: "Back to log in" }).click();
      await page.waitForURL((url) => url.pathname === "/login");
      expect(await page.getByRole("button", { name: "Log out" }).count()).toBe(0);
      await context.close();
    }
  });

  test("a callback opened in a browser that did not start the sign-in is refused", async () => {
    // Someone starts a sign-in and completes it at the provider, then sends the link back to
    // the app to someone else: without the starting browser's cookie it signs nobody in.
    const appOrigin = new URL(adminUrl("/")).origin;
    const providerId = new URL(signInUrl).pathname.split("/").at(-1) ?? "";
    const api = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${inject("apiUrl")}/trpc` })],
    });
    const start = await api.sso.begin.mutate({
      providerId,
      redirectUri: `${appOrigin}/sso/callback`,
    });
    const callbackUrl = await idp.signIn(start.authorizationUrl, "e2e-pt");
    expect(new URL(callbackUrl).origin).toBe(appOrigin);

    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(callbackUrl);
    expect(response?.status()).toBe(400);
    expect(await page.getByRole("alert").textContent()).toContain("was started in another browser");
    expect(await page.getByRole("button", { name: "Log out" }).count()).toBe(0);
    await context.close();
  });

  test("after the admin archives the provider its link no longer signs anyone in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "admin@dn.demo");
    await page.goto(adminUrl("/settings/sso"));
    await page.getByRole("button", { name: `Archive ${providerName}` }).click();
    await page
      .getByRole("row")
      .filter({ hasText: providerName })
      .getByText(/^Archived \d{4}-\d{2}-\d{2}$/)
      .waitFor();
    await context.close();

    const visitor = await browser.newContext();
    const start = await visitor.newPage();
    const response = await start.goto(signInUrl);
    expect(response?.status()).toBe(404);
    expect(await start.getByRole("alert").textContent()).toContain("link is not valid");
    await visitor.close();
  });
});
