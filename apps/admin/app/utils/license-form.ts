import {
  CreateLicenseInputSchema,
  IdSchema,
  type License,
  type LicenseStatus,
  type UpdateLicenseInput,
} from "@dn/schema";
import type { z } from "zod";
import { formSchema } from "./form-schema.ts";

export const LICENSE_STATUS_LABELS: Record<LicenseStatus, string> = {
  active: "Active",
  inactive: "Inactive",
  expired: "Expired",
  suspended: "Suspended",
  revoked: "Revoked",
};

/** The fields the add and edit forms show, where the API's field errors are placed. */
export const LICENSE_FIELDS = [
  "jurisdiction",
  "number",
  "issuedOn",
  "expiresOn",
  "status",
] as const;

/**
 * The "add license" form reads exactly `CreateLicenseInputSchema`; the route sets
 * `practitionerId` from the page address, whatever the browser sent.
 */
export const NewLicenseFormSchema = formSchema(CreateLicenseInputSchema);

/**
 * The edit form sends every field, so it reads the add form's input plus the license id: an
 * emptied number is refused rather than skipped, and an emptied expiry date means "does not
 * expire" (null), which the partial update input would read as "leave it".
 */
export const EditLicenseFormSchema = formSchema(CreateLicenseInputSchema.extend({ id: IdSchema }));
export type EditLicenseForm = z.infer<typeof EditLicenseFormSchema>;

/** The edit form's values as `licenses.update` input (a license never moves to another practitioner). */
export function licenseUpdateOf(form: EditLicenseForm): UpdateLicenseInput {
  return {
    id: form.id,
    jurisdiction: form.jurisdiction,
    number: form.number,
    issuedOn: form.issuedOn,
    expiresOn: form.expiresOn,
    status: form.status,
  };
}

/** What the edit form starts with: the license as stored. */
export function licenseFormDefaults(license: License) {
  return {
    id: license.id,
    practitionerId: license.practitionerId,
    jurisdiction: license.jurisdiction,
    number: license.number,
    issuedOn: license.issuedOn,
    expiresOn: license.expiresOn ?? "",
    status: license.status,
  };
}
