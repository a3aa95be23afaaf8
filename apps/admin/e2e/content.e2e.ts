import { randomUUID } from "node:crypto";
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

const DRAFT_SLUG = "after-your-dry-needling-session";

describe("the content library", () => {
  test("a manager edits and publishes an article, then flags a reader's comment as an adverse event", async () => {
    const api = await apiClientFor("manager@dn.demo");
    const before = (await api.content.articles.search.query({ query: "After your dry needling" }))
      .items[0];
    if (!before) throw new Error("the demo draft is missing");
    expect(before.status).toBe("draft");

    const context = await browser.newContext();
    const manager = await context.newPage();
    await login(manager, "manager@dn.demo");
    await manager
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Content" })
      .click();
    await manager.getByRole("heading", { level: 1, name: "Articles" }).waitFor();
    await manager.getByRole("link", { name: "After your dry needling session" }).click();
    await manager
      .getByRole("heading", { level: 1, name: /Edit “After your dry needling session”/ })
      .waitFor();

    // Invalid content is refused next to its field, and nothing is saved.
    const title = manager.getByLabel("Title", { exact: true });
    await title.fill("");
    await manager.getByRole("button", { name: "Save", exact: true }).click();
    await expect(manager.locator("#article-editor-title-error").textContent()).resolves.toContain(
      "must not be empty",
    );
    expect((await api.content.articles.byId.query({ id: before.id })).revision).toBe(
      before.revision,
    );

    // The live preview follows the form, rendered like the public page.
    const newTitle = `After your session: what to expect ${randomUUID().slice(0, 6)}`;
    await manager.getByLabel("Title", { exact: true }).fill(newTitle);
    const preview = manager.getByRole("region", { name: "Preview" });
    await preview.getByRole("heading", { name: newTitle }).waitFor();
    const body = manager.getByLabel("Body", { exact: true });
    const text = await body.inputValue();
    await body.fill(
      `${text}\n\n:::callout{tone="warning" title="When to call us"}\nCall the clinic if you feel faint or dizzy.\n:::`,
    );
    await preview.getByRole("complementary", { name: "When to call us" }).waitFor();
    await expect(preview.textContent()).resolves.toContain("Wardle, J., & Sarris, J. (2014)");

    await manager.getByRole("button", { name: "Save", exact: true }).click();
    await manager.waitForURL((url) => url.searchParams.get("done") === "saved");
    await manager.getByRole("button", { name: "Publish" }).click();
    await manager.waitForURL((url) => url.searchParams.get("done") === "published");
    await manager.getByRole("status").filter({ hasText: "Published" }).waitFor();

    // The export link downloads the article as Markdown.
    const exported = await manager.request.get(adminUrl(`/content/articles/${before.id}/markdown`));
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-type"]).toContain("text/markdown");
    expect(await exported.text()).toContain(`title: "${newTitle}"`);

    const stored = await api.content.articles.byId.query({ id: before.id });
    expect(stored).toMatchObject({
      title: newTitle,
      status: "published",
      revision: before.revision + 2,
    });
    expect(stored.blocks.at(-1)).toEqual({
      type: "callout",
      tone: "warning",
      title: "When to call us",
      body: "Call the clinic if you feel faint or dizzy.",
    });

    // A reader, not signed in, reads it and reports a reaction in a comment.
    const readerContext = await browser.newContext();
    const reader = await readerContext.newPage();
    // Public pages are addressed by organization and slug (slugs are unique per organization).
    await reader.goto(adminUrl(`/articles/${stored.organizationId}/${DRAFT_SLUG}`));
    await reader.getByRole("heading", { level: 1, name: newTitle }).waitFor();
    await expect(reader.getByRole("article").textContent()).resolves.toContain(
      "Clinical Naturopathy",
    );
    const report = `I felt faint and was sick an hour after my session (${randomUUID().slice(0, 6)}).`;
    await reader.getByLabel("Your name as it should appear").fill("Jordan");
    await reader.getByLabel("Comment", { exact: true }).fill(report);
    await reader.getByRole("button", { name: "Send comment" }).click();
    await reader.waitForURL((url) => url.searchParams.get("comment") === "sent");
    await reader.getByRole("status").filter({ hasText: "once a moderator" }).waitFor();
    await readerContext.close();

    // The manager flags it as a possible adverse event from the moderation queue.
    await manager.goto(adminUrl("/content/comments?state=pending"));
    const card = manager.getByRole("article").filter({ hasText: report });
    await card.waitFor();
    const note = "Reported faintness and vomiting: phone the patient today.";
    await card.getByLabel(/Moderator's note/).fill(note);
    await card.getByRole("button", { name: /Flag as possible adverse event/ }).click();
    await manager.waitForURL((url) => url.searchParams.get("done") === "flag-adverse-event");
    await manager.getByRole("status").filter({ hasText: "follow-up item is open" }).waitFor();

    // ... which appears in the managers' follow-up list.
    await manager.getByRole("link", { name: "Follow-ups" }).click();
    await manager.getByRole("heading", { level: 1, name: "Follow-ups" }).waitFor();
    const item = manager
      .getByRole("list", { name: "Open follow-ups" })
      .getByRole("listitem")
      .filter({
        hasText: report,
      });
    await item.waitFor();
    await expect(item.getByRole("heading").textContent()).resolves.toBe(note);

    const flagged = await api.content.comments.queue.query({ moderationState: "hidden" });
    expect(flagged.items.find((c) => c.body === report)).toMatchObject({ adverseEvent: true });
    await context.close();
  });

  test("a practitioner logging a record from a catalog course gets provider, hours and topics filled in", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const pt = await context.newPage();
    await login(pt, "pt@dn.demo");
    await pt.getByLabel("From the course catalog (optional)").selectOption({
      label: "Dry Needling Level 1: Foundations (Level 1) · Chesapeake Manual Therapy Institute",
    });
    await pt.getByRole("button", { name: "Fill in from course" }).click();
    await pt.waitForURL((url) => url.searchParams.has("course"));
    await expect(pt.getByLabel("Provider (optional)").inputValue()).resolves.toBe(
      "Chesapeake Manual Therapy Institute",
    );
    await expect(pt.getByLabel("Theory", { exact: true }).inputValue()).resolves.toBe("11");
    await expect(pt.getByLabel("Practical", { exact: true }).inputValue()).resolves.toBe("16");
    await expect(pt.getByLabel("Clean needle technique").isChecked()).resolves.toBe(true);
    await expect(pt.getByLabel("Pain science").isChecked()).resolves.toBe(false);
    await context.close();
  });

  test("without JavaScript, the editor previews a draft on request and names a bad block", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const manager = await context.newPage();
    await login(manager, "manager@dn.demo");
    await manager.goto(adminUrl("/content/articles/new"));
    await manager.getByLabel("Title", { exact: true }).fill("Heat or ice?");
    await manager.getByLabel("Address (slug)").fill(`heat-or-ice-${randomUUID().slice(0, 6)}`);
    await manager.getByLabel("Summary").fill("Which helps after a session.");
    await manager
      .getByLabel("Body", { exact: true })
      .fill("## Either\n\nBoth help; use what feels better.\n\n- Ice\n- Heat");
    await manager.getByRole("button", { name: "Preview" }).click();
    const preview = manager.getByRole("region", { name: "Preview" });
    await preview.getByRole("heading", { name: "Heat or ice?" }).waitFor();
    await expect(preview.getByRole("listitem").allTextContents()).resolves.toEqual(["Ice", "Heat"]);

    await manager
      .getByLabel("Body", { exact: true })
      .fill('## Either\n\n::video{id="not-a-video"}');
    await manager.getByRole("button", { name: "Create draft" }).click();
    await expect(manager.locator("#article-editor-body-error").textContent()).resolves.toContain(
      "Block 2 (video), videoId: must be a UUID",
    );
    const api = await apiClientFor("manager@dn.demo");
    const found = await api.content.articles.search.query({ query: "Heat or ice" });
    expect(found.items).toEqual([]);
    await context.close();
  });

  test("a manager attaches a literature reference to a standard as its evidence base", async () => {
    const context = await browser.newContext();
    const manager = await context.newPage();
    await login(manager, "manager@dn.demo");
    await manager.goto(adminUrl("/content/literature"));
    const item = manager.getByRole("listitem").filter({ hasText: "Animal Physiotherapy" });
    await expect(item.textContent()).resolves.toContain("Evidence for: no standard yet");
    await item.getByLabel("Standard for Animal Physiotherapy").selectOption("us-md-dn");
    await item.getByRole("button", { name: "Attach as evidence" }).click();
    await manager.getByRole("status").filter({ hasText: "attached to the standard" }).waitFor();
    const api = await apiClientFor("auditor@dn.demo");
    const evidence = await api.content.literature.forStandard.query({ standardId: "us-md-dn" });
    expect(evidence.map((e) => e.reference.workTitle).sort()).toEqual([
      "Animal Physiotherapy",
      "Neck and Arm Pain Syndromes",
    ]);
    // The standard's own page lists its evidence base as formatted citations.
    await manager.goto(adminUrl("/standards/us-md-dn"));
    const section = manager.getByRole("region", { name: "Evidence base" });
    await expect(section.textContent()).resolves.toContain("Animal Physiotherapy");
    await expect(section.textContent()).resolves.toMatch(/Neck and arm pain syndromes/i);
    await context.close();
  });
});
