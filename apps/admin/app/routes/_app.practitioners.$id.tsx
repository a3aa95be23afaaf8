import { IdSchema, JURISDICTIONS } from "@dn/schema";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { RecordsTable } from "~/components/records-table.tsx";
import { formatInstant } from "~/utils/format.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.practitioner.name ?? "Practitioner"} · dn admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "read:practitioner:any");
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No practitioner has this address.", { status: 404 });
  const api = await requireApi(request);
  const cursor = new URL(request.url).searchParams.get("cursor") || null;
  const [practitioner, records] = await Promise.all([
    api.practitioners.byId.query({ id }),
    api.records.list.query({ practitionerId: id, cursor, limit: 50 }),
  ]);
  return { practitioner, records };
}

export default function PractitionerPage() {
  const { practitioner, records } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/practitioners">Practitioners</Link>
      </p>
      <div className="page-header">
        <h1>
          {practitioner.name}
          {practitioner.archivedAt ? <span className="tag">Archived</span> : null}
        </h1>
        <p className="button-row">
          <Link to={`/practitioners/${practitioner.id}/compliance`}>Compliance</Link>
          <Link to={`/practitioners/${practitioner.id}/portability`}>Portability</Link>
          <Link to={`/practitioners/${practitioner.id}/what-if`}>What-if planner</Link>
        </p>
      </div>
      <dl className="facts">
        <div>
          <dt>Profession</dt>
          <dd>{practitioner.profession}</dd>
        </div>
        <div>
          <dt>Clinic</dt>
          <dd>
            {practitioner.clinic.name}
            <span className="muted"> · {JURISDICTIONS[practitioner.clinic.jurisdiction]}</span>
          </dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{practitioner.email ?? <span className="muted">Not on file</span>}</dd>
        </div>
        {practitioner.archivedAt ? (
          <div>
            <dt>Archived</dt>
            <dd>{formatInstant(practitioner.archivedAt)}</dd>
          </div>
        ) : null}
      </dl>

      <section aria-labelledby="licenses-heading" className="section">
        <h2 id="licenses-heading">Licenses</h2>
        {practitioner.licenses.length === 0 ? (
          <p className="empty">No licenses on file.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Licenses</caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Number</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {practitioner.licenses.map((license) => (
                  <tr key={license.id}>
                    <th scope="row">
                      {JURISDICTIONS[license.jurisdiction]}{" "}
                      <span className="muted">{license.jurisdiction}</span>
                    </th>
                    <td>{license.number}</td>
                    <td className="nowrap">{license.issuedOn}</td>
                    <td className="nowrap">
                      {license.expiresOn ?? <span className="muted">—</span>}
                    </td>
                    <td>
                      <span className={`license license--${license.status}`}>{license.status}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="records-heading" className="section">
        <h2 id="records-heading">Training records</h2>
        {records.items.length === 0 ? (
          <p className="empty">No training records yet.</p>
        ) : (
          <RecordsTable records={records.items} caption="Training records" />
        )}
        <Pagination nextCursor={records.nextCursor} label="Training record pages" />
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
