/** `/healthz`: liveness of the admin server (200 JSON); does not call the API. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { healthResponse } from "~/utils/health.server.ts";

export function loader({ request }: LoaderFunctionArgs) {
  return healthResponse(request.method);
}
