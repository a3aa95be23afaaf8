import {
  ListStandardsInputSchema,
  PublishStandardInputSchema,
  SaveStandardInputSchema,
  StandardByIdInputSchema,
  StandardDetailInputSchema,
  StandardDetailSchema,
  StandardSummarySchema,
  StandardVersionEntrySchema,
  StandardVersionsInputSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  createStandard,
  getStandard,
  listStandards,
  listStandardVersions,
  publishStandard,
  standardDetail,
  updateStandard,
} from "../services/standards.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const standardsRouter = router({
  list: authedProcedure
    .input(ListStandardsInputSchema)
    .output(z.array(StandardSummarySchema))
    .query(({ ctx, input }) => listStandards(ctx, input)),
  byId: authedProcedure
    .input(StandardByIdInputSchema)
    .output(StandardVersionEntrySchema)
    .query(({ ctx, input }) => getStandard(ctx, input)),
  versions: authedProcedure
    .input(StandardVersionsInputSchema)
    .output(z.array(StandardVersionEntrySchema))
    .query(({ ctx, input }) => listStandardVersions(ctx, input.id)),
  detail: authedProcedure
    .input(StandardDetailInputSchema)
    .output(StandardDetailSchema)
    .query(({ ctx, input }) => standardDetail(ctx, input)),
  create: authedProcedure
    .input(SaveStandardInputSchema)
    .output(StandardVersionEntrySchema)
    .mutation(({ ctx, input }) => createStandard(ctx, input)),
  update: authedProcedure
    .input(SaveStandardInputSchema)
    .output(StandardVersionEntrySchema)
    .mutation(({ ctx, input }) => updateStandard(ctx, input)),
  publish: authedProcedure
    .input(PublishStandardInputSchema)
    .output(StandardVersionEntrySchema)
    .mutation(({ ctx, input }) => publishStandard(ctx, input)),
});
