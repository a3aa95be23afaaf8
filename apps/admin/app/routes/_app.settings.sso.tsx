/**
 * Single sign-on settings (admins): the organization's OpenID Connect providers. Adding one
 * checks its discovery document at once; each live provider has a sign-in link to give staff,
 * who are matched to their membership by the email address the provider verified.
 */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { ByIdInputSchema, CreateOidcProviderInputSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { placeFieldErrors } from "~/utils/field-errors.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

const CreateFormSchema = formSchema(CreateOidcProviderInputSchema);
const ArchiveFormSchema = formSchema(ByIdInputSchema);
const SHOWN_FIELDS = ["name", "issuer", "clientId", "clientSecret"] as const;

export const meta: MetaFunction = () => [{ title: "Single sign-on · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "read:oidc-provider");
  const api = await requireApi(request);
  const providers = await api.sso.providers.list.query();
  // What /sso/<provider> sends as the redirect URI: the address the provider must allow.
  return { providers, callbackUrl: new URL("/sso/callback", request.url).href };
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const archiving = formData.get("intent") === "archive";
  await requireUserWithPermission(
    request,
    archiving ? "archive:oidc-provider" : "create:oidc-provider",
  );
  const api = await requireApi(request);
  if (archiving) {
    const submission = parseWithZod(formData, {
      schema: ArchiveFormSchema,
      disableAutoCoercion: true,
    });
    if (submission.status !== "success") {
      return data(
        { intent: "archive" as const, result: submission.reply(), added: null },
        { status: 400 },
      );
    }
    await api.sso.providers.archive.mutate(submission.value);
    return { intent: "archive" as const, result: submission.reply(), added: null };
  }
  const submission = parseWithZod(formData, {
    schema: CreateFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data(
      {
        intent: "create" as const,
        result: submission.reply({ hideFields: ["clientSecret"] }),
        added: null,
      },
      { status: 400 },
    );
  }
  try {
    const provider = await api.sso.providers.create.mutate(submission.value);
    return {
      intent: "create" as const,
      result: submission.reply({ resetForm: true }),
      added: { name: provider.name, signInUrl: provider.signInUrl },
    };
  } catch (error) {
    const code = apiErrorCode(error);
    if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
    const placed = placeFieldErrors(apiFieldErrors(error), SHOWN_FIELDS, error.message);
    return data(
      {
        intent: "create" as const,
        // The secret is never sent back to the page, not even to refill the form.
        result: submission.reply({ ...placed, hideFields: ["clientSecret"] }),
        added: null,
      },
      { status: code === "CONFLICT" ? 409 : 400 },
    );
  }
}

export default function SingleSignOnSettingsPage() {
  const { providers, callbackUrl } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "oidc-provider",
    lastResult: actionData?.intent === "create" ? actionData.result : undefined,
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: CreateFormSchema, disableAutoCoercion: true }),
    shouldValidate: "onBlur",
  });
  return (
    <>
      <div className="page-header">
        <h1>Single sign-on</h1>
        <p className="muted">
          Staff can sign in with your organization's identity provider (OpenID Connect). They are
          matched to their membership here by the email address the provider has verified; people
          without a membership must still be invited.
        </p>
      </div>
      {actionData?.added ? (
        <div className="notice" role="status">
          <p>
            <strong>{actionData.added.name}</strong> added. Give staff this sign-in link:{" "}
            <code>{actionData.added.signInUrl}</code>
          </p>
        </div>
      ) : null}
      <section className="section card" aria-labelledby="new-provider">
        <h2 id="new-provider">Add an identity provider</h2>
        <p className="muted">
          Register dn as a web application (confidential client, authorization code flow) at your
          provider with this redirect URI: <code>{callbackUrl}</code>
        </p>
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="create" />
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Name staff know it by"
            htmlFor={fields.name.id}
            errorId={fields.name.errorId}
            errors={fields.name.errors}
          >
            <input {...getInputProps(fields.name, { type: "text" })} maxLength={200} />
          </Field>
          <Field
            label="Issuer URL"
            htmlFor={fields.issuer.id}
            hint="For example https://login.example.org. dn reads its discovery document now."
            hintId={`${fields.issuer.id}-hint`}
            errorId={fields.issuer.errorId}
            errors={fields.issuer.errors}
          >
            <input {...getInputProps(fields.issuer, { type: "url" })} maxLength={500} />
          </Field>
          <Field
            label="Client ID"
            htmlFor={fields.clientId.id}
            errorId={fields.clientId.errorId}
            errors={fields.clientId.errors}
          >
            <input
              {...getInputProps(fields.clientId, { type: "text" })}
              autoComplete="off"
              maxLength={255}
            />
          </Field>
          <Field
            label="Client secret"
            htmlFor={fields.clientSecret.id}
            errorId={fields.clientSecret.errorId}
            errors={fields.clientSecret.errors}
          >
            <input
              {...getInputProps(fields.clientSecret, { type: "password" })}
              autoComplete="new-password"
              maxLength={1000}
            />
          </Field>
          <div className="button-row">
            <button type="submit" className="button button--primary">
              Add provider
            </button>
          </div>
        </Form>
      </section>
      <section className="section" aria-labelledby="providers">
        <h2 id="providers">Identity providers</h2>
        {providers.length === 0 ? (
          <p className="empty">No identity providers yet: everyone signs in with a password.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Issuer</th>
                  <th scope="col">Client ID</th>
                  <th scope="col">Sign-in link for staff</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {providers.map((provider) => (
                  <tr key={provider.id}>
                    <td>{provider.name}</td>
                    <td>
                      <code>{provider.issuer}</code>
                    </td>
                    <td>
                      <code>{provider.clientId}</code>
                    </td>
                    <td>
                      {provider.archivedAt ? (
                        <span className="badge badge--withdrawn">
                          Archived {provider.archivedAt.slice(0, 10)}
                        </span>
                      ) : (
                        <input
                          type="text"
                          readOnly
                          value={provider.signInUrl}
                          size={40}
                          aria-label={`Sign-in link for ${provider.name}`}
                        />
                      )}
                    </td>
                    <td className="nowrap">{provider.createdAt.slice(0, 10)}</td>
                    <td>
                      {provider.archivedAt ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="archive" />
                          <input type="hidden" name="id" value={provider.id} />
                          <button type="submit" className="button button--danger">
                            Archive<span className="visually-hidden"> {provider.name}</span>
                          </button>
                        </Form>
                      )}
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
