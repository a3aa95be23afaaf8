import {
  ByIdInputSchema,
  CreateExportInputSchema,
  ExportJobSchema,
  PageInputSchema,
  pageOf,
} from "@dn/schema";
import { z } from "zod";
import {
  createExport,
  getExport,
  listExports,
  organizationPublicKey,
} from "../services/exports.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const exportsRouter = router({
  /** Queues an export; the worker runs it (poll `byId` for progress). */
  create: authedProcedure
    .input(CreateExportInputSchema)
    .output(ExportJobSchema)
    .mutation(({ ctx, input }) => createExport(ctx, input)),
  list: authedProcedure
    .input(PageInputSchema)
    .output(pageOf(ExportJobSchema))
    .query(({ ctx, input }) => listExports(ctx, input)),
  byId: authedProcedure
    .input(ByIdInputSchema)
    .output(ExportJobSchema)
    .query(({ ctx, input }) => getExport(ctx, input.id)),
  /** The organization's bundle-signing public key (also at /.well-known/dn-export-key/:id). */
  publicKey: authedProcedure
    .output(
      z.object({ organizationId: z.string(), publicKeyPem: z.string(), fingerprint: z.string() }),
    )
    .query(({ ctx }) => organizationPublicKey(ctx)),
});
