/**
 * `pnpm bench:scale [--sizes 1000,10000,100000] [--dialect sqlite|postgres] [--duration 10]
 * [--timeout 300] [--keep]`:
 * builds one organization per size (50 training records per practitioner, load.ts) and prints,
 * side by side, what the issue asks a reader to trust (decision 058):
 *
 * - dashboard and staff-matrix time to first byte through the real API server over HTTP, first,
 *   repeated, and after a change (a record verified through the API) on the warm server;
 * - a full re-evaluation, the summary CSV export (practitioners/s, peak RSS), a raw SQL scan of
 *   the same rows into JS (as row objects and as arrays; ratios against the faster), one SQL
 *   aggregate, and the ratios between them;
 * - `/health` p50/p99 while 20 dashboard requests run at once;
 * - `practitioners.list` and `compliance.evaluate` requests/s at 10 connections (autocannon) next
 *   to a bare node:http server answering the same number of JSON bytes from memory;
 * - roster and completions import rows/s and peak RSS.
 *
 * Figures and ratios, no assertions. The dialect is also read from DN_BENCH_DIALECT; PostgreSQL
 * uses DN_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) to create one scratch
 * database per size. Everything it creates is removed at the end unless --keep is given.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemClock } from "@dn/clock";
import { createDb, findRepoRoot } from "@dn/db";
import autocannon from "autocannon";
import { sql } from "kysely";
import type { Target } from "./child.ts";

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

function option(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const index = argv.indexOf(`--${name}`);
  if (index >= 0) return argv[index + 1];
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
const sizes = (option("sizes") ?? "1000,10000,100000")
  .split(",")
  .map((s) => Number(s.replace(/_/g, "").replace(/k$/i, "000")))
  .filter((n) => Number.isInteger(n) && n > 0);
const dialect = (option("dialect") ?? process.env.DN_BENCH_DIALECT ?? "sqlite") as
  | "sqlite"
  | "postgres";
if (dialect !== "sqlite" && dialect !== "postgres") {
  throw new Error(`--dialect must be sqlite or postgres, not ${String(dialect)}`);
}
const durationSeconds = Number(option("duration") ?? 10);
const keep = process.argv.includes("--keep");
/** How long one HTTP request may take before it is reported as timed out (--timeout seconds). */
const REQUEST_TIMEOUT_MS = Number(option("timeout") ?? 300) * 1000;
const pgAdminUrl = process.env.DN_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

// The bench's own clock: the loader spreads records back from this date and the server runs on
// the wall clock, which is the point (the API host reads systemClock).
const NOW = systemClock();
const TODAY = NOW.toISOString().slice(0, 10);

const here = fileURLToPath(new URL(".", import.meta.url));
const repoRoot = findRepoRoot(here) ?? process.cwd();
const childScript = join(here, "child.ts");
const apiMain = join(repoRoot, "apps", "api", "src", "main.ts");

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

