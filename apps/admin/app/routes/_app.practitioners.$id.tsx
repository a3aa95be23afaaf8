import { getFormProps, getInputProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import {
  ByIdInputSchema,
  CreateInvitationInputSchema,
  IdSchema,
  JURISDICTIONS,
  type LoginStatus,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList } from "~/components/forms.tsx";
import { LicenseFields } from "~/components/license-fields.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { RecordsTable } from "~/components/records-table.tsx";
import { apiErrorCode, apiErrorMessage } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { formatInstant } from "~/utils/format.ts";
import {
  LICENSE_FIELDS,
  LICENSE_STATUS_LABELS,
  NewLicenseFormSchema,
} from "~/utils/license-form.ts";
import {
  isUnsentInvitation,
  LOGIN_STATUS_LABELS,
  type LoginAction,
  loginActionsFor,
} from "~/utils/people.ts";
import { hasPermission } from "~/utils/permissions.ts";
import { PROFESSION_LABELS } from "~/utils/practitioner-form.ts";
import { requireApi, requireUserWithPermissionOverOthers } from "~/utils/session.server.ts";

const ArchiveFormSchema = formSchema(ByIdInputSchema);
const InviteLoginFormSchema = formSchema(CreateInvitationInputSchema);
/** The login actions: what they act on comes from the API's login status, never the form. */
const LOGIN_INTENTS = {
  "resend-invitation": "invitation",
  "revoke-invitation": "invitation",
  "deactivate-login": "membership",
  "reactivate-login": "membership",
} as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.practitioner.name ?? "Practitioner"} · dn admin` },
];

function requireId(param: string | undefined): string {
  const id = IdSchema.safeParse(param).data;
  if (!id) throw new Response("No practitioner has this address.", { status: 404 });
  return id;
}

const DONE: Record<string, string> = {
  create: "Practitioner added. Add their licenses below.",
  update: "Details saved.",
  archive: "Practitioner archived. Their records and licenses stay on file.",
  "license-create": "License added.",
  "license-update": "License saved.",
  "invite-login": "Invitation sent. The link in it works once, for 7 days.",
  "unsent-login":
    "The invitation was saved, but the email could not be sent: resend it from the login line.",
  "resend-invitation": "Invitation sent again with a new link; the old link no longer works.",
  "revoke-invitation": "Invitation revoked: its link no longer works.",
  "deactivate-login": "Login deactivated. Their sessions ended at once.",
  "reactivate-login": "Login reactivated: they can sign in again.",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const me = await requireUserWithPermissionOverOthers(request, "read:practitioner");
  const id = requireId(params.id);
  const api = await requireApi(request);
  const url = new URL(request.url);
  const cursor = url.searchParams.get("cursor") || null;
  const [practitioner, records, loginStatus] = await Promise.all([
    api.practitioners.byId.query({ id }),
    api.records.list.query({ practitionerId: id, cursor, limit: 50 }),
    api.members.loginStatus.query({ practitionerId: id }),
  ]);
  return {
    practitioner,
    records,
    loginStatus,
    // The login actions that fit the status and that auth.me's permissions allow; none for an
    // archived practitioner, who cannot sign in.
    loginActions: practitioner.archivedAt === null ? loginActionsFor(loginStatus.status, me) : [],
    // Archived practitioners' data can no longer change, so nobody is offered the actions.
    canChange: hasPermission(me, "update:practitioner") && practitioner.archivedAt === null,
    notice: DONE[url.searchParams.get("done") ?? ""] ?? null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Each intent is the API's to allow or refuse; this page is for those who change staff data.
  await requireUserWithPermissionOverOthers(request, "update:practitioner");
  const id = requireId(params.id);
  const api = await requireApi(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "archive") {
    // Whom this archives comes from the address, never from the submitted form.
    formData.set("id", id);
    const submission = parseWithZod(formData, {
      schema: ArchiveFormSchema,
      disableAutoCoercion: true,
    });
    if (submission.status !== "success") {
      return data({ intent, result: submission.reply() }, { status: 400 });
    }
    try {
      await api.practitioners.archive.mutate(submission.value);
    } catch (error) {
      return data({ intent, result: replyWithApiError(submission, error, []) }, { status: 400 });
    }
    throw redirect(`/practitioners/${id}?done=archive`);
  }

  if (intent === "add-license") {
    formData.set("practitionerId", id);
    const submission = parseWithZod(formData, {
      schema: NewLicenseFormSchema,
      disableAutoCoercion: true,
    });
    if (submission.status !== "success") {
      return data({ intent, result: submission.reply() }, { status: 400 });
    }
    try {
      await api.licenses.create.mutate(submission.value);
    } catch (error) {
      return data(
        { intent, result: replyWithApiError(submission, error, LICENSE_FIELDS) },
        { status: 400 },
      );
    }
    throw redirect(`/practitioners/${id}?done=license-create`);
  }

  if (intent === "invite-login") {
    // Whom this invites comes from the address: the practitioner's own record.
    formData.set("role", "practitioner");
    formData.set("practitionerId", id);
    const submission = parseWithZod(formData, {
      schema: InviteLoginFormSchema,
      disableAutoCoercion: true,
    });
    if (submission.status !== "success") {
      return data({ intent, result: submission.reply() }, { status: 400 });
    }
    try {
      await api.invitations.create.mutate(submission.value);
    } catch (error) {
      if (isUnsentInvitation(apiErrorCode(error), apiErrorMessage(error))) {
        throw redirect(`/practitioners/${id}?done=unsent-login`);
      }
      return data(
        { intent, result: replyWithApiError(submission, error, ["email"]) },
        { status: 400 },
      );
    }
    throw redirect(`/practitioners/${id}?done=invite-login`);
  }

  if (typeof intent === "string" && intent in LOGIN_INTENTS) {
    const loginIntent = intent as keyof typeof LOGIN_INTENTS;
    const status = await api.members.loginStatus.query({ practitionerId: id });
    const target =
      LOGIN_INTENTS[loginIntent] === "invitation" ? status.invitationId : status.membershipId;
    formData.set("id", target ?? "");
    const submission = parseWithZod(formData, {
      schema: ArchiveFormSchema,
      disableAutoCoercion: true,
    });
    if (submission.status !== "success") {
      return data(
        {
          intent,
          result: submission.reply({
            formErrors: ["Their login changed meanwhile: reload the page."],
          }),
        },
        { status: 409 },
      );
    }
    try {
      if (loginIntent === "resend-invitation") {
        await api.invitations.resend.mutate(submission.value);
      } else if (loginIntent === "revoke-invitation") {
        await api.invitations.revoke.mutate(submission.value);
      } else if (loginIntent === "deactivate-login") {
        await api.members.deactivate.mutate(submission.value);
      } else {
        await api.members.reactivate.mutate(submission.value);
      }
    } catch (error) {
      if (isUnsentInvitation(apiErrorCode(error), apiErrorMessage(error))) {
        throw redirect(`/practitioners/${id}?done=unsent-login`);
      }
      return data({ intent, result: replyWithApiError(submission, error, []) }, { status: 400 });
    }
    throw redirect(`/practitioners/${id}?done=${loginIntent}`);
  }

  throw new Response("This form asks for an action the page does not offer.", { status: 400 });
}

export default function PractitionerPage() {
  const { practitioner, records, loginStatus, loginActions, canChange, notice } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/practitioners">Practitioners</Link>
      </p>
      <div className="page-header">
        <h1>
          {practitioner.name}
          {practitioner.archivedAt ? <span className="tag">Archived</span> : null}
        </h1>
        <LoginStatusLine
          status={loginStatus}
          name={practitioner.name}
          defaultEmail={practitioner.email}
          actions={loginActions}
          result={
            actionData &&
            (actionData.intent === "invite-login" || actionData.intent in LOGIN_INTENTS)
              ? actionData.result
              : null
          }
        />
        <p className="button-row">
          <Link to={`/practitioners/${practitioner.id}/compliance`}>Compliance</Link>
          <Link to={`/practitioners/${practitioner.id}/portability`}>Portability</Link>
          <Link to={`/practitioners/${practitioner.id}/what-if`}>What-if planner</Link>
        </p>
      </div>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {practitioner.archivedAt ? (
        <p className="archived-note">
          Archived on {formatInstant(practitioner.archivedAt)}. Their records and licenses stay on
          file; their details and licenses can no longer change.
        </p>
      ) : null}
      {canChange ? (
        <div className="staff-actions">
          <Link to={`/practitioners/${practitioner.id}/edit`} className="button">
            Edit details<span className="visually-hidden"> of {practitioner.name}</span>
          </Link>
          <ArchiveForm
            name={practitioner.name}
            result={actionData?.intent === "archive" ? actionData.result : null}
          />
        </div>
      ) : null}
      <dl className="facts">
        <div>
          <dt>Profession</dt>
          <dd>{PROFESSION_LABELS[practitioner.profession]}</dd>
        </div>
        <div>
          <dt>Clinic</dt>
          <dd>
            {practitioner.clinic.name}
            <span className="muted"> · {JURISDICTIONS[practitioner.clinic.jurisdiction]}</span>
          </dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd className="facts__email">
            {practitioner.email ?? <span className="muted">Not on file</span>}
          </dd>
        </div>
        {practitioner.archivedAt ? (
          <div>
            <dt>Archived</dt>
            <dd>{formatInstant(practitioner.archivedAt)}</dd>
          </div>
        ) : null}
      </dl>

      <section aria-labelledby="licenses-heading" className="section">
        <h2 id="licenses-heading">Licenses</h2>
        {practitioner.licenses.length === 0 ? (
          <p className="empty">No licenses on file.</p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Licenses</caption>
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Number</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                  {canChange ? (
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody>
                {practitioner.licenses.map((license) => (
                  <tr key={license.id}>
                    <th scope="row">
                      {JURISDICTIONS[license.jurisdiction]}{" "}
                      <span className="muted">{license.jurisdiction}</span>
                    </th>
                    <td>{license.number}</td>
                    <td className="nowrap">{license.issuedOn}</td>
                    <td className="nowrap">
                      {license.expiresOn ?? <span className="muted">—</span>}
                    </td>
                    <td>
                      <span className={`license license--${license.status}`}>
                        {LICENSE_STATUS_LABELS[license.status]}
                      </span>
                    </td>
                    {canChange ? (
                      <td>
                        <Link to={`/practitioners/${practitioner.id}/licenses/${license.id}`}>
                          Edit<span className="visually-hidden"> license {license.number}</span>
                        </Link>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canChange ? (
          <AddLicenseForm
            // A fresh, empty form once a license is added.
            key={practitioner.licenses.map((license) => license.id).join()}
            practitionerId={practitioner.id}
            lastResult={actionData?.intent === "add-license" ? actionData.result : undefined}
          />
        ) : null}
      </section>

      <section aria-labelledby="records-heading" className="section">
        <h2 id="records-heading">Training records</h2>
        {records.items.length === 0 ? (
          <p className="empty">No training records yet.</p>
        ) : (
          <RecordsTable records={records.items} caption="Training records" />
        )}
        <Pagination nextCursor={records.nextCursor} label="Training record pages" />
      </section>
    </>
  );
}

/**
 * Whether the practitioner can sign in (no login, invited, active, deactivated), with the actions
 * that fit, for those whose permissions allow them.
 */
function LoginStatusLine({
  status,
  name,
  defaultEmail,
  actions,
  result,
}: {
  status: LoginStatus;
  name: string;
  defaultEmail: string | null;
  actions: LoginAction[];
  result: SubmissionResult | null;
}) {
  const badge = {
    none: "badge--withdrawn",
    invited: "badge--pending",
    active: "badge--verified",
    deactivated: "badge--rejected",
  }[status.status];
  const emailErrors = result?.error?.email ?? null;
  const otherErrors = result
    ? Object.entries(result.error ?? {})
        .filter(([field]) => field !== "email")
        .flatMap(([, messages]) => messages ?? [])
    : null;
  return (
    <div className="login-status">
      <span>Login:</span>
      <span className={`badge ${badge}`}>{LOGIN_STATUS_LABELS[status.status]}</span>
      {status.email ? <span className="muted">{status.email}</span> : null}
      {status.status === "invited" && status.expiresAt ? (
        <span className="muted">link works until {formatInstant(status.expiresAt)}</span>
      ) : null}
      {actions.includes("invite") ? (
        <details className="people-edit" open={Boolean(emailErrors?.length)}>
          <summary>Invite to sign in</summary>
          <Form method="post" className="stack people-edit__form">
            <input type="hidden" name="intent" value="invite-login" />
            <div className={emailErrors?.length ? "field field--invalid" : "field"}>
              <label htmlFor="invite-login-email">Email for the invitation</label>
              <input
                id="invite-login-email"
                name="email"
                type="email"
                required
                defaultValue={defaultEmail ?? ""}
                aria-invalid={emailErrors?.length ? true : undefined}
                aria-describedby={emailErrors?.length ? "invite-login-email-error" : undefined}
              />
              <ErrorList id="invite-login-email-error" errors={emailErrors} />
            </div>
            <button type="submit" className="button button--primary">
              Send invitation<span className="visually-hidden"> to {name}</span>
            </button>
          </Form>
        </details>
      ) : null}
      {actions.includes("resend") ? (
        <Form method="post">
          <button type="submit" name="intent" value="resend-invitation" className="button">
            Resend invitation
          </button>
        </Form>
      ) : null}
      {actions.includes("revoke") ? (
        <Form method="post">
          <button
            type="submit"
            name="intent"
            value="revoke-invitation"
            className="button button--danger"
          >
            Revoke invitation
          </button>
        </Form>
      ) : null}
      {actions.includes("deactivate") ? (
        <details className="withdraw">
          <summary>Deactivate login</summary>
          <Form method="post" className="withdraw__form">
            <p className="hint">
              {name} can no longer sign in, and is signed out at once. You can reactivate the login
              later.
            </p>
            <button
              type="submit"
              name="intent"
              value="deactivate-login"
              className="button button--danger"
            >
              Deactivate {name}'s login
            </button>
          </Form>
        </details>
      ) : null}
      {actions.includes("reactivate") ? (
        <Form method="post">
          <button type="submit" name="intent" value="reactivate-login" className="button">
            Reactivate login
          </button>
        </Form>
      ) : null}
      <ErrorList id="login-errors" errors={otherErrors} />
    </div>
  );
}

/** Every message in a reply, for the archive form, which has no field of its own. */
function errorsOf(result: SubmissionResult): string[] {
  return Object.values(result.error ?? {}).flatMap((messages) => messages ?? []);
}

/** Archiving asks once more before it posts: the summary opens the confirmation. */
function ArchiveForm({ name, result }: { name: string; result: SubmissionResult | null }) {
  const errors = result ? errorsOf(result) : null;
  return (
    <details className="withdraw" open={Boolean(errors?.length)}>
      <summary>Archive practitioner</summary>
      <Form method="post" className="withdraw__form">
        <input type="hidden" name="intent" value="archive" />
        <p className="hint">
          {name} leaves the practitioner lists. Their records and licenses stay on file, and nothing
          about them can change afterwards.
        </p>
        <ErrorList id="archive-errors" errors={errors} />
        <button type="submit" className="button button--danger">
          Archive {name}
        </button>
      </Form>
    </details>
  );
}

function AddLicenseForm({
  practitionerId,
  lastResult,
}: {
  practitionerId: string;
  lastResult: SubmissionResult | undefined;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "add-license",
    lastResult,
    defaultValue: { practitionerId, status: "active" },
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: NewLicenseFormSchema, disableAutoCoercion: true }),
  });
  const submitting =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "add-license";
  return (
    <div className="card section form-card">
      <h3 id="add-license-heading">Add license</h3>
      <Form
        method="post"
        {...getFormProps(form)}
        aria-labelledby="add-license-heading"
        className="stack"
      >
        <input type="hidden" name="intent" value="add-license" />
        <input {...getInputProps(fields.practitionerId, { type: "hidden" })} />
        <ErrorList id={form.errorId} errors={form.errors} />
        <LicenseFields fields={fields} />
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? "Saving…" : "Add license"}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
