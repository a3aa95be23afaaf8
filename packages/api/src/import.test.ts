import type { DbHandle } from "@dn/db";
import { buildClinic, createTestDb, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { buildOrgWorld, countRows, expectTrpcError, type OrgWorld } from "./test-support.ts";

const HEADER =
  "name,email,profession,clinic,license_state,license_number,license_issued,license_expires";

/** A roster of `size` rows; rows at the given 0-based indexes are broken in a known way. */
function roster(size: number, clinic: string): string {
  const lines = [HEADER];
  for (let i = 0; i < size; i += 1) {
    let row = [
      `Staff Member ${i}`,
      `staff${i}@example.test`,
      "PT",
      clinic,
      "US-MD",
      `MD${100000 + i}`,
      "2020-01-01",
      "2028-01-01",
    ];
    if (i === 100) row = [...row.slice(0, 1), "not-an-email", ...row.slice(2)];
    if (i === 5000) row = [...row.slice(0, 3), "Atlantis Clinic", ...row.slice(4)];
    if (i === 9998) row = [...row.slice(0, 6), "2020-01-01", "2019-12-31"];
    lines.push(row.map((v) => (v.includes(",") ? `"${v}"` : v)).join(","));
  }
  return `${lines.join("\n")}\n`;
}

describe.each(await testDialects())("bulk import on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("a 10,000-row roster with three bad rows reports exactly those rows; a second run changes nothing", {
    timeout: 240_000,
  }, async () => {
    const content = roster(10_000, world.clinic.name);
    const input = { kind: "roster" as const, fileName: "roster.csv", content };
    const before = await countRows(handle);

    const refused = await world.as.manager.imports.run(input);
    expect(refused).toMatchObject({
      rowsTotal: 10_000,
      rowsValid: 9_997,
      rowsInvalid: 3,
      applied: false,
      rowsImported: 0,
    });
    expect(refused.problems).toEqual([
      { line: 102, field: "email", reason: "email must be an email address" },
      {
        line: 5002,
        field: "clinic",
        reason: 'clinic names no clinic of the organization ("Atlantis Clinic")',
      },
      {
        line: 10000,
        field: "license_expires",
        reason: "license_expires must not be before license_issued",
      },
    ]);
    expect(await countRows(handle)).toEqual(before);

    const imported = await world.as.manager.imports.run({ ...input, onlyValid: true });
    expect(imported).toMatchObject({
      applied: true,
      rowsImported: 9_997,
      rowsAlready: 0,
      rowsInvalid: 3,
    });
    const after = await countRows(handle);
    expect((after.practitioners ?? 0) - (before.practitioners ?? 0)).toBe(9_997);
    expect((after.licenses ?? 0) - (before.licenses ?? 0)).toBe(9_997);

    const again = await world.as.manager.imports.run({ ...input, onlyValid: true });
    expect(again).toMatchObject({
      applied: false,
      rowsImported: 0,
      rowsAlready: 9_997,
      rowsInvalid: 3,
    });
    expect(await countRows(handle)).toEqual(after);
  });

  test("a roster row naming an archived clinic is a problem of its line; nobody is imported into it", async () => {
    const closed = await buildClinic(handle.db, {
      organizationId: world.organization.id,
      name: "Old Town",
      archivedAt: "2026-01-01T00:00:00.000Z",
    });
    const content = [
      HEADER,
      `Ada Open,ada@example.test,PT,${world.clinic.name},US-MD,MD200001,2020-01-01,2028-01-01`,
      `Ben Closed,ben@example.test,PT,${closed.name},US-MD,MD200002,2020-01-01,2028-01-01`,
    ].join("\n");
    const input = { kind: "roster" as const, fileName: "roster.csv", content };
    const before = await countRows(handle);
    const refused = await world.as.admin.imports.run(input);
    expect(refused).toMatchObject({ applied: false, rowsValid: 1, rowsInvalid: 1 });
    expect(refused.problems).toEqual([
      { line: 3, field: "clinic", reason: 'clinic names an archived clinic ("Old Town")' },
    ]);
    expect(await countRows(handle)).toEqual(before);

    const imported = await world.as.admin.imports.run({ ...input, onlyValid: true });
    expect(imported).toMatchObject({ applied: true, rowsImported: 1, rowsInvalid: 1 });
    const atClosed = await handle.db
      .selectFrom("practitioners")
      .select("id")
      .where("clinicId", "=", closed.id)
      .execute();
    expect(atClosed).toEqual([]);
  });

  test("provider-reported completions become verified records once, matched by license", async () => {
    const license = world.selfLicense;
    const content = [
      "License Number,State,Course ID,Completion Date,Hours,Subject Area",
      `${license.number},${license.jurisdiction},DN-101,2026-03-02,27,Dry Needling Level 1`,
      `${license.number},${license.jurisdiction},ETH-7,2026-04-10,2,Ethics and jurisprudence`,
      `ZZ999,${license.jurisdiction},DN-101,2026-03-02,27,Dry Needling Level 1`,
      `${license.number},${license.jurisdiction},DN-102,2026-13-01,abc,Dry Needling Level 2`,
    ].join("\r\n");
    const input = { kind: "completions" as const, fileName: "provider.csv", content };
    const report = await world.as.manager.imports.run(input);
    expect(report.applied).toBe(false);
    expect(report.problems.map((p) => [p.line, p.field])).toEqual([
      [4, "license_number"],
      [5, "completion_date"],
      [5, "hours"],
    ]);
    expect(report.rowsInvalid).toBe(2);
    const done = await world.as.manager.imports.run({ ...input, onlyValid: true });
    expect(done.rowsImported).toBe(2);
    const records = await world.as.manager.records.list({
      practitionerId: world.self.id,
      limit: 50,
    });
    const imported = records.items.filter((r) => r.provenance === "provider-reported");
    expect(imported.map((r) => [r.kind, r.completedOn, r.hours.theory, r.status]).sort()).toEqual([
      ["ce-activity", "2026-04-10", 2, "verified"],
      ["dn-course", "2026-03-02", 27, "verified"],
    ]);
    const again = await world.as.manager.imports.run({ ...input, onlyValid: true });
    expect(again).toMatchObject({ rowsImported: 0, rowsAlready: 2 });
  });

  test("a completion whose record title would pass 200 characters is refused on subject_area, never cut", async () => {
    const license = world.selfLicense;
    const subject = `Dry Needling ${"a".repeat(180)}`;
    const content = [
      "License Number,State,Course ID,Completion Date,Hours,Subject Area",
      `${license.number},${license.jurisdiction},DN-101,2026-03-02,27,${subject}`,
    ].join("\r\n");
    const before = await countRows(handle);
    const report = await world.as.manager.imports.run({
      kind: "completions",
      fileName: "provider.csv",
      content,
      onlyValid: true,
    });
    expect(report.problems).toEqual([
      {
        line: 2,
        field: "subject_area",
        reason:
          'subject_area must be at most 184 characters with course_id DN-101 (the record title "<subject_area> (course DN-101)" must be at most 200 characters)',
      },
    ]);
    expect(report.rowsImported).toBe(0);
    expect(await countRows(handle)).toEqual(before);
  });

  test("a file missing a column is refused on line 1; practitioners and auditors may not import", async () => {
    const report = await world.as.manager.imports.run({
      kind: "roster",
      fileName: "r.csv",
      content: "name,email\nA,a@example.test\n",
    });
    expect(report.problems).toEqual([
      {
        line: 1,
        field: null,
        reason: expect.stringMatching(/^the header lacks columns profession, clinic/),
      },
    ]);
    await expectTrpcError(
      world.as.practitioner.imports.run({ kind: "roster", fileName: "r.csv", content: HEADER }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      world.as.auditor.imports.run({ kind: "roster", fileName: "r.csv", content: HEADER }),
      "FORBIDDEN",
    );
  });
});