function runChild<T>(step: string, args: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", childScript, step, JSON.stringify(args)],
      {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`bench step ${step} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "null") as T);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const started = performance.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not answer in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The real API host (apps/api/src/main.ts) on its own port, logging as in production. */
async function startApi(
  target: Target,
  dir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    DN_API_PORT: String(port),
    DN_API_HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    NODE_ENV: "production",
    DN_FILES_DIR: join(dir, "files"),
    DN_EXPORTS_DIR: join(dir, "exports"),
  };
  delete env.DATABASE_URL;
  delete env.DN_SQLITE_PATH;
  if (target.dialect === "postgres") env.DATABASE_URL = target.location;
  else env.DN_SQLITE_PATH = target.location;
  const child = spawn(process.execPath, ["--import", "tsx", apiMain], {
    cwd: join(repoRoot, "apps", "api"),
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/health`, 120_000);
  return { url, child };
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP measurements
// ---------------------------------------------------------------------------------------------

interface Timed {
  status: number;
  ttfbMs: number;
  totalMs: number;
  bytes: number;
  body: string;
}

/**
 * One GET, or a POST of `body` as JSON: milliseconds to the response's first byte (headers) and
 * to its end.
 */
function get(url: string, token?: string, body?: unknown): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method: payload === undefined ? "GET" : "POST",
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
        },
      },
      (res) => {
        const ttfbMs = performance.now() - started;
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            ttfbMs,
            totalMs: performance.now() - started,
            bytes: body.length,
            body: body.toString(),
          });
        });
        res.on("error", reject);
      },
    );
    // A request that has not answered in REQUEST_TIMEOUT_MS is reported as such, not waited for.
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      req.destroy();
      resolve({
        status: 0,
        ttfbMs: Number.POSITIVE_INFINITY,
        totalMs: Number.POSITIVE_INFINITY,
        bytes: 0,
        body: "",
      });
    });
    req.on("error", (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      // A kept-alive socket the server closed as it was reused: ask again on a new one, as
      // Node's documentation advises for idempotent requests.
      if (code === "ECONNRESET" && req.reusedSocket && !req.destroyed && payload === undefined) {
        get(url, token).then(resolve, reject);
        return;
      }
      if (!req.destroyed || code !== "ECONNRESET") reject(error);
    });
    req.end(payload);
  });
}

const procedureUrl = (base: string, path: string, input: unknown) =>
  `${base}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;

const median = (values: number[]) => percentile(values, 50);
function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

/**
 * Pages of `practitioners.list` walked by cursor, one request at a time: each page is asked for
 * the first time, so none is a kept answer (decision 061) and this is the uncached cost.
 */
async function walkPages(base: string, token: string, pages = 100) {
  const times: number[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < pages; page += 1) {
    const reply = await get(
      procedureUrl(base, "practitioners.list", { limit: 50, ...(cursor ? { cursor } : {}) }),
      token,
    );
    times.push(reply.totalMs);
    cursor =
      (JSON.parse(reply.body) as { result?: { data?: { nextCursor?: string | null } } }).result
        ?.data?.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return { pages: times.length, medianMs: median(times), p99Ms: percentile(times, 99) };
}

/** The median TTFB of `runs` sequential GETs after one warm-up (whose time is reported too). */
async function ttfb(url: string, token: string, runs = 5) {
  const first = await get(url, token);
  if (first.status === 0)
    return { firstMs: first.ttfbMs, medianMs: Number.NaN, status: 0, bytes: 0 };
  const times: number[] = [];
  let last = first;
  for (let i = 0; i < runs; i += 1) {
    last = await get(url, token);
    times.push(last.ttfbMs);
  }
  return { firstMs: first.ttfbMs, medianMs: median(times), status: last.status, bytes: last.bytes };
}

/** How many changes `afterChanges` makes, each followed by a dashboard and a matrix. */
const CHANGES = 10;

/**
 * What a manager waits for after a change, on a server that is already warm: a pending record is
 * verified through the API (its practitioner is marked stale and the audit chain's head moves,
 * so no kept answer applies), then the dashboard and the matrix are asked for, CHANGES times.
 */
async function afterChanges(base: string, token: string, dashboardUrl: string, matrixUrl: string) {
  const queue = await get(procedureUrl(base, "records.reviewQueue", { limit: CHANGES }), token);
  const items =
    (JSON.parse(queue.body) as { result?: { data?: { items?: { id: string }[] } } }).result?.data
      ?.items ?? [];
  const dashboards: number[] = [];
  const matrices: number[] = [];
  let failed = 0;
  for (const item of items) {
    const review = await get(`${base}/trpc/records.review`, token, {
      id: item.id,
      decision: "verify",
    });
    if (review.status !== 200) failed += 1;
    dashboards.push((await get(dashboardUrl, token)).ttfbMs);
    matrices.push((await get(matrixUrl, token)).ttfbMs);
  }
  return {
    changes: items.length,
    failed,
    dashboardMedianMs: median(dashboards),
    dashboardMaxMs: Math.max(...dashboards),
    matrixMedianMs: median(matrices),
    matrixMaxMs: Math.max(...matrices),
  };
}

/**
 * `/health` sampled back to back while 20 dashboard requests are in flight at every moment: 20
 * clients each ask again as soon as answered, for at least HEALTH_WINDOW_MS, so there are enough
 * samples for a p99 even when a dashboard takes a few milliseconds.
 */
async function healthUnderLoad(base: string, token: string, dashboardUrl: string) {
  const until = performance.now() + HEALTH_WINDOW_MS;
  let running = true;
  const dashboardTimes: number[] = [];
  const client = async () => {
    do dashboardTimes.push((await get(dashboardUrl, token)).totalMs);
    while (performance.now() < until);
  };
  const dashboards = Promise.all(Array.from({ length: 20 }, client)).finally(() => {
    running = false;
  });
  const samples: number[] = [];
  while (running) {
    samples.push((await get(`${base}/health`)).totalMs);
    await new Promise((r) => setTimeout(r, 5));
  }
  await dashboards;
  return {
    samples: samples.length,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: Math.max(...samples),
    dashboards: dashboardTimes.length,
    dashboardsP50Ms: percentile(dashboardTimes, 50),
    dashboardsMaxMs: Math.max(...dashboardTimes),
  };
}

/** How long `/health` is sampled under the 20 dashboard clients. */
const HEALTH_WINDOW_MS = 3000;

/**
 * Requests per second at 10 connections, after one second of the same load that is not counted:
 * both servers compared are measured warm (JIT-compiled, caches filled), not in their first
 * second, which at a few seconds' duration weighed a fifth of the average.
 */
async function requestsPerSecond(url: string, token?: string) {
  const options = {
    url,
    connections: 10,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  };
  await autocannon({ ...options, duration: 1 });
  const result = await autocannon({ ...options, duration: durationSeconds });
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** Autocannon against a bare node:http server answering `body` from memory. */
async function bareRequestsPerSecond(body: string) {
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      childScript,
      "bare",
      JSON.stringify({ body, target: { dialect, location: "" } }),
    ],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once("data", (chunk: Buffer) => resolve(JSON.parse(chunk.toString()).port));
    child.once("error", reject);
  });
  try {
    return await requestsPerSecond(`http://127.0.0.1:${port}/`);
  } finally {
    await stop(child);
  }
}

