import { z } from "zod";
import { IdSchema, IsoInstantSchema, NameSchema, TimeZoneSchema } from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";

export const OrganizationSchema = z.object({
  id: IdSchema,
  name: NameSchema,
  /** Admins and managers must sign in with a second factor. */
  mfaRequired: z.boolean(),
  createdAt: IsoInstantSchema,
});
export type Organization = z.infer<typeof OrganizationSchema>;

export const ClinicSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  name: NameSchema,
  /** The state whose board rules apply to needling done at this clinic. */
  jurisdiction: JurisdictionSchema,
  /** "Today" for the clinic's deadlines, alerts and dashboards is the date in this zone. */
  timeZone: TimeZoneSchema,
  archivedAt: IsoInstantSchema.nullable(),
  createdAt: IsoInstantSchema,
});
export type Clinic = z.infer<typeof ClinicSchema>;

export const CreateClinicInputSchema = ClinicSchema.pick({
  name: true,
  jurisdiction: true,
  timeZone: true,
});
export type CreateClinicInput = z.infer<typeof CreateClinicInputSchema>;

/** Renames a clinic, or changes its jurisdiction or time zone; absent fields stay as they are. */
export const UpdateClinicInputSchema = z
  .object({ id: IdSchema })
  .extend(CreateClinicInputSchema.partial().shape);
export type UpdateClinicInput = z.infer<typeof UpdateClinicInputSchema>;

export const ListClinicsInputSchema = z.object({
  /** Archived clinics too (the settings page); pickers leave them out. */
  includeArchived: z.boolean({ error: "must be true or false" }).optional(),
});
export type ListClinicsInput = z.infer<typeof ListClinicsInputSchema>;
