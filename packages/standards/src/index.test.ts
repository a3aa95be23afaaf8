import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  findStandard,
  listStandardIds,
  loadStandardsPack,
  loadStandardsPackEntries,
  parseStandardSource,
  StandardValidationError,
  standardsInForce,
  standardsPack,
  standardVersions,
} from "./index.ts";

const entries = loadStandardsPackEntries();

const DN_STATES = [
  "az",
  "co",
  "de",
  "fl",
  "ga",
  "il",
  "ks",
  "la",
  "md",
  "nv",
  "nc",
  "tn",
  "ut",
  "va",
  "wa",
];
const NOT_PERMITTED = {
  ca: "prohibited",
  ny: "prohibited",
  hi: "prohibited",
  or: "pending-rules",
} as const;
const CE = ["md", "tx", "ky", "oh", "ct"];

describe("the standards pack", () => {
  test("every document parses and validates", () => {
    expect(entries.length).toBeGreaterThanOrEqual(30);
    expect(standardsPack).toHaveLength(entries.length);
  });

  test.each(entries.map((e) => [e.file, e] as const))(
    "%s is named <id>.v<version>[.draft].yaml",
    (_file, entry) => {
      const name = entry.file.split("/").pop();
      expect(name).toBe(
        `${entry.standard.id}.v${entry.standard.version}${entry.standard.draft ? ".draft" : ""}.yaml`,
      );
    },
  );

  test("state standards follow the id convention <jurisdiction>-dn or <jurisdiction>-pt-ce", () => {
    for (const standard of standardsPack.filter((s) => s.kind === "state-board")) {
      const prefix = standard.jurisdiction?.toLowerCase();
      expect(standard.id, standard.id).toMatch(new RegExp(`^${prefix}-(dn|pt-ce)$`));
    }
  });

  test("every requirement cites a source", () => {
    for (const standard of standardsPack) {
      const documentUrl = standard.citations.some((c) => c.url);
      for (const requirement of standard.requirements) {
        const where = `${standard.id} v${standard.version} ${requirement.id}`;
        expect(requirement.citation.text.length, where).toBeGreaterThan(0);
        // A clinic policy cites its own policy document; everything else needs a URL to check.
        const checkable =
          Boolean(requirement.citation.url) || documentUrl || standard.kind === "clinic-policy";
        expect(checkable, where).toBe(true);
      }
      expect(standard.citations.length, standard.id).toBeGreaterThan(0);
    }
  });

  test("a requirement whose figure is unconfirmed (U) does not decide the verdict", () => {
    for (const standard of standardsPack) {
      for (const requirement of standard.requirements) {
        if (requirement.confidence === "U")
          expect(requirement.advisory, `${standard.id} ${requirement.id}`).toBe(true);
      }
    }
  });

  test("versions of the same standard are numbered uniquely and their effective ranges do not overlap", () => {
    for (const id of listStandardIds()) {
      const versions = standardVersions(id);
      expect(new Set(versions.map((v) => v.version)).size, id).toBe(versions.length);
      const inForce = versions
        .filter((v) => !v.draft)
        .sort((a, b) => ((a.effectiveFrom ?? "") < (b.effectiveFrom ?? "") ? -1 : 1));
      for (let i = 1; i < inForce.length; i++) {
        const previous = inForce[i - 1];
        const current = inForce[i];
        expect(previous?.effectiveTo, `${id} v${previous?.version} must end`).not.toBeNull();
        expect(
          (previous?.effectiveTo ?? "") < (current?.effectiveFrom ?? ""),
          `${id} overlaps`,
        ).toBe(true);
      }
    }
  });

  test("the pack covers the DN states, the prohibited states, the benchmarks, a clinic policy and CE rules", () => {
    const ids = listStandardIds();
    for (const state of DN_STATES) expect(ids).toContain(`us-${state}-dn`);
    for (const state of CE) expect(ids).toContain(`us-${state}-pt-ce`);
    expect(ids).toEqual(
      expect.arrayContaining(["ama-acupuncture-300", "acupuncture-program-1905"]),
    );
    expect(standardsPack.some((s) => s.kind === "clinic-policy")).toBe(true);
    for (const [state, status] of Object.entries(NOT_PERMITTED)) {
      expect(findStandard(`us-${state}-dn`, "2026-06-01")?.status).toBe(status);
    }
  });

  test("every state DN standard in force today permits or forbids, and none is silent", () => {
    for (const state of DN_STATES) {
      expect(findStandard(`us-${state}-dn`, "2026-06-01")?.status, state).toBe("permitted");
    }
  });
});

