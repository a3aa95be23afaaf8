/**
 * A published article's public page, /articles/:organizationId/:slug (slugs are unique per
 * organization: docs/decisions/040-content-library.md): no sign-in. Readers may leave a comment; it is held for
 * moderation. The form has a honeypot field people never see (bots fill it in).
 */
import { SubmitCommentInputSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ArticleView, formatLongDate } from "~/components/article-view.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import contentStyles from "~/content.css?url";
import { apiErrorCode, apiFieldErrors, createPublicApi, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: data.view.article.title },
        { name: "description", content: data.view.article.summary },
      ]
    : [{ title: "Article not found" }];

function notFoundIfMissing(error: unknown): never {
  if (apiErrorCode(error) === "NOT_FOUND") {
    throw new Response("There is no published article at this address.", {
      status: 404,
      statusText: "Not Found",
    });
  }
  throw error;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const api = createPublicApi(clientAddressOf(request, context));
  const view = await api.content.articles.public
    .query({ organizationId: params.organizationId ?? "", slug: params.slug ?? "" })
    .catch(notFoundIfMissing);
  const sent = new URL(request.url).searchParams.get("comment") === "sent";
  return { view, sent, address: `/articles/${params.organizationId}/${params.slug}` };
}

type CommentErrors = Partial<Record<"displayName" | "body" | "form", string[]>>;

export async function action({ request, params, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const input = {
    organizationId: params.organizationId ?? "",
    articleSlug: params.slug ?? "",
    displayName: String(formData.get("displayName") ?? ""),
    body: String(formData.get("body") ?? ""),
    website: String(formData.get("website") ?? ""),
  };
  const parsed = SubmitCommentInputSchema.safeParse(input);
  if (!parsed.success) {
    const errors: CommentErrors = {};
    for (const issue of parsed.error.issues) {
      const field =
        issue.path[0] === "displayName" || issue.path[0] === "body" ? issue.path[0] : "form";
      errors[field] = [...(errors[field] ?? []), issue.message];
    }
    return data({ errors, values: input }, { status: 400 });
  }
  try {
    await createPublicApi(clientAddressOf(request, context)).content.comments.submit.mutate(
      parsed.data,
    );
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND") notFoundIfMissing(error);
    if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "TOO_MANY_REQUESTS")) throw error;
    const fields = apiFieldErrors(error);
    const errors: CommentErrors = {
      displayName: fields.displayName,
      body: fields.body,
      form: fields.displayName || fields.body ? undefined : [error.message],
    };
    return data({ errors, values: input }, { status: code === "TOO_MANY_REQUESTS" ? 429 : 400 });
  }
  throw redirect(`/articles/${params.organizationId}/${params.slug}?comment=sent#comments`);
}

export default function PublicArticlePage() {
  const { view, sent, address } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: CommentErrors = actionData?.errors ?? {};
  const { article } = view;
  return (
    <>
      <header className="public-header">
        <Link to={address} className="brand">
          <span className="brand__mark" aria-hidden="true">
            dn
          </span>
          <span className="brand__org">Patient education</span>
        </Link>
      </header>
      <main id="main" className="public-page">
        <ArticleView
          title={article.title}
          summary={article.summary}
          blocks={article.blocks}
          author={view.author}
          publishedOn={article.publishedOn}
          tags={article.tags}
          videos={view.videos}
          references={view.references}
        />
        <section id="comments" className="comments" aria-labelledby="comments-heading">
          <h2 id="comments-heading">Comments</h2>
          {view.comments.length === 0 ? (
            <p className="muted">No comments yet.</p>
          ) : (
            <ol className="comment-list">
              {view.comments.map((comment) => (
                <li key={comment.id}>
                  <strong>{comment.displayName}</strong>{" "}
                  <time className="muted" dateTime={comment.postedAt}>
                    {formatLongDate(comment.postedAt.slice(0, 10))}
                  </time>
                  <p>{comment.body}</p>
                </li>
              ))}
            </ol>
          )}
          {sent ? (
            <p className="notice" role="status">
              Thank you. Your comment will appear once a moderator has read it.
            </p>
          ) : null}
          <h3>Leave a comment</h3>
          <p className="hint">
            Comments are read by the clinic before they appear. If you had a reaction after a
            session, please also call the clinic: a comment is not a substitute for care.
          </p>
          <Form method="post" className="stack card" noValidate>
            <ErrorList id="comment-form-error" errors={errors.form} />
            <Field
              label="Your name as it should appear"
              htmlFor="displayName"
              errorId="displayName-error"
              errors={errors.displayName}
            >
              <input
                id="displayName"
                name="displayName"
                type="text"
                maxLength={80}
                autoComplete="nickname"
                defaultValue={actionData?.values.displayName ?? ""}
                aria-invalid={errors.displayName ? true : undefined}
                aria-describedby={errors.displayName ? "displayName-error" : undefined}
              />
            </Field>
            <Field label="Comment" htmlFor="body" errorId="body-error" errors={errors.body}>
              <textarea
                id="body"
                name="body"
                rows={5}
                maxLength={4000}
                defaultValue={actionData?.values.body ?? ""}
                aria-invalid={errors.body ? true : undefined}
                aria-describedby={errors.body ? "body-error" : undefined}
              />
            </Field>
            <div className="honeypot" aria-hidden="true">
              <label htmlFor="website">Leave this field empty</label>
              <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" />
            </div>
            <button
              type="submit"
              className="button button--primary"
              disabled={navigation.state === "submitting"}
            >
              Send comment
            </button>
          </Form>
        </section>
      </main>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
