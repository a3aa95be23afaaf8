/**
 * Crash safety of a roster import on SQLite (issue 11, item 4): `dn import roster` run as a real
 * process is killed with SIGKILL at random points, DN_CRASH_KILLS times (20, the count),
 * each on a fresh copy of the same database. After every kill the database passes `PRAGMA integrity_check`, the import is all or
 * nothing (it is one transaction), the audit chain verifies, and running the import again
 * completes with exactly the result of an uninterrupted run. The delays come from a seeded
 * generator (DN_CRASH_SEED, printed on failure) so a failing run can be replayed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fixedClock } from "@dn/clock";
import {
  checkSqliteIntegrity,
  createDb,
  type DbHandle,
  migrateToLatest,
  verifyAuditChain,
} from "@dn/db";
import { buildClinic, buildOrganization, buildUser, TEST_NOW } from "@dn/db/testing";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runCli } from "./cli.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
/**
 * 20 kills is the count. Each kill starts a process (tsx start-up, about 2 s), so the
 * file takes under a minute on an idle 2-core machine; the clock-moved CI run makes 4.
 */
const KILLS = Number(process.env.DN_CRASH_KILLS ?? 20);
const ROWS = 400;
const SEED = Number(process.env.DN_CRASH_SEED ?? 20261202);

/** mulberry32: a small seeded generator, so the kill points can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function integrity(path: string): Promise<string> {
  const handle = createDb({ sqlitePath: path });
  try {
    return await checkSqliteIntegrity(handle.db);
  } finally {
    await handle.destroy();
  }
}

/** What an import leaves, without ids or instants: each practitioner with clinic and license. */
async function rosterState(path: string, organizationId: string) {
  const handle = createDb({ sqlitePath: path });
  try {
    const rows = await handle.db
      .selectFrom("practitioners as p")
      .innerJoin("clinics as c", "c.id", "p.clinicId")
      .leftJoin("licenses as l", "l.practitionerId", "p.id")
      .select(["p.name", "p.email", "p.profession", "c.name as clinic", "l.number", "l.expiresOn"])
      .where("c.organizationId", "=", organizationId)
      .orderBy("p.email")
      .execute();
    const batches = await handle.db.selectFrom("importBatches").select(["rowsImported"]).execute();
    const chain = await verifyAuditChain(handle.db, organizationId);
    return { rows, batches: batches.map((batch) => Number(batch.rowsImported)), chain };
  } finally {
    await handle.destroy();
  }
}

describe("a roster import killed with SIGKILL", () => {
  let dir: string;
  let baseline: string;
  let organizationId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-crash-import-"));
    baseline = join(dir, "baseline.sqlite");
    const handle: DbHandle = createDb({ sqlitePath: baseline });
    await migrateToLatest(handle.db);
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    organizationId = organization.id;
    await buildClinic(handle.db, {
      organizationId,
      name: "Harbor Baltimore",
      jurisdiction: "US-MD",
    });
    await buildUser(handle.db, { organizationId, role: "admin" });
    await handle.destroy();
    const lines = [
      "name,email,profession,clinic,license_state,license_number,license_issued,license_expires",
    ];
    for (let i = 0; i < ROWS; i++) {
      lines.push(
        `Staff ${i},staff${i}@example.test,PT,Harbor Baltimore,US-MD,MD-${10_000 + i},2019-05-01,2027-05-31`,
      );
    }
    writeFileSync(join(dir, "roster.csv"), `${lines.join("\n")}\n`);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  async function importInProcess(path: string) {
    let stdout = "";
    const code = await runCli(["import", "roster", "roster.csv"], {
      stdout: (text) => {
        stdout += text;
      },
      stderr: () => {},
      cwd: dir,
      now: fixedClock(TEST_NOW),
      openDb: () => createDb({ sqlitePath: path }),
    });
    return { code, stdout };
  }

  function importProcess(path: string): ChildProcess {
    return spawn(
      process.execPath,
      ["--import", "tsx", "apps/cli/src/main.ts", "import", "roster", join(dir, "roster.csv")],
      {
        cwd: REPO,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          DN_SQLITE_PATH: path,
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
  }

  test(
    `${KILLS} kills at random points: intact, all or nothing, and a re-run completes the same (seed ${SEED})`,
    async () => {
      // The reference: the import run once, uninterrupted, as a process.
      const reference = join(dir, "reference.sqlite");
      copyFileSync(baseline, reference);
      const started = performance.now();
      const whole = importProcess(reference);
      const code = await new Promise((resolve) => whole.once("exit", resolve));
      expect(code).toBe(0);
      const wholeMs = performance.now() - started;
      console.info(`an uninterrupted import of ${ROWS} rows took ${Math.round(wholeMs)} ms`);
      const expected = await rosterState(reference, organizationId);
      expect(expected.rows).toHaveLength(ROWS);
      expect(expected.batches).toEqual([ROWS]);
      expect(expected.chain.ok).toBe(true);

      const random = seeded(SEED);
      let midImport = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        const path = join(dir, `kill-${kill}.sqlite`);
        copyFileSync(baseline, path);
        // Anywhere from start-up to just past the end of an uninterrupted run.
        const delay = Math.floor(random() * wholeMs * 1.05);
        const child = importProcess(path);
        const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
        await sleep(delay);
        child.kill("SIGKILL");
        const exitCode = await exited;
        const context = `kill ${kill} after ${delay} ms (seed ${SEED})`;
        expect(await integrity(path), context).toBe("ok");
        const after = await rosterState(path, organizationId);
        expect([0, ROWS], context).toContain(after.rows.length);
        expect(after.chain.ok, context).toBe(true);
        if (exitCode === null && after.rows.length === 0) midImport += 1;
        // Run it again: the same result as the uninterrupted run, whether the first got through or not.
        const again = await importInProcess(path);
        expect(again.code, `${context}: ${again.stdout}`).toBe(0);
        const final = await rosterState(path, organizationId);
        expect(final.rows, context).toEqual(expected.rows);
        expect(final.batches, context).toEqual([ROWS]);
        expect(final.chain, context).toMatchObject({ ok: true, rows: expected.chain.rows });
        rmSync(path, { force: true });
        rmSync(`${path}-wal`, { force: true });
        rmSync(`${path}-shm`, { force: true });
      }
      console.info(`${midImport} of ${KILLS} kills landed before the import committed`);
    },
    60_000 + KILLS * 60_000,
  );
});
