import { IdSchema, JURISDICTION_CODES, JURISDICTIONS, JurisdictionSchema } from "@dn/schema";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { hasPermission } from "~/utils/permissions.ts";
import { requireApi, requireUserWithPermissionOverOthers } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Practitioners · dn admin" }];

const PAGE_SIZE = 25;

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUserWithPermissionOverOthers(request, "read:practitioner");
  const api = await requireApi(request);
  const url = new URL(request.url);
  // Filters come from the address bar: anything malformed is ignored rather than refused.
  const search = url.searchParams.get("q")?.trim().slice(0, 200) ?? "";
  const clinicId = IdSchema.safeParse(url.searchParams.get("clinic")).data;
  const jurisdiction = JurisdictionSchema.safeParse(url.searchParams.get("state")).data;
  const cursor = url.searchParams.get("cursor") || null;

  const [page, clinics] = await Promise.all([
    api.practitioners.list.query({
      search: search || undefined,
      clinicId,
      jurisdiction,
      cursor,
      limit: PAGE_SIZE,
    }),
    api.clinics.list.query(),
  ]);
  return {
    filters: { search, clinicId: clinicId ?? "", jurisdiction: jurisdiction ?? "" },
    clinics: clinics.map((clinic) => ({
      id: clinic.id,
      name: clinic.name,
      jurisdiction: clinic.jurisdiction,
    })),
    page,
    canAdd: hasPermission(me, "create:practitioner"),
  };
}

export default function PractitionersPage() {
  const { filters, clinics, page, canAdd } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.search || filters.clinicId || filters.jurisdiction);
  return (
    <>
      <div className="page-header page-header--with-action">
        <h1>Practitioners</h1>
        {canAdd ? (
          <Link to="/practitioners/new" className="button button--primary">
            Add practitioner
          </Link>
        ) : null}
      </div>
      <Form method="get" className="filters" role="search" aria-label="Filter practitioners">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={filters.search}
            placeholder="Name or email"
          />
        </div>
        <div className="field">
          <label htmlFor="clinic">Clinic</label>
          <select id="clinic" name="clinic" defaultValue={filters.clinicId}>
            <option value="">All clinics</option>
            {clinics.map((clinic) => (
              <option key={clinic.id} value={clinic.id}>
                {clinic.name} ({clinic.jurisdiction.slice(3)})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="state">State</label>
          <select id="state" name="state" defaultValue={filters.jurisdiction}>
            <option value="">All states</option>
            {JURISDICTION_CODES.map((code) => (
              <option key={code} value={code}>
                {JURISDICTIONS[code]}
              </option>
            ))}
          </select>
        </div>
        <div className="filters__actions">
          <button type="submit" className="button button--primary">
            Apply
          </button>
          {filtered ? (
            <Link to="/practitioners" className="button button--quiet">
              Clear
            </Link>
          ) : null}
        </div>
      </Form>

      {page.items.length === 0 ? (
        <p className="empty">
          {filtered ? "No practitioners match these filters." : "No practitioners yet."}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Practitioners</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Profession</th>
                <th scope="col">Clinic</th>
                <th scope="col">Licenses</th>
                <th scope="col" className="num">
                  Pending records
                </th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((practitioner) => (
                <tr key={practitioner.id}>
                  <th scope="row">
                    <Link to={`/practitioners/${practitioner.id}`}>{practitioner.name}</Link>
                    {practitioner.archivedAt ? <span className="tag">Archived</span> : null}
                  </th>
                  <td>{practitioner.profession}</td>
                  <td>
                    {practitioner.clinic.name}
                    <span className="muted"> · {practitioner.clinic.jurisdiction}</span>
                  </td>
                  <td>
                    {practitioner.licenses.length === 0 ? (
                      <span className="muted">None on file</span>
                    ) : (
                      <ul className="inline-list">
                        {practitioner.licenses.map((license) => (
                          <li key={license.id}>
                            <span className={`license license--${license.status}`}>
                              {license.jurisdiction} {license.number}
                              {license.status !== "active" ? ` (${license.status})` : ""}
                            </span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="num">
                    {practitioner.pendingRecordCount > 0 ? (
                      <span className="count count--pending">
                        {practitioner.pendingRecordCount}
                      </span>
                    ) : (
                      <span className="muted">0</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination nextCursor={page.nextCursor} label="Practitioner pages" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
