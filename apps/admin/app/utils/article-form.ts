/**
 * The article editor's form: title, slug, summary, author and tags as fields, and the body as
 * Markdown blocks (the format of @dn/content's markdown.ts). Read with the same schema the API
 * applies, so a refusal shows next to its field, and problems in blocks name the block.
 */
import { ArticleMarkdownError, blocksToMarkdown, parseBlocksMarkdown } from "@dn/content";
import { type ArticleBlock, type ArticleContent, ArticleContentSchema } from "@dn/schema";

export const ARTICLE_FIELDS = ["slug", "title", "summary", "authorId", "tags", "body"] as const;
export type ArticleFormField = (typeof ARTICLE_FIELDS)[number];
export type ArticleFormValues = Record<ArticleFormField, string>;
export type ArticleFormErrors = Partial<Record<ArticleFormField, string[]>> & { form?: string[] };

export function articleFormValues(article: ArticleContent): ArticleFormValues {
  return {
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    authorId: article.authorId ?? "",
    tags: article.tags.join(", "),
    body: blocksToMarkdown(article.blocks),
  };
}

export function valuesFromFormData(formData: FormData): ArticleFormValues {
  const get = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    slug: get("slug"),
    title: get("title"),
    summary: get("summary"),
    authorId: get("authorId"),
    tags: get("tags"),
    body: get("body"),
  };
}

/** The blocks of a body, or the problem that stops it being read. */
export function readBody(
  body: string,
): { blocks: unknown[]; error: null } | { blocks: null; error: string } {
  try {
    return { blocks: parseBlocksMarkdown(body), error: null };
  } catch (error) {
    if (error instanceof ArticleMarkdownError) return { blocks: null, error: error.message };
    throw error;
  }
}

const BLOCK_NAMES: Record<string, string> = {
  heading: "heading",
  paragraph: "paragraph",
  list: "list",
  quote: "quote",
  callout: "callout",
  video: "video",
  literature: "literature reference",
};

/** "blocks.3.text" -> "Block 4 (paragraph), text: must not be empty". */
export function describeBlockIssue(path: string, message: string, blocks: unknown[]): string {
  const [, index, ...rest] = path.split(".");
  const position = Number(index);
  const block = blocks[position] as { type?: string } | undefined;
  const name = block?.type ? (BLOCK_NAMES[block.type] ?? block.type) : "block";
  const field = rest.length > 0 ? `, ${rest.join(".")}` : "";
  return `Block ${position + 1} (${name})${field}: ${message}`;
}

export type ArticleFormResult =
  | { success: true; content: ArticleContent }
  | { success: false; errors: ArticleFormErrors };

export function readArticleForm(values: ArticleFormValues): ArticleFormResult {
  const body = readBody(values.body);
  if (body.error !== null) return { success: false, errors: { body: [body.error] } };
  const candidate = {
    slug: values.slug,
    title: values.title,
    summary: values.summary,
    authorId: values.authorId === "" ? null : values.authorId,
    tags: values.tags
      .split(/[,\s]+/)
      .map((tag) => tag.trim())
      .filter((tag) => tag !== ""),
    blocks: body.blocks,
  };
  const result = ArticleContentSchema.safeParse(candidate);
  if (result.success) return { success: true, content: result.data };
  return { success: false, errors: errorsFromPaths(result.error.issues, body.blocks) };
}

/** Field errors by form field, from issue paths of the article schema or the API. */
export function errorsFromPaths(
  issues: readonly { path: readonly PropertyKey[] | string; message: string }[],
  blocks: unknown[],
): ArticleFormErrors {
  const errors: ArticleFormErrors = {};
  const add = (field: ArticleFormField | "form", message: string) => {
    errors[field] = [...(errors[field] ?? []), message];
  };
  for (const issue of issues) {
    const path = typeof issue.path === "string" ? issue.path : issue.path.map(String).join(".");
    const head = path.split(".")[0] ?? "";
    if (head === "blocks") add("body", describeBlockIssue(path, issue.message, blocks));
    else if (head === "tags")
      add(
        "tags",
        path === "tags"
          ? issue.message
          : `${issue.message} (tag ${Number(path.split(".")[1]) + 1})`,
      );
    else if ((ARTICLE_FIELDS as readonly string[]).includes(head))
      add(head as ArticleFormField, issue.message);
    else add("form", path ? `${path}: ${issue.message}` : issue.message);
  }
  return errors;
}

/** The blocks for the live preview: those that read, or none while the body has an error. */
export function previewBlocks(body: string): ArticleBlock[] {
  const read = readBody(body);
  if (read.error !== null) return [];
  return read.blocks.flatMap((block) => {
    const parsed = ArticleContentSchema.shape.blocks.element.safeParse(block);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The new order of blocks after moving the block at `from` one place up or down. */
export function moveOrder(count: number, from: number, direction: "up" | "down"): number[] | null {
  const to = direction === "up" ? from - 1 : from + 1;
  if (from < 0 || from >= count || to < 0 || to >= count) return null;
  const order = Array.from({ length: count }, (_, index) => index);
  order[from] = to;
  order[to] = from;
  return order;
}
