/** The API host's settings: the only place apps/api reads process.env. */
import { loadStorageEnv, readTrustedProxies, type StorageSettings } from "@dn/api";
import { z } from "zod";

const ApiEnvSchema = z.object({
  DN_API_PORT: z.coerce
    .number({ error: "must be a port number" })
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be between 0 and 65535" })
    .max(65535, { error: "must be between 0 and 65535" })
    .default(3001),
  DN_API_HOST: z.string().trim().min(1, { error: "must not be empty" }).default("127.0.0.1"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "must be one of fatal, error, warn, info, debug, trace, silent",
    })
    .default("info"),
  /** Mail for invitations and password resets, e.g. `smtp://127.0.0.1:25` or `smtps://…:465`. */
  DN_SMTP_URL: z.string().trim().min(1, { error: "must not be empty" }).optional(),
  /** Without SMTP: write each email as an .eml file here (the quick start uses data/outbox). */
  DN_MAIL_OUTBOX_DIR: z.string().trim().min(1, { error: "must not be empty" }).optional(),
  DN_MAIL_FROM: z
    .string()
    .trim()
    .min(3, { error: "must be an address" })
    .default("dn <no-reply@dn.local>"),
  /** The admin app's public URL: links in emails point there. */
  DN_APP_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .transform((url) => url.replace(/\/+$/, ""))
    .default("http://localhost:3000"),
  /**
   * Whether this API process also works background jobs (exports, daily alerts and digests).
   * Set false when separate `pnpm worker` processes do it.
   */
  DN_RUN_WORKERS: z
    .enum(["true", "false"], { error: "must be true or false" })
    .default("true")
    .transform((value) => value === "true"),
  /** How long a running export stays its worker's without a heartbeat before another takes it. */
  DN_JOB_LEASE_SECONDS: z.coerce
    .number({ error: "must be a number of seconds" })
    .int({ error: "must be a whole number" })
    .min(3, { error: "must be at least 3" })
    .max(3600, { error: "must be at most 3600" })
    .default(60),
  /** How often an idle worker looks for jobs (milliseconds). */
  DN_JOB_POLL_MS: z.coerce
    .number({ error: "must be a number of milliseconds" })
    .int({ error: "must be a whole number" })
    .min(500, { error: "must be at least 500" })
    .max(60_000, { error: "must be at most 60000" })
    .default(1000),
  /**
   * Which peers may report the client's address in X-Forwarded-For: addresses and CIDR ranges
   * (`172.18.0.0/16, loopback`) or a hop count (`1`). Unset: loopback only (undefined here).
   * The admin app reads the same setting. See client-address.ts in @dn/api.
   */
  DN_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return undefined;
      const result = readTrustedProxies(value);
      if (result.ok) return result.trusted;
      ctx.addIssue({ code: "custom", message: result.problem });
      return z.NEVER;
    }),
  NODE_ENV: z
    .enum(["development", "test", "production"], {
      error: "must be development, test or production",
    })
    .default("development"),
});
export type ApiEnv = z.infer<typeof ApiEnvSchema>;

/** Reads and validates the settings, naming each variable at fault. */
export function loadApiEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  const result = ApiEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Invalid API environment: ${problems.join("; ")}`);
  }
  return result.data;
}

/**
 * Where evidence files and exports are kept: DN_STORAGE (local or s3), DN_FILES_DIR and
 * DN_EXPORTS_DIR, DN_S3_* (see services/storage/env.ts in @dn/api, shared with the CLI and the
 * worker); throws naming each variable at fault.
 */
export function loadStorageSettings(
  source: Record<string, string | undefined> = process.env,
): StorageSettings {
  return loadStorageEnv(source);
}
