/** The database settings: the only place @dn/db reads process.env (testing/env.ts aside). */
import { z } from "zod";

const DbEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      error: "must be a postgres:// or postgresql:// URL (leave it unset to use SQLite)",
    }),
  DN_SQLITE_PATH: z
    .string()
    .trim()
    .optional()
    .transform((value) => value || undefined),
});
export type DbEnv = z.infer<typeof DbEnvSchema>;

/** Reads and validates the database settings, naming the variable at fault. */
export function loadDbEnv(source: Record<string, string | undefined> = process.env): DbEnv {
  const result = DbEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Invalid database environment: ${problems.join("; ")}`);
  }
  return result.data;
}
