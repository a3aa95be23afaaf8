import {
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  useForm,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { systemClock, utcDateOf } from "@dn/clock";
import {
  EXAM_TYPES,
  IdSchema,
  JURISDICTION_CODES,
  JURISDICTIONS,
  TOPIC_CODES,
  TOPICS,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { ComplianceNav } from "~/components/compliance-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { RequirementStateBadge, VerdictBadge } from "~/components/verdict-badge.tsx";
import { type ApiOutputs, apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { hasPermissionOverOthers } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";
import {
  PLANNED_COURSE_KINDS,
  toHypotheticalLicenses,
  toHypotheticalRecords,
  WhatIfFormSchema,
} from "~/utils/what-if-form.ts";

type WhatIfAnswer = ApiOutputs["compliance"]["whatIf"];
type WhatIfResult = WhatIfAnswer["results"][number];

const COURSE_KIND_LABELS: Record<(typeof PLANNED_COURSE_KINDS)[number], string> = {
  "dn-course": "DN course",
  "ce-activity": "CE activity",
};

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `What-if planner · ${data?.practitioner.name ?? "Practitioner"} · dn admin` },
];

const EXAM_LABELS: Record<(typeof EXAM_TYPES)[number], string> = {
  written: "Written exam",
  practical: "Practical exam",
  "written-and-practical": "Written and practical exam",
};

function requireId(value: string | undefined): string {
  const id = IdSchema.safeParse(value).data;
  if (!id) throw new Response("No practitioner has this address.", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const id = requireId(params.id);
  const api = await requireApi(request);
  const applicable = await api.compliance.applicable.query({ practitionerId: id });
  const practitioner =
    me.practitioner?.id === id
      ? { id, name: me.practitioner.name }
      : await api.practitioners.byId.query({ id }).then((p) => ({ id: p.id, name: p.name }));
  return {
    practitioner,
    applicable,
    today: utcDateOf(systemClock()),
    canSeePractitioners: hasPermissionOverOthers(me, "read:practitioner"),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const id = requireId(params.id);
  const api = await requireApi(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, {
    schema: WhatIfFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply(), answer: null }, { status: 400 });
  }
  const { scope, ...planned } = submission.value;
  let standardIds: string[] | undefined;
  if (scope === "states") {
    const states = await api.standards.list.query({ kind: "state-board" });
    standardIds = states
      .filter((s) => s.jurisdiction && s.id === `${s.jurisdiction.toLowerCase()}-dn`)
      .map((s) => s.id);
  }
  let answer: ApiOutputs["compliance"]["whatIf"];
  try {
    answer = await api.compliance.whatIf.query({
      practitionerId: id,
      standardIds,
      asOf: planned.completedOn,
      records: toHypotheticalRecords(planned),
      licenses: toHypotheticalLicenses(planned),
    });
  } catch (error) {
    if (!isApiError(error) || apiErrorCode(error) !== "BAD_REQUEST") throw error;
    return data(
      {
        result: submission.reply({
          formErrors: [error.message],
          fieldErrors: apiFieldErrors(error),
        }),
        answer: null,
      },
      { status: 400 },
    );
  }
  return { result: submission.reply(), answer };
}

export default function WhatIfPage() {
  const { practitioner, applicable, today, canSeePractitioners } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "what-if",
    lastResult: actionData?.result,
    defaultValue: { completedOn: today, scope: "applicable" },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: WhatIfFormSchema, disableAutoCoercion: true }),
  });
  const answer = actionData?.answer ?? null;
  const changed = answer?.results.filter((r) => r.statusChanged) ?? [];
  return (
    <>
      {canSeePractitioners ? (
        <p className="breadcrumb">
          <Link to="/practitioners">Practitioners</Link> ·{" "}
          <Link to={`/practitioners/${practitioner.id}`}>{practitioner.name}</Link>
        </p>
      ) : null}
      <div className="page-header">
        <h1>What-if planner: {practitioner.name}</h1>
        <p className="muted">
          Add training you are considering and see which verdicts would change. Nothing is saved.
          Applies to: {applicable.map((a) => a.title).join(", ") || "no standards yet"}.
        </p>
      </div>
      <ComplianceNav practitionerId={practitioner.id} />

      <Form method="post" {...getFormProps(form)} className="card stack">
        <ErrorList id={form.errorId} errors={form.errors} />
        <div className="what-if-grid">
          <fieldset>
            <legend>Planned course</legend>
            <Field
              label="Course name"
              htmlFor={fields.courseTitle.id}
              errorId={fields.courseTitle.errorId}
              errors={fields.courseTitle.errors}
            >
              <input {...getInputProps(fields.courseTitle, { type: "text" })} maxLength={200} />
            </Field>
            <Field
              label="Kind"
              htmlFor={fields.courseKind.id}
              hint="Some rules count only DN courses, CE rules usually CE activities."
              hintId={`${fields.courseKind.id}-hint`}
              errorId={fields.courseKind.errorId}
              errors={fields.courseKind.errors}
            >
              <select {...getSelectProps(fields.courseKind)}>
                {PLANNED_COURSE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {COURSE_KIND_LABELS[kind]}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="Theory (in person)"
              htmlFor={fields.courseTheory.id}
              errorId={fields.courseTheory.errorId}
              errors={fields.courseTheory.errors}
            >
              <input
                {...getInputProps(fields.courseTheory, { type: "number" })}
                step="0.5"
                min="0"
              />
            </Field>
            <Field
              label="Practical (in person)"
              htmlFor={fields.coursePractical.id}
              errorId={fields.coursePractical.errorId}
              errors={fields.coursePractical.errors}
            >
              <input
                {...getInputProps(fields.coursePractical, { type: "number" })}
                step="0.5"
                min="0"
              />
            </Field>
            <Field
              label="Online"
              htmlFor={fields.courseOnline.id}
              errorId={fields.courseOnline.errorId}
              errors={fields.courseOnline.errors}
            >
              <input
                {...getInputProps(fields.courseOnline, { type: "number" })}
                step="0.5"
                min="0"
              />
            </Field>
          </fieldset>
          <fieldset className="what-if-topics">
            <legend>Topics the course covers</legend>
            <div className="checkbox-grid">
              {getCollectionProps(fields.courseTopics, {
                type: "checkbox",
                options: TOPIC_CODES,
              }).map((props) => (
                <label key={props.key} className="checkbox">
                  <input {...props} />
                  <span>{TOPICS[props.value as keyof typeof TOPICS]}</span>
                </label>
              ))}
            </div>
            <ErrorList id={fields.courseTopics.errorId} errors={fields.courseTopics.errors} />
          </fieldset>
          <fieldset>
            <legend>Sessions, exam, CPR</legend>
            <Field
              label="Supervised sessions"
              htmlFor={fields.sessions.id}
              errorId={fields.sessions.errorId}
              errors={fields.sessions.errors}
            >
              <input {...getInputProps(fields.sessions, { type: "number" })} step="1" min="1" />
            </Field>
            <Field
              label="Exam passed"
              htmlFor={fields.examType.id}
              errorId={fields.examType.errorId}
              errors={fields.examType.errors}
            >
              <select {...getSelectProps(fields.examType)}>
                <option value="">No exam</option>
                {EXAM_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {EXAM_LABELS[type]}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="CPR card valid until"
              htmlFor={fields.cprExpiresOn.id}
              errorId={fields.cprExpiresOn.errorId}
              errors={fields.cprExpiresOn.errors}
            >
              <input {...getInputProps(fields.cprExpiresOn, { type: "date" })} />
            </Field>
          </fieldset>
          <fieldset>
            <legend>When and where</legend>
            <Field
              label="Completed on"
              htmlFor={fields.completedOn.id}
              hint="Verdicts are computed as of this date."
              hintId={`${fields.completedOn.id}-hint`}
              errorId={fields.completedOn.errorId}
              errors={fields.completedOn.errors}
            >
              <input {...getInputProps(fields.completedOn, { type: "date" })} />
            </Field>
            <Field
              label="New license in"
              htmlFor={fields.licenseIn.id}
              errorId={fields.licenseIn.errorId}
              errors={fields.licenseIn.errors}
            >
              <select {...getSelectProps(fields.licenseIn)}>
                <option value="">No new license</option>
                {JURISDICTION_CODES.map((code) => (
                  <option key={code} value={code}>
                    {JURISDICTIONS[code]}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="Standards"
              htmlFor={fields.scope.id}
              errorId={fields.scope.errorId}
              errors={fields.scope.errors}
            >
              <select {...getSelectProps(fields.scope)}>
                <option value="applicable">The standards that apply</option>
                <option value="states">Every state's DN rule</option>
              </select>
            </Field>
          </fieldset>
        </div>
        <div className="button-row">
          <button
            type="submit"
            className="button button--primary"
            disabled={navigation.state === "submitting"}
          >
            See what changes
          </button>
        </div>
      </Form>

      {answer ? (
        <section aria-labelledby="answer-heading" className="section" aria-live="polite">
          <h2 id="answer-heading">
            {changed.length === 0
              ? "No verdict would change"
              : `${changed.length} ${changed.length === 1 ? "verdict would change" : "verdicts would change"}`}
          </h2>
          <ul className="what-if-results">
            {answer.results.map((result) => (
              <WhatIfResultCard key={result.standardId} result={result} />
            ))}
          </ul>
          {answer.notInForce.length > 0 ? (
            <p className="muted">No version in force: {answer.notInForce.join(", ")}.</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

/** "Would this plan qualify me?" for one standard, in words, then requirement by requirement. */
function WhatIfResultCard({ result }: { result: WhatIfResult }) {
  const binding = result.requirementsAfter.filter((r) => !r.advisory);
  const missing = binding.filter((r) => r.state === "not-met");
  const due = binding.filter((r) => r.state === "due-on-track" || r.state === "due-behind");
  const planned = result.requirementsAfter.filter((r) => r.planned.length > 0);
  const answer = result.qualifiesAfter
    ? result.statusChanged
      ? "Yes: with this plan you would qualify."
      : "You qualify, with or without this plan."
    : result.after === "not-permitted"
      ? "No: dry needling is not permitted under this standard."
      : "No: this plan would not be enough.";
  return (
    <li className={`standard-card what-if-result${result.statusChanged ? " row--highlight" : ""}`}>
      <div className="standard-card__head">
        <h3>
          <Link to={`/standards/${result.standardId}`}>{result.title}</Link>
        </h3>
        <span>
          <VerdictBadge verdict={result.before} />
          <span className="arrow" aria-hidden="true">
            →
          </span>
          <span className="visually-hidden">with the plan:</span>
          <VerdictBadge verdict={result.after} />
        </span>
      </div>
      <p>
        <strong>{answer}</strong>
      </p>
      {result.changes.length > 0 ? (
        <>
          <h4>What changes</h4>
          <ul className="state-list">
            {result.changes.map((change) => (
              <li key={change.requirementId}>
                {change.title}: {change.before.have}
                <span className="arrow" aria-hidden="true">
                  →
                </span>
                <span className="visually-hidden">becomes</span>
                {change.after.have} of {change.after.need}{" "}
                <RequirementStateBadge state={change.after.state} dueBy={change.after.dueBy} />
                {change.after.dueBy ? (
                  <span className="muted"> {change.after.stateLabel}.</span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">No requirement changes.</p>
      )}
      {planned.length > 0 ? (
        <>
          <h4>What the planned records count for</h4>
          <ul className="state-list">
            {planned.flatMap((r) =>
              r.planned.map((effect) => (
                <li key={`${r.requirementId}-${effect.recordId}`}>
                  <span aria-hidden="true">{effect.counted ? "✓ " : "✗ "}</span>
                  {effect.title} → {r.title}:{" "}
                  {effect.counted
                    ? `counts${effect.amount > 0 ? ` (${effect.amount} ${r.unit})` : ""}${effect.message ? `; ${effect.message}` : ""}`
                    : `does not count: ${effect.message ?? "not relevant"}`}
                </li>
              )),
            )}
          </ul>
        </>
      ) : null}
      {missing.length > 0 ? (
        <>
          <h4>Still missing</h4>
          <ul className="state-list">
            {missing.map((r) => (
              <li key={r.requirementId}>
                {r.title}: {r.gap ?? "not met"}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {due.length > 0 ? (
        <>
          <h4>Due later</h4>
          <ul className="state-list">
            {due.map((r) => (
              <li key={r.requirementId}>
                {r.title}: {r.stateLabel}.
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </li>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
