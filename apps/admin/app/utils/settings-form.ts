/**
 * The settings pages' forms: the organization (name, two-factor sign-in required of admins and
 * managers) and its clinics (name, jurisdiction, time zone; archive and unarchive).
 */
import {
  ByIdInputSchema,
  type Clinic,
  CreateClinicInputSchema,
  type Organization,
  UpdateClinicInputSchema,
  UpdateOrganizationInputSchema,
} from "@dn/schema";
import { formSchema } from "./form-schema.ts";

/**
 * The organization form always sends its name, and an unticked checkbox sends nothing at all:
 * absent means "not required", never "unchanged".
 */
export const OrganizationFormSchema = formSchema(
  UpdateOrganizationInputSchema.extend({
    name: UpdateOrganizationInputSchema.shape.name.unwrap(),
    mfaRequired: UpdateOrganizationInputSchema.shape.mfaRequired.unwrap().default(false),
  }),
);

export const ORGANIZATION_FIELDS = ["name", "mfaRequired"] as const;

export function organizationFormDefaults(organization: Organization) {
  return { name: organization.name, mfaRequired: organization.mfaRequired ? "on" : "" };
}

export const NewClinicFormSchema = formSchema(CreateClinicInputSchema);

/** The edit form sends every field: an emptied name is refused, not skipped as unchanged. */
export const EditClinicFormSchema = formSchema(
  UpdateClinicInputSchema.pick({ id: true }).extend(CreateClinicInputSchema.shape),
);

export const ClinicByIdFormSchema = formSchema(ByIdInputSchema);

export const CLINIC_FIELDS = ["name", "jurisdiction", "timeZone"] as const;

export function clinicFormDefaults(clinic: Clinic) {
  return {
    id: clinic.id,
    name: clinic.name,
    jurisdiction: clinic.jurisdiction,
    timeZone: clinic.timeZone,
  };
}
