import {
  JURISDICTION_CODES,
  JURISDICTIONS,
  ListStandardsInputSchema,
  STANDARD_KINDS,
  STANDARD_SOURCES,
} from "@dn/schema";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList } from "~/components/forms.tsx";
import { hasPermission } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";
import { KIND_LABELS, STATUS_LABELS } from "~/utils/standard-labels.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];
export const meta: MetaFunction = () => [{ title: "Standards · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const params = new URL(request.url).searchParams;
  const raw = {
    kind: params.get("kind") || undefined,
    jurisdiction: params.get("jurisdiction") || undefined,
    source: params.get("source") || undefined,
    asOf: params.get("asOf") || undefined,
    inForce: params.get("inForce") === "on" ? true : undefined,
    q: params.get("q") || undefined,
  };
  const parsed = ListStandardsInputSchema.safeParse(raw);
  const filters = parsed.success ? parsed.data : {};
  const errors = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  const api = await requireApi(request);
  const standards = await api.standards.list.query(filters);
  return {
    standards,
    values: {
      kind: raw.kind ?? "",
      jurisdiction: raw.jurisdiction ?? "",
      source: raw.source ?? "",
      asOf: raw.asOf ?? "",
      inForce: raw.inForce ?? false,
      q: raw.q ?? "",
    },
    errors,
    canEdit: hasPermission(me, "create:standard"),
  };
}

export default function StandardsPage() {
  const { standards, values, errors, canEdit } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <h1>Standards</h1>
        <p className="muted">
          State board rules, professional benchmarks, CE renewal rules and clinic policies, each
          versioned with its citations.
        </p>
        {canEdit ? (
          <p>
            <Link to="/standards/new" className="button button--primary">
              New custom standard
            </Link>
          </p>
        ) : null}
      </div>
      <Form method="get" className="when-form" role="search" aria-label="Filter standards">
        <div className="field">
          <label htmlFor="q">Search</label>
          <input id="q" name="q" type="search" defaultValue={values.q} />
        </div>
        <div className="field">
          <label htmlFor="kind">Kind</label>
          <select id="kind" name="kind" defaultValue={values.kind}>
            <option value="">Any kind</option>
            {STANDARD_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="jurisdiction">Jurisdiction</label>
          <select id="jurisdiction" name="jurisdiction" defaultValue={values.jurisdiction}>
            <option value="">Any</option>
            {JURISDICTION_CODES.map((code) => (
              <option key={code} value={code}>
                {JURISDICTIONS[code]} ({code})
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="source">Source</label>
          <select id="source" name="source" defaultValue={values.source}>
            <option value="">Pack and custom</option>
            {STANDARD_SOURCES.map((source) => (
              <option key={source} value={source}>
                {source === "pack" ? "Shipped pack" : "Custom (yours)"}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="asOf">As of</label>
          <input id="asOf" name="asOf" type="date" defaultValue={values.asOf} />
        </div>
        <div className="checkbox">
          <input id="inForce" name="inForce" type="checkbox" defaultChecked={values.inForce} />
          <label htmlFor="inForce">Only in force</label>
        </div>
        <div className="button-row">
          <button type="submit" className="button button--primary">
            Filter
          </button>
          <Link to="/standards" className="button button--quiet">
            Clear
          </Link>
        </div>
      </Form>
      <ErrorList errors={errors} />

      {standards.length === 0 ? (
        <p className="empty">No standard matches these filters.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Standards ({standards.length})</caption>
            <thead>
              <tr>
                <th scope="col">Standard</th>
                <th scope="col">Jurisdiction</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">In force</th>
                <th scope="col">Versions</th>
              </tr>
            </thead>
            <tbody>
              {standards.map((standard) => (
                <tr key={standard.id}>
                  <th scope="row">
                    <Link to={`/standards/${standard.id}`}>{standard.title}</Link>
                    <div className="record-meta">
                      {standard.id}
                      {standard.source === "custom" ? <span className="tag">Custom</span> : null}
                      {standard.source === "custom" ? (
                        standard.published ? (
                          <span className="tag">Published</span>
                        ) : (
                          <span className="tag">Draft, applies to nobody</span>
                        )
                      ) : null}
                    </div>
                  </th>
                  <td>
                    {standard.jurisdiction ? (
                      <>
                        {JURISDICTIONS[standard.jurisdiction]}{" "}
                        <span className="muted">{standard.jurisdiction}</span>
                      </>
                    ) : (
                      <span className="muted">Anywhere</span>
                    )}
                  </td>
                  <td>{KIND_LABELS[standard.kind]}</td>
                  <td>{STATUS_LABELS[standard.status]}</td>
                  <td className="nowrap">
                    {standard.inForceVersion !== null ? (
                      `v${standard.inForceVersion} since ${standard.effectiveFrom}`
                    ) : (
                      <span className="muted">None</span>
                    )}
                  </td>
                  <td>
                    {standard.versionCount}
                    {standard.draftVersions.length > 0 ? (
                      <span className="tag">Proposal v{standard.draftVersions.join(", v")}</span>
                    ) : null}
                    {standard.published && standard.unpublishedVersion !== null ? (
                      <span className="tag">Draft v{standard.unpublishedVersion} unpublished</span>
                    ) : null}
                  </td>
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