describe("versions over time", () => {
  test("Colorado's 46-hour rule applies before 2019 and its 50-hour successor after", () => {
    const old = findStandard("us-co-dn", "2016-06-01");
    const current = findStandard("us-co-dn", "2026-06-01");
    expect(old?.version).toBe(1);
    expect(old?.requirements.find((r) => r.kind === "training-hours")).toMatchObject({
      minTotal: 46,
    });
    expect(current?.version).toBe(2);
    expect(current?.requirements.find((r) => r.kind === "training-hours")).toMatchObject({
      minTotal: 50,
      minFaceToFace: 40,
      windowMonths: 48,
      provisional: { minHours: 30 },
    });
  });

  test("Maryland's December 2025 proposal is on file as a draft and never in force", () => {
    const versions = standardVersions("us-md-dn");
    const draft = versions.find((v) => v.draft);
    expect(draft).toMatchObject({ version: 2, effectiveFrom: null });
    expect(findStandard("us-md-dn", "2026-06-01")?.version).toBe(1);
    expect(findStandard("us-md-dn", "2099-01-01")?.version).toBe(1);
  });

  test("North Carolina's 54-hour guideline ended in January 2015", () => {
    expect(findStandard("us-nc-dn", "2014-06-01")?.version).toBe(1);
    expect(findStandard("us-nc-dn", "2015-01-16")?.version).toBe(2);
  });

  test("no version is in force before a rule's first effective date", () => {
    expect(findStandard("us-fl-dn", "2020-06-28")).toBeUndefined();
    expect(findStandard("us-fl-dn", "2020-06-29")?.version).toBe(1);
    expect(findStandard("no-such-standard", "2026-01-01")).toBeUndefined();
  });

  test.each([
    ["us-ca-dn", "2001-01-01"],
    ["us-ny-dn", "1992-01-01"],
    ["us-hi-dn", "1985-01-01"],
    ["us-or-dn", "2025-08-07"],
  ])(
    "the prohibition %s is in force from %s, the date its statute or ruling supports",
    (id, from) => {
      expect(findStandard(id, from)?.effectiveFrom).toBe(from);
      expect(findStandard(id, previousDay(from))).toBeUndefined();
    },
  );

  test("California's prohibition (§ 2620.5, in force since 2001) is found on 2025-06-01", () => {
    expect(findStandard("us-ca-dn", "2025-06-01")).toMatchObject({
      version: 1,
      status: "prohibited",
    });
  });

  test("standardsInForce lists one version per standard in force on the date", () => {
    const inForce = standardsInForce("2026-06-01");
    expect(new Set(inForce.map((s) => s.id)).size).toBe(inForce.length);
    expect(inForce.some((s) => s.draft)).toBe(false);
    expect(inForce.map((s) => s.id)).toContain("us-wa-dn");
    expect(standardsInForce("2020-01-01").map((s) => s.id)).not.toContain("us-wa-dn");
  });
});

describe("parseStandardSource", () => {
  const minimal = `
id: us-tx-dn
version: 1
title: Texas
kind: state-board
jurisdiction: US-TX
authority: Texas Board of Physical Therapy Examiners
status: silent
effectiveFrom: 2016-05-01
citations: [{ text: "AG opinion, May 2016" }]
confidence: C2
lastVerified: 2026-11-26
`;

  test("a YAML document parses", () => {
    expect(parseStandardSource(minimal, "texas.yaml")).toMatchObject({
      id: "us-tx-dn",
      status: "silent",
    });
  });

  test("JSON is accepted too", () => {
    const json = JSON.stringify(parseStandardSource(minimal));
    expect(parseStandardSource(json, "texas.json").id).toBe("us-tx-dn");
  });

  test("a field error names the file, the path and the problem", () => {
    const bad = minimal
      .replace("confidence: C2", "confidence: high")
      .replace("status: silent", "status: allowed");
    try {
      parseStandardSource(bad, "texas.yaml");
      throw new Error("expected a validation error");
    } catch (error) {
      expect(error).toBeInstanceOf(StandardValidationError);
      const problems = (error as StandardValidationError).problems.map((p) => p.path).sort();
      expect(problems).toEqual(["confidence", "status"]);
      expect((error as Error).message).toContain("texas.yaml is not a valid standard document");
      expect((error as Error).message).toContain(
        "status: must be one of permitted, prohibited, pending-rules, silent",
      );
    }
  });

  test("a YAML syntax error and a repeated key are reported, not guessed around", () => {
    expect(() => parseStandardSource("id: [unclosed", "broken.yaml")).toThrow(
      StandardValidationError,
    );
    expect(() => parseStandardSource(`${minimal}\nversion: 2\n`, "twice.yaml")).toThrow(/syntax/);
  });

  test("a folder with one bad file fails to load with that file named", () => {
    const dir = mkdtempSync(join(tmpdir(), "dn-standards-"));
    writeFileSync(join(dir, "us-tx-dn.v1.yaml"), minimal.replace("version: 1", "version: 0"));
    expect(() => loadStandardsPack(dir)).toThrow(
      /us-tx-dn\.v1\.yaml[\s\S]*version: must be 1 or more/,
    );
  });
});

function previousDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
