/**
 * The visitor's address as the proxy in front of the admin app reported it, if any. Forwarded to
 * the API for per-address limits; the API believes it only from a local peer (client-address.ts
 * in @dn/api). Without a proxy there is no address, and the API then counts per account only.
 */
export function clientAddressOf(request: Request): string | null {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim().slice(0, 100) || null;
}
