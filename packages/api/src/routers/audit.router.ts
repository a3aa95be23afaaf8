import { AuditEventSchema, ListAuditEventsInputSchema, pageOf } from "@dn/schema";
import { listAuditEvents } from "../services/audit.service.ts";
import { readerProcedure, router } from "../trpc.ts";

export const auditRouter = router({
  list: readerProcedure
    .input(ListAuditEventsInputSchema)
    .output(pageOf(AuditEventSchema))
    .query(({ ctx, input }) => listAuditEvents(ctx, input)),
});
