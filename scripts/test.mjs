#!/usr/bin/env node
// The full test suite, exactly as CI runs it (.ci/run calls this): install, make sure Chromium and
// PostgreSQL are there, then typecheck, lint, unit/integration tests on SQLite and PostgreSQL, and
// the browser tests. Ends with one line "dn: N passed, N failed".
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { buildEnv, installDependencies, log, pnpm, ROOT } from "./lib.mjs";

const CHROMIUM = "/usr/bin/chromium";
const PG = { host: "127.0.0.1", port: 5432 };

installDependencies();
ensureChromium();
await ensurePostgres();

pnpm(["typecheck"]);
pnpm(["lint"]);
const { passed, failed, code } = await runAndCount([
  "exec",
  "turbo",
  "run",
  "test",
  "test:e2e",
  "--concurrency=1",
  "--continue",
]);
console.info(`dn: ${passed} passed, ${failed} failed`);
process.exit(code);

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `browser tests need Debian's chromium at ${CHROMIUM}: sudo apt-get install -y chromium`,
    );
  }
  log("installing Debian chromium for the browser tests");
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
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

/** Runs pnpm, echoing its output, and adds up vitest's "Tests  N passed | M failed" lines. */
function runAndCount(args) {
  return new Promise((resolve) => {
    const child = spawn("pnpm", args, {
      cwd: ROOT,
      env: buildEnv({ FORCE_COLOR: "0" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let passed = 0;
    let failed = 0;
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
        passed += Number(summary[1].match(/(\d+) passed/)?.[1] ?? 0);
        failed += Number(summary[1].match(/(\d+) failed/)?.[1] ?? 0);
      }
    };
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      scan(chunk.toString());
    });
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    child.on("exit", (status) => {
      scan("\n");
      resolve({ passed, failed, code: status ?? 1 });
    });
  });
}
