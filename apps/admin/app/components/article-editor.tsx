/**
 * The article editor: fields, the body as Markdown blocks, and a preview rendered by the same
 * component as the public page. With scripts the preview follows every keystroke; without,
 * the "Preview" button asks the server to render the submitted draft.
 */
import type { Author, LiteratureReference, PublicAuthor, Video } from "@dn/schema";
import { Form, useNavigation } from "@remix-run/react";
import { type FormEvent, useState } from "react";
import {
  type ArticleFormErrors,
  type ArticleFormValues,
  previewBlocks,
} from "~/utils/article-form.ts";
import { ArticleView } from "./article-view.tsx";
import { ErrorList, Field } from "./forms.tsx";

export interface ArticleEditorProps {
  /** The form id; also keys the inputs' ids. */
  id: string;
  values: ArticleFormValues;
  errors: ArticleFormErrors | null;
  /** The stored revision the edit starts from (null for a new article). */
  revision: number | null;
  publishedOn: string | null;
  authors: readonly Author[];
  videos: readonly Video[];
  references: readonly LiteratureReference[];
  submitLabel: string;
}

function publicAuthorOf(authors: readonly Author[], id: string): PublicAuthor | null {
  const author = authors.find((candidate) => candidate.id === id);
  return author
    ? {
        id: author.id,
        name: author.name,
        credentials: author.credentials,
        bio: author.bio,
        contactMasked: null,
      }
    : null;
}

function valuesOf(form: HTMLFormElement): ArticleFormValues {
  const data = new FormData(form);
  const get = (name: string) => String(data.get(name) ?? "");
  return {
    slug: get("slug"),
    title: get("title"),
    summary: get("summary"),
    authorId: get("authorId"),
    tags: get("tags"),
    body: get("body"),
  };
}

export function ArticleEditor(props: ArticleEditorProps) {
  const [draft, setDraft] = useState<ArticleFormValues>(props.values);
  const navigation = useNavigation();
  const saving = navigation.state === "submitting" && navigation.formData?.get("intent") === "save";
  const ids = (name: string) => ({
    id: `${props.id}-${name}`,
    errorId: `${props.id}-${name}-error`,
  });
  const errors = props.errors ?? {};
  const invalid = (name: keyof ArticleFormValues) =>
    errors[name]?.length ? { "aria-invalid": true, "aria-describedby": ids(name).errorId } : {};
  const onChange = (event: FormEvent<HTMLFormElement>) => setDraft(valuesOf(event.currentTarget));

  return (
    <div className="editor">
      <Form method="post" id={props.id} className="stack card" onChange={onChange} noValidate>
        {props.revision !== null ? (
          <input type="hidden" name="expectedRevision" value={props.revision} />
        ) : null}
        <ErrorList id={`${props.id}-form-error`} errors={errors.form} />
        <Field
          label="Title"
          htmlFor={ids("title").id}
          errorId={ids("title").errorId}
          errors={errors.title}
        >
          <input
            id={ids("title").id}
            name="title"
            type="text"
            defaultValue={props.values.title}
            maxLength={200}
            {...invalid("title")}
          />
        </Field>
        <Field
          label="Address (slug)"
          htmlFor={ids("slug").id}
          hint="The public page is /articles/, your organization's id, /, then this: lower-case words joined by hyphens, unique in your organization."
          errorId={ids("slug").errorId}
          errors={errors.slug}
        >
          <input
            id={ids("slug").id}
            name="slug"
            type="text"
            defaultValue={props.values.slug}
            maxLength={120}
            {...invalid("slug")}
          />
        </Field>
        <Field
          label="Summary"
          htmlFor={ids("summary").id}
          errorId={ids("summary").errorId}
          errors={errors.summary}
        >
          <textarea
            id={ids("summary").id}
            name="summary"
            rows={3}
            defaultValue={props.values.summary}
            maxLength={1000}
            {...invalid("summary")}
          />
        </Field>
        <div className="row">
          <Field
            label="Author"
            htmlFor={ids("authorId").id}
            errorId={ids("authorId").errorId}
            errors={errors.authorId}
          >
            <select id={ids("authorId").id} name="authorId" defaultValue={props.values.authorId}>
              <option value="">No author shown</option>
              {props.authors.map((author) => (
                <option key={author.id} value={author.id}>
                  {author.name}
                  {author.credentials.length > 0 ? `, ${author.credentials.join(", ")}` : ""}
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Tags"
            htmlFor={ids("tags").id}
            hint="Separated by commas, e.g. trigger-points, aftercare"
            errorId={ids("tags").errorId}
            errors={errors.tags}
          >
            <input
              id={ids("tags").id}
              name="tags"
              type="text"
              defaultValue={props.values.tags}
              {...invalid("tags")}
            />
          </Field>
        </div>
        <Field
          label="Body"
          htmlFor={ids("body").id}
          hint={
            <>
              Blocks separated by a blank line: <code>## Heading</code>, paragraphs,{" "}
              <code>- list</code>, <code>1. list</code>, <code>&gt; quote</code> (last line{" "}
              <code>&gt; — who</code>),{" "}
              <code>
                :::callout{"{"}tone="tip" title="…"{"}"}
              </code>{" "}
              … <code>:::</code>, and the library's videos and references below.
            </>
          }
          errorId={ids("body").errorId}
          errors={errors.body}
        >
          <textarea
            id={ids("body").id}
            name="body"
            className="editor__body"
            defaultValue={props.values.body}
            spellCheck
            {...invalid("body")}
          />
        </Field>
        <div className="button-row">
          <button
            type="submit"
            name="intent"
            value="save"
            className="button button--primary"
            disabled={saving}
          >
            {saving ? "Saving…" : props.submitLabel}
          </button>
          <button type="submit" name="intent" value="preview" className="button">
            Preview
          </button>
        </div>
        <LibraryPicker videos={props.videos} references={props.references} />
      </Form>

      <section className="editor__preview card" aria-labelledby={`${props.id}-preview-heading`}>
        <h2 id={`${props.id}-preview-heading`} className="muted">
          Preview
        </h2>
        <ArticleView
          title={draft.title || "Untitled"}
          summary={draft.summary}
          blocks={previewBlocks(draft.body)}
          author={publicAuthorOf(props.authors, draft.authorId)}
          publishedOn={props.publishedOn}
          tags={draft.tags.split(/[,\s]+/).filter(Boolean)}
          videos={props.videos}
          references={props.references}
          titleLevel={2}
        />
      </section>
    </div>
  );
}

/** The library's videos and references with the line that embeds each one. */
function LibraryPicker({
  videos,
  references,
}: {
  videos: readonly Video[];
  references: readonly LiteratureReference[];
}) {
  return (
    <details className="library-picker">
      <summary>Videos and references in the library</summary>
      <h3>Videos</h3>
      <ul>
        {videos.map((video) => (
          <li key={video.id}>
            {video.title} <span className="muted">({video.channel})</span>
            <br />
            <code className="snippet">::video{`{id="${video.id}"}`}</code>
          </li>
        ))}
      </ul>
      <h3>Literature</h3>
      <ul>
        {references.map((reference) => (
          <li key={reference.id}>
            {reference.workTitle} <span className="muted">({reference.year})</span>
            <br />
            <code className="snippet">::literature{`{id="${reference.id}"}`}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
