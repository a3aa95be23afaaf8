import { readTrustedProxies } from "@dn/api/client-address";
import { z } from "zod";

/** The secret `npm run dev` signs cookies with. A production start refuses it. */
export const DEV_SESSION_SECRET = "dn-dev-session-secret-change-me";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Where apps/api serves tRPC (`<DN_API_URL>/trpc`). */
  DN_API_URL: z
    .url({ error: "DN_API_URL must be a URL such as http://127.0.0.1:3001" })
    .default("http://127.0.0.1:3001"),
  /**
   * The API's address as people outside this server reach it (the regulator API and its
   * interactive reference at `<DN_PUBLIC_API_URL>/api/docs`, shown on the tokens page). Default:
   * DN_API_URL, right when both run on one host; set it when the admin app reaches the API on a
   * private address.
   */
  DN_PUBLIC_API_URL: z
    .url({
      protocol: /^https?$/,
      error: "DN_PUBLIC_API_URL must be an http(s) URL such as https://api.dn.example.org",
    })
    .optional(),
  /** Signs the session cookie. Required in production. */
  DN_SESSION_SECRET: z
    .string()
    .min(16, { error: "DN_SESSION_SECRET must be at least 16 characters" })
    .default(DEV_SESSION_SECRET),
  /**
   * Mark the session cookie `Secure` (sent over HTTPS only). Default: on in production, off in
   * development; set "false" only for a production build served over plain HTTP on localhost.
   */
  DN_COOKIE_SECURE: z
    .enum(["true", "false"], { error: 'DN_COOKIE_SECURE must be "true" or "false"' })
    .optional(),
  /**
   * Which peers may report the browser's address in X-Forwarded-For: addresses and CIDR ranges
   * or a hop count, as for the API (client-address.ts in @dn/api). Default: loopback only.
   */
  DN_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const result = readTrustedProxies(value);
      if (result.ok) return result.trusted;
      ctx.addIssue({ code: "custom", message: `DN_TRUSTED_PROXIES ${result.problem}` });
      return z.NEVER;
    }),
});

export type AdminEnv = Omit<z.infer<typeof EnvSchema>, "DN_COOKIE_SECURE" | "DN_PUBLIC_API_URL"> & {
  DN_COOKIE_SECURE: boolean;
  /** Without a trailing slash. */
  DN_PUBLIC_API_URL: string;
};

/** Validates the admin server's settings; throws naming every variable at fault. */
export function parseAdminEnv(source: Record<string, string | undefined>): AdminEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new Error(`Invalid environment for the admin app:\n${problems.join("\n")}`);
  }
  const production = parsed.data.NODE_ENV === "production";
  if (production && parsed.data.DN_SESSION_SECRET === DEV_SESSION_SECRET) {
    throw new Error(
      "Invalid environment for the admin app:\nDN_SESSION_SECRET: must be set in production " +
        "(anyone who knows the development secret could forge a session); use a long random value",
    );
  }
  return {
    ...parsed.data,
    DN_PUBLIC_API_URL: (parsed.data.DN_PUBLIC_API_URL ?? parsed.data.DN_API_URL).replace(
      /\/+$/,
      "",
    ),
    DN_COOKIE_SECURE: parsed.data.DN_COOKIE_SECURE
      ? parsed.data.DN_COOKIE_SECURE === "true"
      : production,
  };
}

export const env = parseAdminEnv(process.env);
