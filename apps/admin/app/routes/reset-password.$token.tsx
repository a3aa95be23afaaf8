/** Chooses a new password from an emailed reset link (single use, 30 minutes). */
import { parseWithZod } from "@conform-to/zod/v4";
import { PasswordSchema } from "@dn/schema";
import { type ActionFunctionArgs, data, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { apiErrorCode, apiFieldErrors, createPlainApi } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";

const ResetForm = z.object({ newPassword: PasswordSchema });

export const meta: MetaFunction = () => [{ title: "Choose a new password · dn admin" }];

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), { schema: ResetForm });
  if (submission.status !== "success") {
    return data({ fieldErrors: submission.reply().error ?? {} }, { status: 400 });
  }
  try {
    await createPlainApi(null, clientAddressOf(request, context)).auth.resetPassword.mutate({
      token: params.token ?? "",
      newPassword: submission.value.newPassword,
    });
  } catch (error) {
    if (apiErrorCode(error) === "BAD_REQUEST") {
      return data({ fieldErrors: apiFieldErrors(error) }, { status: 400 });
    }
    throw error;
  }
  throw redirect("/login?reset=1");
}

export default function ResetPasswordPage() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = (result?.fieldErrors ?? {}) as Record<string, string[] | undefined>;
  return (
    <main id="main" className="login">
      <div className="login__card stack">
        <h1>Choose a new password</h1>
        <ErrorList errors={errors.token} />
        {errors.token ? (
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        ) : null}
        <Form method="post" className="stack">
          <Field
            label="New password"
            htmlFor="new-password"
            hint="At least 12 characters. A few unrelated words make a strong one."
            hintId="new-password-hint"
            errorId="new-password-error"
            errors={errors.newPassword}
          >
            <input
              id="new-password"
              name="newPassword"
              type="password"
              autoComplete="new-password"
              aria-describedby="new-password-hint"
              required
            />
          </Field>
          <button
            type="submit"
            className="button button--primary"
            disabled={navigation.state === "submitting"}
          >
            Set password
          </button>
        </Form>
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
