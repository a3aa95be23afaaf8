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
});

afterAll(async () => {
  await browser?.close();
});

const ID = "e2e-needling-policy";

/** A clinic policy whose every version starts on the same day, so v2 overlaps v1 (issue 14). */
function policyYaml(version: number, title: string): string {
  return [
    `id: ${ID}`,
    `version: ${version}`,
    `title: ${title}`,
    "kind: clinic-policy",
    "authority: E2E clinical governance",
    "status: permitted",
    "effectiveFrom: 2025-01-01",
    "citations:",
    "  - text: E2E policy manual, section 1",
    "confidence: C1",
    "lastVerified: 2025-01-01",
    "requirements:",
    "  - id: cpr",
    "    title: Current CPR certification",
    "    citation:",
    "      text: E2E policy manual, section 1.1",
    "    kind: credential-current",
    "    credential: cpr",
  ].join("\n");
}

describe("a custom standard's life cycle", () => {
  test("a draft is published only where assigned, and the standard's page tags in force the version the compliance page uses", async () => {
    const api = await apiClientFor("manager@dn.demo");
    const found = await api.practitioners.list.query({ search: "Dana Whitfield" });
    const dana = found.items[0];
    if (!dana) throw new Error("the demo practitioner Dana Whitfield is missing");

    const context = await browser.newContext();
    const page = await context.newPage();
    await login(page, "manager@dn.demo");
    await page.goto(adminUrl("/standards/new"));
    const editor = page.getByLabel("Standard document (YAML or JSON)");
    await editor.fill(policyYaml(1, "E2E needling policy"));
    await page.getByRole("button", { name: "Save version 1" }).click();
    await page.getByRole("status").getByText("It is a draft").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Draft");
    // A draft applies to nobody, even once assigned.
    const assignment = await api.assignments.add.mutate({
      scope: "practitioner",
      scopeId: dana.id,
      standardId: ID,
      reason: "E2E: Dana only",
    });
    const whileDraft = await api.compliance.applicable.query({ practitionerId: dana.id });
    expect(whileDraft.map((s) => s.standardId)).not.toContain(ID);

    // Publish for assigned places only (the explicit choice).
    await page.getByLabel(/Only where assigned/).check();
    await page.getByRole("button", { name: "Publish version 1" }).click();
    await page.getByRole("status").getByText("Published version 1.").waitFor();
    expect(await page.getByText("applies only where assigned").count()).toBeGreaterThan(0);

    // Version 2 from the same date; v1's range stays open.
    await page.getByRole("link", { name: "Save a new version" }).click();
    expect(await editor.inputValue()).toContain("version: 2");
    await editor.fill(policyYaml(2, "E2E needling policy, second edition"));
    await page.getByRole("button", { name: "Save version 2" }).click();
    await page.getByRole("status").getByText("Saved as version 2.").waitFor();
    await page.getByRole("button", { name: "Publish version 2" }).click();
    await page.getByRole("status").getByText("Published version 2.").waitFor();

    // What the compliance page uses, per the API and on the page.
    const overview = await api.compliance.overview.query({ practitionerId: dana.id });
    const applied = overview.standards.find((s) => s.standardId === ID)?.evaluation?.standard;
    expect(applied?.version).toBe(2);
    await page.goto(adminUrl(`/practitioners/${dana.id}/compliance`));
    const card = page.getByRole("region", { name: "E2E needling policy, second edition" });
    expect(await card.textContent()).toContain("Version 2, in force from 2025-01-01.");

    // The standard's page tags the same version "In force".
    await page.goto(adminUrl(`/standards/${ID}`));
    const versions = page.getByRole("table", {
      name: "Versions of E2E needling policy, second edition",
    });
    const tagged = versions
      .locator("tbody tr")
      .filter({ has: page.locator(".tag", { hasText: /^In force$/ }) });
    expect(await tagged.count()).toBe(1);
    expect(await tagged.getByRole("link").textContent()).toBe("v2");
    expect(await page.locator(".page-header .muted").textContent()).toContain(
      "version 2 · in force on",
    );

    // Phone width: the publish form and the versions table do not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(page);
    await context.close();
    await api.assignments.remove.mutate({ id: assignment.id });
  });
});
