import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ArticleEditor } from "~/components/article-editor.tsx";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList } from "~/components/forms.tsx";
import contentStyles from "~/content.css?url";
import type { ApiOutputs } from "~/utils/api.server.ts";
import {
  type ArticleFormErrors,
  type ArticleFormValues,
  articleFormValues,
  moveOrder,
  readArticleForm,
  readBody,
  valuesFromFormData,
} from "~/utils/article-form.ts";
import { readForm, TEXT_FORM_LIMIT } from "~/utils/body-limit.server.ts";
import { formErrorsFromApi, requireContentEditor } from "~/utils/content.server.ts";
import { formatInstant } from "~/utils/format.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.article.title ?? "Article"} · dn admin` },
];

const NOTICES: Record<string, string> = {
  saved: "Saved as a new revision.",
  created: "Article created as a draft.",
  published: "Published. The public page is live.",
  archived: "Archived. The public page is no longer shown.",
  moved: "Block moved.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireContentEditor(request);
  const api = await requireApi(request);
  const id = params.id ?? "";
  const [article, authors, videos, references, revisions] = await Promise.all([
    api.content.articles.byId.query({ id }),
    api.content.authors.list.query(),
    api.content.videos.list.query(),
    api.content.literature.list.query(),
    api.content.articles.revisions.query({ id }),
  ]);
  const done = new URL(request.url).searchParams.get("done");
  return {
    article,
    authors,
    videos,
    references,
    revisions: revisions.slice(0, 10).map((r) => ({
      revision: r.revision,
      action: r.action,
      recordedAt: r.recordedAt,
    })),
    notice: done ? (NOTICES[done] ?? null) : null,
  };
}

type ActionResult = {
  intent: string;
  values: ArticleFormValues | null;
  errors: ArticleFormErrors | null;
};

export async function action({ request, params }: ActionFunctionArgs) {
  await requireContentEditor(request);
  const api = await requireApi(request);
  const id = params.id ?? "";
  const formData = await readForm(request, TEXT_FORM_LIMIT);
  const intent = String(formData.get("intent") ?? "save");
  const expectedRevision = Number(formData.get("expectedRevision")) || null;

  if (intent === "publish" || intent === "archive") {
    try {
      if (intent === "publish") await api.content.articles.publish.mutate({ id });
      else await api.content.articles.archive.mutate({ id });
    } catch (error) {
      return data<ActionResult>(
        { intent, values: null, errors: formErrorsFromApi(error) },
        { status: 400 },
      );
    }
    throw redirect(
      `/content/articles/${id}?done=${intent === "publish" ? "published" : "archived"}`,
    );
  }

  if (intent === "move") {
    const from = Number(formData.get("from"));
    const direction = formData.get("direction") === "up" ? "up" : "down";
    const count = Number(formData.get("count"));
    const order = moveOrder(count, from, direction);
    if (!order) {
      return data<ActionResult>(
        { intent, values: null, errors: { form: ["That block cannot move further."] } },
        { status: 400 },
      );
    }
    try {
      await api.content.articles.reorderBlocks.mutate({ id, order, expectedRevision });
    } catch (error) {
      return data<ActionResult>(
        { intent, values: null, errors: formErrorsFromApi(error) },
        { status: 400 },
      );
    }
    throw redirect(`/content/articles/${id}?done=moved`);
  }

  const values = valuesFromFormData(formData);
  if (intent === "preview") return data<ActionResult>({ intent, values, errors: null });
  const read = readArticleForm(values);
  if (!read.success) {
    return data<ActionResult>({ intent, values, errors: read.errors }, { status: 400 });
  }
  try {
    await api.content.articles.update.mutate({ ...read.content, id, expectedRevision });
  } catch (error) {
    const blocks = readBody(values.body).blocks ?? [];
    return data<ActionResult>(
      { intent, values, errors: formErrorsFromApi(error, blocks) },
      { status: 400 },
    );
  }
  throw redirect(`/content/articles/${id}?done=saved`);
}

