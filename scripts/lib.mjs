// Helpers shared by the quick-start and test scripts. Plain Node (no dependencies): these run
// before `pnpm install`, on a machine that has only Node and npm.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const PNPM_VERSION = "12.4.2";

export function log(message) {
  console.info(`\x1b[36m[dn]\x1b[0m ${message}`);
}

/**
 * The environment every pnpm call gets. better-sqlite3 compiles from source and needs Node's
 * headers; pnpm 12 ignores `nodedir` in .npmrc, so it is passed as npm_config_nodedir.
 */
export function buildEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  if (!env.npm_config_nodedir) {
    const dir = [dirname(dirname(process.execPath)), "/usr"].find((d) =>
      existsSync(join(d, "include", "node", "node_api.h")),
    );
    if (dir) env.npm_config_nodedir = dir;
  }
  return env;
}

function pnpmVersion() {
  try {
    return execFileSync("pnpm", ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

/** Makes sure pnpm 12.4.2 is on the PATH, installing it with npm when it is not. */
export function ensurePnpm() {
  if (pnpmVersion() === PNPM_VERSION) return;
  log(`installing pnpm@${PNPM_VERSION} with npm`);
  const result = spawnSync("npm", ["install", "--global", `pnpm@${PNPM_VERSION}`], {
    stdio: "inherit",
  });
  if (result.status !== 0 || pnpmVersion() !== PNPM_VERSION) {
    throw new Error(
      `could not install pnpm@${PNPM_VERSION}: run "npm i -g pnpm@${PNPM_VERSION}" and retry`,
    );
  }
}

/** Runs pnpm in the repo root and throws when it fails. */
export function pnpm(args, extraEnv = {}) {
  const result = spawnSync("pnpm", args, { cwd: ROOT, stdio: "inherit", env: buildEnv(extraEnv) });
  if (result.status !== 0) throw new Error(`pnpm ${args.join(" ")} failed (exit ${result.status})`);
}

export function installDependencies() {
  ensurePnpm();
  log("installing dependencies (pnpm install)");
  pnpm(["install", "--frozen-lockfile"]);
}
