/** An export's file, streamed from the API as the signed-in user (the API audits the download). */
import { IdSchema } from "@dn/schema";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { env } from "~/utils/env.server.ts";
import { applySecurityHeaders } from "~/utils/security-headers.server.ts";
import { requireSessionToken } from "~/utils/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No export has this address.", { status: 404 });
  const token = await requireSessionToken(request);
  const upstream = await fetch(`${env.DN_API_URL.replace(/\/$/, "")}/exports/${id}/download`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (upstream.status === 401) throw redirect("/login");
  if (!upstream.ok) {
    throw new Response(
      upstream.status === 404 ? "No export has this address." : "Not available yet.",
      {
        status: upstream.status,
      },
    );
  }
  const headers = new Headers();
  for (const name of [
    "content-type",
    "content-length",
    "content-disposition",
    "x-content-sha256",
  ]) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  applySecurityHeaders(headers, {});
  headers.set("cache-control", "private, no-store");
  return new Response(upstream.body, { status: 200, headers });
}
