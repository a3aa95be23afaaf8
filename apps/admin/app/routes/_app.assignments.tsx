/**
 * Which standards apply to whom: the rules (clinic state, licenses, the organization's own
 * policies) plus the managers' assignments listed here, which add a standard for the whole
 * organization, a clinic or one practitioner, or exclude one the rules would apply.
 */
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { AddStandardAssignmentInputSchema, IdSchema } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import { apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { formSchema } from "~/utils/form-schema.ts";
import { formatInstant } from "~/utils/format.ts";
import { hasPermission } from "~/utils/permissions.ts";
import {
  requireApi,
  requireUserWithPermission,
  requireUserWithPermissionOverOthers,
} from "~/utils/session.server.ts";

const AddFormSchema = formSchema(AddStandardAssignmentInputSchema);

export const meta: MetaFunction = () => [{ title: "Standard assignments · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireUserWithPermissionOverOthers(request, "read:standard-assignment");
  const api = await requireApi(request);
  const [assignments, clinics, practitioners, standards] = await Promise.all([
    api.assignments.list.query(),
    api.clinics.list.query(),
    api.practitioners.list.query({ limit: 200 }),
    api.standards.list.query({}),
  ]);
  const names = new Map<string, string>([
    [me.organization.id, me.organization.name],
    ...clinics.map((c) => [c.id, c.name] as [string, string]),
    ...practitioners.items.map((p) => [p.id, p.name] as [string, string]),
  ]);
  return {
    canChange: hasPermission(me, "create:standard-assignment"),
    assignments: assignments.map((a) => ({ ...a, scopeName: names.get(a.scopeId) ?? a.scopeId })),
    clinics,
    practitioners: practitioners.items.map((p) => ({ id: p.id, name: p.name })),
    standards: standards.map((s) => ({ id: s.id, title: s.title })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "create:standard-assignment");
  const api = await requireApi(request);
  const formData = await readForm(request);
  if (formData.get("intent") === "remove") {
    const id = IdSchema.safeParse(formData.get("id")).data;
    if (!id) throw new Response("No assignment has this id.", { status: 404 });
    await api.assignments.remove.mutate({ id });
    throw redirect("/assignments");
  }
  // The scope target comes from the select that matches the scope.
  const scope = formData.get("scope");
  formData.set(
    "scopeId",
    scope === "clinic"
      ? String(formData.get("clinicId") ?? "")
      : scope === "practitioner"
        ? String(formData.get("practitionerId") ?? "")
        : "",
  );
  const submission = parseWithZod(formData, { schema: AddFormSchema, disableAutoCoercion: true });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  try {
    await api.assignments.add.mutate(submission.value);
  } catch (error) {
    const code = apiErrorCode(error);
    if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
    return data(
      {
        result: submission.reply({
          fieldErrors: apiFieldErrors(error),
          formErrors: [error.message],
        }),
      },
      { status: 400 },
    );
  }
  throw redirect("/assignments");
}

export default function AssignmentsPage() {
  const { assignments, clinics, practitioners, standards, canChange } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: "add-assignment",
    lastResult: actionData?.result,
    shouldValidate: "onSubmit",
    defaultValue: { scope: "organization", effect: "include" },
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: AddFormSchema, disableAutoCoercion: true }),
  });
  return (
    <>
      <div className="page-header">
        <h1>Standard assignments</h1>
        <p className="muted">
          Standards apply by the clinic's state and each active license; assignments add a standard
          (such as the organization's own policy) or exclude one.
        </p>
      </div>
      {assignments.length === 0 ? (
        <p className="empty">No assignments: only the rules apply.</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Assignments</caption>
            <thead>
              <tr>
                <th scope="col">Standard</th>
                <th scope="col">Effect</th>
                <th scope="col">Applies to</th>
                <th scope="col">Reason</th>
                <th scope="col">Since</th>
                {canChange ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.standardId}</th>
                  <td>{a.effect === "include" ? "Applies" : "Excluded"}</td>
                  <td>
                    {a.scope === "organization" ? "Everyone" : a.scopeName}{" "}
                    <span className="muted">({a.scope})</span>
                  </td>
                  <td>{a.reason ?? "—"}</td>
                  <td className="nowrap">{formatInstant(a.createdAt)}</td>
                  {canChange ? (
                    <td>
                      <Form method="post">
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="id" value={a.id} />
                        <button type="submit" className="button button--quiet">
                          Remove
                          <span className="visually-hidden">
                            {" "}
                            {a.standardId} ({a.scope})
                          </span>
                        </button>
                      </Form>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canChange ? (
        <section className="card section" aria-labelledby="add-heading">
          <h2 id="add-heading">Add an assignment</h2>
          <Form method="post" {...getFormProps(form)} className="stack">
            <ErrorList id={form.errorId} errors={form.errors} />
            <Field
              label="Standard"
              htmlFor={fields.standardId.id}
              errorId={fields.standardId.errorId}
              errors={fields.standardId.errors}
            >
              <select {...getSelectProps(fields.standardId)}>
                <option value="">Choose a standard</option>
                {standards.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title} ({s.id})
                  </option>
                ))}
              </select>
            </Field>
            <Field
              label="Effect"
              htmlFor={fields.effect.id}
              errorId={fields.effect.errorId}
              errors={fields.effect.errors}
            >
              <select {...getSelectProps(fields.effect)}>
                <option value="include">Applies (add it)</option>
                <option value="exclude">Excluded (take it out)</option>
              </select>
            </Field>
            <Field
              label="Applies to"
              htmlFor={fields.scope.id}
              errorId={fields.scope.errorId}
              errors={fields.scope.errors}
            >
              <select {...getSelectProps(fields.scope)}>
                <option value="organization">Everyone in the organization</option>
                <option value="clinic">One clinic (choose below)</option>
                <option value="practitioner">One practitioner (choose below)</option>
              </select>
            </Field>
            <Field
              label="Clinic (for a clinic assignment)"
              htmlFor="clinicId"
              errorId="clinicId-error"
              errors={fields.scopeId.errors}
            >
              <select id="clinicId" name="clinicId">
                <option value="">—</option>
                {clinics.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </Field>
            <div className="field">
              <label htmlFor="practitionerId">Practitioner (for a personal assignment)</label>
              <select id="practitionerId" name="practitionerId">
                <option value="">—</option>
                {practitioners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <Field
              label="Reason (optional)"
              htmlFor={fields.reason.id}
              errorId={fields.reason.errorId}
              errors={fields.reason.errors}
            >
              <input {...getInputProps(fields.reason, { type: "text" })} maxLength={500} />
            </Field>
            <button type="submit" className="button button--primary">
              Add assignment
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
