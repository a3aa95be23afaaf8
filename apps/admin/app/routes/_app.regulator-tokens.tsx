/**
 * Regulator API tokens: read-only access (role auditor) to this organization, optionally to one
 * jurisdiction, expiring and revocable; made by managers and admins. The secret shows once.
 */

import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { systemClock } from "@dn/clock";
import {
  ByIdInputSchema,
  CreateApiTokenInputSchema,
  JURISDICTION_CODES,
  JURISDICTIONS,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { env } from "~/utils/env.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

const CreateFormSchema = formSchema(CreateApiTokenInputSchema);
const RevokeFormSchema = formSchema(ByIdInputSchema);

export const meta: MetaFunction = () => [{ title: "Regulator API tokens · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "read:api-token");
  const api = await requireApi(request);
  const [tokens, key] = await Promise.all([
    api.apiTokens.list.query(),
    api.exports.publicKey.query(),
  ]);
  return {
    tokens,
    organizationId: key.organizationId,
    // The full address a regulator's system uses (DN_PUBLIC_API_URL), not a path on this app.
    apiUrl: env.DN_PUBLIC_API_URL,
    now: systemClock().toISOString(),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "create:api-token");
  const api = await requireApi(request);
  const formData = await readForm(request);
  if (formData.get("intent") === "revoke") {
    const submission = parseWithZod(formData, {
      schema: RevokeFormSchema,
      disableAutoCoercion: true,
    });
    if (submission.status !== "success")
      return data(
        { intent: "revoke" as const, result: submission.reply(), secret: null },
        { status: 400 },
      );
    await api.apiTokens.revoke.mutate(submission.value);
    return {
      intent: "revoke" as const,
      result: submission.reply({ resetForm: true }),
      secret: null,
    };
  }
  const submission = parseWithZod(formData, {
    schema: CreateFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data(
      { intent: "create" as const, result: submission.reply(), secret: null },
      { status: 400 },
    );
  }
  try {
    const created = await api.apiTokens.create.mutate(submission.value);
    return {
      intent: "create" as const,
      result: submission.reply({ resetForm: true }),
      secret: { label: created.token.label, value: created.secret },
    };
  } catch (error) {
    if (!isApiError(error) || apiErrorCode(error) !== "BAD_REQUEST") throw error;
    return data(
      {
        intent: "create" as const,
        result: submission.reply({ fieldErrors: apiFieldErrors(error) }),
        secret: null,
      },
      { status: 400 },
    );
  }
}

function tokenState(token: { revokedAt: string | null; expiresAt: string }, now: string) {
  if (token.revokedAt) return <span className="badge badge--rejected">Revoked</span>;
  if (token.expiresAt <= now) return <span className="badge badge--withdrawn">Expired</span>;
  return <span className="badge badge--verified">Active</span>;
}

export default function RegulatorTokensPage() {
  const { tokens, organizationId, apiUrl, now } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "token",
    lastResult: actionData?.intent === "create" ? actionData.result : undefined,
    defaultValue: { expiresInDays: "30" },
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: CreateFormSchema, disableAutoCoercion: true }),
    shouldValidate: "onBlur",
  });
  return (
    <>
      <p className="breadcrumb">
        <Link to="/exports">Exports</Link>
      </p>
      <div className="page-header">
        <h1>Regulator API tokens</h1>
        <p className="muted">
          Read-only REST access for a regulator's system: verdicts and exports of this organization.
          Every request is recorded in the audit trail.
        </p>
      </div>
      <section className="section card" aria-labelledby="api-address">
        <h2 id="api-address">The API</h2>
        <dl className="api-address">
          <dt>Address</dt>
          <dd>
            <code className="break-anywhere" data-testid="api-url">
              {apiUrl}
            </code>
          </dd>
          <dt>Reference</dt>
          <dd>
            <a href={`${apiUrl}/api/docs`} className="break-anywhere">
              Interactive API reference
            </a>{" "}
            (try each call with a token) ·{" "}
            <a href={`${apiUrl}/openapi.json`} className="break-anywhere">
              OpenAPI document
            </a>
          </dd>
        </dl>
      </section>
      {actionData?.secret ? (
        <div className="notice" role="status">
          <p>
            Token for <strong>{actionData.secret.label}</strong> created. Copy it now: it is not
            shown again.
          </p>
          <p>
            <label htmlFor="new-token-secret">The token</label>{" "}
            <input
              id="new-token-secret"
              type="text"
              readOnly
              value={actionData.secret.value}
              size={60}
            />
          </p>
          <p className="muted">
            Send it as <code>Authorization: Bearer …</code> to{" "}
            <code className="break-anywhere">{apiUrl}/rest/v1/verdicts?asOf=YYYY-MM-DD</code>. The
            bundle-signing key is at{" "}
            <code className="break-anywhere">
              {apiUrl}/.well-known/dn-export-key/{organizationId}
            </code>
            .
          </p>
        </div>
      ) : null}
      <section className="section card" aria-labelledby="new-token">
        <h2 id="new-token">New token</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="create" />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Who it is for"
            htmlFor={fields.label.id}
            errorId={fields.label.errorId}
            errors={fields.label.errors}
          >
            <input {...getInputProps(fields.label, { type: "text" })} maxLength={200} />
          </Field>
          <Field
            label="Limited to jurisdiction (optional)"
            htmlFor={fields.jurisdiction.id}
            errorId={fields.jurisdiction.errorId}
            errors={fields.jurisdiction.errors}
          >
            <select {...getSelectProps(fields.jurisdiction)}>
              <option value="">Every jurisdiction</option>
              {JURISDICTION_CODES.map((code) => (
                <option key={code} value={code}>
                  {JURISDICTIONS[code]} ({code})
                </option>
              ))}
            </select>
          </Field>
          <Field
            label="Expires after (days)"
            htmlFor={fields.expiresInDays.id}
            errorId={fields.expiresInDays.errorId}
            errors={fields.expiresInDays.errors}
          >
            <input {...getInputProps(fields.expiresInDays, { type: "number" })} min={1} max={365} />
          </Field>
          <div className="button-row">
            <button type="submit" className="button button--primary">
              Create token
            </button>
          </div>
        </Form>
      </section>
      <section className="section" aria-labelledby="tokens">
        <h2 id="tokens">Tokens</h2>
        {tokens.length === 0 ? (
          <p className="empty">No tokens yet.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">For</th>
                  <th scope="col">Jurisdiction</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr key={token.id}>
                    <td>{token.label}</td>
                    <td>{token.jurisdiction ?? "All"}</td>
                    <td className="nowrap">{token.createdAt.slice(0, 10)}</td>
                    <td className="nowrap">{token.expiresAt.slice(0, 10)}</td>
                    <td className="nowrap">
                      {token.lastUsedAt?.replace("T", " ").slice(0, 16) ?? "never"}
                    </td>
                    <td>{tokenState(token, now)}</td>
                    <td>
                      {!token.revokedAt ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="id" value={token.id} />
                          <button type="submit" className="button button--danger">
                            Revoke
                            <span className="visually-hidden"> the token for {token.label}</span>
                          </button>
                        </Form>
                      ) : null}
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

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
