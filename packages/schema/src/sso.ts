/**
 * Single sign-on with OpenID Connect: an organization's identity providers (added by its admins)
 * and the two halves of a sign-in around the redirect to the provider. The client secret goes in
 * and never comes out: no output schema has it.
 */
import { z } from "zod";
import { IdSchema, IsoInstantSchema, NameSchema, text } from "./common.ts";

/** Hosts whose issuers may use plain http: a provider on this machine (development, tests). */
export const OIDC_LOOPBACK_HOSTS: readonly string[] = ["localhost", "127.0.0.1"];

/** True for an http URL on a loopback host, the one case where an issuer need not be https. */
export function isLoopbackHttpUrl(url: URL): boolean {
  return url.protocol === "http:" && OIDC_LOOPBACK_HOSTS.includes(url.hostname);
}

/** An issuer identifier: an https URL (http only on localhost / 127.0.0.1). */
export const OidcIssuerSchema = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(500, { error: "must be at most 500 characters" })
  .superRefine((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : null;
    if (!url) {
      ctx.addIssue({ code: "custom", message: "must be a URL such as https://login.example.org" });
    } else if (url.protocol !== "https:" && !isLoopbackHttpUrl(url)) {
      ctx.addIssue({
        code: "custom",
        message: "must use https (plain http only for localhost or 127.0.0.1)",
      });
    }
  });

export const OidcProviderSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  name: z.string(),
  /** As the provider's discovery document states it. */
  issuer: z.string(),
  clientId: z.string(),
  createdBy: IdSchema,
  createdAt: IsoInstantSchema,
  archivedAt: IsoInstantSchema.nullable(),
  /** The admin app's page that starts a sign-in with this provider: the link to give staff. */
  signInUrl: z.string(),
});
export type OidcProvider = z.infer<typeof OidcProviderSchema>;

export const CreateOidcProviderInputSchema = z.object({
  /** What staff know the provider as, e.g. "Harbor PT Microsoft 365". */
  name: NameSchema,
  issuer: OidcIssuerSchema,
  clientId: text(255),
  /** Kept as given (secrets may have edge spaces); stored, never returned or audited. */
  clientSecret: z
    .string({ error: "must be text" })
    .min(1, { error: "must not be empty" })
    .max(1000, { error: "must be at most 1000 characters" }),
});
export type CreateOidcProviderInput = z.infer<typeof CreateOidcProviderInputSchema>;

export const BeginSsoSignInInputSchema = z.object({
  providerId: IdSchema,
  /** Must be the admin app's callback, `<app URL>/sso/callback`. */
  redirectUri: z
    .string({ error: "must be text" })
    .min(1, { error: "must not be empty" })
    .max(2000, { error: "must be at most 2000 characters" }),
});
export type BeginSsoSignInInput = z.infer<typeof BeginSsoSignInInputSchema>;

/** Where to send the browser, and the id to keep (in a cookie) until it comes back. */
export const SsoSignInStartSchema = z.object({
  signInId: IdSchema,
  authorizationUrl: z.string(),
  expiresAt: IsoInstantSchema,
});
export type SsoSignInStart = z.infer<typeof SsoSignInStartSchema>;

export const CompleteSsoSignInInputSchema = z.object({
  /** The full URL the provider redirected the browser back to (with `code` and `state`). */
  callbackUrl: z
    .string({ error: "must be text" })
    .min(1, { error: "must not be empty" })
    .max(8000, { error: "must be at most 8000 characters" }),
  /**
   * The id `begin` returned, kept by the browser that started the sign-in: a callback is only
   * completed for the browser it was started in.
   */
  signInId: IdSchema,
});
export type CompleteSsoSignInInput = z.infer<typeof CompleteSsoSignInInputSchema>;
