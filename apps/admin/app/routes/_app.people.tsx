/**
 * People: who may sign in to the organization. Those holding the invitation and membership
 * permissions (auth.me) invite by email with a role (a practitioner's login belongs to their
 * practitioner record), resend or revoke invitations, and deactivate or reactivate logins; with
 * `update:membership` they also change roles and clinic scopes. Each action posts, then the page
 * reloads with a notice (post/redirect/get).
 */
import { parseWithZod } from "@conform-to/zod/v4";
import {
  CreateInvitationInputSchema,
  InvitationByIdInputSchema,
  MemberByIdInputSchema,
  type Role,
  UpdateMemberInputSchema,
} from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
} from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { type ApiOutputs, apiErrorCode, apiErrorMessage } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { formatInstant } from "~/utils/format.ts";
import {
  canChangeRoleOf,
  canChangeStatusOf,
  invitableRoles,
  isUnsentInvitation,
} from "~/utils/people.ts";
import { hasPermission, ROLE_LABELS } from "~/utils/permissions.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

const InviteForm = formSchema(CreateInvitationInputSchema);
const InvitationForm = formSchema(InvitationByIdInputSchema);
const MemberForm = formSchema(MemberByIdInputSchema);
const UpdateForm = formSchema(UpdateMemberInputSchema);
const INVITE_FIELDS = ["email", "role", "practitionerId", "clinicIds"];

export const meta: MetaFunction = () => [{ title: "People · dn admin" }];

const DONE: Record<string, { text: string; warning?: boolean }> = {
  invite: { text: "Invitation sent. The link in it works once, for 7 days." },
  unsent: {
    text: "The invitation was saved, but the email could not be sent. Resend it below.",
    warning: true,
  },
  resend: { text: "Invitation sent again with a new link; the old link no longer works." },
  revoke: { text: "Invitation revoked: its link no longer works." },
  deactivate: { text: "Login deactivated. Its sessions ended at once." },
  reactivate: { text: "Login reactivated: they can sign in again." },
  update: { text: "Role saved." },
};

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUserWithPermission(request, "read:membership");
  const api = await requireApi(request);
  const [members, invitations, invitable, clinics] = await Promise.all([
    api.members.list.query({}),
    hasPermission(me, "read:invitation") ? api.invitations.list.query({}) : [],
    hasPermission(me, "create:invitation") ? api.invitations.invitable.query() : [],
    api.clinics.list.query(),
  ]);
  const done = new URL(request.url).searchParams.get("done") ?? "";
  return {
    actor: { userId: me.user.id, permissions: me.permissions },
    members,
    // Accepted and revoked invitations are history (the audit trail keeps it).
    invitations: invitations.filter((i) => i.status === "pending" || i.status === "expired"),
    invitable,
    clinics: clinics.filter((clinic) => clinic.archivedAt === null),
    notice: DONE[done] ?? null,
  };
}

type Intent = "invite" | "resend" | "revoke" | "deactivate" | "reactivate" | "update";

type ActionResult = {
  intent: Intent;
  /** The invitation or membership a row's form acted on. */
  id: string | null;
  fieldErrors: Record<string, string[]>;
  formErrors: string[];
};

function refused(
  intent: Intent,
  id: string | null,
  result: { error?: Record<string, string[] | null> | null },
) {
  const fieldErrors: Record<string, string[]> = {};
  const formErrors: string[] = [];
  for (const [name, messages] of Object.entries(result.error ?? {})) {
    if (!messages) continue;
    if (name === "") formErrors.push(...messages);
    else fieldErrors[name] = messages;
  }
  return data<ActionResult>({ intent, id, fieldErrors, formErrors }, { status: 400 });
}

