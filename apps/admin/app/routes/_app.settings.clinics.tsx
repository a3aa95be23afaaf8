/**
 * The organization's clinics (admins): add one with its state and time zone, rename or move one
 * (its own page), archive one nobody works at any more, unarchive it. Archived clinics stay listed
 * here and leave every clinic picker. Each clinic's local date is shown: it is "today" for its
 * deadlines, alerts and dashboards.
 */
import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { localDateOf, systemClock } from "@dn/clock";
import { JURISDICTIONS } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ClinicFields } from "~/components/clinic-fields.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList } from "~/components/forms.tsx";
import { apiErrorMessage, isApiError } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";
import { CLINIC_FIELDS, ClinicByIdFormSchema, NewClinicFormSchema } from "~/utils/settings-form.ts";
import { timeZoneChoices } from "~/utils/time-zones.ts";

export const meta: MetaFunction = () => [{ title: "Clinics · dn admin" }];

const DONE: Record<string, string> = {
  create: "Clinic added.",
  update: "Clinic saved.",
  archive: "Clinic archived: it no longer appears in clinic pickers.",
  unarchive: "Clinic unarchived.",
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "update:clinic");
  const api = await requireApi(request);
  const clinics = await api.clinics.list.query({ includeArchived: true });
  const now = systemClock();
  return {
    clinics: clinics.map((clinic) => ({
      ...clinic,
      localDate: localDateOf(now, clinic.timeZone),
    })),
    timeZones: timeZoneChoices(),
    notice: DONE[new URL(request.url).searchParams.get("done") ?? ""] ?? null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "update:clinic");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "archive" || intent === "unarchive") {
    const submission = parseWithZod(formData, {
      schema: ClinicByIdFormSchema,
      disableAutoCoercion: true,
    });
    if (submission.status !== "success") {
      return data({ intent, result: null, refusal: "That clinic is not one of yours." }, 400);
    }
    try {
      if (intent === "archive") await api.clinics.archive.mutate(submission.value);
      else await api.clinics.unarchive.mutate(submission.value);
    } catch (error) {
      // "Still has 2 active practitioners", "already archived": shown above the list.
      if (!isApiError(error)) throw error;
      return data({ intent, result: null, refusal: apiErrorMessage(error) }, { status: 409 });
    }
    throw redirect(`/settings/clinics?done=${intent}`);
  }
  const submission = parseWithZod(formData, {
    schema: NewClinicFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ intent: "create" as const, result: submission.reply(), refusal: null }, 400);
  }
  try {
    await api.clinics.create.mutate(submission.value);
  } catch (error) {
    return data(
      {
        intent: "create" as const,
        result: replyWithApiError(submission, error, CLINIC_FIELDS),
        refusal: null,
      },
      { status: 400 },
    );
  }
  throw redirect("/settings/clinics?done=create");
}

export default function ClinicsSettingsPage() {
  const { clinics, timeZones, notice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "new-clinic",
    lastResult: actionData?.intent === "create" ? actionData.result : undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: NewClinicFormSchema, disableAutoCoercion: true }),
  });
  const submitting = navigation.state === "submitting";
  return (
    <>
      <div className="page-header">
        <h1>Clinics</h1>
        <p className="muted">
          Each clinic's state decides which board rules apply to its staff; its time zone decides
          its "today" for deadlines, alerts and dashboards.
        </p>
      </div>
      {notice && !actionData ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {actionData?.refusal ? (
        <div className="error-panel" role="alert">
          <p>{actionData.refusal}</p>
        </div>
      ) : null}
      <section className="section" aria-labelledby="clinics-heading">
        <h2 id="clinics-heading">Your clinics</h2>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Clinic</th>
                <th scope="col">State</th>
                <th scope="col">Time zone</th>
                <th scope="col">Local date now</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {clinics.map((clinic) => (
                <tr key={clinic.id}>
                  <th scope="row">{clinic.name}</th>
                  <td>{JURISDICTIONS[clinic.jurisdiction]}</td>
                  <td>{clinic.timeZone.replaceAll("_", " ")}</td>
                  <td className="nowrap">{clinic.localDate}</td>
                  <td>
                    {clinic.archivedAt ? (
                      <span className="badge badge--withdrawn">Archived</span>
                    ) : (
                      <span className="badge badge--verified">Open</span>
                    )}
                  </td>
                  <td>
                    <div className="button-row">
                      {clinic.archivedAt ? null : (
                        <Link to={`/settings/clinics/${clinic.id}`} className="button">
                          Edit<span className="visually-hidden"> {clinic.name}</span>
                        </Link>
                      )}
                      <Form method="post">
                        <input type="hidden" name="id" value={clinic.id} />
                        <button
                          type="submit"
                          name="intent"
                          value={clinic.archivedAt ? "unarchive" : "archive"}
                          className={clinic.archivedAt ? "button" : "button button--danger"}
                        >
                          {clinic.archivedAt ? "Unarchive" : "Archive"}
                          <span className="visually-hidden"> {clinic.name}</span>
                        </button>
                      </Form>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="section card form-card" aria-labelledby="new-clinic-heading">
        <h2 id="new-clinic-heading">Add a clinic</h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <input type="hidden" name="intent" value="create" />
          <ErrorList id={form.errorId} errors={form.errors} />
          <ClinicFields
            fields={{
              name: fields.name,
              jurisdiction: fields.jurisdiction,
              timeZone: fields.timeZone,
            }}
            timeZones={timeZones}
          />
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={submitting}>
              {submitting ? "Adding…" : "Add clinic"}
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
