import { z } from "zod";
import {
  EmailSchema,
  IdSchema,
  IsoDateSchema,
  IsoInstantSchema,
  NameSchema,
  PageInputSchema,
  text,
} from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";

export const PROFESSIONS = ["PT", "PTA", "other"] as const;
export const ProfessionSchema = z.enum(PROFESSIONS, {
  error: `must be one of ${PROFESSIONS.join(", ")}`,
});
export type Profession = z.infer<typeof ProfessionSchema>;

export const LICENSE_STATUSES = ["active", "inactive", "expired", "suspended", "revoked"] as const;
export const LicenseStatusSchema = z.enum(LICENSE_STATUSES, {
  error: `must be one of ${LICENSE_STATUSES.join(", ")}`,
});
export type LicenseStatus = z.infer<typeof LicenseStatusSchema>;

export const LicenseSchema = z.object({
  id: IdSchema,
  practitionerId: IdSchema,
  jurisdiction: JurisdictionSchema,
  number: text(50),
  issuedOn: IsoDateSchema,
  expiresOn: IsoDateSchema.nullable(),
  status: LicenseStatusSchema,
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type License = z.infer<typeof LicenseSchema>;

const licenseDatesInOrder = (value: { issuedOn?: string; expiresOn?: string | null }) =>
  !value.issuedOn || !value.expiresOn || value.expiresOn >= value.issuedOn;
const licenseDatesError = { error: "must not be before the issue date", path: ["expiresOn"] };

export const CreateLicenseInputSchema = LicenseSchema.pick({
  practitionerId: true,
  jurisdiction: true,
  number: true,
  issuedOn: true,
  status: true,
})
  .extend({ expiresOn: IsoDateSchema.nullish().transform((v) => v ?? null) })
  .refine(licenseDatesInOrder, licenseDatesError);
export type CreateLicenseInput = z.infer<typeof CreateLicenseInputSchema>;

export const UpdateLicenseInputSchema = LicenseSchema.pick({ id: true })
  .extend(
    LicenseSchema.pick({ jurisdiction: true, number: true, issuedOn: true, status: true }).partial()
      .shape,
  )
  .extend({ expiresOn: IsoDateSchema.nullish() })
  .refine(licenseDatesInOrder, licenseDatesError);
export type UpdateLicenseInput = z.infer<typeof UpdateLicenseInputSchema>;

export const PractitionerSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  clinicId: IdSchema,
  name: NameSchema,
  email: EmailSchema.nullable(),
  profession: ProfessionSchema,
  archivedAt: IsoInstantSchema.nullable(),
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type Practitioner = z.infer<typeof PractitionerSchema>;

/** A practitioner with the licenses they hold: what detail views and the engine need. */
export const PractitionerWithLicensesSchema = PractitionerSchema.extend({
  licenses: z.array(LicenseSchema),
});
export type PractitionerWithLicenses = z.infer<typeof PractitionerWithLicensesSchema>;

export const CreatePractitionerInputSchema = PractitionerSchema.pick({
  clinicId: true,
  name: true,
  profession: true,
}).extend({ email: EmailSchema.nullish().transform((v) => v ?? null) });
export type CreatePractitionerInput = z.infer<typeof CreatePractitionerInputSchema>;

export const UpdatePractitionerInputSchema = PractitionerSchema.pick({ id: true }).extend(
  CreatePractitionerInputSchema.partial().shape,
);
export type UpdatePractitionerInput = z.infer<typeof UpdatePractitionerInputSchema>;

export const ListPractitionersInputSchema = PageInputSchema.extend({
  search: z.string().trim().max(200, { error: "must be at most 200 characters" }).optional(),
  clinicId: IdSchema.optional(),
  /** Practitioners holding a license in this jurisdiction, or working at a clinic there. */
  jurisdiction: JurisdictionSchema.optional(),
  includeArchived: z.boolean().default(false),
});
export type ListPractitionersInput = z.infer<typeof ListPractitionersInputSchema>;
