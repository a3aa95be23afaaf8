/** The article as a Markdown file (front matter and blocks), for editing outside the app. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireContentEditor } from "~/utils/content.server.ts";
import { requireApi } from "~/utils/session.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireContentEditor(request);
  const api = await requireApi(request);
  const id = params.id ?? "";
  const [article, { markdown }] = await Promise.all([
    api.content.articles.byId.query({ id }),
    api.content.articles.exportMarkdown.query({ id }),
  ]);
  return new Response(markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${article.slug}.md"`,
    },
  });
}
