import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ArticleEditor } from "~/components/article-editor.tsx";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import contentStyles from "~/content.css?url";
import {
  type ArticleFormErrors,
  type ArticleFormValues,
  readArticleForm,
  readBody,
  valuesFromFormData,
} from "~/utils/article-form.ts";
import { readForm, TEXT_FORM_LIMIT } from "~/utils/body-limit.server.ts";
import { formErrorsFromApi, requireContentEditor } from "~/utils/content.server.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "New article · dn admin" }];

const EMPTY: ArticleFormValues = {
  slug: "",
  title: "",
  summary: "",
  authorId: "",
  tags: "",
  body: "## A heading\n\nA first paragraph.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireContentEditor(request, "create:article");
  const api = await requireApi(request);
  const [authors, videos, references] = await Promise.all([
    api.content.authors.list.query(),
    api.content.videos.list.query(),
    api.content.literature.list.query(),
  ]);
  return { authors, videos, references };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "create:article");
  const api = await requireApi(request);
  const formData = await readForm(request, TEXT_FORM_LIMIT);
  const values = valuesFromFormData(formData);
  if (formData.get("intent") === "preview") {
    return data({ values, errors: null as ArticleFormErrors | null });
  }
  const read = readArticleForm(values);
  if (!read.success) return data({ values, errors: read.errors }, { status: 400 });
  try {
    const article = await api.content.articles.create.mutate(read.content);
    throw redirect(`/content/articles/${article.id}?done=created`);
  } catch (error) {
    if (error instanceof Response) throw error;
    const blocks = readBody(values.body).blocks ?? [];
    return data({ values, errors: formErrorsFromApi(error, blocks) }, { status: 400 });
  }
}

export default function NewArticlePage() {
  const { authors, videos, references } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <p className="breadcrumb">
          <Link to="/content">Articles</Link>
        </p>
        <h1>New article</h1>
      </div>
      <ArticleEditor
        id="article-editor"
        values={actionData?.values ?? EMPTY}
        errors={actionData?.errors ?? null}
        revision={null}
        publishedOn={null}
        authors={authors}
        videos={videos}
        references={references}
        submitLabel="Create draft"
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
