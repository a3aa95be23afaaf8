/**
 * The bulk import writes in batches of IMPORT_BATCH rows from a streamed file (decision 058):
 * these tests cross batch boundaries and split the file into awkward chunks, to catch batching
 * that breaks idempotency, validation or the audit trail.
 */
import { createHash } from "node:crypto";
import { fixedClock } from "@dn/clock";
import { type DbHandle, verifyAuditChain } from "@dn/db";
import { createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { actorFromUser, localAccountServices, type ServiceContext } from "./services/context.ts";
import { IMPORT_BATCH, importCsv, runImport } from "./services/import.service.ts";
import { buildOrgWorld, countRows, type OrgWorld } from "./test-support.ts";

const HEADER =
  "name,email,profession,clinic,license_state,license_number,license_issued,license_expires";

/** Roster lines (no header) for people `from` to `to` - 1; person i has license MD<i>. */
function rosterLines(from: number, to: number, clinic: string): string[] {
  const lines: string[] = [];
  for (let i = from; i < to; i += 1) {
    lines.push(
      `Person ${i},person${i}@example.test,PT,${clinic},US-MD,MD${900000 + i},2020-01-01,`,
    );
  }
  return lines;
}

describe.each(await testDialects())("batched import on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let ctx: ServiceContext;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    ctx = {
      db: handle.db,
      now: fixedClock(TEST_NOW),
      accounts: localAccountServices(),
      origin: { clientAddress: null, userAgent: null },
      actor: actorFromUser(world.users.manager),
    };
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const auditOf = (action: string) =>
    handle.db
      .selectFrom("auditEvents")
      .select(["seq", "entityId", "afterJson"])
      .where("organizationId", "=", world.organization.id)
      .where("action", "=", action)
      .orderBy("seq")
      .execute();

  test("a roster over three batches audits each row once in file order, one practitioner per email across a batch boundary, and a re-run or overlapping file adds only new rows", {
    timeout: 120_000,
  }, async () => {
    const size = 2 * IMPORT_BATCH + 201;
    const lines = rosterLines(0, size, world.clinic.name);
    // The last row of the first batch and the first of the second are one person, two licenses.
    lines[IMPORT_BATCH] =
      `Person ${IMPORT_BATCH - 1},person${IMPORT_BATCH - 1}@example.test,PT,${world.clinic.name},US-VA,VA1,2020-01-01,`;
    const content = [HEADER, ...lines].join("\n");
    const before = await countRows(handle);
    const progress: [number, number][] = [];
    const report = await runImport(
      ctx,
      { kind: "roster", fileName: "roster.csv", content },
      (done, total) => progress.push([done, total]),
    );
    expect(report).toMatchObject({ applied: true, rowsTotal: size, rowsImported: size });
    expect(progress.at(-1)).toEqual([size, size]);
    expect(progress.map(([done]) => done)).toEqual([
      ...Array.from({ length: Math.floor(size / 100) }, (_, i) => (i + 1) * 100),
      size,
    ]);
    const after = await countRows(handle);
    expect((after.practitioners ?? 0) - (before.practitioners ?? 0)).toBe(size - 1);
    expect((after.licenses ?? 0) - (before.licenses ?? 0)).toBe(size);
    expect((after.auditEvents ?? 0) - (before.auditEvents ?? 0)).toBe(2 * size - 1);

    const licenseAudit = await auditOf("license.import");
    expect(
      licenseAudit.map((row) => (JSON.parse(row.afterJson ?? "{}") as { number: string }).number),
    ).toEqual(lines.map((line) => line.split(",")[5]));
    expect(
      new Set(licenseAudit.map((row) => JSON.parse(row.afterJson ?? "{}").importBatchId)),
    ).toEqual(new Set([report.batchId]));
    const people = await auditOf("practitioner.import");
    expect(people).toHaveLength(size - 1);
    expect(await verifyAuditChain(handle.db, world.organization.id)).toMatchObject({ ok: true });

    const again = await runImport(ctx, { kind: "roster", fileName: "roster.csv", content });
    expect(again).toMatchObject({ applied: false, rowsAlready: size, rowsImported: 0 });
    expect(await countRows(handle)).toEqual(after);

    // A later file repeating the last 300 rows and adding 150 new people imports the 150 only.
    const overlapping = [
      HEADER,
      ...lines.slice(size - 300),
      ...rosterLines(size, size + 150, world.clinic.name),
    ].join("\n");
    const more = await runImport(ctx, {
      kind: "roster",
      fileName: "more.csv",
      content: overlapping,
    });
    expect(more).toMatchObject({ applied: true, rowsAlready: 300, rowsImported: 150 });
    const last = await countRows(handle);
    expect((last.practitioners ?? 0) - (after.practitioners ?? 0)).toBe(150);
    expect(await verifyAuditChain(handle.db, world.organization.id)).toMatchObject({ ok: true });
  });

  test("a bad row or a repeated row in a later batch blocks every batch; with onlyValid only those rows are left out", {
    timeout: 120_000,
  }, async () => {
    const size = 2 * IMPORT_BATCH + 100;
    const lines = rosterLines(0, size, world.clinic.name);
    lines[size - 50] = `Bad Date,bad@example.test,PT,${world.clinic.name},US-MD,MD1,2020-02-30,`;
    lines[IMPORT_BATCH + 10] = lines[3] as string;
    const content = [HEADER, ...lines].join("\n");
    const before = await countRows(handle);
    const refused = await runImport(ctx, { kind: "roster", fileName: "roster.csv", content });
    expect(refused).toMatchObject({ applied: false, rowsValid: size - 2, rowsInvalid: 2 });
    expect(refused.problems.map((p) => [p.line, p.field])).toEqual([
      [IMPORT_BATCH + 12, null],
      [size - 48, "license_issued"],
    ]);
    expect(refused.problems[0]?.reason).toBe(
      "repeats line 5 (same person and license or same completion)",
    );
    expect(await countRows(handle)).toEqual(before);

    const imported = await runImport(ctx, {
      kind: "roster",
      fileName: "roster.csv",
      content,
      onlyValid: true,
    });
    expect(imported).toMatchObject({ applied: true, rowsImported: size - 2, rowsInvalid: 2 });
    const after = await countRows(handle);
    expect((after.licenses ?? 0) - (before.licenses ?? 0)).toBe(size - 2);
    const bad = await handle.db
      .selectFrom("practitioners")
      .select("id")
      .where("email", "=", "bad@example.test")
      .execute();
    expect(bad).toEqual([]);
  });

  test("a file streamed in chunks that split rows, quotes and the BOM reports and imports as the whole text does", {
    timeout: 120_000,
  }, async () => {
    const license = world.selfLicense;
    const rows = Array.from(
      { length: IMPORT_BATCH + 20 },
      (_, i) =>
        `${license.number},${license.jurisdiction},"COURSE, ${i}",2026-0${1 + (i % 9)}-1${i % 10},${1 + (i % 5)},${i % 2 ? "Dry needling" : "Ethics"}`,
    );
    const content = `\uFEFF${["license_number,state,course_id,completion_date,hours,subject_area", ...rows].join("\r\n")}\r\n`;
    const bytes = Buffer.from(content);
    const chunked = function* () {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    };
    const whole = await runImport(ctx, {
      kind: "completions",
      fileName: "provider.csv",
      content,
      dryRun: true,
    });
    const streamed = await importCsv(
      ctx,
      { kind: "completions", fileName: "provider.csv", dryRun: true },
      chunked,
    );
    expect(streamed).toEqual(whole);
    expect(whole).toMatchObject({ rowsTotal: IMPORT_BATCH + 20, rowsValid: IMPORT_BATCH + 20 });

    const before = await countRows(handle);
    const imported = await importCsv(
      ctx,
      { kind: "completions", fileName: "provider.csv" },
      chunked,
    );
    expect(imported).toMatchObject({ applied: true, rowsImported: IMPORT_BATCH + 20 });
    const after = await countRows(handle);
    expect((after.trainingRecords ?? 0) - (before.trainingRecords ?? 0)).toBe(IMPORT_BATCH + 20);
    const titles = await handle.db
      .selectFrom("trainingRecords")
      .select(["title", "notes"])
      .where("practitionerId", "=", world.self.id)
      .where("provenance", "=", "provider-reported")
      .execute();
    expect(titles.some((r) => r.notes?.includes(`(line ${IMPORT_BATCH + 21})`))).toBe(true);
    const rerun = await importCsv(ctx, { kind: "completions", fileName: "provider.csv" }, chunked);
    expect(rerun).toMatchObject({ applied: false, rowsAlready: IMPORT_BATCH + 20 });
    expect(await verifyAuditChain(handle.db, world.organization.id)).toMatchObject({ ok: true });
  });

  test("a file that stops being CSV after a batch of good rows reports only that, names the whole file's digest and writes nothing", async () => {
    const lines = rosterLines(0, IMPORT_BATCH + 100, world.clinic.name);
    lines.push(`"Unclosed,quote@example.test,PT,${world.clinic.name},US-MD,MD1,2020-01-01,`);
    lines.push(...rosterLines(IMPORT_BATCH + 100, IMPORT_BATCH + 110, world.clinic.name));
    const content = [HEADER, ...lines].join("\n");
    const before = await countRows(handle);
    const bytes = Buffer.from(content);
    const report = await importCsv(
      ctx,
      { kind: "roster", fileName: "roster.csv", onlyValid: true },
      function* () {
        for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096);
      },
    );
    expect(report).toMatchObject({ applied: false, rowsTotal: 0, rowsValid: 0, rowsInvalid: 1 });
    expect(report.problems[0]?.reason).toMatch(/^the file is not valid CSV: /);
    expect(report.fileSha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect(await countRows(handle)).toEqual(before);
  });
});
