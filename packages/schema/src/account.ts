/**
 * Signing in and managing one's account: the second factor, sessions, passwords, invitations,
 * organization switching and first-run set-up. Passwords here are new ones (PasswordSchema);
 * the API adds the checks a schema cannot make (common list, the user's own email).
 */
import { z } from "zod";
import { EmailSchema, IdSchema, IsoInstantSchema, NameSchema } from "./common.ts";
import { CreateClinicInputSchema } from "./organization.ts";
import {
  MembershipSchema,
  MembershipStatusSchema,
  PasswordSchema,
  RoleSchema,
  SessionSchema,
} from "./user.ts";

/** Opaque single-use tokens from links and challenges: base64url, bounded. */
export const OneTimeTokenSchema = z
  .string({ error: "must be text" })
  .min(20, { error: "is not a valid link or token" })
  .max(200, { error: "is not a valid link or token" })
  .regex(/^[A-Za-z0-9_-]+$/, { error: "is not a valid link or token" });

export const LoginInputSchema = z.object({
  email: EmailSchema,
  password: z.string({ error: "must be text" }).min(1, { error: "is required" }).max(4096),
  /** Which organization to work in; default the oldest active membership. */
  organizationId: IdSchema.optional(),
});
export type LoginInput = z.infer<typeof LoginInputSchema>;

/** A password was right and a second factor is needed: answer the challenge within minutes. */
export const SecondFactorChallengeSchema = z.object({
  status: z.literal("second-factor-required"),
  challenge: z.string(),
  expiresAt: IsoInstantSchema,
});
export type SecondFactorChallenge = z.infer<typeof SecondFactorChallengeSchema>;

export const SignedInSchema = SessionSchema.extend({ status: z.literal("signed-in") });
export type SignedIn = z.infer<typeof SignedInSchema>;

export const LoginResultSchema = z.discriminatedUnion("status", [
  SignedInSchema,
  SecondFactorChallengeSchema,
]);
export type LoginResult = z.infer<typeof LoginResultSchema>;

const TotpCodeInputSchema = z
  .string({ error: "must be text" })
  .max(64, { error: "must be the 6-digit code from your authenticator app" });

export const SecondFactorInputSchema = z
  .object({
    challenge: OneTimeTokenSchema,
    /** The 6-digit code from the authenticator app. */
    code: TotpCodeInputSchema.optional(),
    /** Or one of the recovery codes. */
    recoveryCode: z.string({ error: "must be text" }).max(64).optional(),
  })
  .refine((input) => (input.code === undefined) !== (input.recoveryCode === undefined), {
    error: "give either the code from your authenticator app or a recovery code",
    path: ["code"],
  });
export type SecondFactorInput = z.infer<typeof SecondFactorInputSchema>;

export const SwitchOrganizationInputSchema = z.object({ organizationId: IdSchema });
export type SwitchOrganizationInput = z.infer<typeof SwitchOrganizationInputSchema>;

/** One of the signed-in user's organizations, for the switcher. */
export const MembershipSummarySchema = MembershipSchema.pick({
  id: true,
  organizationId: true,
  role: true,
  status: true,
}).extend({ organizationName: z.string() });
export type MembershipSummary = z.infer<typeof MembershipSummarySchema>;

