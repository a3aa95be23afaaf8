/** The CLI's settings from the environment: the only place apps/cli reads process.env. */
import { z } from "zod";

const MailEnvSchema = z.object({
  /** e.g. smtp://user:pass@mail.example.org:587 */
  DN_SMTP_URL: z.string().trim().min(1, { error: "must not be empty" }).optional(),
  DN_MAIL_FROM: z.string().trim().min(3).default("dn <no-reply@dn.local>"),
});
export type MailEnv = z.infer<typeof MailEnvSchema>;

export function loadMailEnv(source: Record<string, string | undefined> = process.env): MailEnv {
  const result = MailEnvSchema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new Error(`Invalid mail settings: ${problems.join("; ")}`);
  }
  return result.data;
}

const AdminPasswordEnvSchema = z.object({
  /** `dn org create`: the first admin's password, when no --admin-password-file is given. */
  DN_ADMIN_PASSWORD: z.string().min(1, { error: "must not be empty" }).optional(),
});

/** The first admin's password from the environment, if set (`dn org create`). */
export function loadAdminPassword(
  source: Record<string, string | undefined> = process.env,
): string | undefined {
  const result = AdminPasswordEnvSchema.safeParse(source);
  if (!result.success) throw new Error("Invalid DN_ADMIN_PASSWORD: must not be empty");
  return result.data.DN_ADMIN_PASSWORD;
}
