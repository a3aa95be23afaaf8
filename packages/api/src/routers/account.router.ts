/** The signed-in user's own account: password, sessions, second factor. */
import {
  ChangePasswordInputSchema,
  ConfirmTotpInputSchema,
  DisableTotpInputSchema,
  OkSchema,
  RecoveryCodesSchema,
  RevokeSessionInputSchema,
  SessionInfoSchema,
  TotpEnrolmentSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  beginTotpEnrolment,
  changePassword,
  confirmTotpEnrolment,
  disableTotp,
  listSessions,
  regenerateRecoveryCodes,
  revokeSession,
  signOutEverywhere,
} from "../services/account.service.ts";
import { authedProcedure, router } from "../trpc.ts";

export const accountRouter = router({
  changePassword: authedProcedure
    .input(ChangePasswordInputSchema)
    .output(OkSchema)
    .mutation(({ ctx, input }) => changePassword(ctx, input)),
  sessions: authedProcedure
    .input(z.void())
    .output(z.array(SessionInfoSchema))
    .query(({ ctx }) => listSessions(ctx)),
  revokeSession: authedProcedure
    .input(RevokeSessionInputSchema)
    .output(OkSchema)
    .mutation(({ ctx, input }) => revokeSession(ctx, input.id)),
  signOutEverywhere: authedProcedure
    .input(z.void())
    .output(z.object({ ended: z.number().int().nonnegative() }))
    .mutation(({ ctx }) => signOutEverywhere(ctx)),
  beginTotp: authedProcedure
    .input(z.void())
    .output(TotpEnrolmentSchema)
    .mutation(({ ctx }) => beginTotpEnrolment(ctx)),
  confirmTotp: authedProcedure
    .input(ConfirmTotpInputSchema)
    .output(RecoveryCodesSchema)
    .mutation(({ ctx, input }) => confirmTotpEnrolment(ctx, input)),
  regenerateRecoveryCodes: authedProcedure
    .input(DisableTotpInputSchema)
    .output(RecoveryCodesSchema)
    .mutation(({ ctx, input }) => regenerateRecoveryCodes(ctx, input)),
  disableTotp: authedProcedure
    .input(DisableTotpInputSchema)
    .output(OkSchema)
    .mutation(({ ctx, input }) => disableTotp(ctx, input)),
});
