import { ARTICLE_STATUSES, ArticleStatusSchema } from "@dn/schema";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { Pagination } from "~/components/pagination.tsx";
import contentStyles from "~/content.css?url";
import { canEdit, requireContentReader } from "~/utils/content.server.ts";
import { formatInstant } from "~/utils/format.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Articles · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireContentReader(request);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const query = url.searchParams.get("q")?.trim() || undefined;
  const tag = url.searchParams.get("tag")?.trim() || undefined;
  const status = ArticleStatusSchema.safeParse(url.searchParams.get("status")).data;
  const tagValid = tag === undefined || /^[a-z0-9]+(-[a-z0-9]+)*$/.test(tag);
  const articles = await api.content.articles.search.query({
    query,
    tag: tagValid ? tag : undefined,
    status,
    cursor: url.searchParams.get("cursor") || null,
    limit: 25,
  });
  return {
    articles,
    filters: { q: query ?? "", tag: tag ?? "", status: status ?? "" },
    tagError: tagValid ? null : "Tags are lower-case words joined by hyphens, e.g. aftercare.",
    canEdit: canEdit(me, "update:article"),
  };
}

export default function ArticlesPage() {
  const { articles, filters, tagError, canEdit } = useLoaderData<typeof loader>();
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <h1>Articles</h1>
        <p className="muted">The clinic's patient education library.</p>
      </div>
      <Form method="get" className="filters" role="search" aria-label="Search articles">
        <div className="field">
          <label htmlFor="q">Title contains</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} />
        </div>
        <div className="field">
          <label htmlFor="tag">Tag</label>
          <input
            id="tag"
            name="tag"
            type="text"
            defaultValue={filters.tag}
            aria-invalid={tagError ? true : undefined}
            aria-describedby={tagError ? "tag-error" : undefined}
          />
          {tagError ? (
            <p id="tag-error" className="error-list">
              {tagError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filters.status}>
            <option value="">Any</option>
            {ARTICLE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </div>
        <div className="filters__actions">
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </Form>
      {canEdit ? (
        <p>
          <Link to="/content/articles/new" className="button button--primary">
            New article
          </Link>
        </p>
      ) : null}
      {articles.items.length === 0 ? (
        <p className="empty">No articles match.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Articles</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Status</th>
                <th scope="col">Tags</th>
                <th scope="col">Changed</th>
              </tr>
            </thead>
            <tbody>
              {articles.items.map((article) => (
                <tr key={article.id}>
                  <th scope="row">
                    {canEdit ? (
                      <Link to={`/content/articles/${article.id}`}>{article.title}</Link>
                    ) : (
                      article.title
                    )}
                    <div className="record-meta">
                      /articles/{article.organizationId}/{article.slug}
                    </div>
                  </th>
                  <td>
                    {article.status}
                    {article.status === "published" ? (
                      <>
                        {" "}
                        ·{" "}
                        <a href={`/articles/${article.organizationId}/${article.slug}`}>
                          public page
                        </a>
                      </>
                    ) : null}
                  </td>
                  <td>{article.tags.join(", ")}</td>
                  <td className="nowrap">
                    {formatInstant(article.updatedAt)} (rev. {article.revision})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination nextCursor={articles.nextCursor} label="Article pages" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
