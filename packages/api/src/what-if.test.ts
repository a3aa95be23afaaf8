import type { DbHandle } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import type { Topic } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { buildOrgWorld, type OrgWorld } from "./test-support.ts";

const MD_DN_TOPICS = [
  "spine-techniques",
  "extremity-techniques",
  "indications-contraindications",
  "bloodborne-pathogens",
  "needle-handling-and-disposal",
  "emergency-response",
  "documentation",
] as const;

describe.each(await testDialects())("compliance.whatIf on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("27 of 30 CE hours comes back due by the cycle's end with 3 more, from one result", async () => {
    // The Maryland license expires 2027-05-31: the cycle runs 2025-06-01 to 2027-05-31.
    const answer = await world.as.practitioner.compliance.whatIf({
      practitionerId: world.self.id,
      standardIds: ["us-md-pt-ce"],
      asOf: "2026-03-01",
      records: [
        {
          kind: "ce-activity",
          title: "Planned CE weekend",
          completedOn: "2026-03-01",
          hours: { theory: 27, practical: 0, online: 0 },
          topics: [],
        },
      ],
    });
    const [result] = answer.results;
    const change = result?.changes.find((c) => c.requirementId === "ce");
    expect(change?.after).toEqual({
      met: true,
      have: 27,
      need: 30,
      state: "due-on-track",
      stateLabel: "Due by 2027-05-31, on track: 3 more CE hours this cycle, 457 days left",
      dueBy: "2027-05-31",
      gap: "3 more CE hours this cycle by 2027-05-31",
    });
    expect(result?.requirementsAfter.find((r) => r.requirementId === "ce")).toMatchObject({
      state: "due-on-track",
      have: 27,
      need: 30,
    });
  });

  test("a planned course answers for a topic rule only through the topics it covers", async () => {
    async function ask(topics: readonly Topic[]) {
      const answer = await world.as.practitioner.compliance.whatIf({
        practitionerId: world.self.id,
        standardIds: ["us-md-dn"],
        asOf: "2026-09-01",
        records: [
          {
            kind: "dn-course",
            title: "Planned DN level 1",
            completedOn: "2026-08-01",
            hours: { theory: 40, practical: 40, online: 0 },
            topics: [...topics],
          },
        ],
      });
      const topicRule = answer.results[0]?.requirementsAfter.find(
        (r) => r.requirementId === "topics",
      );
      if (!topicRule) throw new Error("us-md-dn has a topics requirement");
      return topicRule;
    }
    const covering = await ask(MD_DN_TOPICS);
    expect(covering.state).toBe("met");
    expect(covering.planned).toEqual([
      expect.objectContaining({ title: "Planned DN level 1", counted: true, amount: 7 }),
    ]);
    const silent = await ask([]);
    expect(silent.state).toBe("not-met");
    expect(silent.planned).toEqual([
      expect.objectContaining({
        counted: false,
        message: "covers none of the required topics",
      }),
    ]);
    expect(silent.gap).toMatch(/^training covering /);
  });
});
