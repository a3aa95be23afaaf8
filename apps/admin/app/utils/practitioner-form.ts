import {
  CreatePractitionerInputSchema,
  type Practitioner,
  type Profession,
  UpdatePractitionerInputSchema,
} from "@dn/schema";
import { z } from "zod";
import { formSchema } from "./form-schema.ts";

export const PROFESSION_LABELS: Record<Profession, string> = {
  PT: "Physical therapist (PT)",
  PTA: "Physical therapist assistant (PTA)",
  other: "Other",
};

/** The fields the add and edit forms show, where the API's field errors are placed. */
export const PRACTITIONER_FIELDS = ["name", "email", "profession", "clinicId"] as const;

const NOT_A_CLINIC = "must be one of your organization's clinics";

/**
 * The clinic picker offers the organization's clinics; a blank or tampered value is refused on
 * the field here, because the API answers an unknown clinic with "not found", not a field error.
 */
function clinicIdAmong(clinicIds: readonly string[]) {
  return z
    .string({ error: NOT_A_CLINIC })
    .refine((id) => clinicIds.includes(id), { error: NOT_A_CLINIC })
    .pipe(CreatePractitionerInputSchema.shape.clinicId);
}

/** The "add practitioner" form reads `CreatePractitionerInputSchema`, clinic limited to `clinicIds`. */
export function newPractitionerFormSchema(clinicIds: readonly string[]) {
  return formSchema(CreatePractitionerInputSchema.extend({ clinicId: clinicIdAmong(clinicIds) }));
}

/**
 * The edit form always sends every field, so it reads the update input with all of them required
 * (an emptied name is refused, not skipped) and an emptied email means "remove it" (null).
 */
export function editPractitionerFormSchema(clinicIds: readonly string[]) {
  return formSchema(
    UpdatePractitionerInputSchema.pick({ id: true })
      .extend(CreatePractitionerInputSchema.shape)
      .extend({ clinicId: clinicIdAmong(clinicIds) }),
  );
}

/** What the edit form starts with: the practitioner as stored. */
export function practitionerFormDefaults(practitioner: Practitioner) {
  return {
    id: practitioner.id,
    name: practitioner.name,
    email: practitioner.email ?? "",
    profession: practitioner.profession,
    clinicId: practitioner.clinicId,
  };
}
