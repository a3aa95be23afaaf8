/** The second step of signing in: the authenticator app's code, or a recovery code. */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { apiErrorCode, apiErrorMessage, createPlainApi } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";
import { commitToken, destroySessionCookie, getChallenge } from "~/utils/session.server.ts";

const SecondFactorFormSchema = z.object({
  code: z.string().trim().max(64).optional(),
  recoveryCode: z.string().trim().max(64).optional(),
});

export const meta: MetaFunction = () => [{ title: "Two-factor sign-in · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (!(await getChallenge(request))) throw redirect("/login");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const challenge = await getChallenge(request);
  if (!challenge) throw redirect("/login");
  const formData = await readForm(request);
  const submission = parseWithZod(formData, { schema: SecondFactorFormSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { code, recoveryCode } = submission.value;
  if (!code && !recoveryCode) {
    return data(
      submission.reply({ fieldErrors: { code: ["Enter the 6-digit code from your app."] } }),
      { status: 400 },
    );
  }
  try {
    const session = await createPlainApi(
      null,
      clientAddressOf(request, context),
    ).auth.verifySecondFactor.mutate(code ? { challenge, code } : { challenge, recoveryCode });
    // The start page depends on what the user may do, which "/" reads from auth.me.
    throw redirect("/", {
      headers: { "Set-Cookie": await commitToken(request, session.token, session.expiresAt) },
    });
  } catch (error) {
    if (error instanceof Response) throw error;
    const code = apiErrorCode(error);
    if (code === "UNAUTHORIZED" || code === "TOO_MANY_REQUESTS") {
      // The challenge is spent: the person signs in again from the start.
      return data(
        {
          ...submission.reply({ formErrors: [apiErrorMessage(error)] }),
          restart: true as const,
        },
        {
          status: code === "UNAUTHORIZED" ? 401 : 429,
          headers: { "Set-Cookie": await destroySessionCookie(request) },
        },
      );
    }
    throw error;
  }
}

export default function SecondFactorPage() {
  const lastResult = useActionData<typeof action>();
  const navigation = useNavigation();
  const [useRecovery, setUseRecovery] = useState(false);
  const [form, fields] = useForm({
    id: "second-factor",
    lastResult,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SecondFactorFormSchema }),
  });
  const restart = lastResult && "restart" in lastResult;

  return (
    <main id="main" className="login">
      <div className="login__card">
        <h1>Two-factor sign-in</h1>
        <ErrorList id={form.errorId} errors={form.errors} />
        {restart ? (
          <p>
            <Link to="/login" className="button button--primary">
              Sign in again
            </Link>
          </p>
        ) : (
          <Form method="post" {...getFormProps(form)} className="stack">
            {useRecovery ? (
              <Field
                label="Recovery code"
                htmlFor={fields.recoveryCode.id}
                errorId={fields.recoveryCode.errorId}
                errors={fields.recoveryCode.errors}
              >
                <input
                  {...getInputProps(fields.recoveryCode, { type: "text" })}
                  autoComplete="off"
                />
              </Field>
            ) : (
              <Field
                label="Code from your authenticator app"
                htmlFor={fields.code.id}
                errorId={fields.code.errorId}
                errors={fields.code.errors}
              >
                <input
                  {...getInputProps(fields.code, { type: "text" })}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  // biome-ignore lint/a11y/noAutofocus: the code is the whole page
                  autoFocus
                />
              </Field>
            )}
            <button
              type="submit"
              className="button button--primary"
              disabled={navigation.state === "submitting"}
            >
              Verify
            </button>
            <button type="button" className="button" onClick={() => setUseRecovery(!useRecovery)}>
              {useRecovery ? "Use the authenticator app instead" : "Use a recovery code instead"}
            </button>
          </Form>
        )}
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
