import { IdSchema } from "@dn/schema";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApi } from "~/utils/session.server.ts";

/** The practitioner as a dn-dossier JSON file (every record version), for `dn evaluate` or import. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No practitioner has this address.", { status: 404 });
  const api = await requireApi(request);
  const dossier = await api.dossiers.export.query({ practitionerId: id });
  const slug = dossier.practitioner.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return new Response(`${JSON.stringify(dossier, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${slug || "practitioner"}.dossier.json"`,
      "Cache-Control": "private, no-store",
    },
  });
}
