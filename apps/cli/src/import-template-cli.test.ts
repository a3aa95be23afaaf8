import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importTemplates } from "@dn/api";
import { fixedClock } from "@dn/clock";
import { createDb, type DbHandle, migrateToLatest } from "@dn/db";
import { buildClinic, buildOrganization, buildUser, TEST_NOW } from "@dn/db/testing";
import { COMPLETION_COLUMNS, ROSTER_COLUMNS } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

describe("dn import template", () => {
  let dir: string;
  let path: string;
  let handle: DbHandle;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-cli-template-"));
    path = join(dir, "dn.sqlite");
    handle = createDb({ sqlitePath: path });
    await migrateToLatest(handle.db);
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    const clinic = importTemplates.importColumns("roster").find((c) => c.name === "clinic");
    await buildClinic(handle.db, {
      organizationId: organization.id,
      name: clinic?.example ?? "",
      jurisdiction: "US-MD",
    });
    await buildUser(handle.db, { organizationId: organization.id, role: "admin" });
  });
  afterEach(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

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
      cwd: dir,
      now: fixedClock(TEST_NOW),
      openDb: () => createDb({ sqlitePath: path }),
    });
    return { code, stdout, stderr };
  }

  it("prints each kind's header and example row, which `dn import` then imports cleanly", async () => {
    const roster = await dn("import", "template", "roster");
    expect(roster.code).toBe(0);
    expect(roster.stdout.split("\r\n")[0]).toBe(ROSTER_COLUMNS.join(","));
    const completions = await dn("import", "template", "completions");
    expect(completions.code).toBe(0);
    expect(completions.stdout.split("\r\n")[0]).toBe(COMPLETION_COLUMNS.join(","));

    writeFileSync(join(dir, "roster.csv"), roster.stdout);
    writeFileSync(join(dir, "completions.csv"), completions.stdout);
    const imported = await dn("import", "roster", "roster.csv");
    expect(imported.stdout).toContain("1 rows, 1 valid, 0 invalid");
    expect(imported.code).toBe(0);
    const reported = await dn("import", "completions", "completions.csv");
    expect(reported.stdout).toContain("1 rows, 1 valid, 0 invalid");
    expect(reported.code).toBe(0);
  });

  it("refuses an unknown kind with exit 2, naming the kinds", async () => {
    const result = await dn("import", "template", "staff");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown kind "staff": use roster or completions');
    expect(result.stdout).toBe("");
  });
});
