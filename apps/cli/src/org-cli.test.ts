import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authService, baseContext } from "@dn/api";
import { fixedClock } from "@dn/clock";
import {
  countOrganizations,
  createDb,
  type DbHandle,
  findAccountByEmail,
  listAuditEventsForEntity,
  listClinics,
  migrateToLatest,
} from "@dn/db";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runCli } from "./cli.ts";

const NOW = "2026-11-27T09:00:00.000Z";
const PASSWORD = "lantern orchard velvet 42";

describe("dn org create against a SQLite database file", () => {
  let dir: string;
  let path: string;
  let handle: DbHandle;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-cli-org-"));
    path = join(dir, "dn.sqlite");
    handle = createDb({ sqlitePath: path });
    await migrateToLatest(handle.db);
    writeFileSync(join(dir, "admin-password"), `${PASSWORD}\n`);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
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
      now: fixedClock(NOW),
      openDb: () => createDb({ sqlitePath: path }),
    });
    return { code, stdout, stderr };
  }

  const create = (overrides: Record<string, string> = {}, ...extra: string[]) => {
    const options = {
      "--name": "Pacific Spine & Sport",
      "--clinic-name": "Pacific Spine Santa Monica",
      "--jurisdiction": "US-CA",
      "--time-zone": "America/Los_Angeles",
      "--admin-email": "Morgan.Ellis@pacific.test",
      "--admin-name": "Morgan Ellis",
      ...overrides,
    };
    return dn("org", "create", ...Object.entries(options).flat(), ...extra);
  };

  async function signIn(email: string, password: string) {
    return authService.login(baseContext(handle.db, fixedClock(NOW)), { email, password });
  }

  it("creates the organization, its clinic and its admin from a password file; the admin signs in", async () => {
    const result = await create({ "--admin-password-file": "admin-password" }, "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const ids = JSON.parse(result.stdout) as {
      organizationId: string;
      clinicId: string;
      adminUserId: string;
    };
    expect(await listClinics(handle.db, ids.organizationId)).toEqual([
      expect.objectContaining({
        id: ids.clinicId,
        name: "Pacific Spine Santa Monica",
        jurisdiction: "US-CA",
        timeZone: "America/Los_Angeles",
        createdAt: NOW,
      }),
    ]);
    // The file's trailing newline is not part of the password.
    const session = await signIn("morgan.ellis@pacific.test", PASSWORD);
    expect(session).toMatchObject({
      status: "signed-in",
      user: { id: ids.adminUserId, role: "admin", organizationId: ids.organizationId },
    });
    const trail = await listAuditEventsForEntity(handle.db, "organization", ids.organizationId);
    expect(trail.map((e) => [e.action, e.actorId, (e.after as { source: string }).source])).toEqual(
      [["organization.create", ids.adminUserId, "cli"]],
    );
  });

  it("takes the password from DN_ADMIN_PASSWORD, and adds a second organization to an installation", async () => {
    expect((await create({ "--admin-password-file": "admin-password" })).code).toBe(0);
    vi.stubEnv("DN_ADMIN_PASSWORD", "harbor lights at dusk 7");
    const second = await create({
      "--name": "Gulf Coast Rehab",
      "--clinic-name": "Gulf Coast Tampa",
      "--jurisdiction": "US-FL",
      "--time-zone": "America/New_York",
      "--admin-email": "sam.ortiz@gulf.test",
      "--admin-name": "Sam Ortiz",
    });
    expect(second.stderr).toBe("");
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /^created organization Gulf Coast Rehab \(.+\) with clinic Gulf Coast Tampa \(America\/New_York\) and admin sam\.ortiz@gulf\.test\n$/,
    );
    expect(await countOrganizations(handle.db)).toBe(2);
    expect((await signIn("sam.ortiz@gulf.test", "harbor lights at dusk 7")).status).toBe(
      "signed-in",
    );
  });

  it.each([
    [{ "--time-zone": "Mars/Olympus_Mons" }, "--time-zone: is not a time zone this system knows"],
    [{ "--jurisdiction": "US-ZZ" }, "--jurisdiction:"],
    [{ "--admin-email": "morgan@" }, "--admin-email: must be an email address"],
    [{ "--name": " " }, "--name: must not be empty"],
  ])("bad input %o exits 2 naming the option, and writes nothing", async (overrides, message) => {
    const result = await create({ "--admin-password-file": "admin-password", ...overrides });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await countOrganizations(handle.db)).toBe(0);
  });

  it("a password the policy refuses exits 2 naming where it came from, and writes nothing", async () => {
    writeFileSync(join(dir, "weak"), "qwerty123456");
    const weak = await create({ "--admin-password-file": "weak" });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain(
      "--admin-password-file (or DN_ADMIN_PASSWORD): is one of the most common passwords",
    );
    writeFileSync(join(dir, "mine"), "morgan.ellis was here 2026");
    const own = await create({ "--admin-password-file": "mine" });
    expect(own.stderr).toContain("must not contain your email address");
    expect(await countOrganizations(handle.db)).toBe(0);
    expect(await findAccountByEmail(handle.db, "morgan.ellis@pacific.test")).toBeNull();
  });

  it("refuses a password on the command line and a missing password, and an email that already signs in", async () => {
    const onTheLine = await dn(
      "org",
      "create",
      "--name",
      "X",
      "--clinic-name",
      "Y",
      "--jurisdiction",
      "US-MD",
      "--time-zone",
      "America/New_York",
      "--admin-email",
      "x@example.test",
      "--admin-name",
      "X",
      "--admin-password",
      PASSWORD,
    );
    expect(onTheLine.code).toBe(2);
    expect(onTheLine.stderr).toContain("unknown option '--admin-password'");

    vi.stubEnv("DN_ADMIN_PASSWORD", undefined);
    const missing = await create();
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("set DN_ADMIN_PASSWORD");
    const noFile = await create({ "--admin-password-file": "nope" });
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain("no such file");
    expect(await countOrganizations(handle.db)).toBe(0);

    expect((await create({ "--admin-password-file": "admin-password" })).code).toBe(0);
    const again = await create({
      "--name": "Another PT",
      "--admin-password-file": "admin-password",
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("--admin-email: already signs in to this installation");
    expect(await countOrganizations(handle.db)).toBe(1);
  });
});
