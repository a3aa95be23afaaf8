/**
 * The address a request came from, for per-address limits (public comments, the sign-in
 * throttle, the sessions list), given which peers are trusted to report it.
 *
 * One setting, `DN_TRUSTED_PROXIES`, read by every host (the API and the admin app's server):
 * - unset or `loopback`: only a peer on this host (127.0.0.0/8, ::1) is a proxy;
 * - a comma-separated list of addresses and CIDR ranges (`10.0.0.0/8, 172.18.0.5, fd00::/8`,
 *   `loopback` among them): those peers are proxies;
 * - a whole number N: the N nearest hops are proxies, whatever their address (0: none; use this
 *   only when the host cannot be reached except through those proxies).
 *
 * `X-Forwarded-For` is read right to left: each proxy appends the address it saw. With a list,
 * the client is the right-most address that is not a trusted proxy (so a browser cannot choose
 * its address by sending the header itself); with a hop count it is the address N hops back. A
 * peer that is not trusted is the client, whatever it claims. This module only uses `node:net`,
 * so the admin app's server bundle can import it (`@dn/api/client-address`).
 * See docs/decisions/050-hostile-input-and-headers.md.
 */
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";

export type TrustedProxies =
  | { kind: "list"; blocks: BlockList; description: string }
  | { kind: "hops"; hops: number };

/** The setting's name, for error messages. */
export const TRUSTED_PROXIES_VARIABLE = "DN_TRUSTED_PROXIES";

/** The most `X-Forwarded-For` entries looked at (a chain of proxies is short). */
const MAX_FORWARDED_ENTRIES = 32;

const LOOPBACK: ReadonlyArray<readonly [string, number, "ipv4" | "ipv6"]> = [
  ["127.0.0.0", 8, "ipv4"],
  ["::1", 128, "ipv6"],
];

/** An address without an IPv4-mapped IPv6 prefix (`::ffff:10.0.0.1` → `10.0.0.1`). */
function normalize(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

function familyOf(address: string): "ipv4" | "ipv6" | null {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/**
 * Reads the setting: unset or empty means loopback only (the admin app or a proxy on the same
 * host). A refusal says which entry is at fault; `parseTrustedProxies` adds the variable's name.
 */
export function readTrustedProxies(
  value: string | undefined,
): { ok: true; trusted: TrustedProxies } | { ok: false; problem: string } {
  const text = value?.trim() ?? "";
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > MAX_FORWARDED_ENTRIES) {
      return { ok: false, problem: `a hop count must be at most ${MAX_FORWARDED_ENTRIES}` };
    }
    return { ok: true, trusted: { kind: "hops", hops } };
  }
  const entries = text === "" ? ["loopback"] : text.split(",").map((entry) => entry.trim());
  const blocks = new BlockList();
  for (const entry of entries) {
    if (entry === "") return { ok: false, problem: "has an empty entry (check the commas)" };
    if (entry === "loopback") {
      for (const [network, prefix, family] of LOOPBACK) blocks.addSubnet(network, prefix, family);
      continue;
    }
    const [rawAddress, rawPrefix, extra] = entry.split("/");
    const address = normalize(rawAddress ?? "");
    const family = familyOf(address);
    const bits = family === "ipv4" ? 32 : 128;
    const prefix =
      rawPrefix === undefined ? bits : /^\d+$/.test(rawPrefix) ? Number(rawPrefix) : Number.NaN;
    if (family === null || extra !== undefined || !(prefix >= 0 && prefix <= bits)) {
      return {
        ok: false,
        problem:
          `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, 172.18.0.5, ` +
          "fd00::/8, loopback), and the whole setting is not a hop count",
      };
    }
    blocks.addSubnet(address, prefix, family);
  }
  return { ok: true, trusted: { kind: "list", blocks, description: entries.join(", ") } };
}

/** Reads the setting or throws `<variable>: <what is wrong>`. */
export function parseTrustedProxies(
  value: string | undefined,
  variable: string = TRUSTED_PROXIES_VARIABLE,
): TrustedProxies {
  const result = readTrustedProxies(value);
  if (!result.ok) throw new Error(`${variable}: ${result.problem}`);
  return result.trusted;
}

/** Only this host's own peers (the default). */
export const LOOPBACK_ONLY: TrustedProxies = parseTrustedProxies(undefined);

/** Whether `address` is a trusted proxy under a list setting (a hop count trusts by position). */
export function isTrustedProxy(address: string, trusted: TrustedProxies): boolean {
  if (trusted.kind === "hops") return false;
  const normalized = normalize(address);
  const family = familyOf(normalized);
  return family !== null && trusted.blocks.check(normalized, family);
}

/**
 * The client's address given the socket's peer and the `X-Forwarded-For` value(s) that came
 * with the request, or null when the peer is unknown. A malformed entry ends the walk: the
 * address just to its right (reported by a trusted proxy) is used.
 */
export function resolveClientAddress(
  peer: string | null | undefined,
  forwardedFor: string | readonly string[] | null | undefined,
  trusted: TrustedProxies = LOOPBACK_ONLY,
): string | null {
  if (!peer) return null;
  const header = typeof forwardedFor === "string" ? forwardedFor : forwardedFor?.join(",");
  // Right to left: the nearest hop first, the peer before all of them.
  const hops = [
    normalize(peer),
    ...(header ?? "")
      .split(",")
      .slice(-MAX_FORWARDED_ENTRIES)
      .map((entry) => normalize(entry))
      .filter((entry) => entry !== "")
      .reverse(),
  ];
  let client = hops[0] as string;
  for (let index = 0; index < hops.length; index += 1) {
    const hop = hops[index] as string;
    if (familyOf(hop) === null) break;
    client = hop;
    const proxy = trusted.kind === "hops" ? index < trusted.hops : isTrustedProxy(hop, trusted);
    if (!proxy) break;
  }
  return client.slice(0, 100);
}

export function clientAddressOf(
  req: Pick<IncomingMessage, "headers" | "socket">,
  trusted: TrustedProxies = LOOPBACK_ONLY,
): string | null {
  return resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
}

export function isLoopback(address: string): boolean {
  return isTrustedProxy(address, LOOPBACK_ONLY);
}

/**
 * The address to count failed sign-ins against, or null when there is none worth counting: a
 * loopback peer that forwarded no address is the admin app or a local proxy speaking for many
 * people, and one shared bucket would let anyone lock every user out.
 */
export function throttledAddress(address: string | null): string | null {
  return address === null || isLoopback(address) ? null : address;
}
