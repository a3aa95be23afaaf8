import { randomUUID } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { adminUrl, apiClientFor, daysAgo, findOnPages, launchBrowser, login } from "./fixtures.ts";

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

/** A small but complete PDF. */
function certificatePdf(text: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\nxref\n0 1\n0000000000 65535 f \ntrailer << /Size 3 /Root 1 0 R >>\n% ${text}\nstartxref\n110\n%%EOF\n`,
    "latin1",
  );
}

const COLUMNS = [
  "not-permitted",
  "not-qualified",
  "pending-verification",
  "expiring",
  "qualified",
] as const;

/** The dashboard's verdict counts for Maryland's DN rule, read from the page. */
async function marylandCounts(page: Page): Promise<Record<(typeof COLUMNS)[number], number>> {
  await page.goto(adminUrl("/dashboard"));
  await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
  const row = page
    .getByTestId("by-standard")
    .getByRole("row")
    .filter({ hasText: "Maryland — dry needling" });
  const cells = await row.locator("td").allInnerTexts();
  return Object.fromEntries(COLUMNS.map((verdict, i) => [verdict, Number(cells[i])])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
}

/** The PT's own verdict under Maryland's DN rule, from "My compliance". */
async function ownMarylandVerdict(page: Page): Promise<string> {
  await page.goto(adminUrl("/compliance"));
  const table = page.getByRole("table", { name: "Verdict for each applicable standard" });
  await table.waitFor();
  return table
    .getByRole("row")
    .filter({ hasText: "Maryland — dry needling" })
    .first()
    .locator(".verdict")
    .textContent()
    .then((text) => (text ?? "").trim());
}

describe("the audit loop", () => {
  test("a PT uploads a certificate, the manager approves it, verdict and dashboard turn qualified", async () => {
    // Arrange through the API: Dana's only missing piece for Maryland is the Board registration.
    const api = await apiClientFor("manager@dn.demo");
    const dana = (await api.practitioners.list.query({ search: "Dana Whitfield" })).items[0];
    if (!dana) throw new Error("the demo practitioner Dana Whitfield is missing");
    await api.records.create.mutate({
      practitionerId: dana.id,
      kind: "ce-activity",
      title: "Bloodborne pathogens and DN documentation",
      provider: "Harbor PT in-service",
      completedOn: daysAgo(30),
      hours: { theory: 3, practical: 0, online: 0 },
      topics: ["bloodborne-pathogens", "documentation"],
    });
    const matrix = await api.dashboard.matrix.query({ search: "Dana Whitfield" });
    expect(matrix.rows[0]?.cells["us-md-dn"]).toBe("not-qualified");

    const managerContext = await browser.newContext();
    const manager = await managerContext.newPage();
    await login(manager, "manager@dn.demo");
    const before = await marylandCounts(manager);

    // The PT logs the Board registration and attaches the Board's confirmation.
    const title = `Maryland DN registration ${randomUUID().slice(0, 8)}`;
    const ptContext = await browser.newContext();
    const pt = await ptContext.newPage();
    await login(pt, "pt@dn.demo");
    await pt.getByLabel("Kind", { exact: true }).selectOption("board-notification");
    await pt.getByLabel("Title", { exact: true }).fill(title);
    await pt.getByLabel("Completion date").fill(daysAgo(2));
    await pt.getByLabel("Board notified").selectOption("US-MD");
    await pt.getByRole("button", { name: "Log record" }).click();
    await pt.waitForURL((url) => url.pathname === "/records" && url.searchParams.has("created"));
    await expect(pt.getByRole("status").textContent()).resolves.toContain("pending review");
    // The newest completion is listed first: wait for its row to render.
    const row = pt.getByRole("row").filter({ hasText: title }).first();
    await row.waitFor();
    await row.getByRole("link", { name: `Certificates for ${title}` }).click();
    await pt.getByRole("heading", { level: 1, name: title }).waitFor();
    await pt.getByLabel("Attach a certificate").setInputFiles({
      name: "md-board-confirmation.pdf",
      mimeType: "application/pdf",
      buffer: certificatePdf(title),
    });
    await pt.getByRole("button", { name: "Upload certificate" }).click();
    await pt.waitForURL((url) => url.searchParams.get("done") === "uploaded");
    await expect(pt.getByRole("status").textContent()).resolves.toContain("Certificate attached");
    await pt.getByRole("link", { name: "md-board-confirmation.pdf" }).waitFor();

    expect(await ownMarylandVerdict(pt)).toBe("Pending verification");
    const pending = await marylandCounts(manager);
    expect(pending["pending-verification"]).toBe(before["pending-verification"] + 1);
    expect(pending["not-qualified"]).toBe(before["not-qualified"] - 1);

    // The manager sees the certificate inline in the review queue and approves the record.
    await manager.getByRole("link", { name: "Review queue" }).click();
    await manager.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
    const card = await findOnPages(manager, manager.getByRole("article", { name: title }));
    const certificate = card.getByRole("list", { name: `Certificates for ${title}` });
    await certificate.getByRole("link", { name: "md-board-confirmation.pdf" }).waitFor();
    const href = await certificate
      .getByRole("link", { name: "md-board-confirmation.pdf" })
      .getAttribute("href");
    const download = await manager.request.get(adminUrl(href ?? ""));
    expect(download.status()).toBe(200);
    expect(download.headers()["content-type"]).toBe("application/pdf");
    await card.getByRole("button", { name: `Verify ${title}` }).click();
    await manager.waitForURL((url) => url.searchParams.get("done") === "verify");

    expect(await ownMarylandVerdict(pt)).toBe("Qualified");
    const after = await marylandCounts(manager);
    expect(after.qualified).toBe(before.qualified + 1);
    expect(after["pending-verification"]).toBe(before["pending-verification"]);

    await ptContext.close();
    await managerContext.close();
  });
});
