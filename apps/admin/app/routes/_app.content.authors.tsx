import { maskEmail } from "@dn/content";
import { CreateAuthorInputSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import contentStyles from "~/content.css?url";
import { readForm } from "~/utils/body-limit.server.ts";
import {
  canEdit,
  fieldErrorsFromApi,
  requireContentEditor,
  requireContentReader,
} from "~/utils/content.server.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Authors · dn admin" }];

const FIELDS = ["name", "credentials", "bio", "contactEmail"] as const;
type Values = Record<(typeof FIELDS)[number], string>;

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireContentReader(request);
  const api = await requireApi(request);
  return {
    authors: await api.content.authors.list.query(),
    canEdit: canEdit(me, "update:author"),
    added: new URL(request.url).searchParams.has("added"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "update:author");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const values = Object.fromEntries(
    FIELDS.map((field) => [field, String(formData.get(field) ?? "")]),
  ) as Values;
  const parsed = CreateAuthorInputSchema.safeParse({
    name: values.name,
    credentials: values.credentials
      .split(",")
      .map((credential) => credential.trim())
      .filter(Boolean),
    bio: values.bio.trim() || null,
    contactEmail: values.contactEmail.trim() || null,
  });
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return data({ values, errors }, { status: 400 });
  }
  try {
    await api.content.authors.create.mutate(parsed.data);
  } catch (error) {
    const { fields, form } = fieldErrorsFromApi(error);
    return data({ values, errors: { ...fields, form } }, { status: 400 });
  }
  throw redirect("/content/authors?added=1");
}

export default function AuthorsPage() {
  const { authors, canEdit, added } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[]> = actionData?.errors ?? {};
  const field = (name: (typeof FIELDS)[number], label: string, hint?: string) => (
    <Field
      label={label}
      htmlFor={`author-${name}`}
      hint={hint}
      errorId={`author-${name}-error`}
      errors={errors[name]}
    >
      {name === "bio" ? (
        <textarea
          id={`author-${name}`}
          name={name}
          rows={3}
          defaultValue={actionData?.values[name] ?? ""}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={errors[name] ? `author-${name}-error` : undefined}
        />
      ) : (
        <input
          id={`author-${name}`}
          name={name}
          type={name === "contactEmail" ? "email" : "text"}
          defaultValue={actionData?.values[name] ?? ""}
          aria-invalid={errors[name] ? true : undefined}
          aria-describedby={errors[name] ? `author-${name}-error` : undefined}
        />
      )}
    </Field>
  );
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <h1>Authors</h1>
        <p className="muted">
          Who writes the articles. Public pages show the contact masked, never in full.
        </p>
      </div>
      {added ? (
        <p className="notice" role="status">
          Author added.
        </p>
      ) : null}
      <div className="split">
        <section className="split__main" aria-labelledby="authors-heading">
          <h2 id="authors-heading">Authors ({authors.length})</h2>
          <ul className="queue">
            {authors.map((author) => (
              <li key={author.id} className="moderation-card">
                <strong>{author.name}</strong>
                {author.credentials.length > 0 ? `, ${author.credentials.join(", ")}` : ""}
                {author.bio ? <p>{author.bio}</p> : null}
                {author.contactEmail ? (
                  <p className="muted">
                    Contact {author.contactEmail} (shown publicly as{" "}
                    {maskEmail(author.contactEmail)})
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
        {canEdit ? (
          <section className="split__side card" aria-labelledby="author-form-heading">
            <h2 id="author-form-heading">Add an author</h2>
            <Form method="post" className="stack" noValidate>
              <ErrorList errors={errors.form} />
              {field("name", "Name")}
              {field("credentials", "Credentials (optional)", "Comma-separated, e.g. PT, DPT")}
              {field("bio", "Short bio (optional)")}
              {field("contactEmail", "Contact email (optional)")}
              <button type="submit" className="button button--primary">
                Add author
              </button>
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
