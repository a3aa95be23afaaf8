/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/Caddyfile, .env.example) are
 * checked here without a registry: images are never pulled or built. The compose file is read
 * with `yaml`, interpolated from .env.example the way Compose does, and the environment each dn
 * service gets is run through the apps' own settings loaders. When `docker-compose` (Debian's
 * v1) or the `docker compose` plugin is installed, its `config -q` must accept the file too.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadStorageEnv } from "@dn/api";
import { loadDbEnv } from "@dn/db";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { loadApiEnv } from "./env.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** The files that declare settings: each key of their zod objects is one setting. */
const SETTINGS_SOURCES = {
  api: [
    "apps/api/src/env.ts",
    "packages/db/src/env.ts",
    "packages/api/src/services/storage/env.ts",
  ],
  admin: ["apps/admin/app/utils/env.server.ts"],
  other: ["apps/cli/src/env.ts"],
};
/** Read with process.env outside env modules: the quick start and the admin app's server. */
const OTHER_SETTINGS = [
  ...settingsReadBy("scripts/start.mjs"),
  ...settingsReadBy("apps/admin/server.mjs"),
];
/** API settings docker-compose leaves unset on purpose: they select SQLite and local files. */
const LOCAL_ONLY = ["DN_SQLITE_PATH", "DN_FILES_DIR", "DN_EXPORTS_DIR", "DN_MAIL_OUTBOX_DIR"];
/** Values for the secrets .env.example leaves empty (Compose refuses to start without them). */
const TEST_SECRETS = {
  POSTGRES_PASSWORD: "pg-secret-for-the-test",
  MINIO_ROOT_PASSWORD: "minio-secret-for-the-test",
  DN_SESSION_SECRET: "a-session-secret-for-the-test",
};

function settingsDeclaredIn(path: string): string[] {
  return [...read(path).matchAll(/^\s{2,6}([A-Z][A-Z0-9_]+): z\b/gm)].map((m) => m[1] as string);
}
function settingsReadBy(path: string): string[] {
  return [...read(path).matchAll(/process\.env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string);
}
const apiSettings = [...new Set(SETTINGS_SOURCES.api.flatMap(settingsDeclaredIn))];
const adminSettings = [...new Set([...SETTINGS_SOURCES.admin.flatMap(settingsDeclaredIn), "PORT"])];
const allSettings = [
  ...new Set([
    ...apiSettings,
    ...adminSettings,
    ...SETTINGS_SOURCES.other.flatMap(settingsDeclaredIn),
    ...OTHER_SETTINGS,
  ]),
];

/** .env.example: `NAME=value` lines (active) and `# NAME=value` lines (documented defaults). */
function parseEnvExample(text: string) {
  const active = new Map<string, string>();
  const documented = new Map<string, { comment: string | undefined }>();
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const match = /^(# )?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (!match) return;
    const commented = match[1] !== undefined;
    const name = match[2] as string;
    const value = match[3] as string;
    const previous = lines[index - 1];
    const comment =
      previous?.startsWith("# ") && !/^# [A-Z][A-Z0-9_]*=/.test(previous) ? previous : undefined;
    documented.set(name, { comment });
    if (!commented) active.set(name, value);
  });
  return { active, documented };
}

/** Compose's interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, $$. */
function interpolate(value: string, vars: Map<string, string>, missing: Set<string>): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-|:?\?)([^}]*))?\}/g,
    (whole, name: string | undefined, op: string | undefined, arg: string | undefined) => {
      if (whole === "$$") return "$";
      const set = vars.get(name as string);
      if (op === ":-") return set ? set : (arg ?? "");
      if (op === "-") return set ?? arg ?? "";
      if (op === ":?" || op === "?") {
        if (op === ":?" ? !set : set === undefined) missing.add(name as string);
        return set ?? "";
      }
      if (set === undefined) missing.add(name as string);
      return set ?? "";
    },
  );
}
function interpolateAll(node: unknown, vars: Map<string, string>, missing: Set<string>): unknown {
  if (typeof node === "string") return interpolate(node, vars, missing);
  if (Array.isArray(node)) return node.map((item) => interpolateAll(item, vars, missing));
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [key, interpolateAll(value, vars, missing)]),
    );
  }
  return node;
}

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  working_dir?: string;
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  ports?: string[];
  expose?: string[];
  restart?: string;
  volumes?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

