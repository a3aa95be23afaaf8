import {
  type FieldMetadata,
  getCollectionProps,
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  type Submission,
  type SubmissionResult,
  useForm,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  EXAM_TYPES,
  JURISDICTION_CODES,
  JURISDICTIONS,
  RECORD_KIND_LABELS,
  RECORD_KINDS,
  RecordKindSchema,
  TOPIC_CODES,
  TOPICS,
  type TrainingRecord,
  WithdrawTrainingRecordInputSchema,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { CoursePrefill } from "~/components/course-prefill.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { RecordsTable } from "~/components/records-table.tsx";
import { apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { courseOptions, recordDefaultsFromCourse } from "~/utils/course-prefill.ts";
import { formSchema } from "~/utils/form-schema.ts";
import {
  FIELD_GROUPS_BY_KIND,
  type KindFieldGroup,
  kindsWithGroup,
  RecordFormSchema,
} from "~/utils/record-form.ts";
import { requireApi, requirePractitionerUser } from "~/utils/session.server.ts";
import { useHydrated } from "~/utils/use-hydrated.ts";

const WithdrawFormSchema = formSchema(WithdrawTrainingRecordInputSchema);

export const meta: MetaFunction = () => [{ title: "My records · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requirePractitionerUser(request);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const cursor = url.searchParams.get("cursor") || null;
  const records = await api.records.list.query({
    practitionerId: me.practitioner.id,
    cursor,
    limit: 50,
  });
  const catalog = await api.content.courses.list.query({});
  const course = catalog.find((c) => c.id === url.searchParams.get("course")) ?? null;
  const created = url.searchParams.get("created");
  const withdrawn = url.searchParams.get("withdrawn");
  return {
    practitioner: { id: me.practitioner.id, name: me.practitioner.name },
    records,
    courses: courseOptions(catalog),
    course: course ? { id: course.id, defaults: recordDefaultsFromCourse(course) } : null,
    notice: created
      ? { recordId: created, text: "Record logged. It is pending review by your manager." }
      : withdrawn
        ? { recordId: withdrawn, text: "Record withdrawn. It stays on file with its history." }
        : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const me = await requirePractitionerUser(request);
  const api = await requireApi(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "withdraw") {
    const submission = parseWithZod(formData, {
      schema: WithdrawFormSchema,
      disableAutoCoercion: true,
    });
    const recordId = String(formData.get("id") ?? "");
    if (submission.status !== "success") {
      return data({ intent, recordId, result: submission.reply() }, { status: 400 });
    }
    try {
      await api.records.withdraw.mutate(submission.value);
    } catch (error) {
      return data(
        { intent, recordId, result: replyWithApiError(submission, error) },
        { status: 400 },
      );
    }
    throw redirect(`/records?withdrawn=${encodeURIComponent(submission.value.id)}`);
  }

  // Logging a record: the practitioner is always the signed-in user.
  formData.set("practitionerId", me.practitioner.id);
  const submission = parseWithZod(formData, {
    schema: RecordFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data(
      { intent: "create" as const, recordId: null, result: submission.reply() },
      { status: 400 },
    );
  }
  let record: TrainingRecord;
  try {
    record = await api.records.create.mutate(submission.value);
  } catch (error) {
    return data(
      { intent: "create" as const, recordId: null, result: replyWithApiError(submission, error) },
      { status: 400 },
    );
  }
  throw redirect(`/records?created=${encodeURIComponent(record.id)}`);
}

/** Puts the API's refusal back on the form: field errors beside their fields, the rest on top. */
function replyWithApiError(
  submission: Pick<Submission<unknown>, "reply">,
  error: unknown,
): SubmissionResult {
  const code = apiErrorCode(error);
  if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
  const fieldErrors = apiFieldErrors(error);
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  return submission.reply({
    fieldErrors,
    formErrors: [hasFieldErrors ? "Some fields need attention." : error.message],
  });
}

export default function MyRecordsPage() {
  const { practitioner, records, notice, courses, course } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <h1>My records</h1>
        <p className="muted">{practitioner.name}</p>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice.text}
          {notice.text.startsWith("Record logged") ? (
            <>
              {" "}
              <Link to={`/records/${notice.recordId}/evidence`}>Attach the certificate</Link>
            </>
          ) : null}
        </p>
      ) : null}

      <div className="split">
        <section aria-labelledby="records-heading" className="split__main">
          <h2 id="records-heading">Logged records</h2>
          {records.items.length === 0 ? (
            <p className="empty">Nothing logged yet. Use the form to log your first record.</p>
          ) : (
            <RecordsTable
              records={records.items}
              caption="My training records"
              highlightId={notice?.recordId ?? null}
              actions={(record) =>
                record.status === "withdrawn" ? null : (
                  <WithdrawForm
                    record={record}
                    errors={
                      actionData?.intent === "withdraw" && actionData.recordId === record.id
                        ? errorsOf(actionData.result)
                        : null
                    }
                  />
                )
              }
            />
          )}
          <Pagination nextCursor={records.nextCursor} label="Record pages" />
        </section>

        <section aria-labelledby="log-heading" className="split__side card">
          <h2 id="log-heading">Log a record</h2>
          <CoursePrefill courses={courses} selectedId={course?.id ?? null} />
          <LogRecordForm
            key={course?.id ?? "blank"}
            defaults={course?.defaults ?? {}}
            practitionerId={practitioner.id}
            lastResult={actionData?.intent === "create" ? actionData.result : undefined}
          />
        </section>
      </div>
    </>
  );
}

/** Every message in a reply, for the one-input withdraw form. */
function errorsOf(result: SubmissionResult): string[] {
  return Object.values(result.error ?? {}).flatMap((messages) => messages ?? []);
}

function WithdrawForm({ record, errors }: { record: TrainingRecord; errors: string[] | null }) {
  const reasonId = `withdraw-reason-${record.id}`;
  const errorId = `withdraw-error-${record.id}`;
  return (
    <details className="withdraw" open={Boolean(errors)}>
      <summary>
        Withdraw<span className="visually-hidden"> {record.title}</span>
      </summary>
      <Form method="post" className="withdraw__form">
        <input type="hidden" name="intent" value="withdraw" />
        <input type="hidden" name="id" value={record.id} />
        <label htmlFor={reasonId}>Reason (optional)</label>
        <input
          id={reasonId}
          name="reason"
          type="text"
          maxLength={500}
          aria-invalid={errors ? true : undefined}
          aria-describedby={errors ? errorId : undefined}
        />
        <ErrorList id={errorId} errors={errors} />
        <button type="submit" className="button button--danger">
          Withdraw record
        </button>
      </Form>
    </details>
  );
}

type LastResult = NonNullable<ReturnType<typeof useActionData<typeof action>>>["result"];

function LogRecordForm({
  practitionerId,
  lastResult,
  defaults,
}: {
  practitionerId: string;
  lastResult: LastResult | undefined;
  /** Filled in from a catalog course (`?course=`). */
  defaults: ReturnType<typeof recordDefaultsFromCourse>;
}) {
  const navigation = useNavigation();
  const hydrated = useHydrated();
  const [form, fields] = useForm({
    id: "log-record",
    lastResult,
    defaultValue: { kind: "dn-course", practitionerId, ...defaults },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: RecordFormSchema, disableAutoCoercion: true }),
  });
  const hours = fields.hours.getFieldset();
  const kind = RecordKindSchema.safeParse(fields.kind.value).data ?? "dn-course";
  const submitting =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "create";

  /** Before scripts run every group shows, with a hint; after, only the groups for the kind. */
  const group = (name: KindFieldGroup, legend: string, children: ReactNode) => {
    const applies = FIELD_GROUPS_BY_KIND[kind][name];
    const off = hydrated && !applies;
    return (
      <fieldset className="group" hidden={off} disabled={off}>
        <legend>{legend}</legend>
        {hydrated ? null : (
          <p className="hint">
            For{" "}
            {kindsWithGroup(name)
              .map((k) => RECORD_KIND_LABELS[k])
              .join(", ")}
            .
          </p>
        )}
        {children}
      </fieldset>
    );
  };

  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value="create" />
      <input {...getInputProps(fields.practitionerId, { type: "hidden" })} />
      <ErrorList id={form.errorId} errors={form.errors} />

      <Field
        label="Kind"
        htmlFor={fields.kind.id}
        errorId={fields.kind.errorId}
        errors={fields.kind.errors}
      >
        <select {...getSelectProps(fields.kind)}>
          {RECORD_KINDS.map((value) => (
            <option key={value} value={value}>
              {RECORD_KIND_LABELS[value]}
            </option>
          ))}
        </select>
      </Field>
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

      {group(
        "hours",
        "Hours",
        <>
          <p className="hint">
            Theory is live classroom time, practical is hands-on lab time, online is remote or
            self-paced.
          </p>
          <div className="hours-grid">
            <HoursInput field={hours.theory} label="Theory" />
            <HoursInput field={hours.practical} label="Practical" />
            <HoursInput field={hours.online} label="Online" />
          </div>
          <ErrorList id={fields.hours.errorId} errors={fields.hours.errors} />
        </>,
      )}

      {group(
        "topics",
        "Topics covered",
        <>
          <div className="checkbox-grid">
            {getCollectionProps(fields.topics, { type: "checkbox", options: TOPIC_CODES }).map(
              (props) => (
                <label key={props.key} className="checkbox">
                  <input {...props} />
                  <span>{TOPICS[props.value as keyof typeof TOPICS]}</span>
                </label>
              ),
            )}
          </div>
          <ErrorList id={fields.topics.errorId} errors={fields.topics.errors} />
        </>,
      )}

      {group(
        "count",
        "Supervised sessions",
        <Field
          label="Number of sessions"
          htmlFor={fields.count.id}
          errorId={fields.count.errorId}
          errors={fields.count.errors}
        >
          <input
            {...getInputProps(fields.count, { type: "number" })}
            min={1}
            step={1}
            inputMode="numeric"
          />
        </Field>,
      )}

      {group(
        "exam",
        "Exam",
        <div className="row">
          <Field
            label="Exam type"
            htmlFor={fields.examType.id}
            errorId={fields.examType.errorId}
            errors={fields.examType.errors}
          >
            <select {...getSelectProps(fields.examType)}>
              <option value="">Choose…</option>
              {EXAM_TYPES.map((value) => (
                <option key={value} value={value}>
                  {value.replaceAll("-", " ")}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Result"
            htmlFor={fields.passed.id}
            errorId={fields.passed.errorId}
            errors={fields.passed.errors}
          >
            <select {...getSelectProps(fields.passed)}>
              <option value="">Choose…</option>
              <option value="true">Passed</option>
              <option value="false">Not passed</option>
            </select>
          </Field>
        </div>,
      )}

      {group(
        "expiresOn",
        "CPR certification",
        <Field
          label="Expiry date"
          htmlFor={fields.expiresOn.id}
          errorId={fields.expiresOn.errorId}
          errors={fields.expiresOn.errors}
        >
          <input {...getInputProps(fields.expiresOn, { type: "date" })} />
        </Field>,
      )}

      {group(
        "jurisdiction",
        "Board notification",
        <Field
          label="Board notified"
          htmlFor={fields.jurisdiction.id}
          errorId={fields.jurisdiction.errorId}
          errors={fields.jurisdiction.errors}
        >
          <select {...getSelectProps(fields.jurisdiction)}>
            <option value="">Choose a state…</option>
            {JURISDICTION_CODES.map((code) => (
              <option key={code} value={code}>
                {JURISDICTIONS[code]}
              </option>
            ))}
          </select>
        </Field>,
      )}

      <Field
        label="Notes (optional)"
        htmlFor={fields.notes.id}
        errorId={fields.notes.errorId}
        errors={fields.notes.errors}
      >
        <textarea {...getTextareaProps(fields.notes)} rows={3} maxLength={2000} />
      </Field>

      <button type="submit" className="button button--primary" disabled={submitting}>
        {submitting ? "Saving…" : "Log record"}
      </button>
    </Form>
  );
}

function HoursInput({ field, label }: { field: FieldMetadata<number | undefined>; label: string }) {
  return (
    <Field label={label} htmlFor={field.id} errorId={field.errorId} errors={field.errors}>
      <input
        {...getInputProps(field, { type: "number" })}
        min={0}
        step={0.25}
        inputMode="decimal"
      />
    </Field>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
