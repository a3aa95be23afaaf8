/** Invitations to sign in to the organization: sent by admins and managers, accepted by link. */
import {
  AcceptInvitationInputSchema,
  CreateInvitationInputSchema,
  InvitablePractitionerSchema,
  InvitationByIdInputSchema,
  InvitationPreviewSchema,
  InvitationSchema,
  InvitationSummarySchema,
  ListInvitationsInputSchema,
  LoginResultSchema,
  PreviewInvitationInputSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  acceptInvitation,
  createInvitation,
  listInvitable,
  listInvitations,
  previewInvitation,
  resendInvitation,
  revokeInvitation,
} from "../services/invitations.service.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

export const invitationsRouter = router({
  /** Admins: any role; managers: practitioners and auditors (scoped managers: their clinics' practitioners). */
  create: authedProcedure
    .input(CreateInvitationInputSchema)
    .output(InvitationSchema)
    .mutation(({ ctx, input }) => createInvitation(ctx, input)),
  list: authedProcedure
    .input(ListInvitationsInputSchema)
    .output(z.array(InvitationSummarySchema))
    .query(({ ctx, input }) => listInvitations(ctx, input)),
  /** Practitioners without a login or a pending invitation, for the invite form. */
  invitable: authedProcedure
    .input(z.void())
    .output(z.array(InvitablePractitionerSchema))
    .query(({ ctx }) => listInvitable(ctx)),
  resend: authedProcedure
    .input(InvitationByIdInputSchema)
    .output(InvitationSchema)
    .mutation(({ ctx, input }) => resendInvitation(ctx, input)),
  revoke: authedProcedure
    .input(InvitationByIdInputSchema)
    .output(InvitationSchema)
    .mutation(({ ctx, input }) => revokeInvitation(ctx, input)),
  /** Anyone holding the link: what they are invited to. */
  preview: publicProcedure
    .input(PreviewInvitationInputSchema)
    .output(InvitationPreviewSchema)
    .query(({ ctx, input }) => previewInvitation(ctx, input)),
  /** Anyone holding the link: accept it once and sign in. */
  accept: publicProcedure
    .input(AcceptInvitationInputSchema)
    .output(LoginResultSchema)
    .mutation(({ ctx, input }) => acceptInvitation(ctx, input)),
});
