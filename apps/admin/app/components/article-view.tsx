/**
 * An article as the public reads it. The public page and the editor's live preview both render
 * through this one component, so the preview is the page.
 */
import { formatCitation, formatCitedStudy } from "@dn/content";
import type {
  ArticleBlock,
  CalloutTone,
  PublicLiteratureReference as LiteratureReference,
  PublicAuthor,
  PublicVideo as Video,
} from "@dn/schema";
import { Fragment, type ReactNode } from "react";
import { safeHref } from "~/utils/safe-href.ts";

export interface ArticleViewProps {
  title: string;
  summary: string;
  blocks: readonly ArticleBlock[];
  author: Omit<PublicAuthor, "id"> | null;
  publishedOn: string | null;
  tags: readonly string[];
  videos: readonly Video[];
  references: readonly LiteratureReference[];
  /** The heading level of the title: 1 on the public page, 2 inside the editor. */
  titleLevel?: 1 | 2;
}

const CALLOUT_LABELS: Record<CalloutTone, string> = {
  info: "Note",
  tip: "Tip",
  warning: "Important",
};

/** "2026-10-01" -> "October 1, 2026" (UTC, so the date never shifts). */
export function formatLongDate(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString("en-US", {
    year: "numeric",
    month: "long",
    day: "numeric",
    timeZone: "UTC",
  });
}

