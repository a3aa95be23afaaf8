/** `/calendar/<token>.ics`: the personal deadline feed, served by the API behind the token. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/utils/env.server.ts";
import { applySecurityHeaders } from "~/utils/security-headers.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  const match = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(params.file ?? "");
  if (!match) throw new Response("No calendar has this address.", { status: 404 });
  const upstream = await fetch(`${env.DN_API_URL.replace(/\/$/, "")}/calendar/${match[1]}.ics`);
  if (!upstream.ok) throw new Response("No calendar has this address.", { status: 404 });
  const headers = new Headers({
    "content-type": "text/calendar; charset=utf-8",
    "cache-control": "private, max-age=300",
  });
  return new Response(await upstream.text(), { headers: applySecurityHeaders(headers, {}) });
}
