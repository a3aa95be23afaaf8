import { z } from "zod";
import { EmailSchema, IdSchema, IsoInstantSchema, NameSchema } from "./common.ts";

export const ROLES = ["admin", "manager", "practitioner", "auditor"] as const;
export const RoleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });
export type Role = z.infer<typeof RoleSchema>;

/**
 * A user as one organization sees them: their login (id, email, name) and their membership there
 * (role, clinic scope, practitioner). A person with two organizations is two of these, one per
 * membership, sharing `id`.
 */
export const UserSchema = z.object({
  id: IdSchema,
  membershipId: IdSchema,
  organizationId: IdSchema,
  email: EmailSchema,
  name: NameSchema,
  role: RoleSchema,
  /** The practitioner this user is, in this organization (practitioners and needling managers). */
  practitionerId: IdSchema.nullable(),
  /** The clinics a manager is limited to; null for the whole organization. */
  clinicIds: z.array(IdSchema).nullable(),
  createdAt: IsoInstantSchema,
});
export type User = z.infer<typeof UserSchema>;

/** A login: the person, whatever organizations they belong to. */
export const AccountSchema = UserSchema.pick({
  id: true,
  email: true,
  name: true,
  createdAt: true,
});
export type Account = z.infer<typeof AccountSchema>;

export const MEMBERSHIP_STATUSES = ["active", "deactivated"] as const;
export const MembershipStatusSchema = z.enum(MEMBERSHIP_STATUSES);
export type MembershipStatus = z.infer<typeof MembershipStatusSchema>;

/** A user's place in one organization. */
export const MembershipSchema = z.object({
  id: IdSchema,
  userId: IdSchema,
  organizationId: IdSchema,
  role: RoleSchema,
  practitionerId: IdSchema.nullable(),
  clinicIds: z.array(IdSchema).nullable(),
  status: MembershipStatusSchema,
  createdAt: IsoInstantSchema,
  deactivatedAt: IsoInstantSchema.nullable(),
});
export type Membership = z.infer<typeof MembershipSchema>;

/**
 * A new password's length rule (OWASP ASVS v5 V6): 12 to 128 Unicode code points after NFKC, no
 * composition rules. The API's `checkNewPassword` adds the common-list, email and pattern checks.
 * Over 4096 UTF-16 units cannot normalise to 128 code points, so it is refused before NFKC runs.
 */
export const PasswordSchema = z
  .string({ error: "must be text" })
  .max(4096, { error: "must be at most 128 characters", abort: true })
  .refine((value) => [...value.normalize("NFKC")].length >= 12, {
    error: "must be at least 12 characters",
    abort: true,
  })
  .refine((value) => [...value.normalize("NFKC")].length <= 128, {
    error: "must be at most 128 characters",
  });

export const SessionSchema = z.object({
  token: z.string(),
  expiresAt: IsoInstantSchema,
  user: UserSchema,
});
export type Session = z.infer<typeof SessionSchema>;
