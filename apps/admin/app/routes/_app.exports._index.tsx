/**
 * Compliance exports: make one (a background job on the API) and the history of every export,
 * with progress while running, who made it, when, and its SHA-256; download any again.
 * The page refreshes itself (a meta refresh, no JavaScript needed) while a job is running.
 */

import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { systemClock, utcDateOf } from "@dn/clock";
import { EXPORT_KINDS, type ExportJob, IdSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import {
  EXPORT_KIND_LABELS,
  ExportFormSchema,
  toCreateExportInput,
  toFormFieldErrors,
} from "~/utils/export-form.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { hasPermission } from "~/utils/permissions.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

const FormSchema = formSchema(ExportFormSchema);

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: "Exports · dn admin" },
  ...(loaded?.running ? [{ httpEquiv: "refresh", content: "2" } as const] : []),
];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUserWithPermission(request, "read:export");
  const api = await requireApi(request);
  const url = new URL(request.url);
  const cursor = url.searchParams.get("cursor") || null;
  // `?practitionerId=<id>` offers that practitioner as the scope (linked from elsewhere).
  const practitionerId = IdSchema.safeParse(url.searchParams.get("practitionerId")).data;
  const [history, clinics, key, practitioner, standards] = await Promise.all([
    api.exports.list.query({ cursor, limit: 25 }),
    api.clinics.list.query(),
    api.exports.publicKey.query(),
    practitionerId ? api.practitioners.byId.query({ id: practitionerId }) : null,
    api.standards.list.query({}),
  ]);
  return {
    history,
    clinics,
    key,
    practitioner: practitioner ? { id: practitioner.id, name: practitioner.name } : null,
    standards: standards.map((s) => ({ id: s.id, title: s.title })),
    running: history.items.some((job) => job.status === "queued" || job.status === "running"),
    today: utcDateOf(systemClock()),
    canManageTokens: hasPermission(me, "read:api-token"),
    created: url.searchParams.get("created"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "create:export");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: FormSchema, disableAutoCoercion: true });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const converted = toCreateExportInput(submission.value);
  if (!converted.ok) {
    return data(
      { result: submission.reply({ fieldErrors: converted.fieldErrors }) },
      { status: 400 },
    );
  }
  let job: ExportJob;
  try {
    job = await api.exports.create.mutate(converted.input);
  } catch (error) {
    const code = apiErrorCode(error);
    if (!isApiError(error) || code !== "BAD_REQUEST") throw error;
    const fieldErrors = toFormFieldErrors(apiFieldErrors(error));
    return data(
      {
        result: submission.reply({
          fieldErrors,
          formErrors: Object.keys(fieldErrors).length > 0 ? [] : [error.message],
        }),
      },
      { status: 400 },
    );
  }
  throw redirect(`/exports?created=${encodeURIComponent(job.id)}`);
}

function scopeText(job: ExportJob): string {
  const scope = job.scope;
  const what =
    scope.kind === "organization"
      ? "Organization"
      : scope.kind === "clinic"
        ? `Clinic ${scope.clinicId.slice(0, 8)}`
        : `Practitioner ${scope.practitionerId.slice(0, 8)}`;
  const standards = scope.standardIds ? scope.standardIds.join(", ") : "all that apply";
  return `${what}; ${standards}; as of ${scope.asOf}${scope.knownAt ? `, known at ${scope.knownAt}` : ""}${scope.jurisdiction ? `; ${scope.jurisdiction} only` : ""}`;
}

function JobStatus({ job }: { job: ExportJob }) {
  if (job.status === "done") return <span className="badge badge--verified">Done</span>;
  if (job.status === "failed") {
    return (
      <>
        <span className="badge badge--rejected">Failed</span>
        <p className="reason">{job.error}</p>
      </>
    );
  }
  const label = `${job.status === "queued" ? "Queued" : "Running"}: ${job.progress} of ${job.total ?? "?"}`;
  return (
    <div>
      <span className="badge badge--pending">{job.status === "queued" ? "Queued" : "Running"}</span>
      <progress
        max={job.total ?? 1}
        value={job.total ? job.progress : undefined}
        aria-label={label}
        title={label}
      />
    </div>
  );
}

