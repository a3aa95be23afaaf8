import { APPROVAL_BODY_LABELS, COURSE_EXAMS, TOPIC_CODES, TOPICS, totalHours } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import contentStyles from "~/content.css?url";
import { readForm } from "~/utils/body-limit.server.ts";
import { canEdit, fieldErrorsFromApi, requireContentEditor } from "~/utils/content.server.ts";
import {
  type CourseFormValues,
  courseFormValues,
  courseValuesFromFormData,
  readCourseForm,
} from "~/utils/course-form.ts";
import { formatHours } from "~/utils/format.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Course catalog · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const courses = await api.content.courses.list.query({ includeArchived: false });
  const editing = courses.find((course) => course.id === url.searchParams.get("edit")) ?? null;
  return {
    courses,
    editing,
    canEdit: canEdit(me, "update:course"),
    done: url.searchParams.get("done"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "update:course");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "create");
  const id = String(formData.get("id") ?? "");
  if (intent === "archive") {
    await api.content.courses.archive.mutate({ id });
    throw redirect("/content/courses?done=archive");
  }
  const values = courseValuesFromFormData(formData);
  const read = readCourseForm(values);
  if (!read.success) return data({ values, errors: read.errors }, { status: 400 });
  try {
    if (intent === "update") await api.content.courses.update.mutate({ ...read.input, id });
    else await api.content.courses.create.mutate(read.input);
  } catch (error) {
    const { fields, form } = fieldErrorsFromApi(error);
    return data({ values, errors: { ...fields, form } }, { status: 400 });
  }
  throw redirect(`/content/courses?done=${intent}`);
}

const DONE: Record<string, string> = {
  create: "Course added to the catalog.",
  update: "Course saved.",
  archive: "Course taken out of the catalog. Records logged from it are unchanged.",
};

export default function CoursesPage() {
  const { courses, editing, canEdit, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ?? courseFormValues(editing);
  const errors: Record<string, string[]> = actionData?.errors ?? {};
  return (
    <>
      {canEdit ? <ContentNav /> : null}
      <div className="page-header">
        <h1>Course catalog</h1>
        <p className="muted">
          Courses practitioners log their training against: choosing one fills in the provider,
          hours and topics.
        </p>
      </div>
      {done && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      <div className="split">
        <section aria-labelledby="catalog-heading" className="split__main">
          <h2 id="catalog-heading">Courses ({courses.length})</h2>
          {courses.length === 0 ? <p className="empty">The catalog is empty.</p> : null}
          <ol className="queue">
            {courses.map((course) => (
              <li key={course.id} className="moderation-card">
                <h3>
                  {course.title}
                  {course.level ? <span className="tag">{course.level}</span> : null}
                </h3>
                <dl className="facts facts--compact">
                  <div>
                    <dt>Provider</dt>
                    <dd>{course.provider}</dd>
                  </div>
                  <div>
                    <dt>Hours</dt>
                    <dd>
                      {formatHours(course.hours)} ({totalHours(course.hours)} in all)
                    </dd>
                  </div>
                  <div>
                    <dt>Exams</dt>
                    <dd>{course.exams.length > 0 ? course.exams.join(" and ") : "none"}</dd>
                  </div>
                  <div className="facts__wide">
                    <dt>Topics</dt>
                    <dd>{course.topics.map((topic) => TOPICS[topic]).join("; ")}</dd>
                  </div>
                  <div className="facts__wide">
                    <dt>Approvals</dt>
                    <dd>
                      {course.approvals.length === 0
                        ? "none recorded"
                        : course.approvals
                            .map(
                              (a) =>
                                `${APPROVAL_BODY_LABELS[a.body]}: ${a.name}, ${a.approvedOn}${a.expiresOn ? ` to ${a.expiresOn}` : ""}${a.reference ? ` (${a.reference})` : ""}`,
                            )
                            .join("; ")}
                    </dd>
                  </div>
                </dl>
                {canEdit ? (
                  <div className="button-row">
                    <Link to={`?edit=${course.id}#course-form`} className="button button--quiet">
                      Edit<span className="visually-hidden"> {course.title}</span>
                    </Link>
                    <Form method="post">
                      <input type="hidden" name="intent" value="archive" />
                      <input type="hidden" name="id" value={course.id} />
                      <button type="submit" className="button button--quiet">
                        Archive<span className="visually-hidden"> {course.title}</span>
                      </button>
                    </Form>
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
        {canEdit ? (
          <section
            className="split__side card"
            id="course-form"
            aria-labelledby="course-form-heading"
          >
            <h2 id="course-form-heading">{editing ? "Edit course" : "Add a course"}</h2>
            <CourseForm values={values} errors={errors} editingId={editing?.id ?? null} />
          </section>
        ) : null}
      </div>
    </>
  );
}

function CourseForm({
  values,
  errors,
  editingId,
}: {
  values: CourseFormValues;
  errors: Record<string, string[]>;
  editingId: string | null;
}) {
  const text = (name: keyof CourseFormValues, label: string, hint?: string) => (
    <Field
      label={label}
      htmlFor={`course-${name}`}
      hint={hint}
      errorId={`course-${name}-error`}
      errors={errors[name]}
    >
      <input
        id={`course-${name}`}
        name={name}
        type="text"
        defaultValue={values[name] as string}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `course-${name}-error` : undefined}
      />
    </Field>
  );
  return (
    <Form method="post" className="stack" noValidate>
      <input type="hidden" name="intent" value={editingId ? "update" : "create"} />
      {editingId ? <input type="hidden" name="id" value={editingId} /> : null}
      <ErrorList errors={errors.form} />
      {text("provider", "Provider")}
      {text("title", "Title")}
      {text("level", "Level (optional)")}
      <fieldset className="group">
        <legend>Hours</legend>
        <div className="hours-grid">
          {text("theory", "Theory")}
          {text("practical", "Practical")}
          {text("online", "Online")}
        </div>
        <ErrorList errors={errors.hours} />
      </fieldset>
      <fieldset className="group">
        <legend>Exams included</legend>
        {COURSE_EXAMS.map((exam) => (
          <label key={exam} className="checkbox">
            <input
              type="checkbox"
              name="exams"
              value={exam}
              defaultChecked={values.exams.includes(exam)}
            />
            <span>{exam}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="group">
        <legend>Topics covered</legend>
        <div className="checkbox-grid">
          {TOPIC_CODES.map((topic) => (
            <label key={topic} className="checkbox">
              <input
                type="checkbox"
                name="topics"
                value={topic}
                defaultChecked={values.topics.includes(topic)}
              />
              <span>{TOPICS[topic]}</span>
            </label>
          ))}
        </div>
        <ErrorList errors={errors.topics} />
      </fieldset>
      <Field
        label="Approvals, one per line"
        htmlFor="course-approvals"
        hint="body | name | state | approved on | expires on | reference; body is fsbpt, apta-chapter, state-board or other"
        errorId="course-approvals-error"
        errors={errors.approvals}
      >
        <textarea id="course-approvals" name="approvals" rows={3} defaultValue={values.approvals} />
      </Field>
      {text("url", "Web address (optional)")}
      <Field
        label="Description (optional)"
        htmlFor="course-description"
        errorId="course-description-error"
        errors={errors.description}
      >
        <textarea
          id="course-description"
          name="description"
          rows={3}
          defaultValue={values.description}
        />
      </Field>
      <button type="submit" className="button button--primary">
        {editingId ? "Save course" : "Add course"}
      </button>
    </Form>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
