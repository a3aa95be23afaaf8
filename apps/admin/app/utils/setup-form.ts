/**
 * The set-up page's form: the installation's first organization, its first clinic and its first
 * admin, read with the API's own input schema plus a second copy of the password.
 */
import { type CreateOrganizationInput, CreateOrganizationInputSchema } from "@dn/schema";
import { z } from "zod";
import { formSchema } from "./form-schema.ts";

const AdminSchema = CreateOrganizationInputSchema.shape.admin;

export const SetupFormSchema = formSchema(
  CreateOrganizationInputSchema.extend({
    admin: AdminSchema.extend({ passwordAgain: z.string({ error: "type the password again" }) }),
  }).refine((input) => input.admin.password === input.admin.passwordAgain, {
    error: "does not match the password",
    path: ["admin", "passwordAgain"],
  }),
);
export type SetupFormValue = z.infer<typeof SetupFormSchema>;

/** The fields the page shows, as the API names them in its field errors. */
export const SETUP_FIELDS = [
  "organizationName",
  "clinic.name",
  "clinic.jurisdiction",
  "clinic.timeZone",
  "admin.name",
  "admin.email",
  "admin.password",
  "admin.passwordAgain",
] as const;

/** What is sent to the API: the form's value without the repeated password. */
export function setupInputOf(value: SetupFormValue): CreateOrganizationInput {
  const { passwordAgain: _, ...admin } = value.admin;
  return { organizationName: value.organizationName, clinic: value.clinic, admin };
}
