import { systemClock, utcDateOf } from "@dn/clock";
import {
  CONFIDENCE_LABELS,
  JURISDICTIONS,
  PublishStandardInputSchema,
  SlugSchema,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { Citation } from "~/components/article-view.tsx";
import { CitationLink } from "~/components/citation-link.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { PublishStandardForm } from "~/components/standard-editor.tsx";
import { apiErrorCode, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { hasPermission } from "~/utils/permissions.ts";
import { requireApi, requireUser, requireUserWithPermission } from "~/utils/session.server.ts";
import { KIND_LABELS, requirementSettings, STATUS_LABELS } from "~/utils/standard-labels.ts";
import { readWhen } from "~/utils/when.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.shown.standard.title ?? "Standard"} · dn admin` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const id = SlugSchema.safeParse(params.id).data;
  if (!id) throw new Response("No standard has this address.", { status: 404 });
  const url = new URL(request.url);
  const when = readWhen(url.searchParams);
  const asOf = when.asOf ?? utcDateOf(systemClock());
  const api = await requireApi(request);
  // The API decides which version is in force (versionInForce, the same decision the compliance
  // page, the list and the exports use); the page only shows it.
  const [detail, evidence] = await Promise.all([
    api.standards.detail.query({ id, asOf }),
    api.content.literature.forStandard.query({ standardId: id }),
  ]);
  const { versions, inForceVersion } = detail;
  const inForce = versions.find((v) => v.standard.version === inForceVersion);
  const asked = Number(url.searchParams.get("version"));
  const shown =
    versions.find((v) => v.standard.version === asked) ?? inForce ?? versions[versions.length - 1];
  if (!shown) throw new Response("No standard has this address.", { status: 404 });
  const canEdit = hasPermission(me, "update:standard") && detail.source === "custom";
  return {
    versions,
    evidence,
    shown,
    asOf,
    inForceVersion,
    unpublishedVersion: detail.unpublishedVersion,
    scope: detail.scope,
    source: detail.source,
    saved: url.searchParams.get("saved") === "1",
    published: url.searchParams.get("published") === "1",
    canEdit,
  };
}

/** Publishes the draft version named in the form, with the scope chosen. */
export async function action({ request, params }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "update:standard");
  const id = SlugSchema.safeParse(params.id).data;
  if (!id) throw new Response("No standard has this address.", { status: 404 });
  const form = await readForm(request);
  if (form.get("intent") !== "publish") {
    return data({ error: "Unknown action." }, { status: 400 });
  }
  const parsed = PublishStandardInputSchema.safeParse({
    id,
    version: Number(form.get("version")),
    scope: form.get("scope"),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "form";
    return data(
      { error: `${field === "scope" ? "Applies to" : field}: ${issue?.message ?? "is invalid"}` },
      { status: 400 },
    );
  }
  const api = await requireApi(request);
  try {
    const entry = await api.standards.publish.mutate(parsed.data);
    throw redirect(`/standards/${id}?version=${entry.standard.version}&published=1`);
  } catch (error) {
    if (error instanceof Response) throw error;
    const code = apiErrorCode(error);
    if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
    return data({ error: error.message }, { status: 400 });
  }
}

function lifecycleTag(version: { source: string; lifecycle: string }) {
  if (version.source !== "custom") return null;
  return version.lifecycle === "draft" ? (
    <span className="tag">Draft</span>
  ) : (
    <span className="tag">Published</span>
  );
}

export default function StandardPage() {
  const {
    versions,
    evidence,
    shown,
    asOf,
    inForceVersion,
    unpublishedVersion,
    scope,
    source,
    saved,
    published,
    canEdit,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const standard = shown.standard;
  const latest = versions[versions.length - 1];
  return (
    <>
      <p className="breadcrumb">
        <Link to="/standards">Standards</Link>
      </p>
      <div className="page-header">
        <h1>
          {standard.title}{" "}
          {standard.draft ? <span className="tag">Proposal, not in force</span> : null}
          {shown.source === "custom" ? <span className="tag">Custom</span> : null}
          {lifecycleTag(shown)}
        </h1>
        <p className="muted">
          {standard.id} · version {standard.version}
          {standard.version === inForceVersion ? ` · in force on ${asOf}` : ""}
          {source === "custom" && versions.some((v) => v.lifecycle === "published")
            ? scope === "organization"
              ? " · applies to the whole organization"
              : " · applies only where assigned"
            : ""}
        </p>
        {canEdit && latest ? (
          <p>
            <Link to={`/standards/${standard.id}/edit`} className="button button--primary">
              {unpublishedVersion !== null
                ? `Edit draft version ${unpublishedVersion}`
                : "Save a new version"}
            </Link>
          </p>
        ) : null}
      </div>
      {saved ? (
        <p className="notice" role="status">
          Saved as version {standard.version}.
          {shown.lifecycle === "draft"
            ? " It is a draft: it applies to nobody until it is published."
            : ""}
        </p>
      ) : null}
      {published ? (
        <p className="notice notice--success" role="status">
          Published version {standard.version}. It no longer changes;{" "}
          {scope === "organization"
            ? "it applies to the whole organization."
            : "it applies only where it is assigned."}
        </p>
      ) : null}
      {canEdit && unpublishedVersion !== null ? (
        <PublishStandardForm
          key={unpublishedVersion}
          version={unpublishedVersion}
          currentScope={scope}
          error={actionData?.error ?? null}
        />
      ) : null}

      <dl className="facts">
        <div>
          <dt>Kind</dt>
          <dd>{KIND_LABELS[standard.kind]}</dd>
        </div>
        <div>
          <dt>Jurisdiction</dt>
          <dd>
            {standard.jurisdiction
              ? `${JURISDICTIONS[standard.jurisdiction]} (${standard.jurisdiction})`
              : "Anywhere"}
          </dd>
        </div>
        <div>
          <dt>Authority</dt>
          <dd>{standard.authority}</dd>
        </div>
        <div>
          <dt>Dry needling</dt>
          <dd>{STATUS_LABELS[standard.status]}</dd>
        </div>
        <div>
          <dt>In force</dt>
          <dd>
            {standard.effectiveFrom ?? "not set"} to {standard.effectiveTo ?? "now"}
          </dd>
        </div>
        <div>
          <dt>Confidence</dt>
          <dd>
            {standard.confidence}: {CONFIDENCE_LABELS[standard.confidence]}
          </dd>
        </div>
        <div>
          <dt>Last verified</dt>
          <dd>{standard.lastVerified}</dd>
        </div>
        <div>
          <dt>Applies to</dt>
          <dd>{standard.professions.join(", ")}</dd>
        </div>
      </dl>
      {standard.notes ? <p className="section">{standard.notes}</p> : null}

      <section aria-labelledby="citations-heading" className="section">
        <h2 id="citations-heading">Citations</h2>
        <ul>
          {standard.citations.map((citation) => (
            <li key={citation.text}>
              <CitationLink citation={citation} />
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="evidence-heading" className="section">
        <h2 id="evidence-heading">Evidence base</h2>
        {evidence.length === 0 ? (
          <p className="empty">
            No literature attached yet. Attach references from the{" "}
            <Link to="/content/literature">literature library</Link>.
          </p>
        ) : (
          <ul>
            {evidence.map(({ reference, evidence: link }) => (
              <li key={reference.id}>
                <Citation reference={reference} />
                {link.note ? <p className="muted">{link.note}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="requirements-heading" className="section">
        <h2 id="requirements-heading">Requirements ({standard.requirements.length})</h2>
        {standard.requirements.length === 0 ? (
          <p className="empty">No requirements: dry needling is {standard.status} here.</p>
        ) : (
          <ul className="requirements">
            {standard.requirements.map((requirement) => (
              <li key={requirement.id} className="requirement">
                <div className="requirement__head">
                  <h3>{requirement.title}</h3>
                  <span className="tag">{requirement.kind}</span>
                </div>
                <dl className="facts facts--compact">
                  {requirementSettings(requirement as Record<string, unknown>).map(
                    ([label, value]) => (
                      <div key={label}>
                        <dt>{label}</dt>
                        <dd>{value}</dd>
                      </div>
                    ),
                  )}
                  <div>
                    <dt>evidence</dt>
                    <dd>{requirement.verifiedOnly ? "verified only" : "pending counts too"}</dd>
                  </div>
                </dl>
                {requirement.advisory ? (
                  <p className="muted">Advisory: explained, but does not change the verdict.</p>
                ) : null}
                {requirement.notes ? <p className="muted">{requirement.notes}</p> : null}
                <p className="citation">
                  <CitationLink citation={requirement.citation} />
                  {requirement.confidence ? ` · confidence ${requirement.confidence}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="versions-heading" className="section">
        <h2 id="versions-heading">All versions</h2>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Versions of {standard.title}</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">In force</th>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Saved</th>
                <th scope="col">Published</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((version) => (
                <tr
                  key={version.standard.version}
                  className={
                    version.standard.version === standard.version ? "row--highlight" : undefined
                  }
                >
                  <th scope="row">
                    <Link
                      to={`/standards/${version.standard.id}?version=${version.standard.version}`}
                      aria-current={
                        version.standard.version === standard.version ? "page" : undefined
                      }
                    >
                      v{version.standard.version}
                    </Link>
                    {version.standard.draft ? <span className="tag">Proposal</span> : null}
                    {lifecycleTag(version)}
                    {version.standard.version === inForceVersion ? (
                      <span className="tag">In force</span>
                    ) : null}
                  </th>
                  <td className="nowrap">
                    {version.standard.effectiveFrom ?? "—"} to{" "}
                    {version.standard.effectiveTo ?? "now"}
                  </td>
                  <td>{version.standard.title}</td>
                  <td>{STATUS_LABELS[version.standard.status]}</td>
                  <td className="nowrap">
                    {version.createdAt ? (
                      version.createdAt.slice(0, 10)
                    ) : (
                      <span className="muted">pack</span>
                    )}
                  </td>
                  <td className="nowrap">
                    {version.publishedAt ? (
                      version.publishedAt.slice(0, 10)
                    ) : (
                      <span className="muted">
                        {version.source === "pack" ? "pack" : "not yet"}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
