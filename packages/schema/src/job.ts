import { z } from "zod";

/** A background job that used up its retries, as admins see it on the Jobs page. */
export const DeadJobSchema = z.object({
  id: z.string().max(100),
  queue: z.string().max(100),
  /** What the job was about, in words ("csv-summary export of 2026-11-27", "digests for …"). */
  subject: z.string().max(300),
  attempts: z.number().int().min(0),
  error: z.string().max(2000).nullable(),
  createdAt: z.string().max(40),
  failedAt: z.string().max(40).nullable(),
});
export type DeadJob = z.infer<typeof DeadJobSchema>;

export const RetryDeadJobInputSchema = z.object({ id: z.string().min(1).max(100) });
export type RetryDeadJobInput = z.infer<typeof RetryDeadJobInputSchema>;