function loadCompose(vars: Map<string, string>) {
  const raw = parse(read("docker-compose.yml"), { merge: true }) as ComposeFile;
  const missing = new Set<string>();
  const compose = interpolateAll(raw, vars, missing) as ComposeFile;
  return { compose, missing };
}
const envExample = parseEnvExample(read(".env.example"));
const vars = new Map([...envExample.active, ...Object.entries(TEST_SECRETS)]);
const { compose, missing } = loadCompose(vars);
const services = compose.services;
const envOf = (name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(services[name]?.environment ?? {}).map(([key, value]) => [key, String(value)]),
  );
const DN_IMAGE = services["api-1"]?.image;
const dnServices = Object.keys(services).filter((name) => services[name]?.image === DN_IMAGE);
const commandOf = (name: string) => services[name]?.command?.join(" ") ?? "";
const apiServices = dnServices.filter((name) => commandOf(name).endsWith("apps/api/src/main.ts"));
const workerServices = dnServices.filter((name) =>
  commandOf(name).endsWith("apps/api/src/worker.ts"),
);

describe(".env.example", () => {
  test("documents every setting the apps read, each under a one-line comment", () => {
    expect(apiSettings).toContain("DN_RUN_WORKERS");
    expect(apiSettings).toContain("DN_S3_BUCKET");
    expect(adminSettings).toContain("DN_SESSION_SECRET");
    const undocumented = allSettings.filter((name) => !envExample.documented.has(name));
    expect(undocumented).toEqual([]);
    const uncommented = [...envExample.documented].filter(([, { comment }]) => !comment);
    expect(uncommented.map(([name]) => name)).toEqual([]);
  });

  test("sets every variable docker-compose.yml interpolates, secrets aside", () => {
    const referenced = [...read("docker-compose.yml").matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map(
      (m) => m[1] as string,
    );
    const unset = [...new Set(referenced)].filter((name) => !envExample.active.has(name));
    expect(unset).toEqual([]);
    expect(missing).toEqual(new Set());
    // The secrets are empty in the example, so a stack cannot start on a published password.
    for (const secret of Object.keys(TEST_SECRETS)) expect(envExample.active.get(secret)).toBe("");
    const withoutSecrets = loadCompose(envExample.active).missing;
    expect(withoutSecrets).toEqual(new Set(Object.keys(TEST_SECRETS)));
  });
});

describe("docker-compose.yml", () => {
  test("has the stack: PostgreSQL 16, MinIO with its bucket job, two APIs, a worker, admin, proxy", () => {
    expect(services.postgres?.image).toMatch(/^postgres:16\b/);
    expect(services.minio?.image).toMatch(/^minio\/minio[:@]/);
    expect(services["minio-init"]?.image).toMatch(/^minio\/mc[:@]/);
    expect(JSON.stringify(services["minio-init"])).toContain("mc mb --ignore-existing");
    expect(services.proxy?.image).toMatch(/^caddy:/);
    expect(apiServices).toEqual(["api-1", "api-2"]);
    expect(workerServices).toEqual(["worker"]);
    expect(services.admin?.image).toBe(DN_IMAGE);
  });

  test("runs each role's own entry point, the one its package's script runs", () => {
    const scripts = (path: string) =>
      (JSON.parse(read(path)) as { scripts: Record<string, string> }).scripts;
    const api = scripts("apps/api/package.json");
    expect(api.start).toBe("tsx src/main.ts");
    expect(api.worker).toBe("tsx src/worker.ts");
    for (const name of apiServices) {
      expect(commandOf(name)).toBe("node --import tsx apps/api/src/main.ts");
    }
    expect(commandOf("worker")).toBe("node --import tsx apps/api/src/worker.ts");
    expect(read("package.json")).toContain('"worker": "pnpm --filter @dn/app-api worker"');
    expect(commandOf("admin")).toBe(scripts("apps/admin/package.json").start);
    expect(services.admin?.working_dir).toBe("/app/apps/admin");
    expect(commandOf("migrate")).toBe(
      `node --import tsx packages/db/src/${scripts("packages/db/package.json").migrate?.replace(/^tsx src\//, "")}`,
    );
  });

  test("every service has an image or a build, and the dn image is built from the Dockerfile", () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image ?? service.build, name).toBeTruthy();
    }
    for (const name of dnServices) {
      expect(services[name]?.build, name).toEqual({ context: ".", dockerfile: "Dockerfile" });
    }
  });

  test("depends_on names existing services with conditions that hold", () => {
    const oneShots = new Set(["minio-init", "migrate"]);
    for (const [name, service] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[target], `${name} -> ${target}`).toBeDefined();
        if (oneShots.has(target)) expect(condition).toBe("service_completed_successfully");
        else {
          expect(condition, `${name} -> ${target}`).toBe("service_healthy");
          expect(services[target]?.healthcheck?.disable, target).not.toBe(true);
        }
      }
    }
    for (const name of [...apiServices, ...workerServices]) {
      expect(Object.keys(services[name]?.depends_on ?? {})).toEqual(
        expect.arrayContaining(["migrate", "minio-init"]),
      );
    }
    expect(Object.keys(services.migrate?.depends_on ?? {})).toEqual(["postgres"]);
    expect(Object.keys(services.proxy?.depends_on ?? {}).sort()).toEqual(
      ["admin", ...apiServices].sort(),
    );
  });

  test("long-running services have health checks; the worker drops the image's API check", () => {
    for (const name of ["postgres", "minio", "mailpit", "admin", "proxy", ...apiServices]) {
      const check = services[name]?.healthcheck;
      expect(check?.disable, name).not.toBe(true);
      expect(check?.test?.length, name).toBeGreaterThan(1);
    }
    for (const name of apiServices) {
      expect(services[name]?.healthcheck?.test?.join(" ")).toContain("127.0.0.1:3001/ready");
    }
    expect(services.admin?.healthcheck?.test?.join(" ")).toContain("127.0.0.1:3000/healthz");
    // The worker has no port: the image's HEALTHCHECK (API /health) would mark it unhealthy.
    for (const name of [...workerServices, "migrate"]) {
      expect(services[name]?.healthcheck?.disable, name).toBe(true);
    }
  });

  test("only the proxy (and Mailpit on loopback) publish ports", () => {
    const published = Object.entries(services)
      .filter(([, service]) => (service.ports ?? []).length > 0)
      .map(([name]) => name)
      .sort();
    expect(published).toEqual(["mailpit", "proxy"]);
    expect(services.proxy?.ports).toEqual(["8080:80", "8443:443"]);
    expect(services.mailpit?.ports?.[0]).toMatch(/^127\.0\.0\.1:/);
    expect(services.proxy?.volumes).toContain("./deploy/Caddyfile:/etc/caddy/Caddyfile:ro");
    for (const volume of Object.values(services).flatMap((service) => service.volumes ?? [])) {
      const [source] = volume.split(":");
      if (!source?.startsWith("."))
        expect(compose.volumes, volume).toHaveProperty(source as string);
    }
  });

  test("API instances and the worker share one PostgreSQL and one bucket; APIs run no jobs", () => {
    for (const name of [...apiServices, ...workerServices, "migrate"]) {
      const env = envOf(name);
      // Every API setting is set, apart from those that would select SQLite or local files.
      const unset = apiSettings.filter((key) => !LOCAL_ONLY.includes(key) && !(key in env));
      expect(unset, name).toEqual([]);
      for (const key of LOCAL_ONLY) expect(env, name).not.toHaveProperty(key);
      const api = loadApiEnv(env);
      expect(api.NODE_ENV).toBe("production");
      expect(api.DN_API_HOST).toBe("0.0.0.0");
      expect(api.DN_RUN_WORKERS).toBe(false);
      expect(env.DN_TRUSTED_PROXIES).toBe("2");
      expect(loadDbEnv(env).DATABASE_URL).toBe(
        `postgres://dn:${TEST_SECRETS.POSTGRES_PASSWORD}@postgres:5432/dn`,
      );
      expect(loadStorageEnv(env)).toEqual({
        driver: "s3",
        endpoint: "http://minio:9000",
        region: "us-east-1",
        bucket: "dn-files",
        credentials: { accessKeyId: "dn", secretAccessKey: TEST_SECRETS.MINIO_ROOT_PASSWORD },
        forcePathStyle: true,
        prefix: "dn/",
      });
    }
    const minio = envOf("minio");
    expect(minio.MINIO_ROOT_PASSWORD).toBe(TEST_SECRETS.MINIO_ROOT_PASSWORD);
    expect(envOf("minio-init").DN_S3_BUCKET).toBe("dn-files");
    expect(envOf("postgres").POSTGRES_PASSWORD).toBe(TEST_SECRETS.POSTGRES_PASSWORD);
  });

  test("the admin app gets all its settings and reaches the API through the balancer", () => {
    const env = envOf("admin");
    expect(adminSettings.filter((key) => !(key in env))).toEqual([]);
    expect(env.NODE_ENV).toBe("production");
    expect(env.DN_SESSION_SECRET).toBe(TEST_SECRETS.DN_SESSION_SECRET);
    expect(["true", "false"]).toContain(env.DN_COOKIE_SECURE);
    expect(env.DN_API_URL).toBe("http://proxy:8081");
    expect(env.DN_PUBLIC_API_URL).toBe(vars.get("DN_APP_URL"));
    expect(env.DN_TRUSTED_PROXIES).toBe("1");
    expect(services.admin?.working_dir).toBe("/app/apps/admin");
  });

  test("docker-compose config accepts the file (when a Compose CLI is installed)", () => {
    const cli = composeCli();
    if (!cli) return;
    const dir = mkdtempSync(join(tmpdir(), "dn-compose-"));
    for (const file of ["docker-compose.yml", "Dockerfile"])
      cpSync(join(ROOT, file), join(dir, file));
    mkdirSync(join(dir, "deploy"));
    cpSync(join(ROOT, "deploy", "Caddyfile"), join(dir, "deploy", "Caddyfile"));
    const dotenv = [...vars].map(([key, value]) => `${key}=${value}`).join("\n");
    writeFileSync(join(dir, ".env"), `${dotenv}\n`);
    const result = spawnSync(
      cli[0] as string,
      [...cli.slice(1), "-f", "docker-compose.yml", "config", "-q"],
      {
        cwd: dir,
        encoding: "utf8",
        env: { PATH: process.env.PATH, HOME: dir },
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("deploy/Caddyfile", () => {
  const caddyfile = read("deploy/Caddyfile");

  test("balances both API instances, on their readiness", () => {
    for (const name of apiServices) expect(caddyfile).toContain(`${name}:3001`);
    expect(caddyfile).toContain("health_uri /ready");
  });

  test("sends the regulator REST API to the API and everything else to the admin app", () => {
    expect(caddyfile).toMatch(
      /@api path \/rest\/v1\/\* \/openapi\.json \/api\/docs \/api\/docs\/\* \/\.well-known\/dn-export-key\/\*/,
    );
    expect(caddyfile).toContain("reverse_proxy admin:3000");
    // tRPC and the file routes stay internal: the public site sends only @api paths to the API.
    const site = caddyfile.slice(
      caddyfile.indexOf("{$DN_SITE_ADDRESS"),
      caddyfile.lastIndexOf(":8081 {"),
    );
    expect(site).not.toContain("/trpc");
    expect(caddyfile).toMatch(/:8081 \{\s*import api_upstreams\s*\}/);
    expect(caddyfile).toMatch(/servers :8081 \{\s*trusted_proxies static private_ranges\s*\}/);
  });
});

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? "";

  test("is multi-stage on node:20-bookworm-slim, installing pnpm 12.4.2 with npm", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages[0]).toMatch(/^node:20-bookworm-slim AS base/);
    expect(dockerfile).toContain("PNPM_VERSION=12.4.2");
    expect(dockerfile).toContain(`npm install --global "pnpm@$\{PNPM_VERSION}"`);
    expect(read("scripts/lib.mjs")).toContain('const PNPM_VERSION = "12.4.2"');
  });

  test("builds better-sqlite3 from source in the build stage, against Node's headers", () => {
    const build = stages.find((stage) => stage.startsWith("base AS build")) ?? "";
    expect(build).toMatch(/apt-get install -y --no-install-recommends python3 make g\+\+/);
    expect(build).toContain("ENV npm_config_nodedir=/usr/local");
    expect(build).toContain("pnpm install --frozen-lockfile");
    expect(build).toContain("pnpm --filter @dn/app-admin build");
    expect(runtime).not.toContain("g++");
  });

  test("runs as a non-root user with a health check on the API's /health", () => {
    const user = /^USER (\S+)$/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    expect(runtime).toMatch(/^HEALTHCHECK .*\\\n\s+CMD \["node", "-e", "fetch\(.*\/health'\)/m);
    expect(runtime).toContain("DN_API_HOST=0.0.0.0");
    expect(runtime).toContain('CMD ["node", "--import", "tsx", "apps/api/src/main.ts"]');
    expect(runtime.indexOf("USER ")).toBeLessThan(runtime.indexOf("CMD ["));
  });

  test(".dockerignore keeps installed output, data and secrets out of the context", () => {
    const ignore = read(".dockerignore").split("\n");
    for (const entry of ["**/node_modules", "**/build", "data", ".env", ".git"]) {
      expect(ignore).toContain(entry);
    }
    expect(ignore).toContain("!.env.example");
  });
});

/** `docker-compose` (v1) or `docker compose` (the plugin), whichever runs here. */
function composeCli(): string[] | null {
  for (const cli of [["docker-compose"], ["docker", "compose"]]) {
    try {
      execFileSync(cli[0] as string, [...cli.slice(1), "version"], { stdio: "ignore" });
      return cli;
    } catch {
      // not installed
    }
  }
  return null;
}
