/**
 * Follow-ups: comments flagged as possible adverse events, each owed by a manager or admin by a
 * due date, open until resolved with what was done. Owners and due dates can be handed on.
 */
import {
  AssignFollowUpInputSchema,
  FOLLOW_UP_STATUSES,
  FollowUpStatusSchema,
  ResolveFollowUpInputSchema,
} from "@dn/schema";
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
import { ErrorList, Field } from "~/components/forms.tsx";
import { Pagination } from "~/components/pagination.tsx";
import contentStyles from "~/content.css?url";
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
export const meta: MetaFunction = () => [{ title: "Follow-ups · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireContentReader(request);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const status =
    FollowUpStatusSchema.safeParse(url.searchParams.get("status") ?? "open").data ?? "open";
  const canResolve = canEdit(me, "resolve:follow-up");
  const [items, open, members] = await Promise.all([
    api.content.followUps.list.query({
      status,
      cursor: url.searchParams.get("cursor") || null,
      limit: 25,
    }),
    api.content.followUps.open.query({ limit: 1 }),
    canResolve && status === "open" ? api.members.list.query({ status: "active" }) : [],
  ]);
  const owners = members
    .filter((m) => m.role === "manager" || m.role === "admin")
    .map((m) => ({ id: m.userId, name: m.name }));
  return {
    status,
    items,
    asOf: open.asOf,
    owners,
    canResolve,
    resolved: url.searchParams.has("resolved"),
    assigned: url.searchParams.has("assigned"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "resolve:follow-up");
  const api = await requireApi(request);
  const formData = await readForm(request);
  if (formData.get("intent") === "assign") {
    const assignment = {
      id: String(formData.get("id") ?? ""),
      ownerId: String(formData.get("ownerId") ?? ""),
      dueOn: String(formData.get("dueOn") ?? ""),
    };
    const parsedAssignment = AssignFollowUpInputSchema.safeParse(assignment);
    const errors = parsedAssignment.success
      ? []
      : parsedAssignment.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    if (parsedAssignment.success) {
      try {
        await api.content.followUps.assign.mutate(parsedAssignment.data);
      } catch (error) {
        const { fields, form } = fieldErrorsFromApi(error);
        errors.push(...Object.values(fields).flat(), ...form);
      }
    }
    if (errors.length > 0) {
      return data({ id: assignment.id, intent: "assign" as const, errors }, { status: 400 });
    }
    throw redirect("/follow-ups?assigned=1");
  }
  const input = {
    id: String(formData.get("id") ?? ""),
    resolution: String(formData.get("resolution") ?? ""),
  };
  const parsed = ResolveFollowUpInputSchema.safeParse(input);
  if (!parsed.success) {
    return data(
      {
        id: input.id,
        intent: "resolve" as const,
        errors: parsed.error.issues.map((issue) => issue.message),
      },
      { status: 400 },
    );
  }
  try {
    await api.content.followUps.resolve.mutate(parsed.data);
  } catch (error) {
    const { fields, form } = fieldErrorsFromApi(error);
    return data(
      {
        id: input.id,
        intent: "resolve" as const,
        errors: [...Object.values(fields).flat(), ...form],
      },
      { status: 400 },
    );
  }
  throw redirect("/follow-ups?resolved=1");
}

export default function FollowUpsPage() {
  const { status, items, asOf, owners, canResolve, resolved, assigned } =
    useLoaderData<typeof loader>();
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
      {resolved || assigned ? (
        <p className="notice" role="status">
          {resolved ? "Follow-up resolved." : "Follow-up handed on."}
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
                {item.status === "open" ? (
                  <p data-testid="follow-up-due">
                    Owner <strong>{item.ownerName || "—"}</strong> · due {item.dueOn} (
                    {dueText(daysFrom(asOf, item.dueOn))}) · open{" "}
                    {ageText(daysFrom(item.createdAt.slice(0, 10), asOf))}
                  </p>
                ) : null}
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
                      errors={
                        actionData?.id === item.id && actionData.intent === "resolve"
                          ? actionData.errors
                          : null
                      }
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
                {item.status === "open" && canResolve && owners.length > 0 ? (
                  <details>
                    <summary>Hand on or change the due date</summary>
                    <Form method="post" className="stack">
                      <input type="hidden" name="intent" value="assign" />
                      <input type="hidden" name="id" value={item.id} />
                      <ErrorList
                        errors={
                          actionData?.id === item.id && actionData.intent === "assign"
                            ? actionData.errors
                            : null
                        }
                      />
                      <div className="field">
                        <label htmlFor={`owner-${item.id}`}>Owner</label>
                        <select id={`owner-${item.id}`} name="ownerId" defaultValue={item.ownerId}>
                          {owners.map((owner) => (
                            <option key={owner.id} value={owner.id}>
                              {owner.name}
                            </option>
                          ))}
                        </select>
                      </div>
                      <div className="field">
                        <label htmlFor={`due-${item.id}`}>Due</label>
                        <input
                          id={`due-${item.id}`}
                          name="dueOn"
                          type="date"
                          defaultValue={item.dueOn}
                          required
                        />
                      </div>
                      <button type="submit" className="button">
                        Save owner and due date
                      </button>
                    </Form>
                  </details>
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

/** Whole days from one calendar date to another. */
function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function dueText(daysLeft: number): string {
  if (daysLeft === 0) return "today";
  if (daysLeft < 0) return `${-daysLeft} day${daysLeft === -1 ? "" : "s"} overdue`;
  return `in ${daysLeft} day${daysLeft === 1 ? "" : "s"}`;
}

function ageText(days: number): string {
  return days <= 0 ? "since today" : `for ${days} day${days === 1 ? "" : "s"}`;
}

export const ErrorBoundary = GeneralErrorBoundary;
