import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fixedClock } from "@dn/clock";
import { describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

const fixtures = fileURLToPath(new URL("../fixtures/", import.meta.url));

async function dn(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    cwd: fixtures,
    now: fixedClock("2026-11-27T09:00:00.000Z"),
  });
  return { code, stdout, stderr };
}

const NEW_FIELDS = ["state", "due", "stateLabel"] as const;

type Json = Record<string, unknown> & { requirements: Record<string, unknown>[] };

/** The evaluation as it was before requirement states: the new fields taken off. */
function withoutStates(evaluation: Json): Json {
  return {
    ...evaluation,
    requirements: evaluation.requirements.map((requirement) => {
      const copy = { ...requirement };
      for (const field of NEW_FIELDS) delete copy[field];
      return copy;
    }),
  };
}

/** `dn evaluate --json` output saved before requirement states were added. */
function before(name: string): Json {
  return JSON.parse(readFileSync(`${fixtures}before-state/${name}.json`, "utf8"));
}

const cases = [
  ["us-fl-dn", "fl-qualified", "2026-01-15", 0],
  ["us-md-pt-ce", "md-ce-cycle", "2025-04-10", 0],
  ["us-md-pt-ce", "md-ce-cycle", "2026-03-01", 0],
  ["us-md-pt-ce", "md-ce-cycle", "2027-04-01", 1],
] as const;

describe("dn evaluate --json: requirement states are added, nothing else changes", () => {
  it.each(cases)(
    "%s, %s, as of %s: every old field and value as before, exit %i",
    async (standard, dossier, asOf, exit) => {
      const result = await dn(
        "evaluate",
        "--standard",
        standard,
        "--dossier",
        `${dossier}.dossier.json`,
        "--as-of",
        asOf,
        "--json",
      );
      expect(result.stderr).toBe("");
      expect(result.code).toBe(exit);
      const evaluation = JSON.parse(result.stdout) as Json;
      expect(withoutStates(evaluation)).toEqual(before(`${dossier}.${standard}.${asOf}`));
      for (const requirement of evaluation.requirements) {
        for (const field of NEW_FIELDS) expect(requirement).toHaveProperty(field);
      }
    },
  );

  it("says what a CE cycle is: due and on track early, due and behind later, not met after", async () => {
    const states = [];
    for (const asOf of ["2025-04-10", "2026-03-01", "2027-04-01"]) {
      const { stdout } = await dn(
        "evaluate",
        "--standard",
        "us-md-pt-ce",
        "--dossier",
        "md-ce-cycle.dossier.json",
        "--as-of",
        asOf,
        "--json",
      );
      const evaluation = JSON.parse(stdout) as Json;
      const ce = evaluation.requirements.find((r) => r.id === "ce");
      states.push([evaluation.status, ce?.state, (ce?.due as { pace?: string } | null)?.pace]);
    }
    expect(states).toEqual([
      ["qualified", "due-on-track", "on-track"],
      ["qualified", "due-behind", "behind"],
      ["not-qualified", "not-met", undefined],
    ]);
  });

  it("the JSON of a due requirement gives the deadline, days left and what remains", async () => {
    const { stdout } = await dn(
      "evaluate",
      "--standard",
      "us-md-pt-ce",
      "--dossier",
      "md-ce-cycle.dossier.json",
      "--as-of",
      "2026-03-01",
      "--json",
    );
    const ce = (JSON.parse(stdout) as Json).requirements.find((r) => r.id === "ce");
    expect(ce?.due).toEqual({
      by: "2027-03-31",
      from: "2025-04-01",
      periodDays: 730,
      daysLeft: 396,
      remaining: 20,
      unit: "hours",
      shortfalls: [{ label: "CE hours this cycle", remaining: 20, unit: "hours", allowance: 17 }],
      pace: "behind",
    });
  });

  it("the text output says a CE cycle is due and behind, not just met", async () => {
    const { stdout } = await dn(
      "evaluate",
      "--standard",
      "us-md-pt-ce",
      "--dossier",
      "md-ce-cycle.dossier.json",
      "--as-of",
      "2026-03-01",
    );
    expect(stdout).toContain(
      "10 of 30 hours (Due by 2027-03-31, behind: 20 more CE hours this cycle, 396 days left",
    );
  });
});
