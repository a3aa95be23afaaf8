import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { Field } from "~/components/forms.tsx";
import contentStyles from "~/content.css?url";
import { readForm, TEXT_FORM_LIMIT } from "~/utils/body-limit.server.ts";
import { fieldErrorsFromApi, requireContentEditor } from "~/utils/content.server.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Import Markdown · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireContentEditor(request, "create:article");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "create:article");
  const api = await requireApi(request);
  const markdown = String((await readForm(request, TEXT_FORM_LIMIT)).get("markdown") ?? "");
  if (markdown.trim() === "") {
    return data({ markdown, errors: ["Paste an article exported as Markdown."] }, { status: 400 });
  }
  try {
    const article = await api.content.articles.importMarkdown.mutate({ markdown });
    throw redirect(`/content/articles/${article.id}?done=saved`);
  } catch (error) {
    if (error instanceof Response) throw error;
    const { fields, form } = fieldErrorsFromApi(error);
    const errors = Object.entries(fields).flatMap(([path, messages]) =>
      messages.map((message) => `${path.replace(/^markdown\.?/, "") || "file"}: ${message}`),
    );
    return data({ markdown, errors: errors.length > 0 ? errors : form }, { status: 400 });
  }
}

export default function ImportPage() {
  const actionData = useActionData<typeof action>();
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <h1>Import an article from Markdown</h1>
        <p className="muted">
          Paste a file exported with “Export Markdown”. An article with the same slug is updated (as
          a new revision); otherwise a draft is created.
        </p>
      </div>
      <Form method="post" className="stack card">
        <Field
          label="Markdown file"
          htmlFor="markdown"
          errorId="markdown-error"
          errors={actionData?.errors}
        >
          <textarea
            id="markdown"
            name="markdown"
            rows={20}
            className="editor__body"
            defaultValue={actionData?.markdown ?? ""}
            aria-invalid={actionData?.errors ? true : undefined}
            aria-describedby={actionData?.errors ? "markdown-error" : undefined}
          />
        </Field>
        <button type="submit" className="button button--primary">
          Import
        </button>
      </Form>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
