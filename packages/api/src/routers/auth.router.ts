import { LoginInputSchema, MeSchema, OkSchema, SessionSchema } from "@dn/schema";
import { z } from "zod";
import { login, logout, me } from "../services/auth.service.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

export const authRouter = router({
  login: publicProcedure
    .input(LoginInputSchema)
    .output(SessionSchema)
    .mutation(({ ctx, input }) => login(ctx, input)),
  logout: authedProcedure
    .input(z.void())
    .output(OkSchema)
    .mutation(({ ctx }) => logout(ctx)),
  me: authedProcedure
    .input(z.void())
    .output(MeSchema)
    .query(({ ctx }) => me(ctx)),
});
