import { z } from "zod";
import { IdSchema } from "./common.ts";
import { DossierSchema } from "./dossier.ts";
import { PractitionerSchema } from "./practitioner.ts";

/** Export one practitioner as a dn-dossier document (every version of every record). */
export const ExportDossierInputSchema = z.object({ practitionerId: IdSchema });
export type ExportDossierInput = z.infer<typeof ExportDossierInputSchema>;

/**
 * Import a dossier as a new practitioner of a clinic, with their licenses and every record
 * version (keeping each version's recordedAt and status). Errors name the path in `dossier`.
 */
export const ImportDossierInputSchema = z.object({
  clinicId: IdSchema,
  dossier: DossierSchema,
});
export type ImportDossierInput = z.input<typeof ImportDossierInputSchema>;
export type ImportDossier = z.output<typeof ImportDossierInputSchema>;

export const ImportDossierResultSchema = z.object({
  practitioner: PractitionerSchema,
  licenses: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  recordVersions: z.number().int().nonnegative(),
});
export type ImportDossierResult = z.infer<typeof ImportDossierResultSchema>;
