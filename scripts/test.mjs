#!/usr/bin/env node
// The full test suite, exactly as CI runs it (.ci/run calls this): install, make sure Chromium,
// poppler (PDF tests), faketime and PostgreSQL are there, then typecheck, lint, unit/integration
// tests on SQLite and PostgreSQL, the same tests again with the system clock moved 400 days ahead
// (no test may depend on today's date), and the browser tests. A failing step does not stop the
// ones after it; the run ends with the time each step took, one line "dn: N passed, N failed",
// and a non-zero exit when anything failed.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { buildEnv, installDependencies, log, ROOT } from "./lib.mjs";

const PG = { host: "127.0.0.1", port: 5432 };
/** Debian packages the tests drive, by the file each installs. */
const SYSTEM_TOOLS = {
  "/usr/bin/chromium": "chromium",
  "/usr/bin/pdftoppm": "poppler-utils",
  "/usr/bin/faketime": "faketime",
};
/** How far ahead the second unit/integration run moves the clock: more than a year. */
const CLOCK_AHEAD = "+400d";
const UNIT_TESTS = ["exec", "turbo", "run", "test", "--concurrency=1", "--continue"];

const steps = [];
let passed = 0;
let failed = 0;

/** Runs one step, timing it; a step that throws or exits non-zero is recorded as failed. */
async function step(name, run) {
  log(`step: ${name}`);
  const started = performance.now();
  let ok = false;
  try {
    ok = (await run()) !== false;
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? error.message : error}`);
  }
  steps.push({ name, seconds: (performance.now() - started) / 1000, ok });
  return ok;
}

const installed = await step("install dependencies", () => installDependencies());
await step("system tools (chromium, poppler-utils, faketime)", () => ensureSystemTools());
await step("PostgreSQL reachable", () => ensurePostgres());
if (installed) {
  await step("typecheck", () => run(["typecheck"]));
  await step("lint", () => run(["lint"]));
  await step("unit and integration tests", () => runTests(UNIT_TESTS));
  await step(`unit and integration tests, clock ${CLOCK_AHEAD}`, () =>
    clockIsMovedAhead() ? runTests(UNIT_TESTS, { clockAhead: CLOCK_AHEAD }) : false,
  );
  await step("browser tests", () => runTests(["exec", "turbo", "run", "test:e2e", "--continue"]));
}

const width = Math.max(...steps.map((s) => s.name.length));
console.info("\nstep times");
for (const s of steps) {
  console.info(`  ${s.ok ? "ok  " : "FAIL"}  ${s.name.padEnd(width)}  ${s.seconds.toFixed(1)} s`);
}
const total = steps.reduce((sum, s) => sum + s.seconds, 0);
console.info(`        ${"total".padEnd(width)}  ${total.toFixed(1)} s`);
console.info(`dn: ${passed} passed, ${failed} failed`);
process.exit(steps.every((s) => s.ok) && failed === 0 ? 0 : 1);

/** `pnpm <args>` in the repo root; true when it exits 0. */
function run(args) {
  return spawnSync("pnpm", args, { cwd: ROOT, stdio: "inherit", env: buildEnv() }).status === 0;
}

function ensureSystemTools() {
  const missing = Object.entries(SYSTEM_TOOLS)
    .filter(([file]) => !existsSync(file))
    .map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the tests need Debian packages: sudo apt-get install -y ${missing.join(" ")}`);
  }
  log(`installing Debian packages for the tests: ${missing.join(", ")}`);
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
}

/** CI never skips the PostgreSQL tests: start the local cluster if it is installed but down. */
async function ensurePostgres() {
  if (await reachable()) return;
  const clusters = existsSync("/etc/postgresql")
    ? execFileSync("ls", ["/etc/postgresql"], { encoding: "utf8" }).trim()
    : "";
  if (clusters) {
    log("starting the local PostgreSQL cluster");
    spawnSync(
      "pg_ctlcluster",
      ["--skip-systemctl-redirect", clusters.split("\n")[0], "main", "start"],
      { stdio: "inherit" },
    );
    for (let i = 0; i < 40 && !(await reachable()); i++)
      await new Promise((r) => setTimeout(r, 250));
  }
  if (await reachable()) return;
  if (process.env.CI)
    throw new Error(
      `PostgreSQL is not reachable at ${PG.host}:${PG.port}; CI never skips those tests`,
    );
  log(`WARNING: no PostgreSQL at ${PG.host}:${PG.port}: the PostgreSQL tests will be SKIPPED`);
}

function reachable() {
  return new Promise((resolve) => {
    const socket = net.connect(PG, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Proof that faketime works here: a Node process under it sees a date more than a year ahead. */
function clockIsMovedAhead() {
  const seen = spawnSync(
    "faketime",
    ["-f", CLOCK_AHEAD, process.execPath, "-e", "process.stdout.write(String(Date.now()))"],
    { encoding: "utf8", env: { ...process.env, FAKETIME_DONT_FAKE_MONOTONIC: "1" } },
  );
  // biome-ignore lint/plugin: comparing the faked clock with the real one is the point here.
  const aheadMs = Number(seen.stdout) - Date.now();
  const ok = aheadMs > 366 * 86_400_000;
  log(
    ok
      ? `faketime: test processes see ${new Date(Number(seen.stdout)).toISOString()}`
      : `faketime did not move the clock (${seen.stderr || seen.stdout})`,
  );
  return ok;
}

/**
 * Runs pnpm, echoing its output, and adds vitest's "Tests  N passed | M failed" lines to the
 * totals. With `clockAhead`, runs it under Debian's faketime: the wall clock every test process
 * reads is moved ahead, while monotonic time (timers, performance.now) is left alone.
 */
function runTests(args, { clockAhead } = {}) {
  const [command, argv] = clockAhead
    ? ["faketime", ["-f", clockAhead, "pnpm", ...args]]
    : ["pnpm", args];
  // The clock-moved run checks that no test depends on today's date; the crash tests' 20 kills
  // each (several minutes) prove nothing more there than 4 do.
  const extra = clockAhead ? { FAKETIME_DONT_FAKE_MONOTONIC: "1", DN_CRASH_KILLS: "4" } : {};
  return new Promise((resolve) => {
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: buildEnv({ FORCE_COLOR: "0", ...extra }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let counted = 0;
    let buffer = "";
    const scan = (chunk) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const raw of lines) {
        // turbo keeps vitest's colours whatever FORCE_COLOR says: strip them before matching.
        const line = raw.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
        const summary = line.match(/Tests\s+(.*)\(\d+\)\s*$/);
        if (!summary) continue;
        counted += 1;
        passed += Number(summary[1].match(/(\d+) passed/)?.[1] ?? 0);
        failed += Number(summary[1].match(/(\d+) failed/)?.[1] ?? 0);
      }
    };
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      scan(chunk.toString());
    });
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    child.on("error", (error) => {
      log(`${command} could not start: ${error.message}`);
      resolve(false);
    });
    child.on("exit", (status) => {
      scan("\n");
      // A run that printed no vitest summary at all failed before testing anything.
      resolve(status === 0 && counted > 0);
    });
  });
}
