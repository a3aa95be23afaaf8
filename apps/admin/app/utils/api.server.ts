/**
 * The one place the admin app talks to the dn API (apps/api, tRPC over HTTP).
 * Every call carries the signed-in user's session token as a bearer token.
 */
import type { AppRouter } from "@dn/api";
import { redirect } from "@remix-run/node";
import {
  createTRPCClientProxy,
  httpLink,
  isTRPCClientError,
  TRPCClientError,
  type TRPCRequestOptions,
  TRPCUntypedClient,
} from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { env } from "./env.server.ts";

export type ApiOutputs = inferRouterOutputs<AppRouter>;
export type Me = ApiOutputs["auth"]["me"];

function linksFor(token: string | null, clientAddress: string | null = null) {
  return [
    httpLink<AppRouter>({
      url: `${env.DN_API_URL.replace(/\/$/, "")}/trpc`,
      headers: () => ({
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        // The browser's address for the API's per-address limits (sessions list, sign-in
        // throttle), as clientAddressOf settled it: never the browser's own header as it came.
        ...(clientAddress ? { "X-Forwarded-For": clientAddress } : {}),
      }),
    }),
  ];
}

/**
 * Turns the API's "who/what" refusals into HTTP answers for the page: an expired or unknown
 * session goes back to the login form; NOT_FOUND and FORBIDDEN become 404 and 403 responses
 * that the route's error boundary shows. Everything else (validation, conflicts) is left for
 * the route to show next to its form.
 */
function rethrowAsResponse(error: unknown): never {
  if (isTRPCClientError(error)) {
    switch (error.data?.code) {
      case "UNAUTHORIZED":
        throw redirect("/login");
      case "NOT_FOUND":
        throw new Response(error.message || "Not found", { status: 404, statusText: "Not Found" });
      case "FORBIDDEN":
        throw new Response(error.message || "Forbidden", { status: 403, statusText: "Forbidden" });
    }
  }
  throw error;
}

class ResponseMappingClient extends TRPCUntypedClient<AppRouter> {
  override query(path: string, input?: unknown, opts?: TRPCRequestOptions) {
    return super.query(path, input, opts).catch(rethrowAsResponse);
  }
  override mutation(path: string, input?: unknown, opts?: TRPCRequestOptions) {
    return super.mutation(path, input, opts).catch(rethrowAsResponse);
  }
}

/** A typed API client acting as the holder of `token`, for one request. */
export function createApi(token: string) {
  return createTRPCClientProxy<AppRouter>(new ResponseMappingClient({ links: linksFor(token) }));
}
export type Api = ReturnType<typeof createApi>;

/**
 * A client whose errors are left as they are, for the login form (where UNAUTHORIZED means
 * "wrong email or password") and for checking a stored token without redirecting.
 */
export function createPlainApi(token: string | null = null, clientAddress: string | null = null) {
  return createTRPCClientProxy<AppRouter>(
    new TRPCUntypedClient<AppRouter>({ links: linksFor(token, clientAddress) }),
  );
}

/**
 * A client for the public procedures (article pages, comment submission) on behalf of an
 * anonymous visitor. The visitor's address (`clientAddressOf`: the socket's peer, or what a
 * trusted proxy reported) is forwarded as the only X-Forwarded-For entry, so the API, which
 * trusts this app as a proxy (DN_TRUSTED_PROXIES), can limit submissions per address.
 */
export function createPublicApi(clientAddress: string | null) {
  return createTRPCClientProxy<AppRouter>(
    new TRPCUntypedClient<AppRouter>({
      links: [
        httpLink<AppRouter>({
          url: `${env.DN_API_URL.replace(/\/$/, "")}/trpc`,
          headers: () => (clientAddress ? { "X-Forwarded-For": clientAddress } : {}),
        }),
      ],
    }),
  );
}

export { isTRPCClientError as isApiError };

/** The API's code for a failed call (`BAD_REQUEST`, `CONFLICT`, ...), or null if it was not an API error. */
export function apiErrorCode(error: unknown): string | null {
  return isTRPCClientError(error) ? (error.data?.code ?? null) : null;
}

/**
 * Field errors the API attached to a refused input (`data.zodError.fieldErrors`, paths joined
 * with "."), so a form can show them next to its own fields.
 */
export function apiFieldErrors(error: unknown): Record<string, string[]> {
  if (!(error instanceof TRPCClientError)) return {};
  const data: unknown = error.data;
  if (!isRecord(data) || !isRecord(data.zodError) || !isRecord(data.zodError.fieldErrors)) {
    return {};
  }
  const fieldErrors: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(data.zodError.fieldErrors)) {
    if (Array.isArray(messages)) {
      const texts = messages.filter((message): message is string => typeof message === "string");
      if (texts.length > 0) fieldErrors[path] = texts;
    }
  }
  return fieldErrors;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The API's message for a refused call (safe to show: services word them for people). */
export function apiErrorMessage(error: unknown): string {
  if (!isTRPCClientError(error)) return "Something went wrong. Try again.";
  const message = error.message;
  return message.charAt(0).toUpperCase() + message.slice(1) + (message.endsWith(".") ? "" : ".");
}
