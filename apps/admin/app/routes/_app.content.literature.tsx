import { EXCERPT_KINDS } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ReferenceFigure } from "~/components/article-view.tsx";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import contentStyles from "~/content.css?url";
import { readForm, TEXT_FORM_LIMIT } from "~/utils/body-limit.server.ts";
import {
  canEdit,
  fieldErrorsFromApi,
  requireContentEditor,
  requireContentReader,
} from "~/utils/content.server.ts";
import {
  type LiteratureFormValues,
  literatureFormValues,
  readLiteratureForm,
} from "~/utils/literature-form.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Literature · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireContentReader(request);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const [references, standards] = await Promise.all([
    api.content.literature.list.query(),
    api.standards.list.query({}),
  ]);
  const withEvidence = await Promise.all(
    references.map((reference) => api.content.literature.byId.query({ id: reference.id })),
  );
  const editId = url.searchParams.get("edit");
  const editing = references.find((reference) => reference.id === editId) ?? null;
  return {
    items: withEvidence,
    standards: standards.map((standard) => ({ id: standard.id, title: standard.title })),
    editing,
    canEdit: canEdit(me, "update:literature-reference"),
    done: url.searchParams.get("done"),
  };
}

const FIELDS = [
  "excerpt",
  "excerptKind",
  "workTitle",
  "subtitle",
  "edition",
  "authors",
  "etAl",
  "publisher",
  "year",
  "pages",
  "url",
  "citedStudies",
  "tags",
] as const;

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "update:literature-reference");
  const api = await requireApi(request);
  const formData = await readForm(request, TEXT_FORM_LIMIT);
  const intent = String(formData.get("intent") ?? "create");
  if (intent === "link" || intent === "unlink") {
    const referenceId = String(formData.get("referenceId") ?? "");
    const standardId = String(formData.get("standardId") ?? "");
    try {
      if (intent === "link") {
        await api.content.literature.linkStandard.mutate({
          referenceId,
          standardId,
          note: String(formData.get("note") ?? "").trim() || null,
        });
      } else {
        await api.content.literature.unlinkStandard.mutate({ referenceId, standardId });
      }
    } catch (error) {
      const { fields, form } = fieldErrorsFromApi(error);
      return data(
        {
          intent,
          referenceId,
          values: null,
          errors: { form: [...Object.values(fields).flat(), ...form] },
        },
        { status: 400 },
      );
    }
    throw redirect(`/content/literature?done=${intent}#reference-${referenceId}`);
  }
  const values = Object.fromEntries(
    FIELDS.map((field) => [field, String(formData.get(field) ?? "")]),
  ) as LiteratureFormValues;
  const read = readLiteratureForm(values);
  const id = String(formData.get("id") ?? "");
  if (!read.success) {
    return data({ intent, referenceId: id, values, errors: read.errors }, { status: 400 });
  }
  try {
    if (intent === "update") await api.content.literature.update.mutate({ ...read.input, id });
    else await api.content.literature.create.mutate(read.input);
  } catch (error) {
    const { fields, form } = fieldErrorsFromApi(error);
    return data({ intent, referenceId: id, values, errors: { ...fields, form } }, { status: 400 });
  }
  throw redirect(`/content/literature?done=${intent}`);
}

const DONE: Record<string, string> = {
  create: "Reference added to the library.",
  update: "Reference saved.",
  link: "Reference attached to the standard as evidence.",
  unlink: "Reference detached from the standard.",
};

