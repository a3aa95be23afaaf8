import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import {
  createDb,
  type DbHandle,
  listAllRecordVersionsOfPractitioner,
  listAuditEventsForEntity,
  migrateToLatest,
} from "@dn/db";
import {
  buildClinic,
  buildLicense,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
} from "@dn/db/testing";
import { type Clinic, DossierSchema, type Practitioner, type User } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

describe("dn dossier against a SQLite database file", () => {
  let dir: string;
  let path: string;
  let handle: DbHandle;
  let clinic: Clinic;
  let practitioner: Practitioner;
  let admin: User;
  let manager: User;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-cli-"));
    path = join(dir, "dn.sqlite");
    handle = createDb({ sqlitePath: path });
    await migrateToLatest(handle.db);
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    clinic = await buildClinic(handle.db, {
      organizationId: organization.id,
      name: "Harbor Tampa",
      jurisdiction: "US-FL",
    });
    admin = await buildUser(handle.db, { organizationId: organization.id, role: "admin" });
    manager = await buildUser(handle.db, { organizationId: organization.id, role: "manager" });
    practitioner = await buildPractitioner(handle.db, { clinicId: clinic.id, name: "Ana Reyes" });
    await buildLicense(handle.db, { practitionerId: practitioner.id, jurisdiction: "US-FL" });
    await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: admin.id,
      status: "verified",
      recordedAt: "2025-04-01T00:00:00.000Z",
    });
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
      now: fixedClock("2026-11-27T09:00:00.000Z"),
      openDb: () => createDb({ sqlitePath: path }),
    });
    return { code, stdout, stderr };
  }

  it("exports a practitioner as a valid dossier, to standard output or a file", async () => {
    const printed = await dn("dossier", "export", "--practitioner", practitioner.id);
    expect(printed.stderr).toBe("");
    expect(printed.code).toBe(0);
    const dossier = DossierSchema.parse(JSON.parse(printed.stdout));
    expect(dossier.practitioner.name).toBe("Ana Reyes");
    expect(dossier.records).toHaveLength(1);

    const written = await dn(
      "dossier",
      "export",
      "--practitioner",
      practitioner.id,
      "--out",
      "ana.json",
    );
    expect(written.code).toBe(0);
    expect(written.stdout).toMatch(/^wrote Ana Reyes: 1 licenses, 1 record versions to ana\.json/);
    const fromFile = DossierSchema.parse(JSON.parse(readFileSync(join(dir, "ana.json"), "utf8")));
    expect(fromFile.records).toEqual(dossier.records);

    // The file is what `dn evaluate` reads.
    const evaluated = await dn(
      "evaluate",
      "--standard",
      "us-fl-dn",
      "--dossier",
      "ana.json",
      "--as-of",
      "2026-06-01",
      "--json",
    );
    expect(JSON.parse(evaluated.stdout).practitioner.name).toBe("Ana Reyes");
  });

  it("imports a dossier into a clinic as the chosen user, audited", async () => {
    await dn("dossier", "export", "--practitioner", practitioner.id, "--out", "ana.json");
    const imported = await dn(
      "dossier",
      "import",
      "ana.json",
      "--clinic",
      clinic.id,
      "--as",
      manager.email,
    );
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    const id = /as practitioner ([0-9a-f-]{36})/.exec(imported.stdout)?.[1] ?? "";
    expect(imported.stdout).toContain("in Harbor Tampa: 1 licenses, 1 records (1 versions)");
    const records = await listAllRecordVersionsOfPractitioner(handle.db, id);
    expect(records.map((r) => [r.title, r.status, r.recordedAt])).toEqual([
      ["Dry Needling Level 1", "verified", "2025-04-01T00:00:00.000Z"],
    ]);
    const audit = await listAuditEventsForEntity(handle.db, "practitioner", id);
    expect(audit.map((e) => [e.action, e.actorId])).toEqual([["practitioner.import", manager.id]]);
  });

  it("refuses an invalid dossier with the path of each problem, exits 2 and writes nothing", async () => {
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({
        format: "dn-dossier",
        version: 1,
        practitioner: { id: "x", name: "Bad", profession: "PT" },
        records: [{ id: "r1", kind: "exam", title: "Exam", completedOn: "2025-13-01" }],
      }),
    );
    const before = await listAllRecordVersionsOfPractitioner(handle.db, practitioner.id);
    const result = await dn("dossier", "import", "bad.json", "--clinic", clinic.id);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("import: bad.json is not a valid dossier");
    expect(result.stderr).toContain("records.0.completedOn");
    expect(result.stderr).toContain("records.0.examType");
    const practitioners = await handle.db.selectFrom("practitioners").select("id").execute();
    expect(practitioners).toHaveLength(1);
    expect(await listAllRecordVersionsOfPractitioner(handle.db, practitioner.id)).toEqual(before);
  });

  it("exits 2 for an unknown clinic, practitioner or user", async () => {
    await dn("dossier", "export", "--practitioner", practitioner.id, "--out", "ana.json");
    const noClinic = await dn(
      "dossier",
      "import",
      "ana.json",
      "--clinic",
      "00000000-0000-4000-8000-000000000000",
    );
    expect(noClinic.code).toBe(2);
    expect(noClinic.stderr).toMatch(/--clinic: no clinic/);
    const noPractitioner = await dn("dossier", "export", "--practitioner", "nobody");
    expect(noPractitioner.code).toBe(2);
    const noUser = await dn(
      "dossier",
      "import",
      "ana.json",
      "--clinic",
      clinic.id,
      "--as",
      "ghost@example.test",
    );
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toMatch(/--as: no user ghost@example.test/);
  });
});
