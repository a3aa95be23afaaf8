/**
 * The staff roster as a compliance matrix a manager can scan: practitioner × applicable standard,
 * titled by the standard versions applied, coloured verdict chips that also say the verdict,
 * filters (clinic, standard, verdict, name) and sortable columns in the query string so views can
 * be linked, one server page at a time (keyset cursors), a sticky header, stacked cards on a
 * phone, and /staff.csv (same query string) for exactly the page shown.
 */
import { VERDICT_NAMES } from "@dn/schema";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { VERDICT_TEXT, VerdictBadge } from "~/components/verdict-badge.tsx";
import staffStyles from "~/staff.css?url";
import { loadStaffMatrixPage, type MatrixSort } from "~/utils/staff-matrix.server.ts";

export const meta: MetaFunction = () => [{ title: "Staff compliance · dn admin" }];

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: complianceStyles },
  { rel: "stylesheet", href: staffStyles },
];

type Sort = MatrixSort;
const SORT_LABELS = { name: "Name", clinic: "Clinic", worst: "Worst verdict first" } as const;

export function loader({ request }: LoaderFunctionArgs) {
  return loadStaffMatrixPage(request);
}

/** A column header that sorts by it; the current sort is marked for assistive technology. */
function SortHeader({
  label,
  sort,
  standardId,
  title,
}: {
  label: string;
  sort: Sort;
  standardId?: string;
  title?: string;
}) {
  const [searchParams] = useSearchParams();
  const params = new URLSearchParams(searchParams);
  params.delete("cursor");
  params.delete("back");
  params.delete("format");
  params.set("sort", sort);
  if (standardId) params.set("sortStandardId", standardId);
  else params.delete("sortStandardId");
  const current =
    (searchParams.get("sort") ?? "name") === sort &&
    (sort !== "standard" || searchParams.get("sortStandardId") === standardId);
  return (
    <th scope="col" aria-sort={current ? "ascending" : "none"} title={title}>
      <Link to={`?${params.toString()}`} className="sort-link">
        {label}
        <span aria-hidden="true">{current ? " ▲" : ""}</span>
        <span className="visually-hidden">
          {current ? " (sorted)" : ` (sort by ${label.toLowerCase()})`}
        </span>
      </Link>
    </th>
  );
}

export default function StaffMatrixPage() {
  const { matrix, clinics, standards, filters } = useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const csvParams = new URLSearchParams(searchParams);
  csvParams.delete("back");
  const first = (searchParams.get("cursor") ?? "") === "";
  const from = matrix.rows.length === 0 ? 0 : 1;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/dashboard">Dashboard</Link>
      </p>
      <div className="page-header">
        <h1>Staff compliance</h1>
        <p className="muted">
          Each practitioner against each standard that applies to them, as of {matrix.asOf}.
        </p>
      </div>
      <Form method="get" className="filters" aria-label="Filter the staff">
        <div className="field">
          <label htmlFor="search">Name</label>
          <input id="search" name="search" type="search" defaultValue={filters.search ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="clinicId">Clinic</label>
          <select id="clinicId" name="clinicId" defaultValue={filters.clinicId ?? ""}>
            <option value="">All clinics</option>
            {clinics.map((clinic) => (
              <option key={clinic.id} value={clinic.id}>
                {clinic.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="standardId">Standard</label>
          <select id="standardId" name="standardId" defaultValue={filters.standardId ?? ""}>
            <option value="">Every standard that applies</option>
            {standards.map((standard) => (
              <option key={standard.id} value={standard.id}>
                {standard.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="verdict">Verdict</label>
          <select id="verdict" name="verdict" defaultValue={filters.verdict ?? ""}>
            <option value="">Any</option>
            {VERDICT_NAMES.map((verdict) => (
              <option key={verdict} value={verdict}>
                {VERDICT_TEXT[verdict]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sort">Sort by</label>
          <select id="sort" name="sort" defaultValue={filters.sort}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
            {filters.sort === "standard" ? (
              <option value="standard">The standard column chosen</option>
            ) : null}
          </select>
        </div>
        {filters.sortStandardId ? (
          <input type="hidden" name="sortStandardId" value={filters.sortStandardId} />
        ) : null}
        <button type="submit" className="button">
          Apply
        </button>
      </Form>
      <div className="matrix-bar">
        <p className="muted" data-testid="matrix-count">
          {matrix.total === 0
            ? "No practitioner matches."
            : `${matrix.total} practitioner${matrix.total === 1 ? "" : "s"}${
                first && matrix.total > matrix.rows.length
                  ? `, showing ${from}–${matrix.rows.length}`
                  : ""
              }`}
        </p>
        {matrix.rows.length > 0 ? (
          <a className="button" href={`/staff.csv?${csvParams.toString()}`} download>
            Download CSV of this page
          </a>
        ) : null}
      </div>
      {matrix.rows.length === 0 ? (
        <p className="empty">No practitioner matches these filters.</p>
      ) : (
        <div className="matrix-wrap">
          <table className="table matrix" data-testid="staff-matrix">
            <caption className="visually-hidden">Compliance matrix</caption>
            <thead>
              <tr>
                <SortHeader label="Practitioner" sort="name" />
                <SortHeader label="Clinic" sort="clinic" />
                <SortHeader label="Overall" sort="worst" />
                {matrix.standards.map((standard) => (
                  <SortHeader
                    key={standard.standardId}
                    label={standard.title}
                    sort="standard"
                    standardId={standard.standardId}
                    title={`${standard.standardId}, version ${standard.version}`}
                  />
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.rows.map((row) => (
                <tr key={row.practitionerId}>
                  <th scope="row" data-label="Practitioner">
                    <Link to={`/practitioners/${row.practitionerId}`}>{row.name}</Link>
                  </th>
                  <td data-label="Clinic">{row.clinicName}</td>
                  <td data-label="Overall">
                    <VerdictBadge verdict={row.worst} />
                  </td>
                  {matrix.standards.map((standard) => {
                    const verdict = row.cells[standard.standardId];
                    return (
                      <td key={standard.standardId} data-label={standard.title}>
                        {verdict ? (
                          <Link
                            to={`/practitioners/${row.practitionerId}/compliance`}
                            className="chip-link"
                          >
                            <VerdictBadge verdict={verdict} />
                          </Link>
                        ) : (
                          <span className="muted">
                            —<span className="visually-hidden"> does not apply</span>
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination nextCursor={matrix.nextCursor} label="Staff pages" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
