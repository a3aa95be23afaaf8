import { getFormProps, getInputProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  type EvidenceFile,
  RECORD_KIND_LABELS,
  ReviewTrainingRecordInputSchema,
  TOPICS,
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
import { Pagination } from "~/components/pagination.tsx";
import { recordSummary } from "~/components/records-table.tsx";
import { type ApiOutputs, apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { formatInstant } from "~/utils/format.ts";
import { requireApi, requireUserWithPermissionOverOthers } from "~/utils/session.server.ts";

const ReviewFormSchema = formSchema(ReviewTrainingRecordInputSchema);

export const meta: MetaFunction = () => [{ title: "Review queue · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermissionOverOthers(request, "review:training-record");
  const api = await requireApi(request);
  const url = new URL(request.url);
  const queue = await api.records.reviewQueue.query({
    cursor: url.searchParams.get("cursor") || null,
    limit: 25,
  });
  const done = url.searchParams.get("done");
  const evidence =
    queue.items.length > 0
      ? await api.evidence.listMany.query({ recordIds: queue.items.map((item) => item.id) })
      : {};
  return {
    queue,
    evidence,
    notice: done === "verify" ? "Record verified." : done === "reject" ? "Record rejected." : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermissionOverOthers(request, "review:training-record");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const recordId = String(formData.get("id") ?? "");
  const submission = parseWithZod(formData, {
    schema: ReviewFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ recordId, result: submission.reply() }, { status: 400 });
  }
  try {
    await api.records.review.mutate(submission.value);
  } catch (error) {
    const code = apiErrorCode(error);
    if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
    const result = submission.reply({
      fieldErrors: apiFieldErrors(error),
      formErrors: [error.message],
    });
    return data({ recordId, result }, { status: 400 });
  }
  throw redirect(`/review?done=${submission.value.decision}`);
}

type QueueItem = ApiOutputs["records"]["reviewQueue"]["items"][number];

export default function ReviewQueuePage() {
  const { queue, evidence, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <h1>Review queue</h1>
        <p className="muted">Pending records, oldest first.</p>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {queue.items.length === 0 ? (
        <p className="empty">Nothing is waiting for review.</p>
      ) : (
        <ol className="queue">
          {queue.items.map((record) => (
            <li key={record.id}>
              <ReviewCard
                record={record}
                files={evidence[record.id] ?? []}
                lastResult={actionData?.recordId === record.id ? actionData.result : undefined}
              />
            </li>
          ))}
        </ol>
      )}
      <Pagination nextCursor={queue.nextCursor} label="Review queue pages" />
    </>
  );
}

function ReviewCard({
  record,
  files,
  lastResult,
}: {
  record: QueueItem;
  files: EvidenceFile[];
  lastResult: SubmissionResult | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: `review-${record.id}`,
    lastResult,
    defaultValue: { id: record.id },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: ReviewFormSchema, disableAutoCoercion: true }),
  });
  const headingId = `review-heading-${record.id}`;
  const busy = navigation.state !== "idle" && navigation.formData?.get("id") === record.id;
  return (
    <article className="card review-card" aria-labelledby={headingId}>
      <header className="review-card__head">
        <h2 id={headingId}>{record.title}</h2>
        <p className="muted">
          <Link to={`/practitioners/${record.practitionerId}`}>{record.practitionerName}</Link>
          {" · "}
          {RECORD_KIND_LABELS[record.kind]}
          {record.provider ? ` · ${record.provider}` : ""}
        </p>
      </header>
      <dl className="facts facts--compact">
        <div>
          <dt>Completed</dt>
          <dd>{record.completedOn}</dd>
        </div>
        <div>
          <dt>Details</dt>
          <dd>{recordSummary(record) || "—"}</dd>
        </div>
        <div>
          <dt>Logged</dt>
          <dd>{formatInstant(record.recordedAt)}</dd>
        </div>
        {record.topics.length > 0 ? (
          <div className="facts__wide">
            <dt>Topics</dt>
            <dd>{record.topics.map((topic) => TOPICS[topic]).join("; ")}</dd>
          </div>
        ) : null}
        {record.notes ? (
          <div className="facts__wide">
            <dt>Notes</dt>
            <dd>{record.notes}</dd>
          </div>
        ) : null}
      </dl>
      <EvidenceList files={files} title={record.title} />
      <Form method="post" {...getFormProps(form)} className="review-card__form">
        <input {...getInputProps(fields.id, { type: "hidden" })} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <Field
          label="Reason (required to reject)"
          htmlFor={fields.reason.id}
          errorId={fields.reason.errorId}
          errors={fields.reason.errors}
        >
          <input {...getInputProps(fields.reason, { type: "text" })} maxLength={500} />
        </Field>
        <div className="button-row">
          <button
            type="submit"
            name="decision"
            value="verify"
            className="button button--primary"
            disabled={busy}
          >
            Verify<span className="visually-hidden"> {record.title}</span>
          </button>
          <button
            type="submit"
            name="decision"
            value="reject"
            className="button button--danger"
            disabled={busy}
          >
            Reject<span className="visually-hidden"> {record.title}</span>
          </button>
        </div>
      </Form>
    </article>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
