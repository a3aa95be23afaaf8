import {
  ApiTokenSchema,
  ByIdInputSchema,
  CreateApiTokenInputSchema,
  CreatedApiTokenSchema,
} from "@dn/schema";
import { z } from "zod";
import { createApiToken, listApiTokens, revokeApiToken } from "../services/api-tokens.service.ts";
import { managerProcedure, router } from "../trpc.ts";

/** Regulators' read-only tokens, managed by managers and admins. */
export const apiTokensRouter = router({
  create: managerProcedure
    .input(CreateApiTokenInputSchema)
    .output(CreatedApiTokenSchema)
    .mutation(({ ctx, input }) => createApiToken(ctx, input)),
  list: managerProcedure.output(z.array(ApiTokenSchema)).query(({ ctx }) => listApiTokens(ctx)),
  revoke: managerProcedure
    .input(ByIdInputSchema)
    .output(ApiTokenSchema)
    .mutation(({ ctx, input }) => revokeApiToken(ctx, input.id)),
});
