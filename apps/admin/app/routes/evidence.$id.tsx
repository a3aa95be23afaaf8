/** A certificate file, streamed from the API; authorized there exactly like its record. */
import { IdSchema } from "@dn/schema";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { fetchEvidenceFile } from "~/utils/files.server.ts";

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
  headers.set("x-content-type-options", "nosniff");
  headers.set("cache-control", "private, no-store");
  return new Response(upstream.body, { status: 200, headers });
}