export async function action({ request }: ActionFunctionArgs) {
  // Each intent is the API's to allow or refuse (its refusal shows on the form or row); the
  // page only offers what auth.me's permissions allow.
  await requireUserWithPermission(request, "read:membership");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "") as Intent;
  const rowId = typeof formData.get("id") === "string" ? String(formData.get("id")) : null;

  switch (intent) {
    case "invite": {
      const submission = parseWithZod(formData, { schema: InviteForm, disableAutoCoercion: true });
      if (submission.status !== "success") return refused(intent, null, submission.reply());
      try {
        await api.invitations.create.mutate(submission.value);
      } catch (error) {
        if (isUnsentInvitation(apiErrorCode(error), apiErrorMessage(error))) {
          throw redirect("/people?done=unsent");
        }
        return refused(intent, null, replyWithApiError(submission, error, INVITE_FIELDS));
      }
      throw redirect("/people?done=invite");
    }
    case "resend":
    case "revoke": {
      const submission = parseWithZod(formData, {
        schema: InvitationForm,
        disableAutoCoercion: true,
      });
      if (submission.status !== "success") return refused(intent, rowId, submission.reply());
      try {
        if (intent === "resend") await api.invitations.resend.mutate(submission.value);
        else await api.invitations.revoke.mutate(submission.value);
      } catch (error) {
        if (isUnsentInvitation(apiErrorCode(error), apiErrorMessage(error))) {
          throw redirect("/people?done=unsent");
        }
        return refused(intent, rowId, replyWithApiError(submission, error, []));
      }
      throw redirect(`/people?done=${intent}`);
    }
    case "deactivate":
    case "reactivate": {
      const submission = parseWithZod(formData, { schema: MemberForm, disableAutoCoercion: true });
      if (submission.status !== "success") return refused(intent, rowId, submission.reply());
      try {
        if (intent === "deactivate") await api.members.deactivate.mutate(submission.value);
        else await api.members.reactivate.mutate(submission.value);
      } catch (error) {
        return refused(intent, rowId, replyWithApiError(submission, error, []));
      }
      throw redirect(`/people?done=${intent}`);
    }
    case "update": {
      const submission = parseWithZod(formData, { schema: UpdateForm, disableAutoCoercion: true });
      if (submission.status !== "success") return refused(intent, rowId, submission.reply());
      try {
        await api.members.update.mutate(submission.value);
      } catch (error) {
        return refused(intent, rowId, replyWithApiError(submission, error, ["role", "clinicIds"]));
      }
      throw redirect("/people?done=update");
    }
    default:
      throw new Response("This form asks for an action the page does not offer.", {
        status: 400,
      });
  }
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Clinics = LoaderData["clinics"];

