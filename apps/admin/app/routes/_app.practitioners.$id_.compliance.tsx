import { IdSchema } from "@dn/schema";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { CitationLink } from "~/components/citation-link.tsx";
import { ComplianceNav } from "~/components/compliance-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { RequirementStateBadge, VerdictBadge } from "~/components/verdict-badge.tsx";
import { WhenForm } from "~/components/when-form.tsx";
import type { ApiOutputs } from "~/utils/api.server.ts";
import { hasPermissionOverOthers } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";
import { readWhen, whenQuery } from "~/utils/when.ts";

type Overview = ApiOutputs["compliance"]["overview"];
type Evaluation = NonNullable<Overview["standards"][number]["evaluation"]>;
type Requirement = Evaluation["requirements"][number];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Compliance · ${data?.overview.practitioner.name ?? "Practitioner"} · dn admin` },
];

const REASON_TEXT: Record<string, string> = {
  "clinic-jurisdiction": "clinic's state",
  license: "license",
  "license-ce": "license renewal CE",
  "clinic-policy": "clinic policy",
  assigned: "assigned",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No practitioner has this address.", { status: 404 });
  const when = readWhen(new URL(request.url).searchParams);
  const api = await requireApi(request);
  const overview = await api.compliance.overview.query({
    practitionerId: id,
    asOf: when.asOf,
    knownAt: when.knownAt,
  });
  return {
    overview,
    when,
    canSeePractitioners: hasPermissionOverOthers(me, "read:practitioner"),
  };
}

export default function CompliancePage() {
  const { overview, when, canSeePractitioners } = useLoaderData<typeof loader>();
  const { practitioner } = overview;
  const query = whenQuery(overview);
  return (
    <>
      {canSeePractitioners ? (
        <p className="breadcrumb">
          <Link to="/practitioners">Practitioners</Link> ·{" "}
          <Link to={`/practitioners/${practitioner.id}`}>{practitioner.name}</Link>
        </p>
      ) : null}
      <div className="page-header">
        <h1>Compliance: {practitioner.name}</h1>
        <p className="muted">
          As of {overview.asOf}
          {overview.knownAt ? `, as known at ${overview.knownAt}` : ""}. Each standard that applies,
          what counts toward it and what is missing.
        </p>
      </div>
      <ComplianceNav practitionerId={practitioner.id} />
      <p>
        <a href={`/practitioners/${practitioner.id}/dossier.json`} download>
          Download dossier (JSON)
        </a>{" "}
        <span className="muted">
          : every record version, for <code>dn evaluate</code> or another dn installation.
        </span>
      </p>
      <WhenForm when={when} label="Evaluation date" />

      {overview.uncovered.length > 0 ? (
        <p className="notice" role="note">
          No dry-needling standard is on file for {overview.uncovered.join(", ")}; nothing can be
          said about needling there.
        </p>
      ) : null}

      {overview.standards.length === 0 ? (
        <p className="empty">No standard applies to this practitioner.</p>
      ) : (
        <section aria-labelledby="summary-heading" className="section">
          <h2 id="summary-heading">Summary</h2>
          <div className="table-wrap">
            <table className="table table--stack">
              <caption className="visually-hidden">Verdict for each applicable standard</caption>
              <thead>
                <tr>
                  <th scope="col">Standard</th>
                  <th scope="col">Applies because</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Next lapse</th>
                </tr>
              </thead>
              <tbody>
                {overview.standards.map((entry) => (
                  <tr key={entry.standardId}>
                    <th scope="row">
                      <a href={`#standard-${entry.standardId}`}>{entry.title}</a>
                    </th>
                    <td data-label="Applies because">
                      {entry.reasons.map((r) => REASON_TEXT[r] ?? r).join(", ")}
                    </td>
                    <td data-label="Verdict">
                      <VerdictBadge verdict={entry.evaluation?.status ?? null} />
                    </td>
                    <td className="nowrap" data-label="Next lapse">
                      {entry.evaluation?.nextLapse?.on ?? <span className="muted">—</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {overview.standards.map((entry) => (
        <section
          key={entry.standardId}
          id={`standard-${entry.standardId}`}
          className="standard-card"
          aria-labelledby={`heading-${entry.standardId}`}
        >
          <div className="standard-card__head">
            <h2 id={`heading-${entry.standardId}`}>
              <Link to={`/standards/${entry.standardId}${query}`}>{entry.title}</Link>
            </h2>
            <VerdictBadge verdict={entry.evaluation?.status ?? null} />
          </div>
          <p className="muted">
            Applies because {entry.explanation}.
            {entry.evaluation
              ? ` Version ${entry.evaluation.standard.version}, in force from ${entry.evaluation.standard.effectiveFrom}.`
              : ""}
          </p>
          {entry.evaluation ? (
            <EvaluationDetail evaluation={entry.evaluation} />
          ) : (
            <p className="empty">{entry.notInForceReason}</p>
          )}
        </section>
      ))}
    </>
  );
}

