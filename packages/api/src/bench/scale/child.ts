/**
 * The steps of `pnpm bench:scale` that run in a process of their own, so that each one's time
 * and peak RSS are its own. `node --import tsx child.ts <step> <json>` prints one JSON line.
 *
 * - `load`: migrate an empty database and bulk-load one organization (load.ts).
 * - `reevaluate`: a full re-evaluation of the organization through the services.
 * - `export`: the summary CSV export through planExport and summaryCsv into a counting sink,
 *   as the export job writes it (from the stored evaluations, after the re-evaluation step).
 * - `scan`: the same rows read raw into JS (one keyset-paged SQL pass), as objects or, with
 *   `asArrays`, as arrays of values, for the ratios.
 * - `import`: a roster and then a completions CSV of N rows through `importCsv`, as `dn import`.
 * - `bare`: a node:http server answering every request with the same JSON bytes.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createDb, type DbHandle, migrateToLatest, rowsAsArrays } from "@dn/db";
import { summaryCsv } from "@dn/exports";
import { sql } from "kysely";
import { localAccountServices, type ServiceContext } from "../../services/context.ts";
import { clinicDatesOf } from "../../services/evaluations.ts";
import { planExport } from "../../services/exports.service.ts";
import { importCsv } from "../../services/import.service.ts";
import { evaluateStaff, loadOrganizationRules } from "../../services/staff-compliance.ts";
import { loadScaleOrganization } from "./load.ts";

export interface Target {
  dialect: "sqlite" | "postgres";
  /** SQLite file or postgres:// URL. */
  location: string;
}

const [step, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? "{}") as Record<string, unknown> & { target: Target };

function open(target: Target): DbHandle {
  return target.dialect === "postgres"
    ? createDb({ databaseUrl: target.location, poolSize: 4 })
    : createDb({ sqlitePath: target.location });
}

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const seconds = (started: number) => (performance.now() - started) / 1000;

async function load(handle: DbHandle) {
  await migrateToLatest(handle.db);
  const started = performance.now();
  const org = await loadScaleOrganization(
    handle,
    Number(args.size),
    String(args.today),
    new Date(String(args.now)),
  );
  return { ...org, seconds: seconds(started), peakRssMb: peakRssMb() };
}

/**
 * The organization evaluated in full: through the stored evaluations' background runner
 * (`reevaluateStale`, run until nothing remains) when the services have one, else through the
 * bulk evaluation every manager view used (`evaluateStaff`, in pages of 200).
 */
async function reevaluate(handle: DbHandle) {
  const organizationId = String(args.organizationId);
  const now = new Date(String(args.now));
  const started = performance.now();
  const stored = (await import("../../services/evaluations.ts").catch(() => null)) as {
    reevaluateStale?: (
      db: DbHandle["db"],
      input: { organizationId: string; now: Date; limit?: number },
    ) => Promise<{ evaluated: number; remaining: boolean }>;
    refreshTrendMonths?: (
      db: DbHandle["db"],
      input: { organizationId: string; now: Date; limit?: number },
    ) => Promise<{ computed: number; remaining: boolean }>;
  } | null;
  let evaluated = 0;
  let path: string;
  if (stored?.reevaluateStale) {
    path = "reevaluateStale";
    for (;;) {
      const result = await stored.reevaluateStale(handle.db, { organizationId, now });
      evaluated += result.evaluated;
      if (!result.remaining) break;
    }
  } else {
    path = "evaluateStaff";
    const rules = await loadOrganizationRules(handle.db, organizationId);
    const asOf = String(args.today);
    let after = "";
    for (;;) {
      const staff = await handle.db
        .selectFrom("practitioners")
        .select(["id", "name", "profession", "clinicId", "createdAt", "archivedAt"])
        .where("organizationId", "=", organizationId)
        .where("id", ">", after)
        .orderBy("id")
        .limit(200)
        .execute();
      if (staff.length === 0) break;
      const result = await evaluateStaff(handle.db, rules, staff, [{ asOf }]);
      evaluated += result.get(asOf)?.length ?? 0;
      after = staff[staff.length - 1]?.id ?? after;
    }
  }
  const took = seconds(started);
  // The trend's finished months, as the background job fills them (every missing month in one
  // turn), so the API measured next finds them stored, as a running system would.
  const trendStarted = performance.now();
  let trendMonths = 0;
  while (stored?.refreshTrendMonths) {
    const result = await stored.refreshTrendMonths(handle.db, { organizationId, now });
    trendMonths += result.computed;
    if (!result.remaining) break;
  }
  return {
    path,
    evaluated,
    seconds: took,
    trendMonths,
    trendSeconds: seconds(trendStarted),
    peakRssMb: peakRssMb(),
  };
}

