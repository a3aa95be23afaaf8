import { EvidenceFileSchema, ListEvidenceInputSchema } from "@dn/schema";
import { z } from "zod";
import { listEvidence, listEvidenceOfMany } from "../services/evidence.service.ts";
import { authedProcedure, router } from "../trpc.ts";

/** Evidence metadata. Uploads and downloads are plain HTTP (files-http.ts): raw bytes. */
export const evidenceRouter = router({
  list: authedProcedure
    .input(ListEvidenceInputSchema)
    .output(z.array(EvidenceFileSchema))
    .query(({ ctx, input }) => listEvidence(ctx, input)),
  listMany: authedProcedure
    .input(z.object({ recordIds: z.array(z.uuid({ error: "must be a UUID" })).max(200) }))
    .output(z.record(z.string(), z.array(EvidenceFileSchema)))
    .query(({ ctx, input }) => listEvidenceOfMany(ctx, input)),
});
