/**
 * The organization's own settings (admins): its name, and whether admins and managers must sign
 * in with a second factor. The API refuses to require it before the admin has one themself.
 */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";
import {
  ORGANIZATION_FIELDS,
  OrganizationFormSchema,
  organizationFormDefaults,
} from "~/utils/settings-form.ts";

export const meta: MetaFunction = () => [{ title: "Organization settings · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUserWithPermission(request, "update:organization");
  const api = await requireApi(request);
  return {
    organization: await api.organizations.current.query(),
    ownSecondFactor: me.secondFactor.enabled,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "update:organization");
  const api = await requireApi(request);
  const submission = parseWithZod(await readForm(request), {
    schema: OrganizationFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply(), saved: false }, { status: 400 });
  }
  try {
    await api.organizations.update.mutate(submission.value);
  } catch (error) {
    return data(
      { result: replyWithApiError(submission, error, ORGANIZATION_FIELDS), saved: false },
      { status: 400 },
    );
  }
  return { result: submission.reply(), saved: true };
}

export default function OrganizationSettingsPage() {
  const { organization, ownSecondFactor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "organization",
    lastResult: actionData?.result,
    defaultValue: organizationFormDefaults(organization),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: OrganizationFormSchema, disableAutoCoercion: true }),
  });
  const submitting = navigation.state === "submitting";
  const hintId = `${fields.mfaRequired.id}-hint`;
  return (
    <>
      <div className="page-header">
        <h1>Organization</h1>
        <p className="muted">How your organization is named and how its staff sign in.</p>
      </div>
      {actionData?.saved ? (
        <p className="notice" role="status">
          Saved.
        </p>
      ) : null}
      <section className="card form-card" aria-labelledby="organization-heading">
        <h2 id="organization-heading" className="visually-hidden">
          Organization settings
        </h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Organization name"
            htmlFor={fields.name.id}
            errorId={fields.name.errorId}
            errors={fields.name.errors}
          >
            <input {...getInputProps(fields.name, { type: "text" })} maxLength={200} />
          </Field>
          <div className={fields.mfaRequired.errors?.length ? "field field--invalid" : "field"}>
            <label className="checkbox" htmlFor={fields.mfaRequired.id}>
              <input
                {...getInputProps(fields.mfaRequired, {
                  type: "checkbox",
                  ariaDescribedBy: hintId,
                })}
              />
              <span>Require two-factor sign-in for admins and managers</span>
            </label>
            <p className="hint" id={hintId}>
              Admins and managers without an authenticator app are asked to set one up (under
              Account) before they can do anything else.{" "}
              {ownSecondFactor ? null : (
                <>
                  Turn it on for yourself first: <Link to="/account">Account</Link>.
                </>
              )}
            </p>
            <ErrorList id={fields.mfaRequired.errorId} errors={fields.mfaRequired.errors} />
          </div>
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={submitting}>
              {submitting ? "Saving…" : "Save"}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
