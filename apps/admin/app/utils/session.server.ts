/**
 * The admin app's session: a signed cookie holding the API session token. Guards read like
 * sentences and throw Responses (a redirect to /login, or 403) so loaders stay linear.
 */
import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { type Api, apiErrorCode, createApi, createPlainApi, type Me } from "./api.server.ts";
import { env } from "./env.server.ts";
import {
  hasPermission,
  hasPermissionOverOthers,
  type Permission,
  type PermissionCheck,
} from "./permissions.ts";

export { homePathFor } from "./permissions.ts";

const TOKEN_KEY = "token";
/** A sign-in waiting for its second factor: the API's short-lived challenge. */
const CHALLENGE_KEY = "challenge";

type SessionData = { [TOKEN_KEY]: string; [CHALLENGE_KEY]: string };

const sessionStorage = createCookieSessionStorage<SessionData>({
  cookie: {
    name: "dn_session",
    httpOnly: true,
    path: "/",
    sameSite: "lax",
    secure: env.DN_COOKIE_SECURE,
    secrets: [env.DN_SESSION_SECRET],
  },
});

function getSession(request: Request) {
  return sessionStorage.getSession(request.headers.get("Cookie"));
}

/** The API token stored for this browser, or null when nobody is signed in. */
export async function getSessionToken(request: Request): Promise<string | null> {
  const session = await getSession(request);
  return session.get(TOKEN_KEY) ?? null;
}

/** The token, or a redirect to the login form. */
export async function requireSessionToken(request: Request): Promise<string> {
  const token = await getSessionToken(request);
  if (!token) throw redirect("/login");
  return token;
}

/** An API client acting as the signed-in user. */
export async function requireApi(request: Request): Promise<Api> {
  return createApi(await requireSessionToken(request));
}

/** The signed-in user with their organization and practitioner (auth.me), or a redirect to /login. */
export async function requireUser(request: Request): Promise<Me> {
  const api = await requireApi(request);
  return api.auth.me.query();
}

function forbiddenPage(needs: string): Response {
  return new Response(`Your account may not open this page (it needs ${needs}).`, {
    status: 403,
    statusText: "Forbidden",
  });
}

/**
 * The signed-in user, who must hold `permission` (`action:entity:access` exactly, or an
 * `action:entity` pair at any access level) according to auth.me; anyone else gets 403.
 */
export async function requireUserWithPermission(
  request: Request,
  permission: Permission | PermissionCheck,
): Promise<Me> {
  const me = await requireUser(request);
  if (!hasPermission(me, permission)) throw forbiddenPage(permission);
  return me;
}

/** The signed-in user, who must hold `check` for their clinics or the organization; else 403. */
export async function requireUserWithPermissionOverOthers(
  request: Request,
  check: PermissionCheck,
): Promise<Me> {
  const me = await requireUser(request);
  if (!hasPermissionOverOthers(me, check)) throw forbiddenPage(`${check} beyond your own data`);
  return me;
}

/** The signed-in practitioner's own record (for "My records"); anyone else gets 403. */
export async function requirePractitionerUser(request: Request) {
  const me = await requireUserWithPermission(request, "read:training-record:own");
  if (!me.practitioner) {
    throw new Response("Your account is not linked to a practitioner record.", {
      status: 403,
      statusText: "Forbidden",
    });
  }
  return { ...me, practitioner: me.practitioner };
}

/** The user behind a stored token, or null if there is none or it is no longer valid. */
export async function findSignedInUser(request: Request): Promise<Me | null> {
  const token = await getSessionToken(request);
  if (!token) return null;
  try {
    return await createPlainApi(token).auth.me.query();
  } catch (error) {
    if (apiErrorCode(error) === "UNAUTHORIZED") return null;
    throw error;
  }
}

/** Stores a fresh API session token and returns the Set-Cookie header value. */
export async function commitToken(request: Request, token: string, expiresAt: string) {
  const session = await getSession(request);
  session.unset(CHALLENGE_KEY);
  session.set(TOKEN_KEY, token);
  return sessionStorage.commitSession(session, { expires: new Date(expiresAt) });
}

/** Remembers a second-factor challenge until it expires (the next step of signing in). */
export async function commitChallenge(request: Request, challenge: string, expiresAt: string) {
  const session = await getSession(request);
  session.unset(TOKEN_KEY);
  session.set(CHALLENGE_KEY, challenge);
  return sessionStorage.commitSession(session, { expires: new Date(expiresAt) });
}

/** The pending second-factor challenge, or null. */
export async function getChallenge(request: Request): Promise<string | null> {
  return (await getSession(request)).get(CHALLENGE_KEY) ?? null;
}

/** The Set-Cookie header value that forgets the session. */
export async function destroySessionCookie(request: Request) {
  return sessionStorage.destroySession(await getSession(request));
}
