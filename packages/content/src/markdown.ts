/**
 * Articles as Markdown files, for editing outside the app and bringing back unchanged.
 *
 * The format is a strict subset of CommonMark plus two directive forms, one block per
 * paragraph of the file (blocks are separated by one blank line):
 *
 *   ---                                   YAML front matter: slug, title, summary, authorId,
 *   slug: what-is-dry-needling            tags; status, publishedOn and updatedAt are written
 *   ...                                   for the reader and ignored on import
 *   ---
 *
 *   ## A heading                          heading, levels 2-4 (## to ####)
 *
 *   Text that may run over                paragraph; a first line that would read as another
 *   several lines.                        block is escaped with a backslash
 *
 *   - an item                             list (unordered); `1. an item` for an ordered list
 *
 *   > Quoted text                         quote; an optional last line `> — Attribution`
 *   > — Attribution
 *
 *   :::callout{tone="tip" title="..."}    callout with a tone (info, tip, warning) and a title;
 *   Body lines                            the body runs to the closing `:::`
 *   :::
 *
 *   ::video{id="<uuid>"}                  a video from the library
 *   ::literature{id="<uuid>"}             a literature reference from the library
 *
 * Attribute values are JSON strings. Any text line that would be read as syntax starts with a
 * backslash, which the importer removes. `articleToMarkdown` then `parseArticleMarkdown` gives
 * back the same content for every valid article (a property test checks this).
 */
import {
  type ArticleBlock,
  type ArticleContent,
  ArticleContentSchema,
  type ArticleStatus,
} from "@dn/schema";
import { parseDocument, stringify } from "yaml";
import type { z } from "zod";

/** A line the importer could not read, with its 1-based line number. */
export class ArticleMarkdownError extends Error {
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = "ArticleMarkdownError";
  }
}