export default function PeoplePage() {
  const { actor, members, invitations, invitable, clinics, notice } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Each completed action redirects here: a new location gets a fresh, empty invite form.
  const location = useLocation();
  const rowErrors = (intents: Intent[], id: string) =>
    result && intents.includes(result.intent) && result.id === id
      ? [...result.formErrors, ...Object.values(result.fieldErrors).flat()]
      : null;
  const clinicNames = new Map(clinics.map((clinic) => [clinic.id, clinic.name]));
  const roles = invitableRoles(actor);

  return (
    <>
      <div className="page-header">
        <h1>People</h1>
        <p className="muted">
          Who may sign in to your organization, in which role. Invitations are emailed as a link
          that works once, for 7 days.
        </p>
      </div>
      {notice ? (
        <p className={notice.warning ? "notice notice--warning" : "notice"} role="status">
          {notice.text}
        </p>
      ) : null}

      {roles.length > 0 ? (
        <InviteCard
          key={location.key}
          roles={roles}
          invitable={invitable}
          clinics={roles.includes("manager") ? clinics : []}
          result={result?.intent === "invite" ? result : null}
        />
      ) : null}

      {hasPermission(actor, "read:invitation") ? (
        <section className="section" aria-labelledby="invitations-heading">
          <h2 id="invitations-heading">Pending invitations</h2>
          {invitations.length === 0 ? (
            <p className="empty">No pending invitations.</p>
          ) : (
            <ul className="people-list">
              {invitations.map((invitation) => (
                <li key={invitation.id} className="people-list__item">
                  <div className="people-list__who">
                    <p>
                      <strong>{invitation.email}</strong>{" "}
                      {invitation.status === "expired" ? (
                        <span className="badge badge--withdrawn">Expired</span>
                      ) : invitation.sendCount === 0 ? (
                        <span className="badge badge--rejected">Email not sent</span>
                      ) : (
                        <span className="badge badge--pending">Pending</span>
                      )}
                    </p>
                    <p className="muted">
                      {ROLE_LABELS[invitation.role]}
                      {invitation.practitionerName ? ` · ${invitation.practitionerName}` : ""}
                    </p>
                    <p className="muted">
                      Invited by {invitation.invitedByName}
                      {invitation.sendCount > 0
                        ? ` · last sent ${formatInstant(invitation.sentAt)}`
                        : ""}{" "}
                      · {invitation.status === "expired" ? "expired" : "expires"}{" "}
                      {formatInstant(invitation.expiresAt)}
                    </p>
                    <ErrorList errors={rowErrors(["resend", "revoke"], invitation.id)} />
                  </div>
                  <div className="people-list__actions">
                    {hasPermission(actor, "create:invitation") ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="resend" />
                        <input type="hidden" name="id" value={invitation.id} />
                        <button type="submit" className="button">
                          Resend<span className="visually-hidden"> to {invitation.email}</span>
                        </button>
                      </Form>
                    ) : null}
                    {invitation.status === "pending" &&
                    hasPermission(actor, "revoke:invitation") ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="id" value={invitation.id} />
                        <button type="submit" className="button button--danger">
                          Revoke
                          <span className="visually-hidden">
                            {" "}
                            the invitation to {invitation.email}
                          </span>
                        </button>
                      </Form>
                    ) : null}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}

      <section className="section" aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        {members.length === 0 ? (
          <p className="empty">Nobody can sign in yet.</p>
        ) : (
          <ul className="people-list">
            {members.map((member) => (
              <li key={member.id} className="people-list__item">
                <div className="people-list__who">
                  <p>
                    <strong>{member.name}</strong>
                    {member.userId === actor.userId ? <span className="tag">You</span> : null}{" "}
                    {member.status === "active" ? (
                      <span className="badge badge--verified">Active</span>
                    ) : (
                      <span className="badge badge--withdrawn">Deactivated</span>
                    )}
                  </p>
                  <p className="muted">{member.email}</p>
                  <p className="muted">
                    {ROLE_LABELS[member.role]}
                    {member.clinicIds
                      ? ` · limited to ${member.clinicIds.map((id) => clinicNames.get(id) ?? "an archived clinic").join(", ")}`
                      : ""}
                    {member.practitionerId ? (
                      <>
                        {" · "}
                        <Link to={`/practitioners/${member.practitionerId}`}>
                          {member.practitionerName ?? "practitioner record"}
                        </Link>
                      </>
                    ) : null}
                  </p>
                  <ErrorList
                    errors={rowErrors(["deactivate", "reactivate", "update"], member.id)}
                  />
                </div>
                <div className="people-list__actions">
                  {canChangeRoleOf(actor, member) ? (
                    <RoleForm member={member} clinics={clinics} />
                  ) : null}
                  {canChangeStatusOf(actor, member) ? (
                    member.status === "active" ? (
                      <DeactivateForm member={member} />
                    ) : (
                      <Form method="post">
                        <input type="hidden" name="intent" value="reactivate" />
                        <input type="hidden" name="id" value={member.id} />
                        <button type="submit" className="button">
                          Reactivate<span className="visually-hidden"> {member.name}</span>
                        </button>
                      </Form>
                    )
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function InviteCard({
  roles,
  invitable,
  clinics,
  result,
}: {
  roles: Role[];
  invitable: LoaderData["invitable"];
  clinics: Clinics;
  result: ActionResult | null;
}) {
  const navigation = useNavigation();
  const submitting =
    navigation.state === "submitting" && navigation.formData?.get("intent") === "invite";
  const errors = (field: string) => result?.fieldErrors[field];
  const described = (field: string, id: string) =>
    errors(field)
      ? { "aria-invalid": true as const, "aria-describedby": id }
      : { "aria-invalid": undefined };
  return (
    <section className="card section form-card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite someone</h2>
      <Form method="post" className="stack" aria-labelledby="invite-heading">
        <input type="hidden" name="intent" value="invite" />
        <ErrorList errors={result?.formErrors} />
        <Field
          label="Email"
          htmlFor="invite-email"
          errorId="invite-email-error"
          errors={errors("email")}
        >
          <input
            id="invite-email"
            name="email"
            type="email"
            autoComplete="off"
            required
            {...described("email", "invite-email-error")}
          />
        </Field>
        <Field
          label="Role"
          htmlFor="invite-role"
          errorId="invite-role-error"
          errors={errors("role")}
        >
          <select id="invite-role" name="role" {...described("role", "invite-role-error")}>
            {roles.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Practitioner record"
          htmlFor="invite-practitioner"
          hint="Required for a practitioner: the record their login belongs to."
          hintId="invite-practitioner-hint"
          errorId="invite-practitioner-error"
          errors={errors("practitionerId")}
        >
          <select
            id="invite-practitioner"
            name="practitionerId"
            aria-describedby={
              errors("practitionerId") ? "invite-practitioner-error" : "invite-practitioner-hint"
            }
            aria-invalid={errors("practitionerId") ? true : undefined}
          >
            <option value="">None</option>
            {invitable.map((practitioner) => (
              <option key={practitioner.id} value={practitioner.id}>
                {practitioner.name} · {practitioner.clinicName}
                {practitioner.email ? ` · ${practitioner.email}` : ""}
              </option>
            ))}
          </select>
        </Field>
        {clinics.length > 0 ? (
          <fieldset className="group">
            <legend>Managers only: limit to clinics</legend>
            <p className="hint">Leave all unticked for the whole organization.</p>
            <div className="checkbox-grid">
              {clinics.map((clinic) => (
                <label key={clinic.id} className="checkbox">
                  <input type="checkbox" name="clinicIds" value={clinic.id} /> {clinic.name}
                </label>
              ))}
            </div>
            <ErrorList id="invite-clinics-error" errors={errors("clinicIds")} />
          </fieldset>
        ) : null}
        <button type="submit" className="button button--primary" disabled={submitting}>
          {submitting ? "Sending…" : "Send invitation"}
        </button>
      </Form>
    </section>
  );
}

function RoleForm({
  member,
  clinics,
}: {
  member: LoaderData["members"][number];
  clinics: Clinics;
}) {
  const roleId = `role-${member.id}`;
  return (
    <details className="people-edit">
      <summary>
        Change role<span className="visually-hidden"> of {member.name}</span>
      </summary>
      <Form method="post" className="stack people-edit__form">
        <input type="hidden" name="intent" value="update" />
        <input type="hidden" name="id" value={member.id} />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select id={roleId} name="role" defaultValue={member.role}>
            {(["practitioner", "manager", "auditor", "admin"] as const).map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </div>
        {clinics.length > 0 ? (
          <fieldset className="group">
            <legend>Managers only: limit to clinics</legend>
            <div className="checkbox-grid">
              {clinics.map((clinic) => (
                <label key={clinic.id} className="checkbox">
                  <input
                    type="checkbox"
                    name="clinicIds"
                    value={clinic.id}
                    defaultChecked={member.clinicIds?.includes(clinic.id) ?? false}
                  />{" "}
                  {clinic.name}
                </label>
              ))}
            </div>
          </fieldset>
        ) : null}
        <button type="submit" className="button button--primary">
          Save role<span className="visually-hidden"> of {member.name}</span>
        </button>
      </Form>
    </details>
  );
}

/** Deactivating asks once more before it posts: the summary opens the confirmation. */
function DeactivateForm({ member }: { member: ApiOutputs["members"]["list"][number] }) {
  return (
    <details className="withdraw">
      <summary>
        Deactivate<span className="visually-hidden"> {member.name}</span>
      </summary>
      <Form method="post" className="withdraw__form">
        <input type="hidden" name="intent" value="deactivate" />
        <input type="hidden" name="id" value={member.id} />
        <p className="hint">
          {member.name} can no longer sign in here, and is signed out at once. You can reactivate
          the login later.
        </p>
        <button type="submit" className="button button--danger">
          Deactivate {member.name}
        </button>
      </Form>
    </details>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
