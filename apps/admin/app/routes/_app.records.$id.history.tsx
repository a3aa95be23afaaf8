import { IdSchema, type Provenance, RECORD_KIND_LABELS } from "@dn/schema";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { recordSummary } from "~/components/records-table.tsx";
import { StatusBadge } from "~/components/status-badge.tsx";
import { formatInstant } from "~/utils/format.ts";
import { hasPermissionOverOthers } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Record history · dn admin" }];

const PROVENANCE_LABELS: Record<Provenance, string> = {
  "self-reported": "Self-reported",
  "provider-reported": "Provider-reported",
  "manager-verified": "Verified by a manager",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No record has this address.", { status: 404 });
  const api = await requireApi(request);
  const versions = await api.records.history.query({ id });
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const current = newestFirst[0];
  if (!current) throw new Response("No record has this address.", { status: 404 });
  const backTo = hasPermissionOverOthers(me, "read:practitioner")
    ? { to: `/practitioners/${current.practitionerId}`, label: "Practitioner" }
    : { to: "/records", label: "My records" };
  return {
    backTo,
    current,
    versions: newestFirst,
  };
}

export default function RecordHistoryPage() {
  const { backTo, current, versions } = useLoaderData<typeof loader>();
  return (
    <>
      <p className="breadcrumb">
        <Link to={backTo.to}>{backTo.label}</Link>
      </p>
      <div className="page-header">
        <h1>{current.title}</h1>
        <p className="muted">
          {RECORD_KIND_LABELS[current.kind]} · completed {current.completedOn} · every version,
          newest first
        </p>
      </div>
      <ol className="timeline" reversed>
        {versions.map((version) => (
          <li key={version.version} className="timeline__item">
            <div className="timeline__head">
              <h2>Version {version.version}</h2>
              <StatusBadge status={version.status} />
            </div>
            <dl className="facts facts--compact">
              <div>
                <dt>Recorded</dt>
                <dd>{formatInstant(version.recordedAt)}</dd>
              </div>
              <div>
                <dt>Title</dt>
                <dd>{version.title}</dd>
              </div>
              <div>
                <dt>Completed</dt>
                <dd>{version.completedOn}</dd>
              </div>
              <div>
                <dt>Details</dt>
                <dd>{recordSummary(version) || "—"}</dd>
              </div>
              <div>
                <dt>Evidence</dt>
                <dd>{PROVENANCE_LABELS[version.provenance]}</dd>
              </div>
              {version.reviewedAt ? (
                <div>
                  <dt>Reviewed</dt>
                  <dd>{formatInstant(version.reviewedAt)}</dd>
                </div>
              ) : null}
              {version.reviewReason ? (
                <div>
                  <dt>Reason</dt>
                  <dd>{version.reviewReason}</dd>
                </div>
              ) : null}
            </dl>
          </li>
        ))}
      </ol>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
