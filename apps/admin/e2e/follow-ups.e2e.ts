import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  adminUrl,
  apiClientFor,
  expectNoSidewaysScroll,
  launchBrowser,
  login,
} from "./fixtures.ts";

const VIEWPORTS = [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const;

let browser: Browser;
let summary: string;

beforeAll(async () => {
  browser = await launchBrowser();
  // A reader reports a reaction on the published demo article; the admin flags it.
  const admin = await apiClientFor("admin@dn.demo");
  const article = (
    await admin.content.articles.search.query({ query: "dry needling", limit: 50 })
  ).items.find((a) => a.status === "published");
  if (!article) throw new Error("the demo has no published article");
  const body = `I fainted in the car park after my session (${randomUUID().slice(0, 8)}).`;
  await admin.content.comments.submit.mutate({
    organizationId: article.organizationId,
    articleSlug: article.slug,
    displayName: "Robin",
    body,
    website: "",
  });
  const comment = (await admin.content.comments.queue.query({ limit: 100 })).items.find(
    (c) => c.body === body,
  );
  if (!comment) throw new Error("the comment is not in the moderation queue");
  summary = `Fainted after treatment: phone the patient (${randomUUID().slice(0, 8)}).`;
  await admin.content.comments.moderate.mutate({
    id: comment.id,
    decision: "flag-adverse-event",
    note: summary,
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("adverse events on the manager's dashboard", () => {
  test.each(VIEWPORTS)(
    "on a %s a manager sees the flagged event with its owner, due date and age, and in the inbox",
    async (_name, viewport) => {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await login(page, "manager@dn.demo");
      await page.goto(adminUrl("/dashboard"));
      const panel = page.getByRole("region", { name: "Adverse events to follow up" });
      await panel.waitFor();
      const item = panel
        .getByRole("list", { name: "Open adverse-event follow-ups" })
        .getByRole("listitem")
        .filter({ hasText: summary });
      await item.waitFor();
      const text = (await item.textContent()) ?? "";
      expect(text).toContain("Owner Avery Collins");
      expect(text).toMatch(/due \d{4}-\d{2}-\d{2}/);
      expect(text).toContain("due in 3 days");
      expect(text).toContain("open since today");
      await expect(item.isVisible()).resolves.toBe(true);
      await expectNoSidewaysScroll(page);

      // The manager was told in the inbox; the follow-up page offers to hand it on.
      await page.goto(adminUrl("/inbox"));
      await page
        .getByRole("list", { name: "Notifications" })
        .getByRole("listitem")
        .filter({ hasText: summary })
        .first()
        .waitFor();
      await expectNoSidewaysScroll(page);
      await page.goto(adminUrl("/follow-ups"));
      const card = page.getByRole("article").filter({ hasText: summary });
      await expect(card.getByTestId("follow-up-due").textContent()).resolves.toContain(
        "Owner Avery Collins",
      );
      await expectNoSidewaysScroll(page);
      await context.close();
    },
  );
});
