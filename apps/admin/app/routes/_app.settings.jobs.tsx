/**
 * Background jobs that used up their retries (admins): an export, a day's alerts or digests that
 * kept failing, with the reason; each can be put back in its queue once the cause is fixed.
 */
import { RetryDeadJobInputSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { readForm } from "~/utils/body-limit.server.ts";
import { formatInstant } from "~/utils/format.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Background jobs · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "read:job");
  const api = await requireApi(request);
  return { dead: await api.jobs.dead.query() };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "run:job");
  const parsed = RetryDeadJobInputSchema.safeParse({ id: (await readForm(request)).get("id") });
  if (!parsed.success)
    return data({ retried: null, error: "Choose a job to retry." }, { status: 400 });
  const api = await requireApi(request);
  await api.jobs.retry.mutate(parsed.data);
  return { retried: parsed.data.id, error: null };
}

export default function BackgroundJobsPage() {
  const { dead } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <div className="page-header">
        <h1>Background jobs</h1>
        <p className="muted">
          Exports, daily deadline alerts and email digests run in the background and are retried
          with growing pauses when they fail. Those that failed every attempt are listed here with
          the reason; retry one once its cause is fixed.
        </p>
      </div>
      {actionData?.retried ? (
        <div className="notice" role="status">
          <p>The job is back in its queue.</p>
        </div>
      ) : null}
      {actionData?.error ? (
        <p className="field-error" role="alert">
          {actionData.error}
        </p>
      ) : null}
      <section className="section" aria-labelledby="dead-jobs">
        <h2 id="dead-jobs">Failed jobs</h2>
        {dead.length === 0 ? (
          <p className="empty">No failed jobs: everything that was queued has run.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Failed</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {dead.map((job) => (
                  <tr key={job.id}>
                    <td data-label="Job">{job.subject}</td>
                    <td data-label="Attempts">{job.attempts}</td>
                    <td data-label="Reason">{job.error ?? "no reason recorded"}</td>
                    <td data-label="Failed" className="nowrap">
                      {job.failedAt ? formatInstant(job.failedAt) : "–"}
                    </td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="id" value={job.id} />
                        <button type="submit" className="button">
                          Retry<span className="visually-hidden"> {job.subject}</span>
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