export default function EditArticlePage() {
  const { article, authors, videos, references, revisions, notice } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const values = actionData?.values ?? articleFormValues(article);
  const formErrors =
    actionData && actionData.values === null ? (actionData.errors?.form ?? null) : null;
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <p className="breadcrumb">
          <Link to="/content">Articles</Link>
        </p>
        <h1>Edit “{article.title}”</h1>
        <p className="muted">
          <StatusLine article={article} />
        </p>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorList id="article-actions-error" errors={formErrors} />

      <div className="button-row section">
        {article.status !== "published" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="publish" />
            <button type="submit" className="button button--primary">
              Publish
            </button>
          </Form>
        ) : (
          <a className="button" href={`/articles/${article.organizationId}/${article.slug}`}>
            View public page
          </a>
        )}
        {article.status !== "archived" ? (
          <Form method="post">
            <input type="hidden" name="intent" value="archive" />
            <button type="submit" className="button button--danger">
              Archive
            </button>
          </Form>
        ) : null}
        <a className="button button--quiet" href={`/content/articles/${article.id}/markdown`}>
          Export Markdown
        </a>
      </div>

      <ArticleEditor
        id="article-editor"
        values={values}
        errors={actionData?.values ? actionData.errors : null}
        revision={article.revision}
        publishedOn={article.publishedOn}
        authors={authors}
        videos={videos}
        references={references}
        submitLabel="Save"
      />

      <div className="split section">
        <section aria-labelledby="outline-heading" className="card">
          <h2 id="outline-heading">Block order</h2>
          <p className="hint">Move a block up or down; each move is kept as a revision.</p>
          <ol className="outline">
            {article.blocks.map((block, index) => (
              <li key={index}>
                <span className="outline__text">
                  <strong>{block.type}</strong> {blockLabel(block)}
                </span>
                <span className="row-actions">
                  <MoveButton
                    index={index}
                    count={article.blocks.length}
                    revision={article.revision}
                    direction="up"
                  />
                  <MoveButton
                    index={index}
                    count={article.blocks.length}
                    revision={article.revision}
                    direction="down"
                  />
                </span>
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="revisions-heading" className="card">
          <h2 id="revisions-heading">Revisions</h2>
          <ol className="outline" reversed>
            {revisions.map((revision) => (
              <li key={revision.revision}>
                <span>
                  {revision.revision}. {revision.action}
                </span>
                <span className="muted">{formatInstant(revision.recordedAt)}</span>
              </li>
            ))}
          </ol>
        </section>
      </div>
    </>
  );
}

type Article = ApiOutputs["content"]["articles"]["byId"];

function StatusLine({ article }: { article: Article }) {
  const status =
    article.status === "published"
      ? `Published ${article.publishedOn ?? ""}`
      : article.status === "archived"
        ? "Archived"
        : "Draft";
  return (
    <>
      {status} · revision {article.revision} · /articles/{article.organizationId}/{article.slug}
    </>
  );
}

function blockLabel(block: Article["blocks"][number]): string {
  switch (block.type) {
    case "heading":
    case "paragraph":
    case "quote":
      return block.text.slice(0, 80);
    case "list":
      return block.items[0] ?? "";
    case "callout":
      return block.title;
    case "video":
    case "literature":
      return "";
  }
}

function MoveButton({
  index,
  count,
  revision,
  direction,
}: {
  index: number;
  count: number;
  revision: number;
  direction: "up" | "down";
}) {
  const disabled = direction === "up" ? index === 0 : index === count - 1;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="move" />
      <input type="hidden" name="from" value={index} />
      <input type="hidden" name="count" value={count} />
      <input type="hidden" name="direction" value={direction} />
      <input type="hidden" name="expectedRevision" value={revision} />
      <button type="submit" className="button button--quiet" disabled={disabled}>
        {direction === "up" ? "↑" : "↓"}
        <span className="visually-hidden">
          {" "}
          Move block {index + 1} {direction}
        </span>
      </button>
    </Form>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
