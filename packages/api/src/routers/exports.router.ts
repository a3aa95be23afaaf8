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
  ensureOrganizationKey,
  getExport,
  listExports,
} from "../services/exports.service.ts";
import { readerProcedure, router } from "../trpc.ts";

export const exportsRouter = router({
  /** Queues an export; the worker runs it (poll `byId` for progress). */
  create: readerProcedure
    .input(CreateExportInputSchema)
    .output(ExportJobSchema)
    .mutation(({ ctx, input }) => createExport(ctx, input)),
  list: readerProcedure
    .input(PageInputSchema)
    .output(pageOf(ExportJobSchema))
    .query(({ ctx, input }) => listExports(ctx, input)),
  byId: readerProcedure
    .input(ByIdInputSchema)
    .output(ExportJobSchema)
    .query(({ ctx, input }) => getExport(ctx, input.id)),
  /** The organization's bundle-signing public key (also at /.well-known/dn-export-key/:id). */
  publicKey: readerProcedure
    .output(
      z.object({ organizationId: z.string(), publicKeyPem: z.string(), fingerprint: z.string() }),
    )
    .query(async ({ ctx }) => {
      const key = await ensureOrganizationKey(ctx.db, ctx.actor.organizationId, ctx.now());
      return {
        organizationId: key.organizationId,
        publicKeyPem: key.publicKeyPem,
        fingerprint: key.fingerprint,
      };
    }),
});
