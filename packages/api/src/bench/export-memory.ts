/**
 * Two steps of a measurement for exports.bench.ts, each in its own process so the export's
 * memory is its own: `tsx export-memory.ts seed <rows> <file.sqlite>` makes a SQLite database of
 * <rows> practitioners (a Florida license and a verified DN course each) and prints the
 * organization id; `tsx export-memory.ts export <file.sqlite> <organizationId>` streams the
 * summary CSV export of the whole organization through the real path (planExport: keyset pages
 * of practitioners, each page's dossiers read and evaluated against every standard that applies)
 * into a byte-counting sink, and prints JSON with the memory seen.
 */
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDb, insertPractitioners, migrateToLatest } from "@dn/db";
import { summaryCsv } from "@dn/exports";
import { planExport } from "../services/exports.service.ts";

const [mode, ...args] = process.argv.slice(2);
const collect = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function seed(rows: number, path: string): Promise<void> {
  const handle = createDb({ sqlitePath: path });
  const db = handle.db;
  try {
    await migrateToLatest(db);
    const at = "2025-01-01T00:00:00.000Z";
    const organizationId = randomUUID();
    const clinicId = randomUUID();
    const userId = randomUUID();
    await db
      .insertInto("organizations")
      .values({ id: organizationId, name: "Bench PT", createdAt: at })
      .execute();
    await db
      .insertInto("clinics")
      .values({
        id: clinicId,
        organizationId,
        name: "Bench Tampa",
        jurisdiction: "US-FL",
        createdAt: at,
      })
      .execute();
    await db
      .insertInto("users")
      .values({
        id: userId,
        email: "bench@example.test",
        name: "Bench Manager",
        passwordHash: null,
        createdAt: at,
      })
      .execute();
    await db
      .insertInto("memberships")
      .values({
        id: randomUUID(),
        userId,
        organizationId,
        role: "manager",
        practitionerId: null,
        clinicIdsJson: null,
        status: "active",
        createdAt: at,
        deactivatedAt: null,
      })
      .execute();
    const BATCH = 500;
    // One transaction for the whole seed: the figures are about the export, not the inserts.
    await db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows; start += BATCH) {
        const ids = Array.from({ length: Math.min(BATCH, rows - start) }, () => randomUUID());
        await insertPractitioners(
          trx,
          ids.map((id, index) => ({
            id,
            organizationId,
            clinicId,
            name: `Practitioner ${String(start + index).padStart(6, "0")}`,
            email: null,
            profession: "PT" as const,
            archivedAt: null,
            createdAt: at,
            updatedAt: at,
          })),
        );
        await trx
          .insertInto("licenses")
          .values(
            ids.map((id, index) => ({
              id: randomUUID(),
              practitionerId: id,
              jurisdiction: "US-FL",
              number: `PT${start + index}`,
              issuedOn: "2019-03-01",
              expiresOn: "2027-11-30",
              status: "active" as const,
              createdAt: at,
              updatedAt: at,
            })),
          )
          .execute();
        await trx
          .insertInto("trainingRecords")
          .values(
            ids.map((id) => {
              const recordId = randomUUID();
              return {
                id: recordId,
                recordId,
                version: 1,
                practitionerId: id,
                kind: "dn-course",
                title: "Dry Needling Level 1",
                provider: "Evidence in Motion",
                completedOn: "2024-02-10",
                hoursTheory: 20,
                hoursPractical: 32,
                hoursOnline: 0,
                topicsJson: JSON.stringify(["needle-handling-and-disposal", "psychomotor-skills"]),
                sessionCount: null,
                examType: null,
                passed: null,
                expiresOn: null,
                jurisdiction: null,
                notes: null,
                provenance: "manager-verified",
                status: "verified",
                reviewedBy: userId,
                reviewedAt: at,
                reviewReason: null,
                recordedAt: at,
                recordedBy: userId,
                supersededAt: null,
              };
            }),
          )
          .execute();
      }
    });
    process.stdout.write(`${organizationId}\n`);
  } finally {
    await handle.destroy();
  }
}

async function exportAll(path: string, organizationId: string): Promise<void> {
  const handle = createDb({ sqlitePath: path });
  const db = handle.db;
  const at = "2025-01-01T00:00:00.000Z";
  try {
    collect?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sample = () => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    };
    const sampler = setInterval(sample, 5);
    const retained: number[] = [];

    const started = performance.now();
    const plan = await planExport(db, {
      exportId: randomUUID(),
      scope: { kind: "organization", asOf: "2026-11-01" },
      organizationId,
      generatedAt: at,
      generatedBy: { userId: null, name: "Bench", role: "manager" },
    });
    let done = 0;
    async function* counted() {
      for await (const practitioner of plan.practitioners()) {
        yield practitioner;
        done += 1;
        if (done % 1000 === 0) sample();
        if (done % Math.max(1, Math.floor(plan.count / 4)) === 0 && collect) {
          collect();
          retained.push(mb(process.memoryUsage().heapUsed));
        }
      }
    }
    let bytes = 0;
    let lines = 0;
    await pipeline(
      summaryCsv(plan.header, counted()),
      new Writable({
        write(chunk: Buffer, _encoding, callback) {
          bytes += chunk.length;
          for (const byte of chunk) if (byte === 10) lines += 1;
          callback();
        },
      }),
    );
    sample();
    clearInterval(sampler);
    process.stdout.write(
      `${JSON.stringify({
        practitioners: plan.count,
        csvLines: lines,
        bytes,
        baselineRssMb: mb(baseline.rss),
        peakRssMb: mb(peakRss),
        peakHeapMb: mb(peakHeap),
        maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
        retainedHeapMb: retained,
        exportSeconds: (performance.now() - started) / 1000,
      })}\n`,
    );
  } finally {
    await handle.destroy();
  }
}

if (mode === "seed") await seed(Number(args[0]), String(args[1]));
else if (mode === "export") await exportAll(String(args[0]), String(args[1]));
else throw new Error("usage: export-memory.ts seed <rows> <file> | export <file> <organizationId>");
