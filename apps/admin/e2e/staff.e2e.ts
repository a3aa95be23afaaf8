import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  adminUrl,
  apiClientFor,
  expectNoSidewaysScroll,
  fieldError,
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

/** The practitioners named `name`, archived or not, as the API has them. */
async function practitionersNamed(name: string) {
  const api = await apiClientFor("manager@dn.demo");
  const page = await api.practitioners.list.query({ search: name, includeArchived: true });
  return page.items.filter((item) => item.name === name);
}

describe.each(VIEWPORTS)("staff and licenses on a %s", (viewportName, viewport) => {
  test("a manager adds a practitioner, fixes a bad email, adds and edits a license, and archives them", async () => {
    const suffix = randomUUID().slice(0, 8);
    const name = `E2E Staff ${viewportName} ${suffix}`;
    const licenseNumber = `E2E-${suffix}`;
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await login(page, "manager@dn.demo");

    await page.goto(adminUrl("/practitioners"));
    await expectNoSidewaysScroll(page);
    await page.getByRole("link", { name: "Add practitioner" }).click();
    await page.getByRole("heading", { level: 1, name: "Add practitioner" }).waitFor();

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Email (optional)").fill("riley.chen@");
    await page.getByLabel("Profession").selectOption("PT");
    await page.getByLabel("Clinic").selectOption({ index: 1 });
    if (viewportName === "phone") {
      // The form stacks: the clinic picker sits below the profession, not beside it.
      const profession = await page.getByLabel("Profession").boundingBox();
      const clinic = await page.getByLabel("Clinic").boundingBox();
      expect(clinic?.y).toBeGreaterThan((profession?.y ?? 0) + (profession?.height ?? 0));
      await expectNoSidewaysScroll(page);
    }
    await page.getByRole("button", { name: "Add practitioner" }).click();
    await expect(fieldError(page, "Email (optional)")).resolves.toBe("must be an email address");
    expect(new URL(page.url()).pathname).toBe("/practitioners/new");
    expect(await practitionersNamed(name)).toEqual([]);

    await page.getByLabel("Email (optional)").fill(`Riley.${suffix}@Example.org`);
    await page.getByRole("button", { name: "Add practitioner" }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "create");
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Practitioner added");
    const [created] = await practitionersNamed(name);
    expect(created?.email).toBe(`riley.${suffix}@example.org`);
    expect(page.url()).toContain(`/practitioners/${created?.id}`);
    await expectNoSidewaysScroll(page);

    // A license, then the same number again: the API's refusal shows beside the number field.
    const addLicense = page.getByRole("form", { name: "Add license" });
    await addLicense.getByLabel("State").selectOption("US-MD");
    await addLicense.getByLabel("License number").fill(licenseNumber);
    await addLicense.getByLabel("Issued on").fill("2021-06-01");
    await addLicense.getByLabel("Expires on (optional)").fill("2027-05-31");
    await addLicense.getByRole("button", { name: "Add license" }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "license-create");
    const row = page.getByRole("row").filter({ hasText: licenseNumber });
    await expect(row.textContent()).resolves.toContain("2027-05-31");
    await expect(row.textContent()).resolves.toContain("Active");

    await addLicense.getByLabel("State").selectOption("US-MD");
    await addLicense.getByLabel("License number").fill(licenseNumber);
    await addLicense.getByLabel("Issued on").fill("2022-01-10");
    await addLicense.getByRole("button", { name: "Add license" }).click();
    await expect(fieldError(page, "License number")).resolves.toBe(
      "this practitioner already has a US-MD license with this number",
    );
    const api = await apiClientFor("manager@dn.demo");
    const practitionerId = created?.id ?? "";
    expect(await api.licenses.list.query({ practitionerId })).toHaveLength(1);

    // A tampered submission (a state the API does not know, an impossible date) is refused by
    // field on the server too, and writes nothing.
    const tampered = await page.request.post(adminUrl(`/practitioners/${practitionerId}`), {
      form: {
        intent: "add-license",
        jurisdiction: "US-XX",
        number: "E2E-TAMPERED",
        issuedOn: "2021-02-30",
        expiresOn: "",
        status: "active",
      },
    });
    expect(tampered.status()).toBe(400);
    const html = await tampered.text();
    expect(html).toContain("unknown jurisdiction code");
    expect(html).toContain("must be a real date written as YYYY-MM-DD");
    expect(await api.licenses.list.query({ practitionerId })).toHaveLength(1);

    // Edit the license: it lapses and no longer has an expiry date.
    await page.getByRole("link", { name: `Edit license ${licenseNumber}` }).click();
    await page.getByRole("heading", { level: 1, name: /Edit license/ }).waitFor();
    await expectNoSidewaysScroll(page);
    await page.getByLabel("Expires on (optional)").fill("2020-01-01");
    await page.getByRole("button", { name: "Save license" }).click();
    await expect(fieldError(page, "Expires on (optional)")).resolves.toBe(
      "must not be before the issue date",
    );
    await page.getByLabel("Expires on (optional)").fill("");
    await page.getByLabel("Status").selectOption("inactive");
    await page.getByRole("button", { name: "Save license" }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "license-update");
    await expect(row.textContent()).resolves.toContain("Inactive");
    const [license] = await api.licenses.list.query({ practitionerId });
    expect(license).toMatchObject({ status: "inactive", expiresOn: null, issuedOn: "2021-06-01" });

    // Edit the details.
    await page.getByRole("link", { name: `Edit details of ${name}` }).click();
    await page.getByRole("heading", { level: 1, name: `Edit ${name}` }).waitFor();
    await page.getByLabel("Profession").selectOption("PTA");
    await page.getByRole("button", { name: "Save details" }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "update");
    await page.getByText("Physical therapist assistant (PTA)").waitFor();

    // Archive, after confirming.
    await page.getByText("Archive practitioner", { exact: true }).click();
    await page.getByRole("button", { name: `Archive ${name}` }).click();
    await page.waitForURL((url) => url.searchParams.get("done") === "archive");
    await page.getByText(/^Archived on /).waitFor();
    expect(await page.getByRole("link", { name: /^Edit/ }).count()).toBe(0);
    expect(await page.getByRole("form", { name: "Add license" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: `Archive ${name}` }).count()).toBe(0);
    expect((await api.practitioners.byId.query({ id: practitionerId })).archivedAt).not.toBeNull();
    await expectNoSidewaysScroll(page);

    const editArchived = await page.goto(adminUrl(`/practitioners/${practitionerId}/edit`));
    expect(editArchived?.status()).toBe(403);
    await context.close();
  });

  test("a practitioner and an auditor are offered no staff changes", async () => {
    const manager = await apiClientFor("manager@dn.demo");
    const [someone] = (await manager.practitioners.list.query({ limit: 1 })).items;
    if (!someone) throw new Error("the demo data has practitioners");

    const ptContext = await browser.newContext({ viewport });
    const pt = await ptContext.newPage();
    await login(pt, "pt@dn.demo");
    for (const path of [
      "/practitioners",
      "/practitioners/new",
      `/practitioners/${someone.id}/edit`,
      `/practitioners/${someone.id}/licenses/${someone.licenses[0]?.id ?? randomUUID()}`,
    ]) {
      const response = await pt.goto(adminUrl(path));
      expect(response?.status(), path).toBe(403);
      expect(await pt.getByRole("link", { name: "Add practitioner" }).count()).toBe(0);
      expect(await pt.getByRole("link", { name: /^Edit/ }).count()).toBe(0);
    }
    await ptContext.close();

    const auditorContext = await browser.newContext({ viewport });
    const auditor = await auditorContext.newPage();
    await login(auditor, "auditor@dn.demo");
    await auditor.goto(adminUrl("/practitioners"));
    await auditor.getByRole("heading", { level: 1, name: "Practitioners" }).waitFor();
    expect(await auditor.getByRole("link", { name: "Add practitioner" }).count()).toBe(0);
    await auditor.goto(adminUrl(`/practitioners/${someone.id}`));
    await auditor.getByRole("heading", { level: 1, name: someone.name }).waitFor();
    expect(await auditor.getByRole("link", { name: /^Edit/ }).count()).toBe(0);
    expect(await auditor.getByRole("form", { name: "Add license" }).count()).toBe(0);
    expect(await auditor.getByText("Archive practitioner").count()).toBe(0);
    expect((await auditor.goto(adminUrl("/practitioners/new")))?.status()).toBe(403);
    await auditorContext.close();
  });
});
