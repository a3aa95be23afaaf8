import { ImportReportSchema, RunImportInputSchema } from "@dn/schema";
import { runImport } from "../services/import.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const importsRouter = router({
  /** Validates a roster or completions CSV and imports it when clean (or `onlyValid`). */
  run: authedProcedure
    .input(RunImportInputSchema)
    .output(ImportReportSchema)
    .mutation(({ ctx, input }) => runImport(ctx, input)),
});
