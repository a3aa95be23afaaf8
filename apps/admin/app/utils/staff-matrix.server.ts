/**
 * The staff matrix page's data (the matrix page the query string asks for, the clinics and the
 * standards for the picker) and the CSV of exactly that page, shared by /staff and /staff.csv.
 */
import { IdSchema, isCalendarDate, type Matrix, VerdictNameSchema } from "@dn/schema";
import { stringify } from "csv-stringify/sync";
import { VERDICT_TEXT } from "~/components/verdict-badge.tsx";
import { requireApi, requireUserWithPermissionOverOthers } from "~/utils/session.server.ts";

export const MATRIX_SORTS = ["name", "clinic", "worst", "standard"] as const;
export type MatrixSort = (typeof MATRIX_SORTS)[number];
const SLUG = /^[a-z0-9-]{1,100}$/;
const PAGE_SIZE = 50;

/** The page's data: the matrix page the query string asks for, the clinics and the standards. */
export async function loadStaffMatrixPage(request: Request) {
  await requireUserWithPermissionOverOthers(request, "read:practitioner");
  const api = await requireApi(request);
  const url = new URL(request.url);
  const get = (name: string) => url.searchParams.get(name) ?? "";
  const sort: MatrixSort = (MATRIX_SORTS as readonly string[]).includes(get("sort"))
    ? (get("sort") as MatrixSort)
    : "name";
  const sortStandardId = SLUG.test(get("sortStandardId")) ? get("sortStandardId") : undefined;
  const filters = {
    clinicId: IdSchema.safeParse(get("clinicId")).data,
    standardId: SLUG.test(get("standardId")) ? get("standardId") : undefined,
    verdict: VerdictNameSchema.safeParse(get("verdict")).data,
    search: get("search").trim().slice(0, 100) || undefined,
    sort: sort === "standard" && !sortStandardId ? ("name" as const) : sort,
    sortStandardId: sort === "standard" ? sortStandardId : undefined,
    asOf: isCalendarDate(get("asOf")) ? get("asOf") : undefined,
    cursor: get("cursor") || undefined,
    limit: PAGE_SIZE,
  };
  const [matrix, clinics, standards] = await Promise.all([
    api.dashboard.matrix.query(filters),
    api.clinics.list.query(),
    api.standards.list.query({}),
  ]);
  return {
    matrix,
    clinics,
    standards: standards.map((s) => ({ id: s.id, title: s.title })),
    filters,
  };
}

/** The page shown, as CSV: the same columns and rows; formula-looking cells are neutralised. */
export function staffMatrixCsv(matrix: Matrix): string {
  const header = [
    "Practitioner",
    "Clinic",
    "Overall",
    ...matrix.standards.map((s) => `${s.title} (v${s.version})`),
  ];
  const rows = matrix.rows.map((row) => [
    row.name,
    row.clinicName,
    row.worst ? VERDICT_TEXT[row.worst] : "No rule in force",
    ...matrix.standards.map((s) => {
      const verdict = row.cells[s.standardId];
      return verdict ? VERDICT_TEXT[verdict] : "Does not apply";
    }),
  ]);
  // escape_formulas: a cell a spreadsheet would run (=, +, -, @, tab, CR) starts with a quote.
  return stringify([header, ...rows], { escape_formulas: true, bom: true });
}
