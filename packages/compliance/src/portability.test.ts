import { findStandard, standardsPack } from "@dn/standards";
import { describe, expect, test } from "vitest";
import { evaluatePortability } from "./portability.ts";
import { course, dossier, license, notified, sessions } from "./test-builders.ts";
import { whatIf } from "./what-if.ts";

const dnStandards = standardsPack.filter((s) => s.id.endsWith("-dn"));

/** A Maryland PT with 54 face-to-face hours, 25 sessions and a Florida license too. */
const dana = dossier({
  licenses: [
    license("US-MD", "2016-01-01", "2027-03-31"),
    license("US-FL", "2019-01-01", "2027-02-28"),
  ],
  records: [
    course(
      "2023-01-10",
      { theory: 12, practical: 15 },
      {
        topics: [
          "needle-handling-and-disposal",
          "indications-contraindications",
          "psychomotor-skills",
          "adverse-event-reporting",
        ],
      },
    ),
    course("2023-03-10", { theory: 10, practical: 17 }),
    sessions("2023-06-01", 25),
    notified("2023-07-01", "US-FL"),
  ],
});

describe("evaluatePortability", () => {
  const result = evaluatePortability(dana, dnStandards, { asOf: "2026-06-01" });
  const byJurisdiction = Object.fromEntries(result.entries.map((e) => [e.jurisdiction, e]));

  test("one practitioner gets one verdict per state, from the version in force", () => {
    expect(new Set(result.entries.map((e) => e.standardId)).size).toBe(result.entries.length);
    expect(byJurisdiction["US-CO"]?.version).toBe(2);
    expect(byJurisdiction["US-FL"]?.status).toBe("qualified");
    expect(byJurisdiction["US-NY"]?.status).toBe("not-permitted");
    expect(byJurisdiction["US-NY"]?.line).toBe("US-NY: not permitted");
    expect(result.counts["not-permitted"]).toBe(4);
  });

  test("each state's line names what is missing there", () => {
    expect(byJurisdiction["US-MD"]?.line).toBe(
      "US-MD: 26 more face-to-face hours, 18 more theory hours, 8 more practical hours; training covering Spinal needling techniques, Extremity needling techniques, OSHA bloodborne pathogens, Emergency preparedness and response, Documentation; registration filed with US-MD before needling",
    );
    expect(byJurisdiction["US-IL"]?.gaps).toEqual([
      "needs an active license in US-IL",
      "30 more hours in total, 22 more practical hours",
      "175 more supervised sessions",
    ]);
  });

  test("the order of the standards given does not matter", () => {
    expect(evaluatePortability(dana, [...dnStandards].reverse(), { asOf: "2026-06-01" })).toEqual(
      result,
    );
  });

  test("standards with no version in force are listed, not evaluated", () => {
    const early = evaluatePortability(dana, dnStandards, { asOf: "2016-01-01" });
    expect(early.notInForce).toEqual(expect.arrayContaining(["us-fl-dn", "us-wa-dn", "us-or-dn"]));
    expect(early.entries.map((e) => e.standardId)).not.toContain("us-fl-dn");
  });
});

describe("whatIf", () => {
  const md = findStandard("us-md-dn", "2026-06-01");
  if (!md) throw new Error("no Maryland standard");

  test("a planned course and registration show what they would change", () => {
    const result = whatIf(
      dana,
      md,
      [
        {
          kind: "dn-course",
          title: "DN-3 (27 h in person)",
          hours: { theory: 18, practical: 8, online: 0 },
          topics: [
            "spine-techniques",
            "extremity-techniques",
            "bloodborne-pathogens",
            "emergency-response",
            "documentation",
          ],
        },
        {
          kind: "board-notification",
          title: "Maryland registration",
          jurisdiction: "US-MD",
          completedOn: "2026-05-30",
        },
      ],
      { asOf: "2026-06-01" },
    );
    expect(result.before.status).toBe("not-qualified");
    expect(result.after.status).toBe("qualified");
    expect(result.changes.map((c) => c.requirementId)).toEqual([
      "training",
      "topics",
      "registration",
    ]);
    expect(result.changes[0]).toMatchObject({
      before: { met: false, have: 54 },
      after: { met: true, have: 80 },
    });
    expect(result.summary).toBe(
      "not qualified → qualified: Qualified until 2027-03-31 (Active Maryland PT license, 2 years licensed).",
    );
    const counted = result.after.requirements.find((r) => r.id === "training")?.counted ?? [];
    expect(counted.find((c) => c.hypothetical)).toMatchObject({
      title: "DN-3 (27 h in person)",
      completedOn: "2026-06-01",
    });
  });

  test("a hypothetical license answers 'if I move to Washington'", () => {
    const wa = findStandard("us-wa-dn", "2026-06-01");
    if (!wa) throw new Error("no Washington standard");
    const result = whatIf(dana, wa, [], {
      asOf: "2026-06-01",
      hypotheticalLicenses: [license("US-WA", "2026-06-01", "2028-06-01")],
    });
    expect(result.changes.map((c) => c.requirementId)).toEqual(["license"]);
    expect(result.after.gaps.filter((g) => !g.advisory).map((g) => g.message)).toEqual([
      "registration filed with US-WA before needling",
    ]);
  });
});
