/**
 * The signed-in user's own account: two-factor authentication (enrol with a QR code, recovery
 * codes shown once, turn off), password change, whether notifications are also emailed (per
 * organization), and the sessions that can act as them.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import {
  ChangePasswordInputSchema,
  ConfirmTotpInputSchema,
  DisableTotpInputSchema,
  RevokeSessionInputSchema,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { formatInstant } from "~/utils/format.ts";
import { destroySessionCookie, requireApi, requireUser } from "~/utils/session.server.ts";

const ChangePasswordForm = formSchema(ChangePasswordInputSchema);
const ConfirmTotpForm = formSchema(ConfirmTotpInputSchema);
const PasswordOnlyForm = formSchema(DisableTotpInputSchema);
const RevokeForm = formSchema(RevokeSessionInputSchema);

export const meta: MetaFunction = () => [{ title: "Account · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUser(request);
  const api = await requireApi(request);
  const [sessions, notifications] = await Promise.all([
    api.account.sessions.query(),
    api.alerts.preferences.query(),
  ]);
  return {
    email: me.user.email,
    name: me.user.name,
    secondFactor: me.secondFactor,
    sessions,
    notifications,
  };
}

type Intent =
  | "change-password"
  | "begin-totp"
  | "confirm-totp"
  | "disable-totp"
  | "regenerate-codes"
  | "revoke-session"
  | "sign-out-everywhere"
  | "notification-preferences";

type ActionResult = {
  intent: Intent;
  fieldErrors: Record<string, string[]>;
  formErrors: string[];
  done?: string;
  enrolment?: { secret: string; qrSvg: string };
  recoveryCodes?: string[];
};

function refused(intent: Intent, result: { error?: Record<string, string[] | null> | null }) {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const [name, messages] of Object.entries(result.error ?? {})) {
    if (!messages) continue;
    if (name === "") formErrors.push(...messages);
    else fieldErrors[name] = messages;
  }
  return data<ActionResult>({ intent, fieldErrors, formErrors }, { status: 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  const api = await requireApi(request);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "") as Intent;
  const ok = (extra: Partial<ActionResult>): ActionResult => ({
    intent,
    fieldErrors: {},
    formErrors: [],
    ...extra,
  });

  switch (intent) {
    case "change-password": {
      const submission = parseWithZod(formData, {
        schema: ChangePasswordForm,
        disableAutoCoercion: true,
      });
      if (submission.status !== "success") return refused(intent, submission.reply());
      try {
        await api.account.changePassword.mutate(submission.value);
      } catch (error) {
        return refused(
          intent,
          replyWithApiError(submission, error, ["currentPassword", "newPassword"]),
        );
      }
      return ok({ done: "Password changed. Your other sessions were signed out." });
    }
    case "begin-totp": {
      const enrolment = await api.account.beginTotp.mutate();
      return ok({ enrolment: { secret: enrolment.secret, qrSvg: enrolment.qrSvg } });
    }
    case "confirm-totp": {
      const submission = parseWithZod(formData, {
        schema: ConfirmTotpForm,
        disableAutoCoercion: true,
      });
      if (submission.status !== "success") return refused(intent, submission.reply());
      try {
        const { recoveryCodes } = await api.account.confirmTotp.mutate(submission.value);
        return ok({ recoveryCodes, done: "Two-factor authentication is on." });
      } catch (error) {
        return refused(intent, replyWithApiError(submission, error, ["code"]));
      }
    }
    case "disable-totp":
    case "regenerate-codes": {
      const submission = parseWithZod(formData, {
        schema: PasswordOnlyForm,
        disableAutoCoercion: true,
      });
      if (submission.status !== "success") return refused(intent, submission.reply());
      try {
        if (intent === "disable-totp") {
          await api.account.disableTotp.mutate(submission.value);
          return ok({ done: "Two-factor authentication is off." });
        }
        const { recoveryCodes } = await api.account.regenerateRecoveryCodes.mutate(
          submission.value,
        );
        return ok({
          recoveryCodes,
          done: "New recovery codes made; the old ones stopped working.",
        });
      } catch (error) {
        return refused(intent, replyWithApiError(submission, error, ["currentPassword"]));
      }
    }
    case "revoke-session": {
      const submission = parseWithZod(formData, { schema: RevokeForm, disableAutoCoercion: true });
      if (submission.status !== "success") return refused(intent, submission.reply());
      await api.account.revokeSession.mutate(submission.value);
      return ok({ done: "That session was signed out." });
    }
    case "notification-preferences": {
      const emailOptIn = formData.get("emailOptIn") === "on";
      await api.alerts.updatePreferences.mutate({ emailOptIn });
      return ok({
        done: emailOptIn
          ? "New notifications will also be emailed to you."
          : "Notifications stay in your inbox; none are emailed.",
      });
    }
    case "sign-out-everywhere": {
      await api.account.signOutEverywhere.mutate();
      throw redirect("/login", {
        headers: { "Set-Cookie": await destroySessionCookie(request) },
      });
    }
    default:
      throw new Response("Unknown action.", { status: 400 });
  }
}

function describeSession(session: { userAgent: string | null; method: string | null }) {
  const agent = session.userAgent ?? "Unknown device";
  return session.method ? `${agent} · signed in with ${session.method}` : agent;
}

export default function AccountPage() {
  const { email, name, secondFactor, sessions, notifications } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errorsOf = (intent: Intent, field: string) =>
    result?.intent === intent ? result.fieldErrors[field] : undefined;
  const formErrorsOf = (intent: Intent) =>
    result?.intent === intent ? result.formErrors : undefined;
  const doneOf = (intent: Intent) => (result?.intent === intent ? result.done : undefined);
  const enrolment = result?.enrolment;

  return (
    <div className="stack account-page">
      <header className="page-header">
        <h1>Account</h1>
        <p className="muted">
          {name} · {email}
        </p>
      </header>

      <section className="card stack" aria-labelledby="two-factor">
        <h2 id="two-factor">Two-factor authentication</h2>
        {secondFactor.required && !secondFactor.enabled ? (
          <p className="notice notice--warning" role="alert">
            Your organization requires two-factor authentication for your role. Set it up to
            continue using dn.
          </p>
        ) : null}
        {result?.recoveryCodes ? (
          <div className="stack">
            <p className="notice notice--success">{result.done}</p>
            <p>
              Keep these recovery codes somewhere safe. Each signs you in once if you lose your
              authenticator. They will not be shown again.
            </p>
            <ul className="recovery-codes" aria-label="Recovery codes">
              {result.recoveryCodes.map((code) => (
                <li key={code}>
                  <code>{code}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {secondFactor.enabled ? (
          <>
            <p>
              On. {secondFactor.recoveryCodesLeft} recovery code
              {secondFactor.recoveryCodesLeft === 1 ? "" : "s"} left.
            </p>
            {doneOf("disable-totp") ? <p className="notice">{doneOf("disable-totp")}</p> : null}
            <Form method="post" className="stack account-form">
              <Field
                label="Current password"
                htmlFor="totp-password"
                errorId="totp-password-error"
                errors={
                  errorsOf("disable-totp", "currentPassword") ??
                  errorsOf("regenerate-codes", "currentPassword")
                }
              >
                <input
                  id="totp-password"
                  name="currentPassword"
                  type="password"
                  autoComplete="current-password"
                  required
                />
              </Field>
              <div className="button-row">
                <button
                  type="submit"
                  name="intent"
                  value="regenerate-codes"
                  className="button"
                  disabled={busy}
                >
                  New recovery codes
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="disable-totp"
                  className="button button--danger"
                  disabled={busy}
                >
                  Turn off
                </button>
              </div>
            </Form>
          </>
        ) : enrolment || (result?.intent === "confirm-totp" && !result.recoveryCodes) ? (
          <TotpEnrolmentForm
            enrolment={enrolment}
            errors={errorsOf("confirm-totp", "code")}
            busy={busy}
          />
        ) : (
          <>
            <p>Off. Use an authenticator app (such as 1Password, Google Authenticator or Aegis).</p>
            {doneOf("disable-totp") ? <p className="notice">{doneOf("disable-totp")}</p> : null}
            <Form method="post">
              <button
                type="submit"
                name="intent"
                value="begin-totp"
                className="button button--primary"
                disabled={busy}
              >
                Set up two-factor authentication
              </button>
            </Form>
          </>
        )}
      </section>

      <section className="card stack" aria-labelledby="password">
        <h2 id="password">Password</h2>
        {doneOf("change-password") ? (
          <p className="notice notice--success">{doneOf("change-password")}</p>
        ) : null}
        <Form method="post" className="stack account-form">
          <input type="hidden" name="intent" value="change-password" />
          <ErrorList errors={formErrorsOf("change-password")} />
          <Field
            label="Current password"
            htmlFor="current-password"
            errorId="current-password-error"
            errors={errorsOf("change-password", "currentPassword")}
          >
            <input
              id="current-password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
            />
          </Field>
          <Field
            label="New password"
            htmlFor="new-password"
            hint="At least 12 characters. A few unrelated words make a strong one."
            hintId="new-password-hint"
            errorId="new-password-error"
            errors={errorsOf("change-password", "newPassword")}
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
          <button type="submit" className="button button--primary" disabled={busy}>
            Change password
          </button>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="notification-settings">
        <h2 id="notification-settings">Notifications</h2>
        <p className="muted">
          Your inbox tells you when a record of yours is verified or rejected, when something is
          about to lapse and, for managers, when a possible adverse event is flagged. This setting
          is for this organization only.
        </p>
        {doneOf("notification-preferences") ? (
          <p className="notice notice--success" role="status">
            {doneOf("notification-preferences")}
          </p>
        ) : null}
        <Form method="post" className="stack account-form">
          <input type="hidden" name="intent" value="notification-preferences" />
          <label className="checkbox">
            <input
              type="checkbox"
              name="emailOptIn"
              defaultChecked={notifications.emailOptIn}
              key={String(notifications.emailOptIn)}
            />{" "}
            Also email me each new notification (at {email})
          </label>
          <button type="submit" className="button" disabled={busy}>
            Save notification settings
          </button>
        </Form>
      </section>

      <section className="card stack" aria-labelledby="sessions">
        <h2 id="sessions">Where you are signed in</h2>
        {doneOf("revoke-session") ? <p className="notice">{doneOf("revoke-session")}</p> : null}
        <ul className="session-list">
          {sessions.map((session) => (
            <li key={session.id} className="session-list__item">
              <div>
                <p className="session-list__agent">
                  {describeSession(session)}
                  {session.current ? <strong> (this browser)</strong> : null}
                </p>
                <p className="muted">
                  Signed in {formatInstant(session.createdAt)}
                  {session.lastSeenAt ? ` · last active ${formatInstant(session.lastSeenAt)}` : ""}
                  {session.clientAddress ? ` · from ${session.clientAddress}` : ""}
                </p>
              </div>
              {session.current ? null : (
                <Form method="post">
                  <input type="hidden" name="id" value={session.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="revoke-session"
                    className="button button--quiet"
                    disabled={busy}
                  >
                    Sign out
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        <Form method="post">
          <button
            type="submit"
            name="intent"
            value="sign-out-everywhere"
            className="button button--danger"
            disabled={busy}
          >
            Sign out everywhere
          </button>
        </Form>
      </section>
    </div>
  );
}

function TotpEnrolmentForm({
  enrolment,
  errors,
  busy,
}: {
  enrolment: { secret: string; qrSvg: string } | undefined;
  errors: string[] | undefined;
  busy: boolean;
}) {
  if (!enrolment) {
    // A wrong code: the secret stays the one already scanned, so only the code is asked again.
    return (
      <Form method="post" className="stack account-form">
        <input type="hidden" name="intent" value="confirm-totp" />
        <Field label="6-digit code" htmlFor="totp-code" errorId="totp-code-error" errors={errors}>
          <input id="totp-code" name="code" inputMode="numeric" autoComplete="one-time-code" />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy}>
          Turn on
        </button>
      </Form>
    );
  }
  return (
    <div className="stack">
      <p>Scan this code with your authenticator app, then enter the 6-digit code it shows.</p>
      <div
        className="totp-qr"
        // The SVG is made by the API from our own otpauth URI (no scripts, no links).
        dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }}
      />
      <p className="muted">
        Cannot scan? Enter this key: <code className="totp-secret">{enrolment.secret}</code>
      </p>
      <Form method="post" className="stack account-form">
        <input type="hidden" name="intent" value="confirm-totp" />
        <Field label="6-digit code" htmlFor="totp-code" errorId="totp-code-error" errors={errors}>
          <input id="totp-code" name="code" inputMode="numeric" autoComplete="one-time-code" />
        </Field>
        <button type="submit" className="button button--primary" disabled={busy}>
          Turn on
        </button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