function EvaluationDetail({ evaluation }: { evaluation: Evaluation }) {
  const dueIds = new Set(evaluation.requirements.filter((r) => r.due !== null).map((r) => r.id));
  // What is missing now; what is due later is listed apart, with its deadline and pace.
  const gaps = evaluation.gaps.filter((gap) => !gap.advisory && !dueIds.has(gap.requirementId));
  const due = evaluation.requirements.filter((r) => r.due !== null && !r.advisory);
  return (
    <>
      <p>{evaluation.summary}</p>
      {evaluation.nextLapse ? (
        <p>
          <strong>Next lapse:</strong> {evaluation.nextLapse.on} ({evaluation.nextLapse.title})
        </p>
      ) : null}
      {gaps.length > 0 ? (
        <>
          <h3>What is missing</h3>
          <ul className="gaps">
            {gaps.map((gap) => (
              <li key={`${gap.requirementId}-${gap.message}`}>{gap.message}</li>
            ))}
          </ul>
        </>
      ) : null}
      {due.length > 0 ? (
        <>
          <h3>Due later</h3>
          <ul className="gaps">
            {due.map((requirement) => (
              <li key={requirement.id}>
                {requirement.title}: {requirement.stateLabel}.
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {evaluation.warnings.length > 0 ? (
        <ul className="gaps muted">
          {evaluation.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
      <h3 className="visually-hidden">Requirements</h3>
      <ul className="requirements">
        {evaluation.requirements.map((requirement) => (
          <RequirementItem key={requirement.id} requirement={requirement} />
        ))}
      </ul>
    </>
  );
}

function formatAmount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

const BORDER: Record<Requirement["state"], string> = {
  met: "met",
  "not-met": "unmet",
  "due-on-track": "due",
  "due-behind": "due",
};

function RequirementItem({ requirement }: { requirement: Requirement }) {
  const border = requirement.advisory ? "advisory" : BORDER[requirement.state];
  const once = requirement.state === "not-met" && requirement.metIfPendingVerified;
  return (
    <li className={`requirement requirement--${border}`}>
      <div className="requirement__head">
        <h3>{requirement.title}</h3>
        <RequirementStateBadge
          state={requirement.state}
          dueBy={requirement.due?.by ?? null}
          advisory={requirement.advisory}
        />
      </div>
      {requirement.due ? <p>{requirement.stateLabel}.</p> : null}
      {once ? <p className="muted">Met once the pending records are verified.</p> : null}
      {requirement.measures.map((measure) => (
        <div className="progress" key={measure.label}>
          <progress
            max={measure.need > 0 ? measure.need : 1}
            value={Math.min(measure.have, measure.need > 0 ? measure.need : 1)}
            aria-label={`${measure.label}: ${formatAmount(measure.have)} of ${formatAmount(measure.need)} ${measure.unit}`}
          />
          <span>
            {measure.label}: <strong>{formatAmount(measure.have)}</strong> of{" "}
            {formatAmount(measure.need)} {measure.unit}
          </span>
        </div>
      ))}
      <p>{requirement.explanation}</p>
      {requirement.validUntil && !requirement.due ? (
        <p className="muted">Stays met until {requirement.validUntil}.</p>
      ) : null}
      {requirement.counted.length + requirement.excluded.length > 0 ? (
        <details className="why">
          <summary>
            Why: {requirement.counted.length} counted, {requirement.excluded.length} not counted
          </summary>
          <ul>
            {requirement.counted.map((record, index) => (
              <li key={`c-${index}-${record.recordId}`} className="counted">
                {record.title} ({record.completedOn})
                {record.amount > 0 ? `: ${formatAmount(record.amount)} counted` : ": counted"}
                {record.note ? ` (${record.note})` : ""}
              </li>
            ))}
            {requirement.excluded.map((record, index) => (
              <li key={`x-${index}-${record.recordId}`} className="not-counted">
                {record.title} ({record.completedOn}): {record.message}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <p className="citation">
        <CitationLink citation={requirement.citation} /> · confidence {requirement.confidence}
      </p>
    </li>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