// ---------------------------------------------------------------------------------------------
// One size
// ---------------------------------------------------------------------------------------------

/**
 * On PostgreSQL, what autovacuum does some time after bulk writes, done at once: statistics for
 * the planner and a visibility map for index-only scans. Without them (this machine's server
 * runs with autovacuum off) the dashboard's counts were planned for one row and took 2-3 s at
 * 10k instead of 0.1. Returns the seconds taken and whether autovacuum is on.
 */
async function vacuumAnalyze(target: Target): Promise<{ seconds: number; autovacuum: string }> {
  const handle = createDb({ databaseUrl: target.location, poolSize: 1 });
  try {
    const started = performance.now();
    await sql`vacuum analyze`.execute(handle.db);
    const setting = await sql<{ autovacuum: string }>`show autovacuum`.execute(handle.db);
    return {
      seconds: (performance.now() - started) / 1000,
      autovacuum: setting.rows[0]?.autovacuum ?? "",
    };
  } finally {
    await handle.destroy();
  }
}

async function scratchTarget(
  size: number,
  dir: string,
): Promise<{ target: Target; drop: () => Promise<void> }> {
  if (dialect === "sqlite") {
    return {
      target: { dialect, location: join(dir, `bench-${size}.sqlite`) },
      drop: async () => {},
    };
  }
  const name = `dn_bench_${size}_${process.pid}`;
  const admin = createDb({ databaseUrl: pgAdminUrl, poolSize: 1 });
  try {
    await sql.raw(`drop database if exists ${name}`).execute(admin.db);
    await sql.raw(`create database ${name}`).execute(admin.db);
  } finally {
    await admin.destroy();
  }
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    target: { dialect, location: url.toString() },
    drop: async () => {
      const again = createDb({ databaseUrl: pgAdminUrl, poolSize: 1 });
      try {
        await sql.raw(`drop database if exists ${name} with (force)`).execute(again.db);
      } finally {
        await again.destroy();
      }
    },
  };
}

