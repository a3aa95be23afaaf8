#!/usr/bin/env node
// The quick start: install, build, migrate, seed demo data (first run only), then run the API and
// the admin app together on embedded SQLite, printing their URLs and the demo logins.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildEnv, installDependencies, log, pnpm, ROOT } from "./lib.mjs";

const API_PORT = process.env.DN_API_PORT ?? "3001";
const ADMIN_PORT = process.env.PORT ?? "3000";
const API_URL = `http://127.0.0.1:${API_PORT}`;
const ADMIN_URL = `http://localhost:${ADMIN_PORT}`;

installDependencies();
log("building the admin app");
pnpm(["--filter", "@dn/app-admin", "build"]);
log("migrating the database");
pnpm(["--filter", "@dn/db", "migrate"]);
// DN_DEMO_SEED=false starts with an empty database: the admin app then opens its set-up page.
const seedDemo = process.env.DN_DEMO_SEED !== "false";
if (seedDemo) pnpm(["--filter", "@dn/db", "seed"]);

// Both run as in production (no stack traces in error responses); the admin app needs a real
// session secret there, so the quick start makes one on first run and keeps it in ./data.
const env = buildEnv({
  NODE_ENV: "production",
  DN_API_PORT: API_PORT,
  PORT: ADMIN_PORT,
  DN_API_URL: API_URL,
  DN_SESSION_SECRET: process.env.DN_SESSION_SECRET ?? sessionSecret(),
  // The quick start serves plain HTTP on localhost; behind HTTPS leave this unset (Secure).
  DN_COOKIE_SECURE: process.env.DN_COOKIE_SECURE ?? "false",
  DN_APP_URL: process.env.DN_APP_URL ?? ADMIN_URL,
  // Without an SMTP server, invitations and reset links are written to ./data/outbox as .eml.
  ...(process.env.DN_SMTP_URL ? {} : { DN_MAIL_OUTBOX_DIR: join(ROOT, "data", "outbox") }),
});
const children = [
  spawn("pnpm", ["--filter", "@dn/app-api", "start"], { cwd: ROOT, env, stdio: "inherit" }),
  spawn("pnpm", ["--filter", "@dn/app-admin", "start"], { cwd: ROOT, env, stdio: "inherit" }),
];

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 3000).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
for (const child of children) {
  child.on("exit", (code) => {
    if (!stopping) {
      log(`a service exited (code ${code}); stopping the other`);
      stop(code ?? 1);
    }
  });
}

await waitFor(`${API_URL}/health`);
await waitFor(ADMIN_URL);
const logins = seedDemo
  ? `
  demo logins (password: dn-demo-2026)
    admin@dn.demo     admin
    manager@dn.demo   clinic manager
    pt@dn.demo        physical therapist (Dana Whitfield)
    auditor@dn.demo   auditor (read-only)
`
  : `
  no demo data (DN_DEMO_SEED=false): open the admin app to set up your organization
`;
console.info(`
  dn is running
    admin app  ${ADMIN_URL}
    API        ${API_URL}/trpc   (health: ${API_URL}/health)
${logins}
  data: ./data/dn.sqlite (kept across restarts). Ctrl-C stops both.
  email: ${process.env.DN_SMTP_URL ? `via ${process.env.DN_SMTP_URL}` : "written to ./data/outbox/*.eml (set DN_SMTP_URL to send)"}
`);

/** The admin app's session secret for this checkout: random, made once, kept in ./data. */
function sessionSecret() {
  const file = join(ROOT, "data", "admin-session-secret");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

async function waitFor(url, timeoutMs = 60_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(`${url} did not answer within ${timeoutMs / 1000}s`);
  stop(1);
}