export const SessionInfoSchema = z.object({
  id: IdSchema,
  createdAt: IsoInstantSchema,
  lastSeenAt: IsoInstantSchema.nullable(),
  expiresAt: IsoInstantSchema,
  userAgent: z.string().nullable(),
  clientAddress: z.string().nullable(),
  method: z.string().nullable(),
  /** The session this request came with. */
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const RevokeSessionInputSchema = z.object({ id: IdSchema });

export const ChangePasswordInputSchema = z.object({
  currentPassword: z.string({ error: "must be text" }).min(1, { error: "is required" }).max(4096),
  newPassword: PasswordSchema,
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInputSchema>;

export const RequestPasswordResetInputSchema = z.object({ email: EmailSchema });
export type RequestPasswordResetInput = z.infer<typeof RequestPasswordResetInputSchema>;

export const ResetPasswordInputSchema = z.object({
  token: OneTimeTokenSchema,
  newPassword: PasswordSchema,
});
export type ResetPasswordInput = z.infer<typeof ResetPasswordInputSchema>;

/** Step one of TOTP enrolment: the secret to add to an authenticator app. */
export const TotpEnrolmentSchema = z.object({
  secret: z.string(),
  uri: z.string(),
  /** The QR code of `uri`, as SVG markup. */
  qrSvg: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

export const ConfirmTotpInputSchema = z.object({ code: TotpCodeInputSchema });
export type ConfirmTotpInput = z.infer<typeof ConfirmTotpInputSchema>;

/** Shown once: each code signs in once when the authenticator is lost. */
export const RecoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;

export const DisableTotpInputSchema = z.object({
  currentPassword: z.string({ error: "must be text" }).min(1, { error: "is required" }).max(4096),
});

export const SecondFactorStatusSchema = z.object({
  enabled: z.boolean(),
  /** The organization requires it of this user's role. */
  required: z.boolean(),
  recoveryCodesLeft: z.number().int().nonnegative(),
});
export type SecondFactorStatus = z.infer<typeof SecondFactorStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Invitations
// ---------------------------------------------------------------------------------------------

export const INVITATION_STATUSES = ["pending", "accepted", "revoked", "expired"] as const;
export const InvitationStatusSchema = z.enum(INVITATION_STATUSES);

export const InvitationSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  email: EmailSchema,
  role: RoleSchema,
  practitionerId: IdSchema.nullable(),
  clinicIds: z.array(IdSchema).nullable(),
  invitedBy: IdSchema,
  createdAt: IsoInstantSchema,
  expiresAt: IsoInstantSchema,
  /** When the current link was last handed to the mail server (the creation time until then). */
  sentAt: IsoInstantSchema,
  /** How many emails reached the mail server; 0 when the first one failed (resend it). */
  sendCount: z.number().int().nonnegative(),
  status: InvitationStatusSchema,
});
export type Invitation = z.infer<typeof InvitationSchema>;

export const CreateInvitationInputSchema = z.object({
  email: EmailSchema,
  role: RoleSchema,
  /** Required for the practitioner role: the practitioner record the login belongs to. */
  practitionerId: IdSchema.nullish(),
  /** Managers only: limit them to these clinics (omit for the whole organization). */
  clinicIds: z.array(IdSchema).min(1, { error: "name at least one clinic" }).max(100).nullish(),
});
export type CreateInvitationInput = z.infer<typeof CreateInvitationInputSchema>;

export const ListInvitationsInputSchema = z.object({
  status: InvitationStatusSchema.optional(),
});

/** What the invitation page shows before the person accepts. */
export const InvitationPreviewSchema = z.object({
  organizationName: z.string(),
  email: EmailSchema,
  role: RoleSchema,
  /** The person already has a login: accepting asks for its password, not a new one. */
  hasAccount: z.boolean(),
  expiresAt: IsoInstantSchema,
});
export type InvitationPreview = z.infer<typeof InvitationPreviewSchema>;

export const PreviewInvitationInputSchema = z.object({ token: OneTimeTokenSchema });

export const AcceptInvitationInputSchema = z.object({
  token: OneTimeTokenSchema,
  /** For a new login: the person's name and password. */
  name: NameSchema.optional(),
  password: z.string({ error: "must be text" }).min(1, { error: "is required" }).max(4096),
});
export type AcceptInvitationInput = z.infer<typeof AcceptInvitationInputSchema>;

// ---------------------------------------------------------------------------------------------
// First run and organizations
// ---------------------------------------------------------------------------------------------

export const SetupStatusSchema = z.object({ needsSetup: z.boolean() });

/** Creates an organization, its first clinic and its first admin (the set-up page, the CLI). */
export const CreateOrganizationInputSchema = z.object({
  organizationName: NameSchema,
  clinic: CreateClinicInputSchema,
  admin: z.object({ name: NameSchema, email: EmailSchema, password: PasswordSchema }),
});
export type CreateOrganizationInput = z.infer<typeof CreateOrganizationInputSchema>;

export const UpdateOrganizationInputSchema = z.object({
  name: NameSchema.optional(),
  mfaRequired: z.boolean().optional(),
});
export type UpdateOrganizationInput = z.infer<typeof UpdateOrganizationInputSchema>;

// ---------------------------------------------------------------------------------------------
// Invitations: lists and actions; memberships of an organization
// ---------------------------------------------------------------------------------------------

export type InvitationStatus = z.infer<typeof InvitationStatusSchema>;

/** An invitation as the People page lists it: with whom it links and who sent it. */
export const InvitationSummarySchema = InvitationSchema.extend({
  practitionerName: z.string().nullable(),
  invitedByName: z.string(),
});
export type InvitationSummary = z.infer<typeof InvitationSummarySchema>;

export type ListInvitationsInput = z.infer<typeof ListInvitationsInputSchema>;

export const InvitationByIdInputSchema = z.object({ id: IdSchema });
export type InvitationByIdInput = z.infer<typeof InvitationByIdInputSchema>;

/** A practitioner who could be invited: not archived, no login here, no pending invitation. */
export const InvitablePractitionerSchema = z.object({
  id: IdSchema,
  name: z.string(),
  email: z.string().nullable(),
  clinicId: IdSchema,
  clinicName: z.string(),
});
export type InvitablePractitioner = z.infer<typeof InvitablePractitionerSchema>;

/** A membership of the organization with the person's login and linked practitioner. */
export const MemberSchema = MembershipSchema.extend({
  email: EmailSchema,
  name: z.string(),
  practitionerName: z.string().nullable(),
});
export type Member = z.infer<typeof MemberSchema>;

export const ListMembersInputSchema = z.object({ status: MembershipStatusSchema.optional() });
export type ListMembersInput = z.infer<typeof ListMembersInputSchema>;

export const MemberByIdInputSchema = z.object({ id: IdSchema });
export type MemberByIdInput = z.infer<typeof MemberByIdInputSchema>;

/** Sets a member's role and clinic scope (admins only). */
export const UpdateMemberInputSchema = z.object({
  id: IdSchema,
  role: RoleSchema,
  /** Managers only: the clinics they are limited to; omit or null for the whole organization. */
  clinicIds: CreateInvitationInputSchema.shape.clinicIds,
  /** Omit to keep the linked practitioner, null to unlink, an id to link (practitioners need one). */
  practitionerId: IdSchema.nullish(),
});
export type UpdateMemberInput = z.infer<typeof UpdateMemberInputSchema>;

export const LOGIN_STATUSES = ["none", "invited", "active", "deactivated"] as const;
export const LoginStatusNameSchema = z.enum(LOGIN_STATUSES);

/** Whether a practitioner can sign in: no login, invited, an active or a deactivated membership. */
export const LoginStatusSchema = z.object({
  status: LoginStatusNameSchema,
  invitationId: IdSchema.optional(),
  membershipId: IdSchema.optional(),
  /** The address the invitation went to or the login signs in with. */
  email: EmailSchema.optional(),
  /** invited: when the link stops working. */
  expiresAt: IsoInstantSchema.optional(),
});
export type LoginStatus = z.infer<typeof LoginStatusSchema>;

export const LoginStatusInputSchema = z.object({ practitionerId: IdSchema });
export type LoginStatusInput = z.infer<typeof LoginStatusInputSchema>;

export type PreviewInvitationInput = z.infer<typeof PreviewInvitationInputSchema>;
