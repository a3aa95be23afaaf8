import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { systemClock, utcDateOf } from "@dn/clock";
import { EXAM_TYPES, IdSchema, JURISDICTION_CODES, JURISDICTIONS } from "@dn/schema";
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
import { VerdictBadge } from "~/components/verdict-badge.tsx";
import { type ApiOutputs, apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { hasPermissionOverOthers } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";
import {
  toHypotheticalLicenses,
  toHypotheticalRecords,
  WhatIfFormSchema,
} from "~/utils/what-if-form.ts";

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
  const formData = await request.formData();
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
            <legend>DN course hours</legend>
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
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Verdicts before and after</caption>
              <thead>
                <tr>
                  <th scope="col">Standard</th>
                  <th scope="col">Now</th>
                  <th scope="col">With the plan</th>
                  <th scope="col">What changes, what is still missing</th>
                </tr>
              </thead>
              <tbody>
                {answer.results.map((result) => (
                  <tr
                    key={result.standardId}
                    className={result.statusChanged ? "row--highlight" : undefined}
                  >
                    <th scope="row">
                      <Link to={`/standards/${result.standardId}`}>{result.title}</Link>
                    </th>
                    <td>
                      <VerdictBadge verdict={result.before} />
                    </td>
                    <td>
                      <VerdictBadge verdict={result.after} />
                    </td>
                    <td>
                      {result.changes.length > 0 ? (
                        <ul className="inline-list">
                          {result.changes.map((change) => (
                            <li key={change.requirementId}>
                              {change.title}: {change.before.have}
                              <span className="arrow" aria-hidden="true">
                                →
                              </span>
                              <span className="visually-hidden">becomes</span>
                              {change.after.have} of {change.after.need}
                              {change.after.met ? " (met)" : ""}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="muted">No requirement changes.</span>
                      )}
                      {result.gapsAfter.length > 0 ? (
                        <p className="muted">Still missing: {result.gapsAfter.join("; ")}</p>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {answer.notInForce.length > 0 ? (
            <p className="muted">No version in force: {answer.notInForce.join(", ")}.</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
