/**
 * The notification inbox (records verified or rejected, deadline alerts, adverse events to
 * follow up), what lapses in the next 90 days, and the personal calendar feed (an .ics address
 * to subscribe to in any calendar app). Email copies are chosen on the account page.
 */
import { DEADLINE_KIND_LABELS, IdSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { readForm } from "~/utils/body-limit.server.ts";
import { formatInstant } from "~/utils/format.ts";
import { hasPermission, hasPermissionOverOthers } from "~/utils/permissions.ts";
import { requireApi, requireUser } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Inbox · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const api = await requireApi(request);
  const [inbox, deadlines] = await Promise.all([
    api.alerts.inbox.query({}),
    api.alerts.deadlines.query({}),
  ]);
  return {
    inbox,
    deadlines,
    canRun: hasPermission(me, "run:alert"),
    ownOnly: !hasPermissionOverOthers(me, "read:practitioner"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUser(request);
  const api = await requireApi(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "read") {
    const id = IdSchema.safeParse(formData.get("id")).data;
    await api.alerts.markRead.mutate(id ? { ids: [id] } : {});
    throw redirect("/inbox");
  }
  if (intent === "run") {
    const { created, emailed } = await api.alerts.run.mutate();
    const mailed = emailed > 0 ? `, ${emailed} emailed` : "";
    return data({
      notice: `${created} new alert${created === 1 ? "" : "s"} raised${mailed}.`,
      feed: null,
    });
  }
  if (intent === "calendar") {
    const feed = await api.alerts.createCalendarFeed.mutate();
    const url = new URL(request.url);
    return data({ notice: null, feed: `${url.origin}${feed.path}` });
  }
  throw new Response("Unknown action.", { status: 400 });
}

export default function InboxPage() {
  const { inbox, deadlines, canRun, ownOnly } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <h1>Inbox</h1>
        <p className="muted">
          {inbox.unread} unread · alerts come 90, 60, 30, 14, 7 and 0 days before something lapses.{" "}
          <Link to="/account#notification-settings">Email settings</Link>
        </p>
      </div>
      {actionData?.notice ? (
        <p className="notice" role="status">
          {actionData.notice}
        </p>
      ) : null}
      <div className="button-row">
        {inbox.unread > 0 ? (
          <Form method="post">
            <input type="hidden" name="intent" value="read" />
            <button type="submit" className="button">
              Mark all read
            </button>
          </Form>
        ) : null}
        {canRun ? (
          <Form method="post">
            <input type="hidden" name="intent" value="run" />
            <button type="submit" className="button">
              Check deadlines now
            </button>
          </Form>
        ) : null}
      </div>

      <section className="section" aria-labelledby="alerts-heading">
        <h2 id="alerts-heading">Notifications</h2>
        {inbox.items.length === 0 ? (
          <p className="empty">No notifications.</p>
        ) : (
          <ul className="stack" aria-label="Notifications">
            {inbox.items.map((n) => (
              <li key={n.id} className="card">
                <p>
                  <strong>{n.readAt ? n.title : `● ${n.title}`}</strong>
                  {n.readAt ? null : <span className="visually-hidden"> (unread)</span>}
                </p>
                <p className="muted">
                  {n.body} · {formatInstant(n.createdAt)}
                </p>
                <div className="button-row">
                  {n.link ? <Link to={n.link}>Open</Link> : null}
                  {n.readAt ? null : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="read" />
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" className="button button--quiet">
                        Mark read<span className="visually-hidden">: {n.title}</span>
                      </button>
                    </Form>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="section" aria-labelledby="deadlines-heading">
        <h2 id="deadlines-heading">Next 90 days</h2>
        {deadlines.length === 0 ? (
          <p className="empty">Nothing lapses in the next 90 days.</p>
        ) : (
          <div className="table-wrap">
            <table className="table table--stack">
              <caption className="visually-hidden">Deadlines in the next 90 days</caption>
              <thead>
                <tr>
                  <th scope="col">Due</th>
                  {ownOnly ? null : <th scope="col">Practitioner</th>}
                  <th scope="col">What</th>
                  <th scope="col" className="num">
                    Days left
                  </th>
                </tr>
              </thead>
              <tbody>
                {deadlines.map((d) => (
                  <tr key={`${d.practitionerId}-${d.kind}-${d.due}-${d.requirementId ?? ""}`}>
                    <td className="nowrap" data-label="Due">
                      {d.due}
                    </td>
                    {ownOnly ? null : <td data-label="Practitioner">{d.practitionerName}</td>}
                    <th scope="row">
                      {DEADLINE_KIND_LABELS[d.kind]}
                      <span className="muted record-meta">{d.title}</span>
                    </th>
                    <td className="num" data-label="Days left">
                      {d.daysLeft}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card section" aria-labelledby="calendar-heading">
        <h2 id="calendar-heading">Calendar feed</h2>
        <p className="muted">
          Subscribe to your deadlines from any calendar app. Creating a new address turns the old
          one off.
        </p>
        {actionData?.feed ? (
          <p>
            <label htmlFor="feed-url">Your calendar address</label>
            <input id="feed-url" type="text" readOnly value={actionData.feed} className="wide" />
          </p>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="calendar" />
          <button type="submit" className="button">
            Create calendar address
          </button>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
