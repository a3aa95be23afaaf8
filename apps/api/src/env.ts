/** The API host's settings: the only place apps/api reads process.env. */
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
  /** Where evidence files are stored (content-addressed); default <repo>/data/files. */
  DN_FILES_DIR: z.string().trim().min(1, { error: "must not be empty" }).optional(),
  /** Where finished compliance exports are kept; default <repo>/data/exports. */
  DN_EXPORTS_DIR: z.string().trim().min(1, { error: "must not be empty" }).optional(),
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
