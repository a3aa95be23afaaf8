import { randomUUID } from "node:crypto";
import { systemClock, utcDateOf } from "@dn/clock";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminUrl, apiClientFor, launchBrowser, login } from "./fixtures.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const VERDICTS = /^(Qualified|Expiring|Pending verification|Not qualified|Not permitted)$/;

describe("compliance pages", () => {
  test("a manager opens a practitioner's compliance page and portability grid and sees verdicts", async () => {
    const api = await apiClientFor("manager@dn.demo");
    const page1 = await api.practitioners.list.query({ search: "Dana Whitfield" });
    const dana = page1.items[0];
    if (!dana) throw new Error("the demo practitioner Dana Whitfield is missing");
    const overview = await api.compliance.overview.query({ practitionerId: dana.id });
    const expected = overview.standards.find((s) => s.standardId === "us-md-dn")?.evaluation;
    if (!expected) throw new Error("Dana should be evaluated against Maryland's rule");

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "manager@dn.demo");
    await page.goto(adminUrl(`/practitioners/${dana.id}`));
    await page.getByRole("link", { name: "Compliance", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: `Compliance: ${dana.name}` }).waitFor();

    // The summary row for Maryland shows the engine's verdict, in words.
    const summary = page.getByRole("table", { name: "Verdict for each applicable standard" });
    const maryland = summary.getByRole("row").filter({ hasText: "Maryland" }).first();
    const VERDICT_WORDS = {
      qualified: "Qualified",
      expiring: "Expiring",
      "pending-verification": "Pending verification",
      "not-qualified": "Not qualified",
      "not-permitted": "Not permitted",
    } as const;
    expect(await maryland.locator(".verdict").textContent()).toBe(VERDICT_WORDS[expected.status]);

    // Each requirement shows progress with have and need, and why records counted or not.
    const firstRequirement = expected.requirements[0];
    if (!firstRequirement) throw new Error("Maryland's rule has requirements");
    const card = page.locator("#standard-us-md-dn");
    await card.getByRole("heading", { level: 3, name: firstRequirement.title }).waitFor();
    expect(await card.locator("progress").count()).toBeGreaterThan(0);

    await page.getByRole("link", { name: "Portability", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: `Portability: ${dana.name}` }).waitFor();
    const grid = page.getByRole("list").filter({ has: page.locator(".state-tile") });
    const tiles = grid.locator(".state-tile");
    expect(await tiles.count()).toBeGreaterThanOrEqual(19);
    const california = page.locator(".state-tile").filter({ hasText: "California" });
    expect(await california.locator(".verdict").textContent()).toBe("Not permitted");
    for (const text of await tiles.locator(".verdict").allTextContents()) {
      expect(text).toMatch(VERDICTS);
    }
    await context.close();
  });

  test("a PT finds their own compliance under My compliance", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "pt@dn.demo");
    await page.getByRole("link", { name: "My compliance" }).click();
    await page.getByRole("heading", { level: 1, name: /^Compliance: Dana Whitfield/ }).waitFor();
    const badges = await page
      .getByRole("table", { name: "Verdict for each applicable standard" })
      .locator(".verdict")
      .allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    for (const text of badges) expect(text).toMatch(VERDICTS);

    // The dossier download is the practitioner's own data as dn-dossier JSON.
    const href = await page
      .getByRole("link", { name: "Download dossier (JSON)" })
      .getAttribute("href");
    const response = await page.request.get(adminUrl(href ?? ""));
    expect(response.headers()["content-type"]).toContain("application/json");
    const dossier = (await response.json()) as { format: string; practitioner: { name: string } };
    expect(dossier.format).toBe("dn-dossier");
    expect(dossier.practitioner.name).toMatch(/^Dana Whitfield/);
    await context.close();
  });

  test("a manager writes a custom standard: field errors with lines first, then version 1 and 2", async () => {
    // A professional-body benchmark, so that it applies to no one and other tests are unaffected.
    const id = `e2e-benchmark-${randomUUID().slice(0, 8)}`;
    const yaml = (version: number, minSessions: string) =>
      [
        `id: ${id}`,
        `version: ${version}`,
        "title: E2E supervised-practice benchmark",
        "kind: professional-body",
        "authority: E2E test body",
        "status: permitted",
        "effectiveFrom: 2025-01-01",
        "citations:",
        "  - text: E2E benchmark, section 1",
        "confidence: C1",
        "lastVerified: 2025-01-01",
        "requirements:",
        "  - id: sessions",
        "    title: Supervised sessions",
        "    citation:",
        "      text: E2E benchmark, section 1.1",
        "    kind: supervised-sessions",
        `    minSessions: ${minSessions}`,
      ].join("\n");

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "manager@dn.demo");
    await page.goto(adminUrl("/standards"));
    await page.getByRole("link", { name: "New custom standard" }).click();
    const editor = page.getByLabel("Standard document (YAML or JSON)");
    await editor.fill(yaml(1, "0"));
    await page.getByRole("button", { name: "Save version 1" }).click();
    const problems = page.getByRole("alert");
    await problems.getByText("requirements.0.minSessions").waitFor();
    expect(await problems.textContent()).toContain("(line 18): must be at least 1");

    await editor.fill(yaml(1, "10"));
    await page.getByRole("button", { name: "Save version 1" }).click();
    await page.getByRole("status").getByText("Saved as version 1.").waitFor();
    await page.getByRole("button", { name: "Publish version 1" }).click();
    await page.getByRole("status").getByText("Published version 1.").waitFor();
    await page.getByRole("link", { name: "Save a new version" }).click();
    const next = await editor.inputValue();
    expect(next).toContain("version: 2");
    await editor.fill(next.replace("minSessions: 10", "minSessions: 20"));
    await page.getByRole("button", { name: "Save version 2" }).click();
    await page.getByRole("status").getByText("Saved as version 2.").waitFor();
    const versions = page.getByRole("table", {
      name: "Versions of E2E supervised-practice benchmark",
    });
    expect(await versions.getByRole("row").count()).toBe(3);
    await context.close();
  });

  test("the what-if planner shows the verdicts a plan would change, as the API computes them", async () => {
    const api = await apiClientFor("pt@dn.demo");
    const me = await api.auth.me.query();
    const practitionerId = me.practitioner?.id;
    if (!practitionerId) throw new Error("pt@dn.demo is a practitioner");
    const today = utcDateOf(systemClock());
    const plan = {
      practitionerId,
      asOf: today,
      records: [
        {
          kind: "supervised-sessions",
          title: "Planned supervised sessions",
          completedOn: today,
          count: 30,
        },
      ],
      licenses: [
        {
          jurisdiction: "US-FL" as const,
          number: "PLANNED",
          issuedOn: today,
          expiresOn: null,
          status: "active" as const,
        },
      ],
    };
    const expected = await api.compliance.whatIf.query({ ...plan, standardIds: ["us-fl-dn"] });
    const florida = expected.results[0];
    if (!florida) throw new Error("Florida's rule is in force");

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "pt@dn.demo");
    await page.goto(adminUrl(`/practitioners/${practitionerId}/what-if`));
    await page.getByLabel("Supervised sessions").fill("30");
    await page.getByLabel("New license in").selectOption("US-FL");
    await page.getByLabel("Standards").selectOption("states");
    await page.getByRole("button", { name: "See what changes" }).click();
    const results = page.locator(".what-if-results");
    await results.waitFor();
    const row = results.locator(".what-if-result").filter({ hasText: "Florida" });
    const WORDS: Record<string, string> = {
      qualified: "Qualified",
      expiring: "Expiring",
      "pending-verification": "Pending verification",
      "not-qualified": "Not qualified",
      "not-permitted": "Not permitted",
    };
    expect(await row.locator(".standard-card__head .verdict").allTextContents()).toEqual([
      WORDS[florida.before],
      WORDS[florida.after],
    ]);
    // The 30 planned sessions count toward Florida's 25-session requirement, which is then met.
    const sessions = row.locator("li").filter({ hasText: "30 of 25" });
    expect(await sessions.locator(".verdict").textContent()).toBe("Met");
    await context.close();
  });
});