export default function ExportsPage() {
  const { history, clinics, key, practitioner, standards, today, canManageTokens, created } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "export",
    lastResult: actionData?.result,
    defaultValue: {
      kind: "bundle",
      scope: practitioner ? `practitioner:${practitioner.id}` : "organization",
      asOf: today,
    },
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: FormSchema, disableAutoCoercion: true }),
    shouldValidate: "onBlur",
  });
  return (
    <>
      <div className="page-header">
        <h1>Compliance exports</h1>
        <p className="muted">
          For regulators and outside auditors: compliance as of a date, in CSV, JSON, PDF or a
          signed bundle anyone can check offline.
        </p>
        <p>
          <Link to="/exports/verify">Verify a bundle</Link>
          {canManageTokens ? (
            <>
              {" · "}
              <Link to="/regulator-tokens">Regulator API tokens</Link>
            </>
          ) : null}
        </p>
      </div>

      <section className="section card" aria-labelledby="new-export">
        <h2 id="new-export">New export</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Format"
            htmlFor={fields.kind.id}
            errorId={fields.kind.errorId}
            errors={fields.kind.errors}
          >
            <select {...getSelectProps(fields.kind)}>
              {EXPORT_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {EXPORT_KIND_LABELS[kind]}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Who"
            htmlFor={fields.scope.id}
            errorId={fields.scope.errorId}
            errors={fields.scope.errors}
          >
            <select {...getSelectProps(fields.scope)}>
              <option value="organization">The whole organization</option>
              {practitioner ? (
                <option value={`practitioner:${practitioner.id}`}>
                  Practitioner: {practitioner.name}
                </option>
              ) : null}
              {clinics.map((clinic) => (
                <option key={clinic.id} value={`clinic:${clinic.id}`}>
                  Clinic: {clinic.name} ({clinic.jurisdiction})
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="As of"
            htmlFor={fields.asOf.id}
            errorId={fields.asOf.errorId}
            errors={fields.asOf.errors}
          >
            <input {...getInputProps(fields.asOf, { type: "date" })} />
          </Field>
          <Field
            label="Records known at (optional)"
            hint="An ISO instant such as 2026-03-01T12:00:00Z: later corrections are left out."
            hintId={`${fields.knownAt.id}-hint`}
            htmlFor={fields.knownAt.id}
            errorId={fields.knownAt.errorId}
            errors={fields.knownAt.errors}
          >
            <input {...getInputProps(fields.knownAt, { type: "text" })} />
          </Field>
          <fieldset className="field" aria-describedby={`${fields.standardIds.id}-hint`}>
            <legend>Standards (optional)</legend>
            <p className="muted" id={`${fields.standardIds.id}-hint`}>
              Leave all unticked for every standard that applies.
            </p>
            <div className="checkbox-grid">
              {standards.map((standard) => (
                <label className="checkbox" key={standard.id}>
                  <input type="checkbox" name={fields.standardIds.name} value={standard.id} />
                  <span>{standard.title}</span>
                </label>
              ))}
            </div>
            <ErrorList id={fields.standardIds.errorId} errors={fields.standardIds.errors} />
          </fieldset>
          <div className="button-row">
            <button
              type="submit"
              className="button button--primary"
              disabled={navigation.state === "submitting"}
            >
              Start export
            </button>
          </div>
        </Form>
      </section>

      <section className="section" aria-labelledby="history">
        <h2 id="history">History</h2>
        {created ? (
          <p className="notice" role="status">
            Export queued. It runs in the background; this page updates until it is done.
          </p>
        ) : null}
        {history.items.length === 0 ? (
          <p className="empty">No exports yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Made</th>
                  <th scope="col">By</th>
                  <th scope="col">Format</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Status</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">File</th>
                </tr>
              </thead>
              <tbody>
                {history.items.map((job) => (
                  <tr key={job.id} className={job.id === created ? "row--highlight" : undefined}>
                    <td className="nowrap">{job.createdAt.replace("T", " ").slice(0, 16)}</td>
                    <td>{job.createdByName ?? "—"}</td>
                    <td>{job.kind}</td>
                    <td>{scopeText(job)}</td>
                    <td>
                      <JobStatus job={job} />
                    </td>
                    <td>
                      {job.sha256 ? (
                        <code title={job.sha256}>{job.sha256.slice(0, 16)}…</code>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      {job.status === "done" && job.fileName ? (
                        <a href={`/exports/${job.id}/download`} download={job.fileName}>
                          Download<span className="visually-hidden"> {job.fileName}</span>
                        </a>
                      ) : (
                        "—"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination nextCursor={history.nextCursor} label="exports" />
      </section>

      <section className="section" aria-labelledby="signing-key">
        <h2 id="signing-key">Signing key</h2>
        <p>
          Bundles are signed with this organization's Ed25519 key (fingerprint{" "}
          <code>{key.fingerprint}</code>). Anyone can fetch the public key from the API at{" "}
          <code>/.well-known/dn-export-key/{key.organizationId}</code> and check a bundle with{" "}
          <code>dn verify bundle.zip --public-key key.pem</code>.
        </p>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
