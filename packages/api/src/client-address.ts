/**
 * The address a request came from, for per-address limits (public comment submission).
 *
 * `X-Forwarded-For` is believed only from a loopback peer: the admin app (or a reverse proxy)
 * on the same host, which forwards the browser's address. Anyone else calling the API directly
 * is identified by their own socket address, so they cannot pick a fresh address per request.
 * See docs/decisions/041-public-comments.md.
 */
import type { IncomingMessage } from "node:http";

export function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}

export function clientAddressOf(req: Pick<IncomingMessage, "headers" | "socket">): string | null {
  const peer = req.socket.remoteAddress ?? null;
  const header = req.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim();
  if (peer !== null && isLoopback(peer) && forwarded) return forwarded.slice(0, 100);
  return peer;
}

/**
 * The address to count failed sign-ins against, or null when there is none worth counting: a
 * loopback peer that forwarded no address is the admin app or a local proxy speaking for many
 * people, and one shared bucket would let anyone lock every user out.
 */
export function throttledAddress(address: string | null): string | null {
  return address === null || isLoopback(address) ? null : address;
}
