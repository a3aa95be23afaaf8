import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
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

const VIEWPORTS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
] as const;

/** The messages shown for a field, read through its aria-describedby as assistive tech does. */
async function errorsOf(page: Page, label: string): Promise<string> {
  const input = page.getByLabel(label, { exact: true });
  await input.and(page.locator('[aria-invalid="true"]')).waitFor();
  const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
  const texts = await Promise.all(
    describedBy
      .split(" ")
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(" ");
}

async function clinicsNamed(name: string) {
  const api = await apiClientFor("admin@dn.demo");
  const clinics = await api.clinics.list.query({ includeArchived: true });
  return clinics.filter((clinic) => clinic.name === name);
}

describe.each(VIEWPORTS)("settings on a %s", (viewportName, viewport) => {
  test("an admin adds a clinic with its time zone, renames it, cannot archive a staffed one, and archives and unarchives it", async () => {
    const suffix = randomUUID().slice(0, 8);
    // Named to sort last, and archived at the end: other tests pick the first clinic offered.
    const name = `Zephyr E2E ${viewportName} ${suffix}`;
    const renamed = `${name} renamed`;
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await login(page, "admin@dn.demo");

    await page.goto(adminUrl("/settings/clinics"));
    await page.getByRole("heading", { level: 1, name: "Clinics" }).waitFor();
    await expectNoSidewaysScroll(page);
    const baltimore = page.getByRole("row").filter({ hasText: "Harbor PT Baltimore" });
    await expect(baltimore.textContent()).resolves.toContain("America/New York");

    // Without a time zone the clinic is refused on that field, and nothing is written.
    const addForm = page.getByRole("region", { name: "Add a clinic" });
    await addForm.getByLabel("Clinic name").fill(name);
    await addForm.getByLabel("State").selectOption("US-CA");
    await addForm.getByRole("button", { name: "Add clinic" }).click();
    await expect(errorsOf(page, "Time zone")).resolves.toContain("is required");
    expect(await clinicsNamed(name)).toEqual([]);

    await addForm.getByLabel("Time zone").selectOption("America/Los_Angeles");
    if (viewportName === "phone") await expectNoSidewaysScroll(page);
    await addForm.getByRole("button", { name: "Add clinic" }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "create");
    await expect(page.getByRole("status").textContent()).resolves.toContain("Clinic added");
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row.textContent()).resolves.toContain("America/Los Angeles");
    await expect(row.textContent()).resolves.toContain("Open");
    const [created] = await clinicsNamed(name);
    expect(created).toMatchObject({
      jurisdiction: "US-CA",
      timeZone: "America/Los_Angeles",
      archivedAt: null,
    });
    await expectNoSidewaysScroll(page);

    // A second clinic of the same name: the API's refusal shows beside the name.
    await addForm.getByLabel("Clinic name").fill(name.toUpperCase());
    await addForm.getByLabel("State").selectOption("US-CA");
    await addForm.getByLabel("Time zone").selectOption("America/Los_Angeles");
    await addForm.getByRole("button", { name: "Add clinic" }).click();
    await expect(errorsOf(page, "Clinic name")).resolves.toContain("is already called");
    expect(await clinicsNamed(name.toUpperCase())).toEqual([]);

    // Rename it and move it to Central time, on its own page.
    await page.getByRole("link", { name: `Edit ${name}` }).click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await expectNoSidewaysScroll(page);
    await expect(page.getByLabel("Time zone").inputValue()).resolves.toBe("America/Los_Angeles");
    await page.getByLabel("Clinic name").fill("");
    await page.getByRole("button", { name: "Save clinic" }).click();
    await expect(errorsOf(page, "Clinic name")).resolves.toContain("must not be empty");
    await page.getByLabel("Clinic name").fill(renamed);
    await page.getByLabel("Time zone").selectOption("America/Chicago");
    await page.getByRole("button", { name: "Save clinic" }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "update");
    const renamedRow = page.getByRole("row").filter({ hasText: renamed });
    await expect(renamedRow.textContent()).resolves.toContain("America/Chicago");
    expect(await clinicsNamed(renamed)).toEqual([
      expect.objectContaining({ id: created?.id, timeZone: "America/Chicago" }),
    ]);

    // A clinic where people still work is not archived; the refusal says how many.
    await page.getByRole("button", { name: "Archive Harbor PT Baltimore (Federal Hill)" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toMatch(
      /still has \d+ active practitioners?/,
    );
    const [stillOpen] = await clinicsNamed("Harbor PT Baltimore (Federal Hill)");
    expect(stillOpen?.archivedAt).toBeNull();

    // Archived, it leaves the pickers; unarchived, it comes back; archived again to leave
    // the shared demo data's pickers as they were.
    await page.getByRole("button", { name: `Archive ${renamed}` }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "archive");
    // (The address changes a moment before the list is drawn again: wait for the badge.)
    await page
      .getByRole("row")
      .filter({ hasText: renamed })
      .filter({ hasText: "Archived" })
      .waitFor();
    await page.goto(adminUrl("/practitioners/new"));
    const options = await page.getByLabel("Clinic").locator("option").allTextContents();
    expect(options.some((option) => option.includes(renamed))).toBe(false);
    expect(options.some((option) => option.includes("Harbor PT Baltimore"))).toBe(true);

    await page.goto(adminUrl("/settings/clinics"));
    await page.getByRole("button", { name: `Unarchive ${renamed}` }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "unarchive");
    expect((await clinicsNamed(renamed))[0]?.archivedAt).toBeNull();
    await page.getByRole("button", { name: `Archive ${renamed}` }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "archive");
    expect((await clinicsNamed(renamed))[0]?.archivedAt).not.toBeNull();
    await context.close();
  });

  test("the two-factor requirement waits for the admin's own second factor; the name is required", async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await login(page, "admin@dn.demo");
    await page.goto(adminUrl("/settings"));
    await page.getByRole("heading", { level: 1, name: "Organization" }).waitFor();
    await expectNoSidewaysScroll(page);
    const api = await apiClientFor("admin@dn.demo");
    const before = await api.organizations.current.query();

    const toggle = page.getByLabel("Require two-factor sign-in for admins and managers");
    await expect(toggle.isChecked()).resolves.toBe(false);
    await toggle.check();
    await page.getByRole("button", { name: "Save" }).click();
    await expect(
      errorsOf(page, "Require two-factor sign-in for admins and managers"),
    ).resolves.toContain("turn on two-factor authentication for your own account first");
    expect(await api.organizations.current.query()).toEqual(before);

    await page.getByLabel("Organization name").fill(" ");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(errorsOf(page, "Organization name")).resolves.toContain("must not be empty");
    expect(await api.organizations.current.query()).toEqual(before);

    // Nobody else reaches the settings.
    const managerContext = await browser.newContext({ viewport });
    const manager = await managerContext.newPage();
    await login(manager, "manager@dn.demo");
    for (const path of ["/settings", "/settings/clinics", `/settings/clinics/${randomUUID()}`]) {
      const response = await manager.goto(adminUrl(path));
      expect(response?.status(), path).toBe(403);
    }
    await managerContext.close();
    await context.close();
  });
});