/** Text with its line breaks kept. */
function Lines({ text }: { text: string }) {
  const lines = text.split("\n");
  return (
    <>
      {lines.map((line, index) => (
        <Fragment key={index}>
          {index > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  );
}

/** The player URL for providers that offer an embeddable one, or null (shown as a link). */
export function embedUrlOf(video: Video): string | null {
  if (!video.providerId) return null;
  if (video.provider === "youtube") {
    return `https://www.youtube-nocookie.com/embed/${encodeURIComponent(video.providerId)}`;
  }
  if (video.provider === "vimeo") {
    return `https://player.vimeo.com/video/${encodeURIComponent(video.providerId)}`;
  }
  return null;
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return `${minutes}:${String(rest).padStart(2, "0")}`;
}

export function VideoFigure({ video }: { video: Video }) {
  const embed = embedUrlOf(video);
  const where = video.provider === "other" ? "the publisher's site" : capitalize(video.provider);
  return (
    <figure className="article-video">
      {embed ? (
        <div className="article-video__frame">
          <iframe
            src={embed}
            title={`${video.title} (${video.channel})`}
            loading="lazy"
            allow="encrypted-media; picture-in-picture"
            allowFullScreen
          />
        </div>
      ) : null}
      <figcaption>
        <span className="article-video__icon" aria-hidden="true">
          ▶
        </span>{" "}
        <a href={safeHref(video.url) ?? undefined} rel="noopener noreferrer" target="_blank">
          {video.title}
        </a>{" "}
        <span className="muted">
          {video.channel}
          {video.durationSeconds ? ` · ${formatDuration(video.durationSeconds)}` : ""}
          {embed ? "" : ` · watch on ${where}`}
        </span>
        {video.description ? (
          <span className="article-video__about">{video.description}</span>
        ) : null}
      </figcaption>
    </figure>
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A citation with its title in italics. */
export function Citation({ reference }: { reference: LiteratureReference }) {
  const { parts } = formatCitation(reference);
  return (
    <cite className="citation">
      {parts.map((part, index) =>
        part.italic ? <i key={index}>{part.text}</i> : <Fragment key={index}>{part.text}</Fragment>,
      )}
    </cite>
  );
}

export function ReferenceFigure({ reference }: { reference: LiteratureReference }) {
  return (
    <figure className="article-reference">
      <blockquote>
        <p>
          {reference.excerptKind === "quotation" ? `“${reference.excerpt}”` : reference.excerpt}
        </p>
      </blockquote>
      <figcaption>
        <span className="article-reference__kind">
          {reference.excerptKind === "quotation" ? "Quoted from" : "Paraphrased from"}
        </span>{" "}
        <Citation reference={reference} />
        {reference.citedStudies.length > 0 ? (
          <span className="article-reference__cites">
            {" "}
            Cites {reference.citedStudies.map(formatCitedStudy).join("; ")}.
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}

function Missing({ what }: { what: string }) {
  return (
    <p className="article-missing" role="note">
      {what} is not in the library.
    </p>
  );
}

function Block({
  block,
  videos,
  references,
  shift,
}: {
  block: ArticleBlock;
  videos: ReadonlyMap<string, Video>;
  references: ReadonlyMap<string, LiteratureReference>;
  shift: number;
}): ReactNode {
  switch (block.type) {
    case "heading": {
      const level = Math.min(6, block.level + shift);
      const Tag = `h${level}` as "h2";
      return <Tag>{block.text}</Tag>;
    }
    case "paragraph":
      return (
        <p>
          <Lines text={block.text} />
        </p>
      );
    case "list": {
      const items = block.items.map((item, index) => <li key={index}>{item}</li>);
      return block.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
    }
    case "quote":
      return (
        <figure className="article-quote">
          <blockquote>
            <p>
              <Lines text={block.text} />
            </p>
          </blockquote>
          {block.attribution ? <figcaption>— {block.attribution}</figcaption> : null}
        </figure>
      );
    case "callout":
      return (
        <aside className={`callout callout--${block.tone}`} aria-label={block.title}>
          <p className="callout__title">
            <span className="visually-hidden">{CALLOUT_LABELS[block.tone]}: </span>
            {block.title}
          </p>
          <p>
            <Lines text={block.body} />
          </p>
        </aside>
      );
    case "video": {
      const video = videos.get(block.videoId);
      return video ? <VideoFigure video={video} /> : <Missing what="This video" />;
    }
    case "literature": {
      const reference = references.get(block.referenceId);
      return reference ? (
        <ReferenceFigure reference={reference} />
      ) : (
        <Missing what="This reference" />
      );
    }
  }
}

export function ArticleView(props: ArticleViewProps) {
  const videos = new Map(props.videos.map((video) => [video.id, video]));
  const references = new Map(props.references.map((reference) => [reference.id, reference]));
  const TitleTag = props.titleLevel === 2 ? "h2" : "h1";
  const shift = props.titleLevel === 2 ? 1 : 0;
  return (
    <article className="article">
      <header className="article__header">
        <TitleTag className="article__title">{props.title}</TitleTag>
        <p className="article__summary">{props.summary}</p>
        <p className="article__byline muted">
          {props.author ? (
            <>
              By {props.author.name}
              {props.author.credentials.length > 0
                ? `, ${props.author.credentials.join(", ")}`
                : ""}
            </>
          ) : null}
          {props.author && props.publishedOn ? " · " : null}
          {props.publishedOn ? (
            <time dateTime={props.publishedOn}>{formatLongDate(props.publishedOn)}</time>
          ) : null}
        </p>
        {props.tags.length > 0 ? (
          <ul className="inline-list article__tags" aria-label="Tags">
            {props.tags.map((tag) => (
              <li key={tag} className="tag">
                {tag}
              </li>
            ))}
          </ul>
        ) : null}
      </header>
      <div className="article__body">
        {props.blocks.map((block, index) => (
          <Block key={index} block={block} videos={videos} references={references} shift={shift} />
        ))}
      </div>
      {props.author?.bio ? (
        <footer className="article__author">
          <p>
            <strong>{props.author.name}</strong>
            {props.author.credentials.length > 0 ? `, ${props.author.credentials.join(", ")}` : ""}.{" "}
            {props.author.bio}
            {props.author.contactMasked ? ` Contact: ${props.author.contactMasked}.` : ""}
          </p>
        </footer>
      ) : null}
    </article>
  );
}
