/**
 * The admin app's liveness answer (`/healthz`, used by the container health check and the proxy).
 * It reads nothing, not even the API: an API outage is the API's health check's business, and a
 * check that called it would restart a healthy admin server. The security headers still apply.
 */
import { applySecurityHeaders } from "~/utils/security-headers.server.ts";

export function healthResponse(method: string): Response {
  const headers = applySecurityHeaders(
    new Headers({ "content-type": "application/json", "cache-control": "no-store" }),
    {},
  );
  return new Response(method === "HEAD" ? null : JSON.stringify({ status: "ok" }), {
    status: 200,
    headers,
  });
}
