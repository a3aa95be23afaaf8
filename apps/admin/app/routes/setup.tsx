/**
 * The first run: on an installation without any organization, this public page creates the
 * organization, its first clinic and the first admin, and signs the admin in. Once an
 * organization exists it only sends visitors to the login page (the API refuses a second set-up).
 */
import { getFieldsetProps, getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ClinicFields } from "~/components/clinic-fields.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { type ApiOutputs, apiErrorCode, createPlainApi } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { commitToken } from "~/utils/session.server.ts";
import { setupIsNeeded } from "~/utils/setup.server.ts";
import { SETUP_FIELDS, SetupFormSchema, setupInputOf } from "~/utils/setup-form.ts";
import { timeZoneChoices } from "~/utils/time-zones.ts";

export const meta: MetaFunction = () => [{ title: "Set up dn · dn admin" }];

export async function loader(_: LoaderFunctionArgs) {
  if (!(await setupIsNeeded())) throw redirect("/login");
  return { timeZones: timeZoneChoices() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), {
    schema: SetupFormSchema,
    disableAutoCoercion: true,
  });
  const hideFields = ["admin.password", "admin.passwordAgain"];
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields }), { status: 400 });
  }
  let session: ApiOutputs["setup"]["createOrganization"];
  try {
    session = await createPlainApi(
      null,
      clientAddressOf(request, context),
    ).setup.createOrganization.mutate(setupInputOf(submission.value));
  } catch (error) {
    // Someone finished the set-up first: this installation is theirs now.
    if (apiErrorCode(error) === "FORBIDDEN") throw redirect("/login");
    // The passwords are never sent back to the browser, refused or not.
    const withoutPasswords = {
      reply: (options?: Parameters<typeof submission.reply>[0]) =>
        submission.reply({ ...options, hideFields }),
    };
    return data(replyWithApiError(withoutPasswords, error, SETUP_FIELDS), { status: 400 });
  }
  // The start page depends on what the user may do, which "/" reads from auth.me.
  throw redirect("/", {
    headers: { "Set-Cookie": await commitToken(request, session.token, session.expiresAt) },
  });
}

export default function SetupPage() {
  const { timeZones } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "setup",
    lastResult,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: SetupFormSchema, disableAutoCoercion: true }),
  });
  const clinic = fields.clinic.getFieldset();
  const admin = fields.admin.getFieldset();
  const submitting = navigation.state === "submitting";

  return (
    <main id="main" className="page page--narrow">
      <p className="brand brand--large">
        <span className="brand__mark" aria-hidden="true">
          dn
        </span>
        <span>Dry-needling qualifications</span>
      </p>
      <div className="page-header">
        <h1>Set up dn</h1>
        <p className="muted">
          This installation has no organization yet. Name yours, its first clinic and the first
          administrator; you can add clinics and invite people afterwards.
        </p>
      </div>
      <Form method="post" {...getFormProps(form)} className="stack">
        <ErrorList id={form.errorId} errors={form.errors} />
        <section className="card form-card stack" aria-labelledby="setup-organization-heading">
          <h2 id="setup-organization-heading">Organization</h2>
          <Field
            label="Organization name"
            htmlFor={fields.organizationName.id}
            errorId={fields.organizationName.errorId}
            errors={fields.organizationName.errors}
          >
            <input
              {...getInputProps(fields.organizationName, { type: "text" })}
              maxLength={200}
              autoComplete="organization"
            />
          </Field>
        </section>
        <fieldset
          {...getFieldsetProps(fields.clinic)}
          className="card form-card stack"
          aria-labelledby="setup-clinic-heading"
        >
          <h2 id="setup-clinic-heading">First clinic</h2>
          <ClinicFields
            fields={{
              name: clinic.name,
              jurisdiction: clinic.jurisdiction,
              timeZone: clinic.timeZone,
            }}
            timeZones={timeZones}
          />
        </fieldset>
        <fieldset
          {...getFieldsetProps(fields.admin)}
          className="card form-card stack"
          aria-labelledby="setup-admin-heading"
        >
          <h2 id="setup-admin-heading">First administrator</h2>
          <Field
            label="Your name"
            htmlFor={admin.name.id}
            errorId={admin.name.errorId}
            errors={admin.name.errors}
          >
            <input {...getInputProps(admin.name, { type: "text" })} autoComplete="name" />
          </Field>
          <Field
            label="Your email"
            htmlFor={admin.email.id}
            errorId={admin.email.errorId}
            errors={admin.email.errors}
          >
            <input {...getInputProps(admin.email, { type: "email" })} autoComplete="username" />
          </Field>
          <Field
            label="Password"
            htmlFor={admin.password.id}
            hint="At least 12 characters. A few unrelated words are easy to remember and hard to guess."
            hintId={`${admin.password.id}-hint`}
            errorId={admin.password.errorId}
            errors={admin.password.errors}
          >
            <input
              {...getInputProps(admin.password, {
                type: "password",
                ariaDescribedBy: `${admin.password.id}-hint`,
              })}
              autoComplete="new-password"
            />
          </Field>
          <Field
            label="Password again"
            htmlFor={admin.passwordAgain.id}
            errorId={admin.passwordAgain.errorId}
            errors={admin.passwordAgain.errors}
          >
            <input
              {...getInputProps(admin.passwordAgain, { type: "password" })}
              autoComplete="new-password"
            />
          </Field>
        </fieldset>
        <div className="button-row">
          <button type="submit" className="button button--primary" disabled={submitting}>
            {submitting ? "Setting up…" : "Create the organization"}
          </button>
        </div>
      </Form>
    </main>
  );
}

export function ErrorBoundary() {
  return (
    <main id="main" className="page page--narrow">
      <GeneralErrorBoundary />
    </main>
  );
}
