import { MODERATION_STATES, ModerateCommentInputSchema, ModerationStateSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import contentStyles from "~/content.css?url";
import type { ApiOutputs } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import {
  canEdit,
  fieldErrorsFromApi,
  requireContentEditor,
  requireContentReader,
} from "~/utils/content.server.ts";
import { formatInstant } from "~/utils/format.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Comments · dn admin" }];

const STATE_LABELS: Record<(typeof MODERATION_STATES)[number], string> = {
  pending: "Waiting",
  published: "Published",
  hidden: "Hidden",
  spam: "Spam",
};

const DONE: Record<string, string> = {
  publish: "Comment published.",
  hide: "Comment hidden.",
  spam: "Comment marked as spam.",
  "flag-adverse-event":
    "Flagged as a possible adverse event. A follow-up item is open for managers.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireContentReader(request);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const state =
    ModerationStateSchema.safeParse(url.searchParams.get("state") ?? "pending").data ?? "pending";
  const queue = await api.content.comments.queue.query({
    moderationState: state,
    cursor: url.searchParams.get("cursor") || null,
    limit: 25,
  });
  const done = url.searchParams.get("done");
  return {
    state,
    queue,
    canModerate: canEdit(me, "moderate:comment"),
    notice: done ? (DONE[done] ?? null) : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "moderate:comment");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const input = {
    id: String(formData.get("id") ?? ""),
    decision: String(formData.get("decision") ?? ""),
    note: String(formData.get("note") ?? "").trim() || null,
  };
  const state = String(formData.get("state") ?? "pending");
  const parsed = ModerateCommentInputSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.map(String).join(".") || "form";
      fields[key] = [...(fields[key] ?? []), issue.message];
    }
    return data(
      { id: input.id, decision: input.decision, fields, form: [] as string[] },
      { status: 400 },
    );
  }
  try {
    await api.content.comments.moderate.mutate(parsed.data);
  } catch (error) {
    const { fields, form } = fieldErrorsFromApi(error);
    return data({ id: input.id, decision: input.decision, fields, form }, { status: 400 });
  }
  throw redirect(
    `/content/comments?state=${encodeURIComponent(state)}&done=${parsed.data.decision}`,
  );
}

type Item = ApiOutputs["content"]["comments"]["queue"]["items"][number];

export default function CommentsPage() {
  const { state, queue, canModerate, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <h1>Comments</h1>
        <p className="muted">Readers' comments on published articles, oldest first.</p>
      </div>
      <nav aria-label="Comment states" className="subnav">
        <ul>
          {MODERATION_STATES.map((value) => (
            <li key={value}>
              <Link to={`?state=${value}`} aria-current={value === state ? "page" : undefined}>
                {STATE_LABELS[value]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {notice && params.get("done") ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {queue.items.length === 0 ? (
        <p className="empty">No comments here.</p>
      ) : (
        <ol className="queue">
          {queue.items.map((item) => (
            <li key={item.id}>
              <CommentCard
                item={item}
                state={state}
                canModerate={canModerate}
                errors={actionData && actionData.id === item.id ? actionData : null}
              />
            </li>
          ))}
        </ol>
      )}
      <Pagination nextCursor={queue.nextCursor} label="Comment pages" />
    </>
  );
}

function CommentCard({
  item,
  state,
  canModerate,
  errors,
}: {
  item: Item;
  state: string;
  canModerate: boolean;
  errors: { decision: string; fields: Record<string, string[]>; form: string[] } | null;
}) {
  const headingId = `comment-${item.id}`;
  const noteId = `note-${item.id}`;
  const noteErrors = errors?.fields.note ?? null;
  return (
    <article className="moderation-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="review-card__head">
        {item.displayName}{" "}
        <span className="muted">
          on{" "}
          <a href={`/articles/${item.organizationId}/${item.articleSlug}`}>{item.articleTitle}</a> ·{" "}
          {formatInstant(item.postedAt)}
        </span>{" "}
        {item.adverseEvent ? (
          <span className="badge badge--adverse">Possible adverse event</span>
        ) : null}
      </h2>
      <p className="moderation-card__body">{item.body}</p>
      {item.moderationNote ? <p className="reason">{item.moderationNote}</p> : null}
      {canModerate ? (
        <Form method="post" className="stack">
          <input type="hidden" name="id" value={item.id} />
          <input type="hidden" name="state" value={state} />
          <ErrorList errors={errors?.form.length ? errors.form : null} />
          <Field
            label="Moderator's note (required when flagging an adverse event)"
            htmlFor={noteId}
            errorId={`${noteId}-error`}
            errors={noteErrors}
          >
            <textarea
              id={noteId}
              name="note"
              rows={2}
              maxLength={1000}
              aria-invalid={noteErrors ? true : undefined}
              aria-describedby={noteErrors ? `${noteId}-error` : undefined}
            />
          </Field>
          <div className="button-row">
            {item.moderationState !== "published" ? (
              <button
                type="submit"
                name="decision"
                value="publish"
                className="button button--primary"
              >
                Publish<span className="visually-hidden"> comment by {item.displayName}</span>
              </button>
            ) : null}
            {item.moderationState !== "hidden" ? (
              <button type="submit" name="decision" value="hide" className="button">
                Hide<span className="visually-hidden"> comment by {item.displayName}</span>
              </button>
            ) : null}
            {item.moderationState !== "spam" ? (
              <button type="submit" name="decision" value="spam" className="button">
                Mark as spam<span className="visually-hidden"> comment by {item.displayName}</span>
              </button>
            ) : null}
            {!item.adverseEvent ? (
              <button
                type="submit"
                name="decision"
                value="flag-adverse-event"
                className="button button--danger"
              >
                Flag as possible adverse event
                <span className="visually-hidden"> comment by {item.displayName}</span>
              </button>
            ) : null}
          </div>
        </Form>
      ) : null}
    </article>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