async function exportSummary(handle: DbHandle) {
  const organizationId = String(args.organizationId);
  const now = new Date(String(args.now));
  // As of the clinics' own date at `now`, as a manager's export asks for it. The UTC date can be
  // a day ahead of US clinics, and an export as of any other date is evaluated live.
  const rules = await loadOrganizationRules(handle.db, organizationId);
  const [busiest] = clinicDatesOf(rules, { at: now }).sort(
    (a, b) => b.clinicIds.length - a.clinicIds.length,
  );
  const started = performance.now();
  const plan = await planExport(handle.db, {
    exportId: randomUUID(),
    scope: { kind: "organization", asOf: busiest?.date ?? String(args.today) },
    organizationId,
    generatedAt: String(args.now),
    generatedBy: { userId: null, name: "bench", role: "auditor" },
  });
  let bytes = 0;
  let lines = 0;
  // A timer that should fire every 10 ms: how late it fires is how long the export holds the loop.
  let worstLagMs = 0;
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    worstLagMs = Math.max(worstLagMs, now - expected);
    expected = now + 10;
  }, 10);
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
      callback();
    },
  });
  // As export-jobs.ts writes it: the stored summaries where they hold (decisions 057, 058).
  await pipeline(summaryCsv(plan.header, plan.summarizedPractitioners(now)), sink);
  clearInterval(timer);
  const took = seconds(started);
  return {
    practitioners: plan.count,
    lines,
    bytes,
    seconds: took,
    practitionersPerSecond: plan.count / took,
    worstLoopLagMs: Math.round(worstLagMs),
    peakRssMb: peakRssMb(),
  };
}

/**
 * Every training-record row of the organization read into JS (hours summed, topics parsed), the
 * way the export reads them but with nothing on top: practitioners in id-keyset pages of 100,
 * each page's record rows in one query, no mapping beyond what the driver returns.
 */
async function scan(handle: DbHandle) {
  const organizationId = String(args.organizationId);
  const db = handle.db.withoutPlugins();
  const started = performance.now();
  let rows = 0;
  let hours = 0;
  let after = "";
  // Rows as objects (kysely's and better-sqlite3's way), or as arrays of values (ROWS_AS_ARRAYS in
  // @dn/db, the fastest way SQLite's rows reach JS here; PostgreSQL answers objects either way).
  const asArrays = args.asArrays === true;
  for (;;) {
    const page = await sql<{ id: string }>`select id from practitioners
      where organization_id = ${organizationId} and id > ${after} order by id limit 100`.execute(
      db,
    );
    if (page.rows.length === 0) break;
    const ids = page.rows.map((row) => row.id);
    const records = await sql<unknown>`${asArrays ? rowsAsArrays : sql.raw("")}select
      hours_theory, hours_practical, hours_online, topics_json, *
      from training_records where practitioner_id in (${sql.join(ids)})
      order by practitioner_id, completed_on, record_id, version`.execute(db);
    for (const row of records.rows) {
      const [theory, practical, online, topics] = Array.isArray(row)
        ? row
        : Object.values(row as Record<string, unknown>);
      hours += Number(theory) + Number(practical) + Number(online);
      JSON.parse(topics as string);
    }
    rows += records.rows.length;
    after = ids[ids.length - 1] as string;
  }
  const scanned = seconds(started);
  // And one SQL aggregate over the same rows, as the table had.
  const aggregateStarted = performance.now();
  await sql`select count(*) as n, sum(r.hours_theory + r.hours_practical + r.hours_online) as h
    from training_records r join practitioners p on p.id = r.practitioner_id
    where p.organization_id = ${organizationId}`.execute(handle.db);
  return {
    rows,
    hours,
    seconds: scanned,
    aggregateSeconds: seconds(aggregateStarted),
    peakRssMb: peakRssMb(),
  };
}

