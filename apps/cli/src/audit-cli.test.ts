import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import { createDb, type DbHandle, migrateToLatest } from "@dn/db";
import { buildClinic, buildOrganization, buildUser, TEST_NOW } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

describe("dn import against a SQLite database file", () => {
  let dir: string;
  let path: string;
  let handle: DbHandle;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-cli-import-"));
    path = join(dir, "dn.sqlite");
    handle = createDb({ sqlitePath: path });
    await migrateToLatest(handle.db);
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    await buildClinic(handle.db, {
      organizationId: organization.id,
      name: "Harbor Baltimore",
      jurisdiction: "US-MD",
    });
    await buildUser(handle.db, { organizationId: organization.id, role: "admin" });
    writeFileSync(
      join(dir, "roster.csv"),
      [
        "name,email,profession,clinic,license_state,license_number,license_issued,license_expires",
        "Ana Reyes,ana@example.test,PT,Harbor Baltimore,US-MD,MD-1,2019-05-01,2027-05-31",
        "Ben Ode,ben@example.test,PT,Harbor Baltimore,US-XX,MD-2,2019-05-01,2027-05-31",
        "Cy Park,cy@example.test,PTA,harbor baltimore,US-MD,MD-3,2020-01-01,",
      ].join("\n"),
    );
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

  async function practitioners() {
    const rows = await handle.db
      .selectFrom("practitioners")
      .select("email")
      .orderBy("email")
      .execute();
    return rows.map((r) => r.email);
  }

  it("reports the bad row by line and imports nothing, then imports the good rows once with --only-valid", async () => {
    const refused = await dn("import", "roster", "roster.csv");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("roster.csv: 3 rows, 2 valid, 1 invalid, 0 already imported");
    expect(refused.stdout).toMatch(/line 3: license_state unknown jurisdiction code "US-XX"/);
    expect(refused.stdout).toContain("nothing imported");
    expect(await practitioners()).toEqual([]);

    const imported = await dn("import", "roster", "roster.csv", "--only-valid");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain("imported 2 rows");
    expect(await practitioners()).toEqual(["ana@example.test", "cy@example.test"]);

    const again = await dn("import", "roster", "roster.csv", "--only-valid", "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({
      rowsImported: 0,
      rowsAlready: 2,
      applied: false,
    });
    expect(await practitioners()).toEqual(["ana@example.test", "cy@example.test"]);
  });

  it("refuses a missing file and an unknown --as user as bad input", async () => {
    expect((await dn("import", "roster", "nope.csv")).code).toBe(2);
    const unknown = await dn("import", "completions", "roster.csv", "--as", "who@example.test");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--as: no user who@example.test");
  });
});
