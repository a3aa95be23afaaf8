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