type Figures = Record<string, string>;

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "–";

async function measureSize(size: number, dir: string): Promise<Figures> {
  const log = (message: string) =>
    process.stderr.write(`[${size.toLocaleString("en-US")}] ${message}\n`);
  const { target, drop } = await scratchTarget(size, dir);
  // Each figure is also logged as it is measured, so an interrupted run still shows what it got.
  const figures: Figures = new Proxy({} as Figures, {
    set(target, label, value) {
      target[String(label)] = String(value);
      log(`${String(label).trim()}: ${String(value)}`);
      return true;
    },
  });
  try {
    log("loading");
    const org = await runChild<{
      organizationId: string;
      token: string;
      recordRows: number;
      licenses: number;
      seconds: number;
    }>("load", { target, size, today: TODAY, now: NOW.toISOString() });
    figures["rows loaded (records / licenses)"] = `${fmt(org.recordRows)} / ${fmt(org.licenses)}`;
    figures["bulk load, s (rows/s)"] =
      `${fmt(org.seconds, 1)} (${fmt((org.recordRows + org.licenses + size) / org.seconds)})`;
    if (dialect === "postgres") {
      const settled = await vacuumAnalyze(target);
      figures[`vacuum analyze after the load, s (autovacuum ${settled.autovacuum})`] = fmt(
        settled.seconds,
        1,
      );
    }
    const common = {
      target,
      organizationId: org.organizationId,
      today: TODAY,
      now: NOW.toISOString(),
    };

    log("full re-evaluation");
    const evaluation = await runChild<{
      path: string;
      evaluated: number;
      seconds: number;
      trendMonths: number;
      trendSeconds: number;
      peakRssMb: number;
    }>("reevaluate", common);
    if (dialect === "postgres") {
      figures["vacuum analyze after the re-evaluation, s"] = fmt(
        (await vacuumAnalyze(target)).seconds,
        1,
      );
    }
    log("raw scan");
    type Scan = { rows: number; seconds: number; aggregateSeconds: number; peakRssMb: number };
    const scan = await runChild<Scan>("scan", common);
    // The same rows as arrays of values: on SQLite the faster read, so the stricter reference.
    const arrayScan = await runChild<Scan>("scan", { ...common, asArrays: true });
    const reference = arrayScan.seconds < scan.seconds ? arrayScan : scan;
    log("summary export");
    const exported = await runChild<{
      practitioners: number;
      seconds: number;
      practitionersPerSecond: number;
      worstLoopLagMs: number;
      peakRssMb: number;
    }>("export", common);
    figures[`full re-evaluation, s (${evaluation.path})`] = fmt(evaluation.seconds, 2);
    figures["trend months filled by the job, s (months)"] =
      `${fmt(evaluation.trendSeconds, 2)} (${fmt(evaluation.trendMonths)})`;
    figures["raw SQL scan into JS, s (rows)"] = `${fmt(scan.seconds, 2)} (${fmt(scan.rows)})`;
    figures["  the same rows as arrays, s"] = fmt(arrayScan.seconds, 2);
    figures["one SQL aggregate, s"] = fmt(scan.aggregateSeconds, 2);
    figures["re-evaluation / raw scan (the faster of the two)"] =
      `${fmt(evaluation.seconds / reference.seconds, 2)}×`;
    figures["summary export, s"] = fmt(exported.seconds, 2);
    figures["summary export, practitioners/s"] = fmt(exported.practitionersPerSecond);
    figures["summary export peak RSS, MB"] = fmt(exported.peakRssMb);
    figures["summary export worst event-loop lag, ms"] = fmt(exported.worstLoopLagMs);
    figures["export / raw scan"] = `${fmt(exported.seconds / reference.seconds, 2)}×`;

    log("starting the API server");
    const api = await startApi(target, dir);
    try {
      const dashboardUrl = procedureUrl(api.url, "dashboard.summary", {});
      const matrixUrl = procedureUrl(api.url, "dashboard.matrix", {});
      log("dashboard and matrix");
      const dashboard = await ttfb(dashboardUrl, org.token);
      const matrix = await ttfb(matrixUrl, org.token);
      figures["dashboard TTFB, first / median ms"] =
        `${fmt(dashboard.firstMs)} / ${fmt(dashboard.medianMs)}${dashboard.status === 200 ? "" : dashboard.status === 0 ? " (timed out)" : ` (HTTP ${dashboard.status})`}`;
      figures["dashboard response, KB"] = fmt(dashboard.bytes / 1024, 1);
      figures["staff matrix TTFB, first / median ms"] =
        `${fmt(matrix.firstMs)} / ${fmt(matrix.medianMs)}${matrix.status === 200 ? "" : matrix.status === 0 ? " (timed out)" : ` (HTTP ${matrix.status})`}`;
      figures["staff matrix response, KB"] = fmt(matrix.bytes / 1024, 1);
      const changed = await afterChanges(api.url, org.token, dashboardUrl, matrixUrl);
      const made =
        changed.changes === CHANGES && changed.failed === 0
          ? ""
          : ` (${changed.changes - changed.failed} changes made)`;
      figures[`  dashboard TTFB after a change, median / max ms (${CHANGES} records verified)`] =
        `${fmt(changed.dashboardMedianMs)} / ${fmt(changed.dashboardMaxMs)}${made}`;
      figures[`  staff matrix TTFB after a change, median / max ms`] =
        `${fmt(changed.matrixMedianMs)} / ${fmt(changed.matrixMaxMs)}${made}`;

      log("/health under 20 dashboards");
      const health = await healthUnderLoad(api.url, org.token, dashboardUrl);
      figures["/health p50 / p99 ms under 20 dashboards"] =
        `${fmt(health.p50Ms, 1)} / ${fmt(health.p99Ms, 1)} (${health.samples} samples)`;
      // Labels stay the same across sizes (one table row each); counts go with the values.
      figures["20 concurrent dashboard clients, p50 / max ms"] =
        `${fmt(health.dashboardsP50Ms)} / ${fmt(health.dashboardsMaxMs)} (${fmt(health.dashboards)} requests)`;

      log("requests per second");
      const listUrl = procedureUrl(api.url, "practitioners.list", { limit: 50 });
      const listSample = await get(listUrl, org.token);
      const first = JSON.parse(listSample.body) as {
        result?: { data?: { items?: { id: string }[] } };
      };
      const practitionerId = first.result?.data?.items?.[0]?.id;
      const evaluateUrl = procedureUrl(api.url, "compliance.evaluate", {
        practitionerId,
        standardId: "us-fl-dn",
      });
      const evaluateSample = await get(evaluateUrl, org.token);
      const walked = await walkPages(api.url, org.token);
      const list = await requestsPerSecond(listUrl, org.token);
      const bareList = await bareRequestsPerSecond(listSample.body);
      const evaluateRps = await requestsPerSecond(evaluateUrl, org.token);
      const bareEvaluate = await bareRequestsPerSecond(evaluateSample.body);
      const rps = (r: { rps: number; p99Ms: number; non2xx: number; timeouts: number }) =>
        `${fmt(r.rps)} (p99 ${fmt(r.p99Ms)} ms${r.non2xx || r.timeouts ? `, ${r.non2xx} non-2xx, ${r.timeouts} timeouts` : ""})`;
      figures["practitioners.list req/s, 10 conn"] =
        `${rps(list)}, ${fmt(listSample.bytes / 1024, 1)} KB`;
      figures["  bare node:http, same bytes"] = rps(bareList);
      figures["  share of bare"] = `${fmt((100 * list.rps) / bareList.rps, 1)}%`;
      figures["  uncached pages by cursor, median / p99 ms"] =
        `${fmt(walked.medianMs, 1)} / ${fmt(walked.p99Ms, 1)} (${walked.pages} pages)`;
      figures["compliance.evaluate req/s, 10 conn"] =
        `${rps(evaluateRps)}, ${fmt(evaluateSample.bytes / 1024, 1)} KB${evaluateSample.status === 200 ? "" : `, HTTP ${evaluateSample.status}`}`;
      figures["  bare node:http, same bytes "] = rps(bareEvaluate);
      figures["  share of bare "] = `${fmt((100 * evaluateRps.rps) / bareEvaluate.rps, 1)}%`;
    } finally {
      await stop(api.child);
    }

    log("imports");
    const importTarget = await scratchTarget(size + 1, dir);
    try {
      const imports = await runChild<{
        rosterRowsPerSecond: number;
        completionsRowsPerSecond: number;
        rosterImported: number;
        completionsImported: number;
        rerunAlready: number;
        rerunSeconds: number;
        peakRssMb: number;
      }>("import", {
        target: importTarget.target,
        rows: size,
        today: TODAY,
        now: NOW.toISOString(),
      });
      figures["roster import of N rows, rows/s"] = fmt(imports.rosterRowsPerSecond);
      figures["completions import of N rows, rows/s"] = fmt(imports.completionsRowsPerSecond);
      figures["re-run (nothing new), s"] =
        `${fmt(imports.rerunSeconds, 2)} (${fmt(imports.rerunAlready)} already)`;
      figures["imports peak RSS, MB"] = fmt(imports.peakRssMb);
    } finally {
      if (!keep) await importTarget.drop();
    }
  } finally {
    if (!keep) await drop();
  }
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), "dn-bench-scale-"));
const results: { size: number; figures: Figures }[] = [];
try {
  for (const size of sizes) results.push({ size, figures: await measureSize(size, dir) });
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else process.stderr.write(`kept ${dir}\n`);
}

