import { z } from "zod";
import { IdSchema, IsoInstantSchema, NameSchema } from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";

export const OrganizationSchema = z.object({
  id: IdSchema,
  name: NameSchema,
  createdAt: IsoInstantSchema,
});
export type Organization = z.infer<typeof OrganizationSchema>;

export const ClinicSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  name: NameSchema,
  /** The state whose board rules apply to needling done at this clinic. */
  jurisdiction: JurisdictionSchema,
  createdAt: IsoInstantSchema,
});
export type Clinic = z.infer<typeof ClinicSchema>;

export const CreateClinicInputSchema = ClinicSchema.pick({ name: true, jurisdiction: true });
export type CreateClinicInput = z.infer<typeof CreateClinicInputSchema>;
