import { DeadJobSchema, RetryDeadJobInputSchema } from "@dn/schema";
import { z } from "zod";
import { listDeadJobs, queueDigests, retryDeadJob } from "../services/jobs.service.ts";
import { authedProcedure, router } from "../trpc.ts";

/** Background jobs: those that used up their retries (admins), and digests on demand. */
export const jobsRouter = router({
  dead: authedProcedure.output(z.array(DeadJobSchema)).query(({ ctx }) => listDeadJobs(ctx)),
  retry: authedProcedure
    .input(RetryDeadJobInputSchema)
    .output(z.object({ retried: z.literal(true) }))
    .mutation(({ ctx, input }) => retryDeadJob(ctx, input)),
  /** Today's deadline digests, now (they are also sent daily by the scheduler). */
  sendDigests: authedProcedure
    .output(z.object({ queued: z.number().int() }))
    .mutation(({ ctx }) => queueDigests(ctx)),
});