/** A roster of N people and then N completions, imported into a fresh organization. */
async function importRows(handle: DbHandle) {
  await migrateToLatest(handle.db);
  const n = Number(args.rows);
  const now = new Date(String(args.now));
  const org = await loadScaleOrganization(handle, 0, String(args.today), now);
  const membership = await handle.db
    .selectFrom("memberships")
    .select("id")
    .where("userId", "=", org.managerUserId)
    .executeTakeFirstOrThrow();
  const ctx: ServiceContext = {
    db: handle.db,
    now: () => now,
    accounts: localAccountServices(),
    origin: { clientAddress: null, userAgent: null },
    actor: {
      userId: org.managerUserId,
      membershipId: membership.id,
      organizationId: org.organizationId,
      role: "admin",
      practitionerId: null,
      clinicIds: null,
      sessionId: null,
    },
  };
  const clinic = await handle.db
    .selectFrom("clinics")
    .select(["name", "jurisdiction"])
    .where("id", "=", org.clinicIds[0] as string)
    .executeTakeFirstOrThrow();
  const state = clinic.jurisdiction;
  // The files are generated in chunks of 1,000 lines each time they are read.
  const roster = function* () {
    yield "name,email,profession,clinic,license_state,license_number,license_issued,license_expires\n";
    for (let i = 0; i < n; i += 1000) {
      let chunk = "";
      for (let j = i; j < Math.min(n, i + 1000); j += 1) {
        chunk += `Imported ${j},imported${j}@bench.example,PT,${clinic.name},${state},IMP${j},2020-01-01,2028-01-01\n`;
      }
      yield chunk;
    }
  };
  const completions = function* () {
    yield "license_number,state,course_id,completion_date,hours,subject_area\n";
    for (let i = 0; i < n; i += 1000) {
      let chunk = "";
      for (let j = i; j < Math.min(n, i + 1000); j += 1) {
        chunk += `IMP${j},${state},COURSE-${j % 37},2025-0${1 + (j % 9)}-15,${1 + (j % 8)},${j % 3 === 0 ? "Dry needling" : "Ethics"}\n`;
      }
      yield chunk;
    }
  };
  const baseRss = process.memoryUsage().rss;
  const rosterStarted = performance.now();
  const rosterReport = await importCsv(ctx, { kind: "roster", fileName: "roster.csv" }, roster);
  const rosterSeconds = seconds(rosterStarted);
  const completionsStarted = performance.now();
  const completionsReport = await importCsv(
    ctx,
    { kind: "completions", fileName: "completions.csv" },
    completions,
  );
  const completionsSeconds = seconds(completionsStarted);
  const rerunStarted = performance.now();
  const rerun = await importCsv(ctx, { kind: "roster", fileName: "roster.csv" }, roster);
  return {
    rows: n,
    rosterImported: rosterReport.rowsImported,
    rosterProblems: rosterReport.rowsInvalid,
    rosterSeconds,
    rosterRowsPerSecond: n / rosterSeconds,
    completionsImported: completionsReport.rowsImported,
    completionsProblems: completionsReport.rowsInvalid,
    completionsSeconds,
    completionsRowsPerSecond: n / completionsSeconds,
    rerunAlready: rerun.rowsAlready,
    rerunSeconds: seconds(rerunStarted),
    baseRssMb: Math.round(baseRss / 2 ** 20),
    peakRssMb: peakRssMb(),
  };
}

/** Same-size JSON from memory: the ceiling the API's requests per second are compared with. */
function bare(): void {
  const body = Buffer.from(String(args.body));
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.stdout.write(
      `${JSON.stringify({ port: typeof address === "object" ? address?.port : 0 })}\n`,
    );
  });
}

if (step === "bare") {
  bare();
} else {
  const handle = open(args.target);
  try {
    const result =
      step === "load"
        ? await load(handle)
        : step === "reevaluate"
          ? await reevaluate(handle)
          : step === "export"
            ? await exportSummary(handle)
            : step === "scan"
              ? await scan(handle)
              : step === "import"
                ? await importRows(handle)
                : null;
    if (result === null) throw new Error(`unknown step ${step}`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await handle.destroy();
  }
}
