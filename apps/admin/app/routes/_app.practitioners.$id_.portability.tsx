import { IdSchema, JURISDICTIONS } from "@dn/schema";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { ComplianceNav } from "~/components/compliance-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { VERDICT_TEXT, VerdictBadge, type VerdictName } from "~/components/verdict-badge.tsx";
import { WhenForm } from "~/components/when-form.tsx";
import { hasPermissionOverOthers } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";
import { readWhen, whenQuery } from "~/utils/when.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Portability · ${data?.view.practitioner.name ?? "Practitioner"} · dn admin` },
];

const ORDER: VerdictName[] = [
  "qualified",
  "expiring",
  "pending-verification",
  "not-qualified",
  "not-permitted",
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No practitioner has this address.", { status: 404 });
  const when = readWhen(new URL(request.url).searchParams);
  const api = await requireApi(request);
  const view = await api.compliance.portability.query({
    practitionerId: id,
    asOf: when.asOf,
    knownAt: when.knownAt,
  });
  return { view, when, canSeePractitioners: hasPermissionOverOthers(me, "read:practitioner") };
}

export default function PortabilityPage() {
  const { view, when, canSeePractitioners } = useLoaderData<typeof loader>();
  const { practitioner } = view;
  const query = whenQuery(view);
  return (
    <>
      {canSeePractitioners ? (
        <p className="breadcrumb">
          <Link to="/practitioners">Practitioners</Link> ·{" "}
          <Link to={`/practitioners/${practitioner.id}`}>{practitioner.name}</Link>
        </p>
      ) : null}
      <div className="page-header">
        <h1>Portability: {practitioner.name}</h1>
        <p className="muted">
          Every state's dry-needling rule on file, as of {view.asOf}
          {view.knownAt ? `, as known at ${view.knownAt}` : ""}: where this practitioner could
          needle today, and what each state would still need.
        </p>
      </div>
      <ComplianceNav practitionerId={practitioner.id} />
      <WhenForm when={when} label="Evaluation date" />

      <h2 className="visually-hidden">Verdict counts</h2>
      <ul className="counts" aria-label="States by verdict">
        {ORDER.map((verdict) => (
          <li key={verdict}>
            <span className={`verdict verdict--${verdict}`}>
              {VERDICT_TEXT[verdict]}: {view.counts[verdict] ?? 0}
            </span>
          </li>
        ))}
      </ul>

      <section aria-labelledby="grid-heading">
        <h2 id="grid-heading">States</h2>
        <ul className="state-grid">
          {view.entries.map((entry) => {
            const name = entry.jurisdiction ? JURISDICTIONS[entry.jurisdiction] : entry.title;
            return (
              <li
                key={entry.standardId}
                className={`state-tile state-tile--${entry.status}`}
                aria-labelledby={`state-${entry.standardId}`}
              >
                <h3 id={`state-${entry.standardId}`}>
                  <Link to={`/standards/${entry.standardId}${query}`}>{name}</Link>{" "}
                  <span className="muted">{entry.jurisdiction}</span>
                </h3>
                <VerdictBadge verdict={entry.status} />
                {entry.status === "not-permitted" ? (
                  <p>PTs may not dry needle here.</p>
                ) : entry.gaps.length > 0 ? (
                  <p>
                    <span className="visually-hidden">Gap: </span>
                    {entry.gaps.join("; ")}
                  </p>
                ) : entry.nextLapse ? (
                  <p>
                    Lapses {entry.nextLapse.on}: {entry.nextLapse.title}
                  </p>
                ) : (
                  <p className="muted">
                    {entry.requirementsMet} of {entry.requirementCount} requirements met
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </section>
      {view.notInForce.length > 0 ? (
        <p className="muted section">
          No version in force on {view.asOf}: {view.notInForce.join(", ")}.
        </p>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
