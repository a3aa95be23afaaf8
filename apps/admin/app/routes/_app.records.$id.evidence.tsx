/**
 * One record's certificates and review status: the PT (or a manager) attaches a PDF/PNG/JPEG,
 * sees the status and the reviewer's reason, and after a rejection resubmits a corrected
 * version, which goes back to pending review. Works without JavaScript.
 */
import { getFormProps, getInputProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  type CorrectTrainingRecordInput,
  CorrectTrainingRecordInputSchema,
  IdSchema,
  MAX_EVIDENCE_BYTES,
  RECORD_KIND_LABELS,
  type TrainingRecord,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { EvidenceList } from "~/components/evidence.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { recordSummary } from "~/components/records-table.tsx";
import { StatusBadge } from "~/components/status-badge.tsx";
import { apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { EVIDENCE_FORM_LIMIT, readForm } from "~/utils/body-limit.server.ts";
import { uploadEvidenceFile } from "~/utils/files.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { formatInstant } from "~/utils/format.ts";
import { hasPermission, hasPermissionOverOthers } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";

const ResubmitFormSchema = formSchema(CorrectTrainingRecordInputSchema);

export const meta: MetaFunction = () => [{ title: "Certificates · dn admin" }];

function recordIdOf(params: LoaderFunctionArgs["params"]): string {
  const id = IdSchema.safeParse(params.id).data;
  if (!id) throw new Response("No record has this address.", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const id = recordIdOf(params);
  const api = await requireApi(request);
  const [record, files] = await Promise.all([
    api.records.byId.query({ id }),
    api.evidence.list.query({ recordId: id }),
  ]);
  const own = me.practitioner?.id === record.practitionerId;
  const canChange =
    hasPermissionOverOthers(me, "correct:training-record") ||
    (own && hasPermission(me, "correct:training-record:own"));
  const url = new URL(request.url);
  const done = url.searchParams.get("done");
  return {
    record,
    files,
    canChange,
    backTo: hasPermissionOverOthers(me, "read:practitioner")
      ? { to: `/practitioners/${record.practitionerId}`, label: "Practitioner" }
      : { to: "/records", label: "My records" },
    notice:
      done === "uploaded"
        ? "Certificate attached."
        : done === "resubmitted"
          ? "Corrected version submitted. It is pending review again."
          : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUser(request);
  const id = recordIdOf(params);
  const formData = await readForm(request, EVIDENCE_FORM_LIMIT);
  const intent = formData.get("intent");
  if (intent === "upload") {
    const file = formData.get("file");
    if (!(file instanceof File) || file.size === 0) {
      return data(
        { intent, uploadError: "Choose a PDF, PNG or JPEG file to attach.", result: null },
        { status: 400 },
      );
    }
    if (file.size > MAX_EVIDENCE_BYTES) {
      return data(
        { intent, uploadError: "The file is larger than 10 MB.", result: null },
        { status: 400 },
      );
    }
    const refusal = await uploadEvidenceFile(request, id, file);
    if (refusal) {
      const text = refusal.message.charAt(0).toUpperCase() + refusal.message.slice(1);
      return data(
        { intent, uploadError: `${text}.`.replace(/\.\.$/, "."), result: null },
        { status: 400 },
      );
    }
    throw redirect(`/records/${id}/evidence?done=uploaded`);
  }

  const api = await requireApi(request);
  const submission = parseWithZod(formData, {
    schema: ResubmitFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data(
      { intent: "resubmit", uploadError: null, result: submission.reply() },
      { status: 400 },
    );
  }
  try {
    await api.records.correct.mutate(submission.value);
  } catch (error) {
    const code = apiErrorCode(error);
    if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
    return data(
      {
        intent: "resubmit",
        uploadError: null,
        result: submission.reply({
          fieldErrors: apiFieldErrors(error),
          formErrors: [error.message],
        }),
      },
      { status: 400 },
    );
  }
  throw redirect(`/records/${id}/evidence?done=resubmitted`);
}

export default function RecordEvidencePage() {
  const { record, files, canChange, backTo, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  return (
    <>
      <p className="breadcrumb">
        <Link to={backTo.to}>{backTo.label}</Link>
      </p>
      <div className="page-header">
        <h1>{record.title}</h1>
        <p className="muted">
          {RECORD_KIND_LABELS[record.kind]} · completed {record.completedOn} ·{" "}
          <Link to={`/records/${record.id}/history`}>every version</Link>
        </p>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <section className="card section" aria-labelledby="status-heading">
        <h2 id="status-heading">Review status</h2>
        <dl className="facts facts--compact">
          <div>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={record.status} />
            </dd>
          </div>
          <div>
            <dt>Details</dt>
            <dd>{recordSummary(record) || "—"}</dd>
          </div>
          {record.reviewedAt ? (
            <div>
              <dt>Reviewed</dt>
              <dd>{formatInstant(record.reviewedAt)}</dd>
            </div>
          ) : null}
          {record.reviewReason ? (
            <div className="facts__wide">
              <dt>Reviewer's reason</dt>
              <dd>{record.reviewReason}</dd>
            </div>
          ) : null}
        </dl>
      </section>

      <section className="card section" aria-labelledby="files-heading">
        <h2 id="files-heading">Certificates</h2>
        <EvidenceList files={files} title={record.title} />
        {canChange && record.status !== "withdrawn" ? (
          <Form method="post" encType="multipart/form-data" className="upload-form">
            <input type="hidden" name="intent" value="upload" />
            <div className={`field${actionData?.uploadError ? " field--invalid" : ""}`}>
              <label htmlFor="evidence-file">Attach a certificate</label>
              <p className="hint" id="evidence-file-hint">
                PDF, PNG or JPEG, up to 10 MB. The type is checked from the file's content.
              </p>
              <input
                id="evidence-file"
                name="file"
                type="file"
                accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
                aria-describedby={`evidence-file-hint${actionData?.uploadError ? " evidence-file-error" : ""}`}
                aria-invalid={actionData?.uploadError ? true : undefined}
                required
              />
              <ErrorList
                id="evidence-file-error"
                errors={actionData?.uploadError ? [actionData.uploadError] : null}
              />
            </div>
            <button type="submit" className="button button--primary" disabled={busy}>
              Upload certificate
            </button>
          </Form>
        ) : null}
      </section>

      {canChange && record.status === "rejected" ? (
        <ResubmitForm
          record={record}
          lastResult={
            actionData?.intent === "resubmit" ? (actionData.result ?? undefined) : undefined
          }
        />
      ) : null}
    </>
  );
}

function ResubmitForm({
  record,
  lastResult,
}: {
  record: TrainingRecord;
  lastResult: SubmissionResult | undefined;
}) {
  const [form, fields] = useForm<CorrectTrainingRecordInput>({
    id: "resubmit",
    lastResult,
    shouldValidate: "onSubmit",
    defaultValue: {
      id: record.id,
      kind: record.kind,
      title: record.title,
      provider: record.provider ?? "",
      completedOn: record.completedOn,
      notes: record.notes ?? "",
    },
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: ResubmitFormSchema, disableAutoCoercion: true }),
  });
  const course = record.kind === "dn-course" || record.kind === "ce-activity";
  return (
    <section className="card section" aria-labelledby="resubmit-heading">
      <h2 id="resubmit-heading">Resubmit a corrected version</h2>
      <p className="muted">
        Fix what the reviewer pointed out; the corrected version goes back to pending review and the
        rejected one stays in the history.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="resubmit" />
        <input {...getInputProps(fields.id, { type: "hidden" })} />
        <input {...getInputProps(fields.kind, { type: "hidden" })} />
        {record.topics.map((topic, index) => (
          <input key={topic} type="hidden" name={`topics[${index}]`} value={topic} />
        ))}
        {record.count !== null ? <input type="hidden" name="count" value={record.count} /> : null}
        {record.examType ? <input type="hidden" name="examType" value={record.examType} /> : null}
        {record.passed !== null ? (
          <input type="hidden" name="passed" value={String(record.passed)} />
        ) : null}
        {record.expiresOn ? (
          <input type="hidden" name="expiresOn" value={record.expiresOn} />
        ) : null}
        {record.jurisdiction ? (
          <input type="hidden" name="jurisdiction" value={record.jurisdiction} />
        ) : null}
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label="Title"
          htmlFor={fields.title.id}
          errorId={fields.title.errorId}
          errors={fields.title.errors}
        >
          <input {...getInputProps(fields.title, { type: "text" })} maxLength={200} />
        </Field>
        <Field
          label="Provider (optional)"
          htmlFor={fields.provider.id}
          errorId={fields.provider.errorId}
          errors={fields.provider.errors}
        >
          <input {...getInputProps(fields.provider, { type: "text" })} maxLength={200} />
        </Field>
        <Field
          label="Completion date"
          htmlFor={fields.completedOn.id}
          errorId={fields.completedOn.errorId}
          errors={fields.completedOn.errors}
        >
          <input {...getInputProps(fields.completedOn, { type: "date" })} />
        </Field>
        {course ? (
          <fieldset className="group">
            <legend>Hours</legend>
            {(["theory", "practical", "online"] as const).map((mode) => (
              <div className="field" key={mode}>
                <label htmlFor={`resubmit-hours-${mode}`}>
                  {mode.charAt(0).toUpperCase() + mode.slice(1)}
                </label>
                <input
                  id={`resubmit-hours-${mode}`}
                  name={`hours.${mode}`}
                  type="number"
                  min={0}
                  step="0.25"
                  defaultValue={record.hours[mode]}
                />
              </div>
            ))}
            <ErrorList errors={fields.hours.errors} />
          </fieldset>
        ) : null}
        <Field
          label="Notes (optional)"
          htmlFor={fields.notes.id}
          errorId={fields.notes.errorId}
          errors={fields.notes.errors}
        >
          <input {...getInputProps(fields.notes, { type: "text" })} maxLength={2000} />
        </Field>
        <button type="submit" className="button button--primary">
          Resubmit for review
        </button>
      </Form>
    </section>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
