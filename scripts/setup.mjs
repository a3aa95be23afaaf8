#!/usr/bin/env node
// Installs dependencies so that the README commands work on a fresh machine with only Node + npm.
// Two things bite offline machines:
//  - pnpm 12 refuses dependency build scripts unless listed under `allowBuilds:` (done in
//    pnpm-workspace.yaml);
//  - better-sqlite3 compiles from source and needs Node's headers: pnpm 12 ignores `nodedir` in
//    .npmrc, so we pass npm_config_nodedir through the environment.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname } from "node:path";

const nodedir = process.env.npm_config_nodedir ?? guessNodeDir();
const env = { ...process.env, ...(nodedir ? { npm_config_nodedir: nodedir } : {}) };

if (process.argv.includes("--if-needed") && existsSync("node_modules/.modules.yaml")) {
  process.exit(0);
}
execSync("pnpm install --frozen-lockfile=false", { stdio: "inherit", env });

function guessNodeDir() {
  // Node's headers live in <prefix>/include/node; on Debian that prefix is /usr.
  for (const dir of ["/usr", dirname(dirname(process.execPath))]) {
    if (existsSync(`${dir}/include/node/node_api.h`)) return dir;
  }
  return undefined;
}
