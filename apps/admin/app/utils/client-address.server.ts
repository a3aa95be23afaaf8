/**
 * The visitor's address, forwarded to the API for its per-address limits (sign-in throttle,
 * public comments, the sessions list): the socket's peer, which server.mjs puts in the load
 * context, or the address in X-Forwarded-For when that peer is a trusted proxy
 * (DN_TRUSTED_PROXIES, default loopback; the rules are client-address.ts in @dn/api). Without a
 * peer (a server that does not pass one, such as `remix vite:dev`) there is no address, and the
 * API counts per account only; the browser's own X-Forwarded-For is never passed on as it came.
 */
import { resolveClientAddress, type TrustedProxies } from "@dn/api/client-address";
import { env } from "./env.server.ts";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The socket's remote address (server.mjs), when the server knows it. */
    peerAddress?: string | null;
  }
}

export function clientAddressOf(
  request: Request,
  context: { peerAddress?: string | null } | undefined,
  trusted: TrustedProxies = env.DN_TRUSTED_PROXIES,
): string | null {
  return resolveClientAddress(
    context?.peerAddress,
    request.headers.get("x-forwarded-for"),
    trusted,
  );
}
