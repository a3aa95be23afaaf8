/**
 * Accepting an invitation from its emailed link (public). Shows the organization, the address
 * and the role; someone new chooses a name and a password (the policy's refusals appear by the
 * field), someone with a login gives its password. Then they are signed in and sent home, or on
 * to the second step when their login has two-factor authentication.
 */
import { OneTimeTokenSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
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
import { formatInstant } from "~/utils/format.ts";
import { ROLE_LABELS } from "~/utils/permissions.ts";
import { commitChallenge, commitToken } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Accept invitation · dn admin" }];

const INVALID_LINK = "This invitation link is not valid any more: ask for a new one.";

/** What the form sends; the API applies the real rules (name, password policy). */
const AcceptForm = z.object({
  name: z.string().trim().max(200).optional(),
  password: z.string().max(4096).optional(),
});

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const token = OneTimeTokenSchema.safeParse(params.token).data;
  if (!token) return { preview: null, problem: INVALID_LINK };
  try {
    const preview = await createPlainApi(
      null,
      clientAddressOf(request, context),
    ).invitations.preview.query({
      token,
    });
    return { preview, problem: null };
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND" || code === "BAD_REQUEST") {
      return { preview: null, problem: INVALID_LINK };
    }
    throw error;
  }
}

type ActionResult = { fieldErrors: Record<string, string[]>; formErrors: string[] };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = OneTimeTokenSchema.safeParse(params.token).data;
  const refuse = (result: Partial<ActionResult>, status = 400) =>
    data<ActionResult>({ fieldErrors: {}, formErrors: [], ...result }, { status });
  if (!token) return refuse({ formErrors: [INVALID_LINK] }, 404);
  const parsed = AcceptForm.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return refuse({ formErrors: ["The form could not be read. Try again."] });
  const { name, password } = parsed.data;
  if (!password) return refuse({ fieldErrors: { password: ["is required"] } });

  let result: ApiOutputs["invitations"]["accept"];
  try {
    result = await createPlainApi(
      null,
      clientAddressOf(request, context),
    ).invitations.accept.mutate({
      token,
      name: name || undefined,
      password,
    });
  } catch (error) {
    const code = apiErrorCode(error);
    if (code === "NOT_FOUND") return refuse({ formErrors: [INVALID_LINK] }, 404);
    if (code === "BAD_REQUEST") {
      const fieldErrors = apiFieldErrors(error);
      const shown = Object.fromEntries(
        Object.entries(fieldErrors).filter(([field]) => field === "name" || field === "password"),
      );
      return Object.keys(shown).length > 0
        ? refuse({ fieldErrors: shown })
        : refuse({ formErrors: [apiErrorMessage(error)] });
    }
    const statuses: Record<string, number> = {
      CONFLICT: 409,
      FORBIDDEN: 403,
      TOO_MANY_REQUESTS: 429,
    };
    const status = code ? statuses[code] : undefined;
    if (status) return refuse({ formErrors: [apiErrorMessage(error)] }, status);
    throw error;
  }
  if (result.status === "second-factor-required") {
    throw redirect("/login/second-factor", {
      headers: { "Set-Cookie": await commitChallenge(request, result.challenge, result.expiresAt) },
    });
  }
  // The start page depends on what the user may do, which "/" reads from auth.me.
  throw redirect("/", {
    headers: { "Set-Cookie": await commitToken(request, result.token, result.expiresAt) },
  });
}

export default function AcceptInvitationPage() {
  const { preview, problem } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";
  const errors = (field: string) => result?.fieldErrors[field];
  const invalid = (field: string, errorId: string, hintId?: string) => ({
    "aria-invalid": errors(field) ? (true as const) : undefined,
    "aria-describedby": errors(field) ? errorId : hintId,
  });

  return (
    <main id="main" className="login">
      <div className="login__card stack">
        <p className="brand brand--large">
          <span className="brand__mark" aria-hidden="true">
            dn
          </span>
          <span>Dry-needling qualifications</span>
        </p>
        {!preview ? (
          <>
            <h1>Invitation</h1>
            <p role="alert">{problem}</p>
            <p>
              <Link to="/login">Log in</Link>
            </p>
          </>
        ) : (
          <>
            <h1>Join {preview.organizationName}</h1>
            <dl className="facts facts--compact">
              <div>
                <dt>Email</dt>
                <dd className="facts__email">{preview.email}</dd>
              </div>
              <div>
                <dt>Role</dt>
                <dd>{ROLE_LABELS[preview.role]}</dd>
              </div>
              <div>
                <dt>Link works until</dt>
                <dd>{formatInstant(preview.expiresAt)}</dd>
              </div>
            </dl>
            <Form method="post" className="stack">
              <ErrorList errors={result?.formErrors} />
              {preview.hasAccount ? (
                <p className="hint">
                  You already have a dn account with this address. Enter its password to join.
                </p>
              ) : (
                <Field
                  label="Your name"
                  htmlFor="invite-name"
                  errorId="invite-name-error"
                  errors={errors("name")}
                >
                  <input
                    id="invite-name"
                    name="name"
                    type="text"
                    autoComplete="name"
                    maxLength={200}
                    required
                    {...invalid("name", "invite-name-error")}
                  />
                </Field>
              )}
              <input type="hidden" name="username" value={preview.email} autoComplete="username" />
              <Field
                label={preview.hasAccount ? "Password" : "Choose a password"}
                htmlFor="invite-password"
                hint={
                  preview.hasAccount
                    ? undefined
                    : "At least 12 characters. A few unrelated words make a strong one."
                }
                hintId={preview.hasAccount ? undefined : "invite-password-hint"}
                errorId="invite-password-error"
                errors={errors("password")}
              >
                <input
                  id="invite-password"
                  name="password"
                  type="password"
                  autoComplete={preview.hasAccount ? "current-password" : "new-password"}
                  required
                  {...invalid(
                    "password",
                    "invite-password-error",
                    preview.hasAccount ? undefined : "invite-password-hint",
                  )}
                />
              </Field>
              <button type="submit" className="button button--primary" disabled={submitting}>
                {submitting ? "Joining…" : `Join ${preview.organizationName}`}
              </button>
            </Form>
          </>
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
