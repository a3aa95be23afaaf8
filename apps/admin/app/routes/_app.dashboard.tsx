/**
 * The manager's dashboard: verdicts per standard and per clinic, what lapses in the next 30
 * days, unverified evidence and the 12-month trend of qualified staff. Everything links to the
 * staff matrix or the practitioner behind it.
 */
import { DEADLINE_KIND_LABELS, IdSchema, isCalendarDate, VERDICT_NAMES } from "@dn/schema";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { FollowUpsPanel } from "~/components/follow-ups-panel.tsx";
import { TrendChart } from "~/components/trend-chart.tsx";
import { VERDICT_TEXT } from "~/components/verdict-badge.tsx";
import { requireApi, requireUserWithPermissionOverOthers } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Dashboard · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermissionOverOthers(request, "read:practitioner");
  const api = await requireApi(request);
  const url = new URL(request.url);
  const clinicId = IdSchema.safeParse(url.searchParams.get("clinicId")).data;
  const asOfParam = url.searchParams.get("asOf") ?? "";
  const asOf = isCalendarDate(asOfParam) ? asOfParam : undefined;
  const [dashboard, clinics] = await Promise.all([
    api.dashboard.summary.query({ clinicId, asOf }),
    api.clinics.list.query(),
  ]);
  const followUps = await api.content.followUps.open.query({ limit: 5 });
  return { dashboard, clinics, clinicId: clinicId ?? "", followUps };
}

function staffLink(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  return `/staff?${search.toString()}`;
}

export default function DashboardPage() {
  const { dashboard, clinics, clinicId, followUps } = useLoaderData<typeof loader>();
  const latest = dashboard.trend.at(-1);
  return (
    <>
      <div className="page-header">
        <h1>Dashboard</h1>
        <p className="muted">Who may needle where, as of {dashboard.asOf}.</p>
      </div>
      <Form method="get" className="filters" aria-label="Dashboard filters">
        <div className="field">
          <label htmlFor="clinicId">Clinic</label>
          <select id="clinicId" name="clinicId" defaultValue={clinicId}>
            <option value="">All clinics</option>
            {clinics.map((clinic) => (
              <option key={clinic.id} value={clinic.id}>
                {clinic.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="asOf">As of</label>
          <input id="asOf" name="asOf" type="date" defaultValue={dashboard.asOf} />
        </div>
        <button type="submit" className="button">
          Show
        </button>
      </Form>

      <ul className="stat-grid" aria-label="At a glance">
        <li className="stat">
          <span className="stat__value" data-testid="qualified-share">
            {latest ? `${latest.qualified} of ${latest.total}` : "—"}
          </span>
          <span className="stat__label">qualified under every standard that applies</span>
        </li>
        <li className="stat">
          <span className="stat__value">{dashboard.unverified.pendingRecords}</span>
          <span className="stat__label">
            <Link to="/review">records awaiting verification</Link>
            {dashboard.unverified.pendingWithoutEvidence > 0
              ? `, ${dashboard.unverified.pendingWithoutEvidence} without a certificate`
              : ""}
          </span>
        </li>
        <li className="stat">
          <span className="stat__value">{dashboard.lapsingSoonTotal}</span>
          <span className="stat__label">deadlines in the next 30 days</span>
        </li>
      </ul>

      <FollowUpsPanel panel={followUps} />

      <section className="card section" aria-labelledby="trend-heading">
        <h2 id="trend-heading">Qualified staff, last 12 months</h2>
        <p className="muted">
          Each month is evaluated as of its last day with what was on file then.
        </p>
        <TrendChart points={dashboard.trend} />
      </section>

      <section className="section" aria-labelledby="standards-heading">
        <h2 id="standards-heading">By standard</h2>
        <div className="table-wrap">
          <table className="table" data-testid="by-standard">
            <caption className="visually-hidden">Verdicts per standard</caption>
            <thead>
              <tr>
                <th scope="col">Standard</th>
                {VERDICT_NAMES.map((verdict) => (
                  <th scope="col" className="num" key={verdict}>
                    {VERDICT_TEXT[verdict]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {dashboard.byStandard.map((row) => (
                <tr key={row.standardId}>
                  <th scope="row">
                    <Link to={staffLink({ standardId: row.standardId, clinicId })}>
                      {row.title}
                    </Link>
                  </th>
                  {VERDICT_NAMES.map((verdict) => (
                    <td className="num" key={verdict}>
                      {row.counts[verdict] ? (
                        <Link
                          to={staffLink({ standardId: row.standardId, verdict, clinicId })}
                          aria-label={`${row.counts[verdict]} ${VERDICT_TEXT[verdict]} under ${row.title}`}
                        >
                          {row.counts[verdict]}
                        </Link>
                      ) : (
                        0
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="section" aria-labelledby="clinics-heading">
        <h2 id="clinics-heading">By clinic</h2>
        <p className="muted">Each practitioner counted once, by their worst verdict.</p>
        <div className="table-wrap">
          <table className="table" data-testid="by-clinic">
            <caption className="visually-hidden">Verdicts per clinic</caption>
            <thead>
              <tr>
                <th scope="col">Clinic</th>
                {VERDICT_NAMES.map((verdict) => (
                  <th scope="col" className="num" key={verdict}>
                    {VERDICT_TEXT[verdict]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {dashboard.byClinic.map((row) => (
                <tr key={row.clinicId}>
                  <th scope="row">
                    <Link to={staffLink({ clinicId: row.clinicId })}>{row.name}</Link>{" "}
                    <span className="muted">{row.jurisdiction}</span>
                  </th>
                  {VERDICT_NAMES.map((verdict) => (
                    <td className="num" key={verdict}>
                      {row.counts[verdict] ? (
                        <Link to={staffLink({ clinicId: row.clinicId, verdict })}>
                          {row.counts[verdict]}
                        </Link>
                      ) : (
                        0
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="section" aria-labelledby="lapsing-heading">
        <h2 id="lapsing-heading">Lapsing in the next 30 days</h2>
        {dashboard.lapsingSoonTotal > dashboard.lapsingSoon.length ? (
          <p className="muted">
            The {dashboard.lapsingSoon.length} soonest of {dashboard.lapsingSoonTotal}.{" "}
            <Link to="/inbox">Every deadline of the next 90 days →</Link>
          </p>
        ) : null}
        {dashboard.lapsingSoon.length === 0 ? (
          <p className="empty">Nothing lapses in the next 30 days.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Deadlines in the next 30 days</caption>
              <thead>
                <tr>
                  <th scope="col">Due</th>
                  <th scope="col">Practitioner</th>
                  <th scope="col">What</th>
                  <th scope="col" className="num">
                    Days left
                  </th>
                </tr>
              </thead>
              <tbody>
                {dashboard.lapsingSoon.map((d) => (
                  <tr key={`${d.practitionerId}-${d.kind}-${d.due}-${d.requirementId ?? ""}`}>
                    <td className="nowrap">{d.due}</td>
                    <th scope="row">
                      <Link to={`/practitioners/${d.practitionerId}`}>{d.practitionerName}</Link>
                    </th>
                    <td>
                      {DEADLINE_KIND_LABELS[d.kind]}
                      <span className="muted record-meta">{d.title}</span>
                    </td>
                    <td className="num">{d.daysLeft}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <p>
        <Link to={staffLink({ clinicId })}>Staff roster and compliance matrix →</Link>
        {" · "}
        <Link to="/assignments">Which standards apply to whom →</Link>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
