import {
  ApiTokenSchema,
  ByIdInputSchema,
  CreateApiTokenInputSchema,
  CreatedApiTokenSchema,
} from "@dn/schema";
import { z } from "zod";
import { createApiToken, listApiTokens, revokeApiToken } from "../services/api-tokens.service.ts";
import { authedProcedure, router } from "../trpc.ts";

/** Regulators' read-only tokens, managed by managers and admins. */
export const apiTokensRouter = router({
  create: authedProcedure
    .input(CreateApiTokenInputSchema)
    .output(CreatedApiTokenSchema)
    .mutation(({ ctx, input }) => createApiToken(ctx, input)),
  list: authedProcedure.output(z.array(ApiTokenSchema)).query(({ ctx }) => listApiTokens(ctx)),
  revoke: authedProcedure
    .input(ByIdInputSchema)
    .output(ApiTokenSchema)
    .mutation(({ ctx, input }) => revokeApiToken(ctx, input.id)),
});
