/** Asks for a password reset link by email; the answer is the same whether the email exists. */
import { parseWithZod } from "@conform-to/zod/v4";
import { RequestPasswordResetInputSchema } from "@dn/schema";
import { type ActionFunctionArgs, data, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { Field } from "~/components/forms.tsx";
import { apiErrorCode, apiErrorMessage, createPlainApi } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { clientAddressOf } from "~/utils/client-address.server.ts";
import { formSchema } from "~/utils/form-schema.ts";

const ResetRequestForm = formSchema(RequestPasswordResetInputSchema);

export const meta: MetaFunction = () => [{ title: "Reset your password · dn admin" }];

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await readForm(request), {
    schema: ResetRequestForm,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ sent: false, errors: submission.reply().error?.email ?? [] }, { status: 400 });
  }
  try {
    await createPlainApi(null, clientAddressOf(request, context)).auth.requestPasswordReset.mutate(
      submission.value,
    );
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "TOO_MANY_REQUESTS" || code === "BAD_REQUEST") {
      return data({ sent: false, errors: [apiErrorMessage(error)] }, { status: 400 });
    }
    throw error;
  }
  return { sent: true, errors: [] as string[] };
}

export default function ForgotPasswordPage() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <main id="main" className="login">
      <div className="login__card stack">
        <h1>Reset your password</h1>
        {result?.sent ? (
          <p className="notice" role="status">
            If an account uses that address, we have sent it a link to choose a new password. The
            link works for 30 minutes.
          </p>
        ) : (
          <Form method="post" className="stack">
            <Field label="Email" htmlFor="email" errorId="email-error" errors={result?.errors}>
              <input id="email" name="email" type="email" autoComplete="username" required />
            </Field>
            <button
              type="submit"
              className="button button--primary"
              disabled={navigation.state === "submitting"}
            >
              Email me a link
            </button>
          </Form>
        )}
        <p>
          <Link to="/login">Back to log in</Link>
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
