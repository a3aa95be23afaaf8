import { AuditEventSchema, ListAuditEventsInputSchema, pageOf } from "@dn/schema";
import { listAuditEvents } from "../services/audit.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: authedProcedure
    .input(ListAuditEventsInputSchema)
    .output(pageOf(AuditEventSchema))
    .query(({ ctx, input }) => listAuditEvents(ctx, input)),
});
