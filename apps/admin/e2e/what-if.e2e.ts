import { systemClock, utcDateOf } from "@dn/clock";
import { TOPICS } from "@dn/schema";
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

const VIEWPORTS = [
  ["desktop", { width: 1440, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const;

/** Maryland's DN rule lists these topics. */
const MD_TOPICS = [
  "spine-techniques",
  "extremity-techniques",
  "indications-contraindications",
  "bloodborne-pathogens",
  "needle-handling-and-disposal",
  "emergency-response",
  "documentation",
] as const;

const STATE_WORDS = {
  met: "Met",
  "not-met": "Not met",
  "due-on-track": "Due by",
  "due-behind": "Due by",
} as const;

describe.each(VIEWPORTS)("the what-if planner on a %s", (_name, viewport) => {
  test("a planned course with its topics answers for Maryland's topic rule, with states, not '(met)'", async () => {
    const api = await apiClientFor("pt@dn.demo");
    const me = await api.auth.me.query();
    const practitionerId = me.practitioner?.id;
    if (!practitionerId) throw new Error("pt@dn.demo is a practitioner");
    const today = utcDateOf(systemClock());
    const expected = await api.compliance.whatIf.query({
      practitionerId,
      standardIds: ["us-md-dn"],
      asOf: today,
      records: [
        {
          kind: "dn-course",
          title: "Level 1 with clinical topics",
          completedOn: today,
          hours: { theory: 40, practical: 40, online: 0 },
          topics: [...MD_TOPICS],
        },
      ],
    });
    const maryland = expected.results[0];
    if (!maryland) throw new Error("Maryland's rule is in force");
    const topicRule = maryland.requirementsAfter.find((r) => r.requirementId === "topics");
    expect(topicRule?.state).toBe("met");

    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await login(page, "pt@dn.demo");
    await page.goto(adminUrl(`/practitioners/${practitionerId}/what-if`));
    await page.getByLabel("Course name").fill("Level 1 with clinical topics");
    await page.getByLabel("Kind").selectOption("dn-course");
    await page.getByLabel("Theory (in person)").fill("40");
    await page.getByLabel("Practical (in person)").fill("40");
    for (const topic of MD_TOPICS) await page.getByLabel(TOPICS[topic], { exact: true }).check();
    await page.getByLabel("Standards").selectOption("states");
    await expectNoSidewaysScroll(page);
    await page.getByRole("button", { name: "See what changes" }).click();
    const card = page.locator(".what-if-result").filter({ hasText: maryland.title });
    await card.waitFor();

    // The planned course counts toward the topic rule, in the same words the API gives.
    const counts = card.locator("li").filter({ hasText: "Level 1 with clinical topics →" });
    expect(await counts.filter({ hasText: topicRule?.title ?? "" }).textContent()).toContain(
      "counts (7 topics)",
    );
    // Each change shows the numbers with their state, from the same result.
    for (const change of maryland.changes) {
      const line = card
        .locator("li")
        .filter({ hasText: `${change.title}:` })
        .filter({ hasText: `${change.after.have} of ${change.after.need}` })
        .first();
      expect(await line.locator(".verdict").textContent()).toContain(
        STATE_WORDS[change.after.state],
      );
      expect(await line.textContent()).not.toContain("(met)");
    }
    await expectNoSidewaysScroll(page);
    await context.close();
  });

  test("the compliance page gives every requirement its state: met, not met, or due by a date", async () => {
    const api = await apiClientFor("pt@dn.demo");
    const me = await api.auth.me.query();
    const practitionerId = me.practitioner?.id;
    if (!practitionerId) throw new Error("pt@dn.demo is a practitioner");
    const overview = await api.compliance.overview.query({ practitionerId });
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await login(page, "pt@dn.demo");
    await page.goto(adminUrl(`/practitioners/${practitionerId}/compliance`));
    let checked = 0;
    for (const entry of overview.standards) {
      if (!entry.evaluation) continue;
      const card = page.locator(`[id="standard-${entry.standardId}"]`);
      for (const requirement of entry.evaluation.requirements) {
        const item = card.locator("li.requirement").filter({
          has: page.getByRole("heading", { level: 3, name: requirement.title, exact: true }),
        });
        const badge =
          (await item.first().locator(".requirement__head .verdict").textContent()) ?? "";
        const words =
          requirement.due !== null
            ? `Due by ${requirement.due.by}, ${requirement.due.pace === "on-track" ? "on track" : "behind"}`
            : STATE_WORDS[requirement.state];
        expect(badge.startsWith(words)).toBe(true);
        if (requirement.due)
          expect(await item.first().textContent()).toContain(requirement.stateLabel);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
    expect(await page.getByText("Met provisionally").count()).toBe(0);
    await expectNoSidewaysScroll(page);
    await context.close();
  });
});
