import { z } from "zod";

const DEV_SESSION_SECRET = "dn-dev-session-secret-change-me";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Where apps/api serves tRPC (`<DN_API_URL>/trpc`). */
  DN_API_URL: z
    .url({ error: "DN_API_URL must be a URL such as http://127.0.0.1:3001" })
    .default("http://127.0.0.1:3001"),
  /** Signs the session cookie. Set it in production. */
  DN_SESSION_SECRET: z
    .string()
    .min(16, { error: "DN_SESSION_SECRET must be at least 16 characters" })
    .default(DEV_SESSION_SECRET),
  /** Mark the session cookie `Secure`: set "true" when the app is served over HTTPS. */
  DN_COOKIE_SECURE: z
    .enum(["true", "false"], { error: 'DN_COOKIE_SECURE must be "true" or "false"' })
    .default("false")
    .transform((value) => value === "true"),
});

function readEnv() {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid environment for the admin app:\n${problems.join("\n")}`);
  }
  if (
    parsed.data.NODE_ENV === "production" &&
    parsed.data.DN_SESSION_SECRET === DEV_SESSION_SECRET
  ) {
    console.warn(
      "DN_SESSION_SECRET is not set: using the development secret. Set it before exposing the admin app.",
    );
  }
  return parsed.data;
}

export const env = readEnv();
