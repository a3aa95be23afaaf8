import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("dn evaluate", () => {
  it("says qualified, explains each requirement and exits 0", async () => {
    const result = await dn(
      "evaluate",
      "--standard",
      "us-fl-dn",
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2026-01-15",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^QUALIFIED: Ana Reyes against Florida/);
    expect(result.stdout).toContain("Fla. Stat. § 486.117");
    expect(result.stdout).toContain("25 supervised DN patient sessions");
  });

  it("refuses online hours where face-to-face is required and exits 1", async () => {
    const result = await dn(
      "evaluate",
      "--standard",
      "us-fl-dn",
      "--dossier",
      "fl-online-heavy.dossier.json",
      "--as-of",
      "2026-01-15",
      "--json",
    );
    expect(result.code).toBe(1);
    const evaluation = JSON.parse(result.stdout);
    expect(evaluation.status).toBe("not-qualified");
    const training = evaluation.requirements.find((r: { id: string }) => r.id === "training");
    expect(training.met).toBe(false);
    expect(training.have).toBe(10);
    expect(training.need).toBe(50);
  });

  it("reproduces a past audit with --known-at: records recorded later do not count", async () => {
    const before = await dn(
      "evaluate",
      "--standard",
      "us-fl-dn",
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2026-01-15",
      "--known-at",
      "2024-08-31T00:00:00Z",
      "--json",
    );
    expect(before.code).toBe(1);
    const evaluation = JSON.parse(before.stdout);
    expect(evaluation.knownAt).toBe("2024-08-31T00:00:00Z");
    const sessions = evaluation.requirements.find(
      (r: { id: string }) => r.id === "supervised-sessions",
    );
    expect(sessions.met).toBe(false);
    expect(sessions.excluded[0].reason).toBe("recorded-after-known-at");
  });

  it("says not permitted in a state that forbids PT dry needling", async () => {
    const result = await dn(
      "evaluate",
      "--standard",
      "us-ca-dn",
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2026-01-15",
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^NOT PERMITTED/);
  });

  it("exits 2 before a standard's earliest version, naming the standard, the date and that version's start", async () => {
    const result = await dn(
      "evaluate",
      "--standard",
      "us-ga-dn",
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2025-06-01",
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "dn: no version of standard us-ga-dn is in force on 2025-06-01; its earliest version (v1) is in force from 2026-01-01\n",
    );
  });

  it("evaluates California's prohibition on a 2025 date: § 2620.5 is far older than 2026", async () => {
    const result = await dn(
      "evaluate",
      "--standard",
      "us-ca-dn",
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2025-06-01",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^NOT PERMITTED/);
  });

  it("accepts a standard from a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dn-cli-"));
    const file = join(dir, "policy.yaml");
    writeFileSync(
      file,
      [
        "id: test-policy",
        "version: 1",
        "title: Test policy",
        "kind: clinic-policy",
        "jurisdiction: null",
        "authority: Test clinic",
        "status: permitted",
        "effectiveFrom: 2020-01-01",
        "citations: [{ text: Clinic handbook }]",
        "confidence: C1",
        "lastVerified: 2026-01-01",
        "requirements:",
        "  - id: sessions",
        "    kind: supervised-sessions",
        "    title: 30 supervised sessions",
        "    citation: { text: Handbook 2.1 }",
        "    minSessions: 30",
      ].join("\n"),
    );
    const result = await dn(
      "evaluate",
      "--standard",
      file,
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2026-01-15",
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("25 of 30 sessions");
  });

  it("names every bad field of a dossier and exits 2", async () => {
    const result = await dn("evaluate", "--standard", "us-fl-dn", "--dossier", "bad.dossier.json");
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("records.0.completedOn");
    expect(result.stderr).toContain("records.0.hours.theory: must not be negative");
    expect(result.stderr).toContain("records.0.colour: is not a known field here");
  });

  it("exits 2 on an unknown standard, a missing file or a bad date", async () => {
    const unknown = await dn(
      "evaluate",
      "--standard",
      "us-zz-dn",
      "--dossier",
      "fl-qualified.dossier.json",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no standard "us-zz-dn"');
    const missing = await dn("evaluate", "--standard", "us-fl-dn", "--dossier", "nope.json");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such file");
    const badDate = await dn(
      "evaluate",
      "--standard",
      "us-fl-dn",
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2026-13-01",
    );
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("--as-of");
    const noVersion = await dn(
      "evaluate",
      "--standard",
      "us-fl-dn",
      "--dossier",
      "fl-qualified.dossier.json",
      "--as-of",
      "2010-01-01",
    );
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toContain("no version of standard us-fl-dn is in force on 2010-01-01");
  });

  it("exits 2 when a required option is missing", async () => {
    const result = await dn("evaluate", "--standard", "us-fl-dn");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--dossier");
  });
});

describe("dn standards", () => {
  it("lists the pack as a table and as JSON", async () => {
    const table = await dn("standards", "list");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/us-co-dn\s+v1/);
    expect(table.stdout).toMatch(/us-co-dn\s+v2/);
    const list = JSON.parse((await dn("standards", "list", "--json")).stdout);
    expect(list.map((s: { id: string }) => s.id)).toContain("ama-acupuncture-300");
  });

  it("lists only the versions in force on a date", async () => {
    const list = JSON.parse(
      (await dn("standards", "list", "--as-of", "2026-01-01", "--json")).stdout,
    );
    const md = list.filter((s: { id: string }) => s.id === "us-md-dn");
    expect(md).toHaveLength(1);
    expect(md[0].draft).toBe(false);
  });

  it("shows one standard with its citations", async () => {
    const result = await dn("standards", "show", "us-fl-dn");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Florida Board of Physical Therapy Practice");
    expect(result.stdout).toContain("cites: Fla. Stat. § 486.117");
    expect((await dn("standards", "show", "us-zz-dn")).code).toBe(2);
  });

  it("validates files and names the bad field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dn-cli-"));
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "id: x\nversion: 0\n");
    const result = await dn("standards", "validate", bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("version:");
    const good = await dn(
      "standards",
      "validate",
      fileURLToPath(
        new URL("../../../packages/standards/standards/state-dn/us-fl-dn.v1.yaml", import.meta.url),
      ),
    );
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("ok ");
  });
});
