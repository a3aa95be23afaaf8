import {
  LoginInputSchema,
  LoginResultSchema,
  MeSchema,
  OkSchema,
  RequestPasswordResetInputSchema,
  ResetPasswordInputSchema,
  SecondFactorInputSchema,
  SignedInSchema,
  SwitchOrganizationInputSchema,
} from "@dn/schema";
import { z } from "zod";
import { requestPasswordReset, resetPassword } from "../services/account.service.ts";
import {
  login,
  logout,
  me,
  switchOrganization,
  verifySecondFactor,
} from "../services/auth.service.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

export const authRouter = router({
  login: publicProcedure
    .input(LoginInputSchema)
    .output(LoginResultSchema)
    .mutation(({ ctx, input }) => login(ctx, input)),
  verifySecondFactor: publicProcedure
    .input(SecondFactorInputSchema)
    .output(SignedInSchema)
    .mutation(({ ctx, input }) => verifySecondFactor(ctx, input)),
  requestPasswordReset: publicProcedure
    .input(RequestPasswordResetInputSchema)
    .output(OkSchema)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx, input)),
  resetPassword: publicProcedure
    .input(ResetPasswordInputSchema)
    .output(OkSchema)
    .mutation(({ ctx, input }) => resetPassword(ctx, input)),
  logout: authedProcedure
    .input(z.void())
    .output(OkSchema)
    .mutation(({ ctx }) => logout(ctx)),
  me: authedProcedure
    .input(z.void())
    .output(MeSchema)
    .query(({ ctx }) => me(ctx)),
  switchOrganization: authedProcedure
    .input(SwitchOrganizationInputSchema)
    .output(MeSchema)
    .mutation(({ ctx, input }) => switchOrganization(ctx, input)),
});
