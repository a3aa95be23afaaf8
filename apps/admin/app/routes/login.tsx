import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { LoginInputSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import {
  type ApiOutputs,
  apiErrorCode,
  apiErrorMessage,
  apiFieldErrors,
  createPlainApi,
} from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import {
  commitChallenge,
  commitToken,
  destroySessionCookie,
  findSignedInUser,
  getSessionToken,
  homePathFor,
} from "~/utils/session.server.ts";
import { redirectToSetupWhenNeeded } from "~/utils/setup.server.ts";

const LoginFormSchema = formSchema(LoginInputSchema);

export const meta: MetaFunction = () => [{ title: "Log in · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await findSignedInUser(request);
  if (me) throw redirect(homePathFor(me));
  // A fresh installation has nobody to sign in yet: it starts with the set-up page.
  await redirectToSetupWhenNeeded();
  // A stored token the API no longer accepts: forget it.
  if (await getSessionToken(request)) {
    return data(null, { headers: { "Set-Cookie": await destroySessionCookie(request) } });
  }
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: LoginFormSchema, disableAutoCoercion: true });
  if (submission.status !== "success") {
    return data(submission.reply({ hideFields: ["password"] }), { status: 400 });
  }
  let session: ApiOutputs["auth"]["login"];
  try {
    session = await createPlainApi(null, clientAddressOf(request, context)).auth.login.mutate(
      submission.value,
    );
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "UNAUTHORIZED") {
      return data(
        submission.reply({ formErrors: ["Wrong email or password."], hideFields: ["password"] }),
        { status: 401 },
      );
    }
    if (code === "TOO_MANY_REQUESTS" || code === "FORBIDDEN") {
      return data(
        submission.reply({ formErrors: [apiErrorMessage(error)], hideFields: ["password"] }),
        { status: code === "FORBIDDEN" ? 403 : 429 },
      );
    }
    if (code === "BAD_REQUEST") {
      return data(
        submission.reply({ fieldErrors: apiFieldErrors(error), hideFields: ["password"] }),
        { status: 400 },
      );
    }
    throw error;
  }
  if (session.status === "second-factor-required") {
    throw redirect("/login/second-factor", {
      headers: {
        "Set-Cookie": await commitChallenge(request, session.challenge, session.expiresAt),
      },
    });
  }
  // The start page depends on what the user may do, which "/" reads from auth.me.
  throw redirect("/", {
    headers: { "Set-Cookie": await commitToken(request, session.token, session.expiresAt) },
  });
}

export default function LoginPage() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "login",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: LoginFormSchema, disableAutoCoercion: true }),
  });
  const submitting = navigation.state === "submitting";
  const [searchParams] = useSearchParams();

  return (
    <main id="main" className="login">
      <div className="login__card">
        <p className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            dn
          </span>
          <span>Dry-needling qualifications</span>
        </p>
        <h1>Log in</h1>
        <Form method="post" {...getFormProps(form)} className="stack">
          {searchParams.get("reset") ? (
            <p className="notice" role="status">
              Your password was changed. Log in with the new one.
            </p>
          ) : null}
          <ErrorList id={form.errorId} errors={form.errors} />
          <Field
            label="Email"
            htmlFor={fields.email.id}
            errorId={fields.email.errorId}
            errors={fields.email.errors}
          >
            <input
              {...getInputProps(fields.email, { type: "email" })}
              autoComplete="username"
              // biome-ignore lint/a11y/noAutofocus: the login form is the whole page
              autoFocus
            />
          </Field>
          <Field
            label="Password"
            htmlFor={fields.password.id}
            errorId={fields.password.errorId}
            errors={fields.password.errors}
          >
            <input
              {...getInputProps(fields.password, { type: "password" })}
              autoComplete="current-password"
            />
          </Field>
          <button type="submit" className="button button--primary" disabled={submitting}>
            {submitting ? "Logging in…" : "Log in"}
          </button>
        </Form>
        <p className="login__links">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <p className="login__links muted">
          Your organization uses single sign-on? Use the sign-in link it gave you.
        </p>
      </div>
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
