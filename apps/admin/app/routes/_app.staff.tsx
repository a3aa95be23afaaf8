/**
 * The staff roster as a compliance matrix: practitioner × applicable standard, with filters
 * (clinic, standard, verdict, name) and sorting, all in the query string so views can be linked.
 */
import { IdSchema, isCalendarDate, VERDICT_NAMES, VerdictNameSchema } from "@dn/schema";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { VERDICT_TEXT, VerdictBadge } from "~/components/verdict-badge.tsx";
import { requireApi, requireUserWithPermissionOverOthers } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Staff compliance · dn admin" }];

const SORTS = { name: "Name", clinic: "Clinic", worst: "Worst verdict first" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermissionOverOthers(request, "read:practitioner");
  const api = await requireApi(request);
  const url = new URL(request.url);
  const get = (name: string) => url.searchParams.get(name) ?? "";
  const filters = {
    clinicId: IdSchema.safeParse(get("clinicId")).data,
    standardId: /^[a-z0-9-]{1,100}$/.test(get("standardId")) ? get("standardId") : undefined,
    verdict: VerdictNameSchema.safeParse(get("verdict")).data,
    search: get("search").trim().slice(0, 100) || undefined,
    sort: (get("sort") in SORTS ? get("sort") : "name") as keyof typeof SORTS,
    asOf: isCalendarDate(get("asOf")) ? get("asOf") : undefined,
  };
  const [matrix, clinics] = await Promise.all([
    api.dashboard.matrix.query(filters),
    api.clinics.list.query(),
  ]);
  return { matrix, clinics, filters };
}

export default function StaffMatrixPage() {
  const { matrix, clinics, filters } = useLoaderData<typeof loader>();
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
          <input
            id="standardId"
            name="standardId"
            type="text"
            defaultValue={filters.standardId ?? ""}
            placeholder="e.g. us-md-dn"
          />
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
            {Object.entries(SORTS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Apply
        </button>
      </Form>
      {matrix.rows.length === 0 ? (
        <p className="empty">No practitioner matches these filters.</p>
      ) : (
        <div className="table-wrap">
          <table className="table matrix">
            <caption className="visually-hidden">Compliance matrix</caption>
            <thead>
              <tr>
                <th scope="col">Practitioner</th>
                <th scope="col">Clinic</th>
                <th scope="col">Overall</th>
                {matrix.standards.map((standard) => (
                  <th scope="col" key={standard.standardId} title={standard.title}>
                    {standard.standardId}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {matrix.rows.map((row) => (
                <tr key={row.practitionerId}>
                  <th scope="row">
                    <Link to={`/practitioners/${row.practitionerId}`}>{row.name}</Link>
                  </th>
                  <td>{row.clinicName}</td>
                  <td>
                    <VerdictBadge verdict={row.worst} />
                  </td>
                  {matrix.standards.map((standard) => {
                    const verdict = row.cells[standard.standardId];
                    return (
                      <td key={standard.standardId}>
                        {verdict ? (
                          <Link to={`/practitioners/${row.practitionerId}/compliance`}>
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
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