export default function LiteraturePage() {
  const { items, standards, editing, canEdit, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const formValues = actionData?.values ?? literatureFormValues(editing);
  const formErrors = actionData?.values ? (actionData.errors as Record<string, string[]>) : {};
  const standardTitle = new Map(standards.map((s) => [s.id, s.title]));
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <h1>Literature</h1>
        <p className="muted">
          References articles cite, with the excerpt each is cited for. Attach a reference to a
          standard to record it as part of that standard's evidence base.
        </p>
      </div>
      {done && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      <div className="split">
        <section aria-labelledby="references-heading" className="split__main">
          <h2 id="references-heading">References ({items.length})</h2>
          <ol className="queue">
            {items.map(({ reference, evidence }) => (
              <li key={reference.id} id={`reference-${reference.id}`}>
                <ReferenceFigure reference={reference} />
                <p className="muted">
                  Evidence for:{" "}
                  {evidence.length === 0
                    ? "no standard yet"
                    : evidence
                        .map((link) => standardTitle.get(link.standardId) ?? link.standardId)
                        .join("; ")}
                  {canEdit ? (
                    <>
                      {" "}
                      · <Link to={`?edit=${reference.id}#reference-form`}>Edit</Link>
                    </>
                  ) : null}
                </p>
                {actionData && !actionData.values && actionData.referenceId === reference.id ? (
                  <ErrorList errors={actionData.errors.form} />
                ) : null}
                {canEdit ? (
                  <div className="row">
                    <Form method="post" className="row">
                      <input type="hidden" name="intent" value="link" />
                      <input type="hidden" name="referenceId" value={reference.id} />
                      <label htmlFor={`standard-${reference.id}`} className="visually-hidden">
                        Standard for {reference.workTitle}
                      </label>
                      <select id={`standard-${reference.id}`} name="standardId">
                        {standards.map((standard) => (
                          <option key={standard.id} value={standard.id}>
                            {standard.title}
                          </option>
                        ))}
                      </select>
                      <button type="submit" className="button">
                        Attach as evidence
                      </button>
                    </Form>
                    {evidence.map((link) => (
                      <Form method="post" key={link.standardId}>
                        <input type="hidden" name="intent" value="unlink" />
                        <input type="hidden" name="referenceId" value={reference.id} />
                        <input type="hidden" name="standardId" value={link.standardId} />
                        <button type="submit" className="button button--quiet">
                          Detach from {standardTitle.get(link.standardId) ?? link.standardId}
                        </button>
                      </Form>
                    ))}
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
        {canEdit ? (
          <section
            aria-labelledby="reference-form-heading"
            className="split__side card"
            id="reference-form"
          >
            <h2 id="reference-form-heading">{editing ? "Edit reference" : "Add a reference"}</h2>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value={editing ? "update" : "create"} />
              {editing ? <input type="hidden" name="id" value={editing.id} /> : null}
              <ErrorList errors={formErrors.form} />
              <TextField
                name="workTitle"
                label="Work title"
                values={formValues}
                errors={formErrors}
              />
              <TextField
                name="subtitle"
                label="Subtitle (optional)"
                values={formValues}
                errors={formErrors}
              />
              <TextField
                name="edition"
                label="Edition (optional), e.g. 2nd ed."
                values={formValues}
                errors={formErrors}
              />
              <TextField
                name="authors"
                label="Authors, one per line: Family, Given names"
                values={formValues}
                errors={formErrors}
                multiline
              />
              <label className="checkbox">
                <input type="checkbox" name="etAl" defaultChecked={formValues.etAl === "on"} />
                <span>More authors follow (et al.)</span>
              </label>
              <TextField
                name="publisher"
                label="Publisher"
                values={formValues}
                errors={formErrors}
              />
              <TextField
                name="year"
                label="Year"
                values={formValues}
                errors={formErrors}
                inputMode="numeric"
              />
              <TextField
                name="pages"
                label="Pages (optional)"
                values={formValues}
                errors={formErrors}
              />
              <TextField
                name="url"
                label="Web address (optional)"
                values={formValues}
                errors={formErrors}
              />
              <TextField
                name="excerpt"
                label="Excerpt"
                values={formValues}
                errors={formErrors}
                multiline
              />
              <Field
                label="The excerpt is a"
                htmlFor="excerptKind"
                errorId="excerptKind-error"
                errors={formErrors.excerptKind}
              >
                <select id="excerptKind" name="excerptKind" defaultValue={formValues.excerptKind}>
                  {EXCERPT_KINDS.map((kind) => (
                    <option key={kind} value={kind}>
                      {kind}
                    </option>
                  ))}
                </select>
              </Field>
              <TextField
                name="citedStudies"
                label="Studies it cites, one per line: Authors; year; note"
                values={formValues}
                errors={formErrors}
                multiline
              />
              <TextField
                name="tags"
                label="Tags (comma-separated)"
                values={formValues}
                errors={formErrors}
              />
              <button type="submit" className="button button--primary">
                {editing ? "Save reference" : "Add reference"}
              </button>
              {editing ? <Link to="/content/literature">Cancel</Link> : null}
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}

function TextField({
  name,
  label,
  values,
  errors,
  multiline,
  inputMode,
}: {
  name: keyof LiteratureFormValues;
  label: string;
  values: LiteratureFormValues;
  errors: Record<string, string[]>;
  multiline?: boolean;
  inputMode?: "numeric";
}) {
  const fieldErrors = errors[name];
  const common = {
    id: `reference-${name}`,
    name,
    defaultValue: values[name],
    "aria-invalid": fieldErrors ? true : undefined,
    "aria-describedby": fieldErrors ? `reference-${name}-error` : undefined,
  };
  return (
    <Field
      label={label}
      htmlFor={common.id}
      errorId={`reference-${name}-error`}
      errors={fieldErrors}
    >
      {multiline ? (
        <textarea rows={3} {...common} />
      ) : (
        <input type="text" inputMode={inputMode} {...common} />
      )}
    </Field>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
