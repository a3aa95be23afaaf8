import {
  DossierSchema,
  ExportDossierInputSchema,
  ImportDossierInputSchema,
  ImportDossierResultSchema,
} from "@dn/schema";
import { exportDossier, importDossier } from "../services/dossiers.service.ts";
import { authedProcedure, router } from "../trpc.ts";

/** The dn-dossier interchange format, in and out of the database. */
export const dossiersRouter = router({
  export: authedProcedure
    .input(ExportDossierInputSchema)
    .output(DossierSchema)
    .query(({ ctx, input }) => exportDossier(ctx, input.practitionerId)),
  import: authedProcedure
    .input(ImportDossierInputSchema)
    .output(ImportDossierResultSchema)
    .mutation(({ ctx, input }) => importDossier(ctx, input)),
});
