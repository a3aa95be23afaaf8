/**
 * Starts what the browser tests run against and stops it afterwards:
 * a temporary SQLite database (migrated, demo data seeded), apps/api on a free port, and the
 * built admin app under its server (server.mjs, as `pnpm start`) on another, pointed at that API. Tests that need a fresh
 * installation (the onboarding test) start a stack of their own with `startDnStack`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { systemClock } from "@dn/clock";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    apiUrl: string;
    outboxDir: string;
  }
}

const adminDir = fileURLToPath(new URL("..", import.meta.url));
const apiMain = fileURLToPath(new URL("../../api/src/main.ts", import.meta.url));
const serverBuild = join(adminDir, "build/server/index.js");
const require = createRequire(import.meta.url);

export interface DnStack {
  adminUrl: string;
  apiUrl: string;
  /** Where the API writes the emails it sends when no SMTP server is given (.eml files). */
  outboxDir: string;
  stop(): Promise<void>;
}

/**
 * Starts apps/api and the built admin app on a temporary SQLite file: seeded with the demo data,
 * or empty (a fresh installation) when `seed` is false. `env` adds settings such as DN_SMTP_URL.
 */
export async function startDnStack(
  options: { seed: boolean; env?: NodeJS.ProcessEnv } = { seed: true },
): Promise<DnStack> {
  if (!existsSync(serverBuild)) {
    throw new Error(
      `No admin build at ${serverBuild}: run \`pnpm --filter @dn/app-admin build\` first.`,
    );
  }
  const dataDir = await mkdtemp(join(tmpdir(), "dn-e2e-"));
  const sqlitePath = join(dataDir, "dn.sqlite");
  const outboxDir = join(dataDir, "outbox");
  const baseEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DN_SQLITE_PATH: sqlitePath,
    DN_FILES_DIR: join(dataDir, "files"),
    DN_EXPORTS_DIR: join(dataDir, "exports"),
    DN_MAIL_OUTBOX_DIR: outboxDir,
    ...options.env,
  };
  // The browser tests always run on their own SQLite file, never on a configured server.
  delete baseEnv.DATABASE_URL;

  await prepareDatabase(sqlitePath, options.seed);

  const children: Started[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const apiPort = await findFreePort();
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const adminPort = await findFreePort();
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    children.push(
      start("api", process.execPath, [require.resolve("tsx/cli"), apiMain], {
        ...baseEnv,
        DN_API_PORT: String(apiPort),
        DN_API_HOST: "127.0.0.1",
        DN_APP_URL: adminUrl,
        LOG_LEVEL: "warn",
      }),
    );
    await waitForOk(`${apiUrl}/health`, children);

    children.push(
      start("admin", process.execPath, [join(adminDir, "server.mjs"), serverBuild], {
        ...baseEnv,
        NODE_ENV: "production",
        PORT: String(adminPort),
        HOST: "127.0.0.1",
        DN_API_URL: apiUrl,
        DN_SESSION_SECRET: "dn-e2e-session-secret-0123456789",
        // The browser tests speak plain HTTP to 127.0.0.1.
        DN_COOKIE_SECURE: "false",
      }),
    );
    // An empty installation sends /login to /setup, which answers until it is set up.
    await waitForOk(`${adminUrl}/${options.seed ? "login" : "setup"}`, children);
    return { adminUrl, apiUrl, outboxDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startDnStack({ seed: true });
  project.provide("adminUrl", stack.adminUrl);
  project.provide("apiUrl", stack.apiUrl);
  project.provide("outboxDir", stack.outboxDir);
  return stack.stop;
}

/** Migrates a fresh SQLite file and, when asked, loads the demo organization and its people. */
async function prepareDatabase(sqlitePath: string, seed: boolean) {
  const { createDb, migrateToLatest, seedDemo } = await import("@dn/db");
  const handle = createDb({ sqlitePath });
  try {
    await migrateToLatest(handle.db);
    if (seed) await seedDemo(handle.db, systemClock());
  } finally {
    await handle.destroy();
  }
}

type Started = {
  name: string;
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
};

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(command, args, { cwd: adminDir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200, failing early (with its output) if a started app exits. */
async function waitForOk(url: string, started: Started[], timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  let lastProblem = "no answer yet";
  while (performance.now() < deadline) {
    const dead = started.find((s) => s.child.exitCode !== null || s.child.signalCode !== null);
    if (dead) {
      throw new Error(
        `The ${dead.name} process exited while waiting for ${url}:\n${dead.output()}`,
      );
    }
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.ok) return;
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const logs = started.map((s) => `--- ${s.name} ---\n${s.output()}`).join("\n");
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${lastProblem}).\n${logs}`);
}
