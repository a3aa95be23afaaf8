/** Test settings: the only place @dn/db/testing reads process.env. */
import { z } from "zod";

const TestEnvSchema = z.object({
  PG_TEST_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, { error: "must be a postgres:// or postgresql:// URL" })
    .default("postgres://postgres@127.0.0.1:5432/test"),
  /** Set on CI, where a missing PostgreSQL fails the run instead of skipping. */
  CI: z
    .string()
    .optional()
    .transform(
      (value) => value !== undefined && value !== "" && value !== "0" && value !== "false",
    ),
  /** Comma-separated subset of dialects to run, e.g. `sqlite` (default: all available). */
  DN_TEST_DIALECTS: z
    .string()
    .optional()
    .transform((value) =>
      value
        ? value
            .split(",")
            .map((part) => part.trim())
            .filter(Boolean)
        : null,
    )
    .pipe(z.array(z.enum(["sqlite", "postgres"])).nullable()),
});
export type TestEnv = z.infer<typeof TestEnvSchema>;

export function loadTestEnv(source: Record<string, string | undefined> = process.env): TestEnv {
  const result = TestEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Invalid test environment: ${problems.join("; ")}`);
  }
  return result.data;
}
