/** The staff matrix page shown at /staff, as CSV (the same query string gives the same rows). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadStaffMatrixPage, staffMatrixCsv } from "~/utils/staff-matrix.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const page = await loadStaffMatrixPage(request);
  return new Response(staffMatrixCsv(page.matrix), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="staff-compliance-${page.matrix.asOf}.csv"`,
    },
  });
}
