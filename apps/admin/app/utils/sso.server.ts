/**
 * Single sign-on in the admin app. A sign-in in progress is the API's sign-in id, in a signed
 * cookie that lives as long as the sign-in may (ten minutes): the callback completes only the
 * sign-in this browser began, so a callback link someone else started cannot sign this browser
 * in as them.
 */
import { createCookie } from "@remix-run/node";
import { apiErrorMessage, apiFieldErrors } from "./api.server.ts";
import { env } from "./env.server.ts";

const ssoCookie = createCookie("dn_sso", {
  httpOnly: true,
  // The page that starts a sign-in (/sso/<provider>) and the callback (/sso/callback).
  path: "/sso",
  // Lax: sent on the provider's top-level redirect back to the callback.
  sameSite: "lax",
  secure: env.DN_COOKIE_SECURE,
  secrets: [env.DN_SESSION_SECRET],
  maxAge: 10 * 60,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Set-Cookie header value remembering `signInId` for as long as the sign-in may take. */
export function commitSsoSignIn(signInId: string): Promise<string> {
  return ssoCookie.serialize(signInId);
}

/** The sign-in id this browser began, or null (none, expired, or a forged cookie). */
export async function getSsoSignIn(request: Request): Promise<string | null> {
  const value: unknown = await ssoCookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" && UUID.test(value) ? value : null;
}

/** The Set-Cookie header value that forgets the sign-in. */
export function clearSsoSignIn(): Promise<string> {
  return ssoCookie.serialize("", { maxAge: 0 });
}

/** The API's refusal as a sentence for the page: the field's problem without the field name. */
export function ssoProblemOf(error: unknown): string {
  const [problem] = Object.values(apiFieldErrors(error)).flat();
  if (!problem) return apiErrorMessage(error);
  return problem.charAt(0).toUpperCase() + problem.slice(1) + (problem.endsWith(".") ? "" : ".");
}