export interface ArticleMarkdownMeta {
  status?: ArticleStatus;
  publishedOn?: string | null;
  updatedAt?: string;
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/** Lines that a reader would take for the start of another block. */
const BLOCK_START = /^(#|>|[-*+] |\d+[.)] |::|\\|---|— )/;

function escapeLine(line: string, pattern: RegExp): string {
  return pattern.test(line) ? `\\${line}` : line;
}

function unescapeLine(line: string): string {
  return line.startsWith("\\") ? line.slice(1) : line;
}

function attribute(name: string, value: string): string {
  return `${name}=${JSON.stringify(value)}`;
}

function blockToMarkdown(block: ArticleBlock): string {
  switch (block.type) {
    case "heading":
      return `${"#".repeat(block.level)} ${block.text}`;
    case "paragraph": {
      const [first = "", ...rest] = block.text.split("\n");
      return [escapeLine(first, BLOCK_START), ...rest].join("\n");
    }
    case "list":
      return block.items
        .map((item, index) => (block.ordered ? `${index + 1}. ${item}` : `- ${item}`))
        .join("\n");
    case "quote": {
      const lines = block.text.split("\n").map((line) => `> ${escapeLine(line, /^(— |\\)/)}`);
      if (block.attribution !== null) lines.push(`> — ${block.attribution}`);
      return lines.join("\n");
    }
    case "callout": {
      const body = block.body.split("\n").map((line) => escapeLine(line, /^(:::|\\)/));
      return [
        `:::callout{${attribute("tone", block.tone)} ${attribute("title", block.title)}}`,
        ...body,
        ":::",
      ].join("\n");
    }
    case "video":
      return `::video{${attribute("id", block.videoId)}}`;
    case "literature":
      return `::literature{${attribute("id", block.referenceId)}}`;
  }
}

/** The body of an article (its blocks) as Markdown, without front matter. */
export function blocksToMarkdown(blocks: readonly ArticleBlock[]): string {
  return blocks.map(blockToMarkdown).join("\n\n");
}

/**
 * Reads a body written in the format above (no front matter) into raw blocks, to be validated
 * with the article schema. Throws ArticleMarkdownError with the body's line number.
 */
export function parseBlocksMarkdown(body: string): unknown[] {
  const lines = body.replace(/\r\n/g, "\n").split("\n");
  return parseBlocks(lines.map((text, index) => ({ text, number: index + 1 })));
}

/** The article as a Markdown file with YAML front matter. */
export function articleToMarkdown(article: ArticleContent & ArticleMarkdownMeta): string {
  const front: Record<string, unknown> = {
    slug: article.slug,
    title: article.title,
    summary: article.summary,
    authorId: article.authorId,
    tags: article.tags,
  };
  if (article.status !== undefined) front.status = article.status;
  if (article.publishedOn !== undefined) front.publishedOn = article.publishedOn;
  if (article.updatedAt !== undefined) front.updatedAt = article.updatedAt;
  const yaml = stringify(front, { lineWidth: 0 });
  const body = blocksToMarkdown(article.blocks);
  return `---\n${yaml}---\n${body === "" ? "" : `\n${body}\n`}`;
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

interface Line {
  text: string;
  number: number;
}

function parseAttributes(source: string, line: number): Record<string, string> {
  const attributes: Record<string, string> = {};
  const pattern = /\s*([A-Za-z]+)=("(?:[^"\\]|\\.)*")\s*/y;
  let index = 0;
  while (index < source.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(source);
    if (!match?.[1] || !match[2]) {
      throw new ArticleMarkdownError(line, `cannot read the attributes {${source}}`);
    }
    attributes[match[1]] = JSON.parse(match[2]) as string;
    index = pattern.lastIndex;
  }
  return attributes;
}

function directive(
  text: string,
  line: number,
): { name: string; attributes: Record<string, string> } | null {
  const match = /^(:{2,3})([a-z]+)\{(.*)\}$/.exec(text);
  if (!match?.[2] || match[3] === undefined) return null;
  return { name: match[2], attributes: parseAttributes(match[3], line) };
}

function requireAttribute(
  attributes: Record<string, string>,
  name: string,
  line: number,
  what: string,
): string {
  const value = attributes[name];
  if (value === undefined) throw new ArticleMarkdownError(line, `${what} needs ${name}="..."`);
  return value;
}

/** Splits the body into blocks; returns the raw (not yet validated) block objects. */
function parseBlocks(lines: Line[]): unknown[] {
  const blocks: unknown[] = [];
  let index = 0;
  const at = (i: number) => lines[i];
  while (index < lines.length) {
    const line = at(index);
    if (!line) break;
    if (line.text.trim() === "") {
      index += 1;
      continue;
    }
    const text = line.text;

    // Callout: runs to the closing ":::".
    if (text.startsWith(":::")) {
      const parsed = directive(text, line.number);
      if (parsed?.name !== "callout") {
        throw new ArticleMarkdownError(line.number, `unknown block ${text}`);
      }
      const body: string[] = [];
      index += 1;
      let closed = false;
      while (index < lines.length) {
        const inner = at(index);
        if (!inner) break;
        index += 1;
        if (inner.text === ":::") {
          closed = true;
          break;
        }
        body.push(unescapeLine(inner.text));
      }
      if (!closed) throw new ArticleMarkdownError(line.number, "the callout has no closing :::");
      blocks.push({
        type: "callout",
        tone: requireAttribute(parsed.attributes, "tone", line.number, "a callout"),
        title: requireAttribute(parsed.attributes, "title", line.number, "a callout"),
        body: body.join("\n"),
      });
      continue;
    }

    // Every other block runs to the next blank line.
    const group: Line[] = [];
    while (index < lines.length) {
      const next = at(index);
      if (!next || next.text.trim() === "") break;
      group.push(next);
      index += 1;
    }
    blocks.push(parseGroup(group));
  }
  return blocks;
}

function parseGroup(group: Line[]): unknown {
  const first = group[0] as Line;
  const text = first.text;

  if (text.startsWith("::")) {
    const parsed = directive(text, first.number);
    if (!parsed) throw new ArticleMarkdownError(first.number, `cannot read ${text}`);
    if (group.length > 1) {
      throw new ArticleMarkdownError(first.number, `${parsed.name} must stand on its own line`);
    }
    if (parsed.name === "video") {
      return {
        type: "video",
        videoId: requireAttribute(parsed.attributes, "id", first.number, "a video"),
      };
    }
    if (parsed.name === "literature") {
      return {
        type: "literature",
        referenceId: requireAttribute(parsed.attributes, "id", first.number, "a literature block"),
      };
    }
    throw new ArticleMarkdownError(first.number, `unknown block ::${parsed.name}`);
  }

  const heading = /^(#+) (.*)$/.exec(text);
  if (heading?.[1] && heading[2] !== undefined) {
    if (heading[1].length === 1) {
      throw new ArticleMarkdownError(
        first.number,
        "a level-1 heading is the title: set it in the front matter and use ## here",
      );
    }
    if (group.length > 1) {
      throw new ArticleMarkdownError(first.number, "a heading must be followed by a blank line");
    }
    return { type: "heading", level: heading[1].length, text: heading[2] };
  }

  if (text.startsWith(">")) {
    const lines = group.map((line) => {
      if (!line.text.startsWith("> ")) {
        throw new ArticleMarkdownError(line.number, "every line of a quote starts with '> '");
      }
      return line.text.slice(2);
    });
    let attribution: string | null = null;
    const last = lines[lines.length - 1];
    if (last?.startsWith("— ")) {
      attribution = last.slice(2);
      lines.pop();
    }
    return { type: "quote", text: lines.map(unescapeLine).join("\n"), attribution };
  }

  if (/^[-*+] /.test(text) || /^\d+[.)] /.test(text)) {
    const ordered = /^\d/.test(text);
    const items = group.map((line) => {
      const match = ordered ? /^\d+[.)] (.*)$/.exec(line.text) : /^[-*+] (.*)$/.exec(line.text);
      if (!match || match[1] === undefined) {
        throw new ArticleMarkdownError(
          line.number,
          ordered
            ? "every line of an ordered list starts with '1. '"
            : "every line of a list starts with '- '",
        );
      }
      return match[1];
    });
    return { type: "list", ordered, items };
  }

  return {
    type: "paragraph",
    text: [unescapeLine(text), ...group.slice(1).map((line) => line.text)].join("\n"),
  };
}

export interface ParsedArticleMarkdown {
  /** The content read from the file, not yet validated (see `readArticleMarkdown`). */
  content: Record<string, unknown>;
  meta: ArticleMarkdownMeta;
}

/** Reads front matter and blocks. Throws ArticleMarkdownError for text it cannot read. */
export function parseArticleMarkdown(markdown: string): ParsedArticleMarkdown {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  if (lines[0] !== "---") {
    throw new ArticleMarkdownError(1, "the file must start with --- and YAML front matter");
  }
  const end = lines.indexOf("---", 1);
  if (end === -1) throw new ArticleMarkdownError(1, "the front matter has no closing ---");
  const document = parseDocument(lines.slice(1, end).join("\n"), { uniqueKeys: true });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const line = (error?.linePos?.[0]?.line ?? 0) + 1;
    throw new ArticleMarkdownError(line, `front matter: ${error?.message.split("\n")[0] ?? ""}`);
  }
  const front: unknown = document.toJS();
  if (typeof front !== "object" || front === null || Array.isArray(front)) {
    throw new ArticleMarkdownError(2, "the front matter must be a mapping of fields");
  }
  const { status, publishedOn, updatedAt, ...content } = front as Record<string, unknown>;
  const body = lines.slice(end + 1).map((text, i) => ({ text, number: end + 2 + i }));
  return {
    content: { ...content, blocks: parseBlocks(body) },
    meta: {
      status: status as ArticleStatus | undefined,
      publishedOn: publishedOn as string | null | undefined,
      updatedAt: updatedAt as string | undefined,
    },
  };
}

export type ReadArticleMarkdownResult =
  | { success: true; content: ArticleContent; meta: ArticleMarkdownMeta }
  | { success: false; issues: { path: string; message: string }[] };

/** Parses and validates: the content, or every problem by field path (`blocks.3.text`). */
export function readArticleMarkdown(markdown: string): ReadArticleMarkdownResult {
  let parsed: ParsedArticleMarkdown;
  try {
    parsed = parseArticleMarkdown(markdown);
  } catch (error) {
    if (error instanceof ArticleMarkdownError) {
      return { success: false, issues: [{ path: "markdown", message: error.message }] };
    }
    throw error;
  }
  const result = ArticleContentSchema.safeParse(parsed.content);
  if (!result.success) return { success: false, issues: issuesOf(result.error) };
  return { success: true, content: result.data, meta: parsed.meta };
}

function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}
