import { FOLLOW_UP_STATUSES, FollowUpStatusSchema, ResolveFollowUpInputSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { Field } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import contentStyles from "~/content.css?url";
import {
  canEdit,
  fieldErrorsFromApi,
  requireContentEditor,
  requireContentReader,
} from "~/utils/content.server.ts";
import { formatInstant } from "~/utils/format.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Follow-ups · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireContentReader(request);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const status =
    FollowUpStatusSchema.safeParse(url.searchParams.get("status") ?? "open").data ?? "open";
  const items = await api.content.followUps.list.query({
    status,
    cursor: url.searchParams.get("cursor") || null,
    limit: 25,
  });
  return {
    status,
    items,
    canResolve: canEdit(me, "resolve:follow-up"),
    resolved: url.searchParams.has("resolved"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "resolve:follow-up");
  const api = await requireApi(request);
  const formData = await request.formData();
  const input = {
    id: String(formData.get("id") ?? ""),
    resolution: String(formData.get("resolution") ?? ""),
  };
  const parsed = ResolveFollowUpInputSchema.safeParse(input);
  if (!parsed.success) {
    return data(
      { id: input.id, errors: parsed.error.issues.map((issue) => issue.message) },
      { status: 400 },
    );
  }
  try {
    await api.content.followUps.resolve.mutate(parsed.data);
  } catch (error) {
    const { fields, form } = fieldErrorsFromApi(error);
    return data(
      { id: input.id, errors: [...Object.values(fields).flat(), ...form] },
      { status: 400 },
    );
  }
  throw redirect("/follow-ups?resolved=1");
}

export default function FollowUpsPage() {
  const { status, items, canResolve, resolved } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <h1>Follow-ups</h1>
        <p className="muted">
          Comments flagged as possible adverse events, for clinical follow-up by a manager.
        </p>
      </div>
      <nav aria-label="Follow-up status" className="subnav">
        <ul>
          {FOLLOW_UP_STATUSES.map((value) => (
            <li key={value}>
              <Link to={`?status=${value}`} aria-current={value === status ? "page" : undefined}>
                {value === "open" ? "Open" : "Resolved"}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {resolved ? (
        <p className="notice" role="status">
          Follow-up resolved.
        </p>
      ) : null}
      {items.items.length === 0 ? (
        <p className="empty">
          {status === "open" ? "Nothing needs following up." : "None resolved yet."}
        </p>
      ) : (
        <ol
          className="queue"
          aria-label={status === "open" ? "Open follow-ups" : "Resolved follow-ups"}
        >
          {items.items.map((item) => (
            <li key={item.id}>
              <article className="moderation-card" aria-labelledby={`follow-up-${item.id}`}>
                <h2 id={`follow-up-${item.id}`}>{item.summary}</h2>
                <p className="muted">
                  Raised {formatInstant(item.createdAt)} from a comment by {item.commentDisplayName}{" "}
                  on “{item.articleTitle}” ({formatInstant(item.commentPostedAt)})
                </p>
                <blockquote className="moderation-card__body">{item.commentBody}</blockquote>
                {item.status === "resolved" ? (
                  <p className="reason">
                    Resolved {item.resolvedAt ? formatInstant(item.resolvedAt) : ""}:{" "}
                    {item.resolution}
                  </p>
                ) : canResolve ? (
                  <Form method="post" className="stack">
                    <input type="hidden" name="id" value={item.id} />
                    <Field
                      label="What was done"
                      htmlFor={`resolution-${item.id}`}
                      errorId={`resolution-${item.id}-error`}
                      errors={actionData?.id === item.id ? actionData.errors : null}
                    >
                      <textarea
                        id={`resolution-${item.id}`}
                        name="resolution"
                        rows={2}
                        maxLength={1000}
                      />
                    </Field>
                    <button type="submit" className="button">
                      Mark resolved
                    </button>
                  </Form>
                ) : null}
              </article>
            </li>
          ))}
        </ol>
      )}
      <Pagination nextCursor={items.nextCursor} label="Follow-up pages" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
