import { z } from "zod";
import { MembershipSummarySchema, SecondFactorStatusSchema } from "./account.ts";
import { IdSchema } from "./common.ts";
import { ClinicSchema, OrganizationSchema } from "./organization.ts";
import { LicenseSchema, PractitionerSchema } from "./practitioner.ts";
import { TrainingRecordSchema } from "./training-record.ts";
import { UserSchema } from "./user.ts";

/** The parts of a clinic that list and detail views show next to a practitioner. */
export const ClinicSummarySchema = ClinicSchema.pick({ id: true, name: true, jurisdiction: true });
export type ClinicSummary = z.infer<typeof ClinicSummarySchema>;

/** One row of the practitioners list: who, where, which licenses, how much awaits review. */
export const PractitionerListItemSchema = PractitionerSchema.extend({
  clinic: ClinicSummarySchema,
  licenses: z.array(LicenseSchema),
  /** Current record versions with status `pending`. */
  pendingRecordCount: z.number().int().nonnegative(),
});
export type PractitionerListItem = z.infer<typeof PractitionerListItemSchema>;

/** A practitioner with their clinic and licenses: the detail view. */
export const PractitionerDetailSchema = PractitionerSchema.extend({
  clinic: ClinicSummarySchema,
  licenses: z.array(LicenseSchema),
});
export type PractitionerDetail = z.infer<typeof PractitionerDetailSchema>;

/** A pending record in the review queue, with the name of whose record it is. */
export const ReviewQueueItemSchema = TrainingRecordSchema.extend({
  practitionerName: z.string(),
});
export type ReviewQueueItem = z.infer<typeof ReviewQueueItemSchema>;

/**
 * The signed-in user in the organization they work in now, who they are there (practitioner),
 * the other organizations they can switch to, and what they may do (`action:entity:access`).
 */
export const MeSchema = z.object({
  user: UserSchema,
  organization: OrganizationSchema,
  practitioner: PractitionerSchema.nullable(),
  memberships: z.array(MembershipSummarySchema),
  permissions: z.array(z.string()),
  secondFactor: SecondFactorStatusSchema,
});
export type Me = z.infer<typeof MeSchema>;

/** Inputs naming one entity by id. */
export const ByIdInputSchema = z.object({ id: IdSchema });
export type ByIdInput = z.infer<typeof ByIdInputSchema>;

export const ListLicensesInputSchema = z.object({ practitionerId: IdSchema });
export type ListLicensesInput = z.infer<typeof ListLicensesInputSchema>;

export const OkSchema = z.object({ ok: z.literal(true) });
export type Ok = z.infer<typeof OkSchema>;