const labels = [...new Set(results.flatMap((r) => Object.keys(r.figures)))];
const header = ["", ...results.map((r) => `${r.size.toLocaleString("en-US")} staff`)];
const rows = labels.map((label) => [label, ...results.map((r) => r.figures[label] ?? "–")]);
const widths = header.map((_, i) =>
  Math.max(...[header, ...rows].map((row) => (row[i] ?? "").length)),
);
const line = (row: string[]) =>
  row
    .map((cell, i) => cell.padEnd(widths[i] ?? 0))
    .join("  ")
    .trimEnd();
process.stdout.write(
  `\npnpm bench:scale: ${dialect}, 50 training records per practitioner, node ${process.version}\n\n${line(header)}\n${line(widths.map((w) => "-".repeat(w)))}\n${rows.map(line).join("\n")}\n`,
);
if (results.length >= 2) {
  // The largest size's figure over the smallest's: `index` picks a part of "a / b" figures.
  const ratio = (label: string, index: number) => {
    const values = results.map((r) =>
      Number(
        (r.figures[label] ?? "")
          .split("/")
          [index]?.replace(/\([^)]*\)/g, "")
          .replace(/[^0-9.]/g, ""),
      ),
    );
    return `${fmt((values.at(-1) as number) / (values[0] as number), 2)}×`;
  };
  const dashboard = "dashboard TTFB, first / median ms";
  const matrix = "staff matrix TTFB, first / median ms";
  const dashboardChanged = `  dashboard TTFB after a change, median / max ms (${CHANGES} records verified)`;
  const matrixChanged = "  staff matrix TTFB after a change, median / max ms";
  process.stdout.write(
    `\nlargest / smallest size, TTFB: dashboard first ${ratio(dashboard, 0)}, after a change ${ratio(dashboardChanged, 0)}, repeated ${ratio(dashboard, 1)}; matrix first ${ratio(matrix, 0)}, after a change ${ratio(matrixChanged, 0)}, repeated ${ratio(matrix, 1)}\n`,
  );
}
