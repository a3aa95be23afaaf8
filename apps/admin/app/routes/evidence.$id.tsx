/** A certificate file, streamed from the API; authorized there exactly like its record. */
import { IdSchema } from "@dn/schema";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { fetchEvidenceFile } from "~/utils/files.server.ts";
import { applySecurityHeaders } from "~/utils/security-headers.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No file has this address.", { status: 404 });
  const upstream = await fetchEvidenceFile(request, id);
  if (!upstream.ok) {
    throw new Response(upstream.status === 404 ? "No file has this address." : "Not available.", {
      status: upstream.status,
    });
  }
  const headers = new Headers();
  for (const name of ["content-type", "content-length", "content-disposition"]) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  // An uploaded file is never a page of this app: sandboxed as the API says (sandbox at least),
  // and embeddable only by this app's own pages (the certificate preview).
  const sandbox = upstream.headers.get("content-security-policy") ?? "sandbox";
  headers.set("content-security-policy", `${sandbox}; frame-ancestors 'self'`);
  applySecurityHeaders(headers, { embeddable: true });
  headers.set("cache-control", "private, no-store");
  return new Response(upstream.body, { status: 200, headers });
}
