import {
  BeginSsoSignInInputSchema,
  ByIdInputSchema,
  CompleteSsoSignInInputSchema,
  CreateOidcProviderInputSchema,
  OidcProviderSchema,
  SignedInSchema,
  SsoSignInStartSchema,
} from "@dn/schema";
import { z } from "zod";
import {
  archiveProvider,
  beginSignIn,
  completeSignIn,
  createProvider,
  listProviders,
} from "../services/sso.service.ts";
import { authedProcedure, publicProcedure, router } from "../trpc.ts";

/** Single sign-on: admins manage their organization's OpenID Connect providers; anyone signs in. */
export const ssoRouter = router({
  providers: router({
    create: authedProcedure
      .input(CreateOidcProviderInputSchema)
      .output(OidcProviderSchema)
      .mutation(({ ctx, input }) => createProvider(ctx, input)),
    list: authedProcedure
      .input(z.void())
      .output(z.array(OidcProviderSchema))
      .query(({ ctx }) => listProviders(ctx)),
    archive: authedProcedure
      .input(ByIdInputSchema)
      .output(OidcProviderSchema)
      .mutation(({ ctx, input }) => archiveProvider(ctx, input.id)),
  }),
  begin: publicProcedure
    .input(BeginSsoSignInInputSchema)
    .output(SsoSignInStartSchema)
    .mutation(({ ctx, input }) => beginSignIn(ctx, input)),
  complete: publicProcedure
    .input(CompleteSsoSignInInputSchema)
    .output(SignedInSchema)
    .mutation(({ ctx, input }) => completeSignIn(ctx, input)),
});
