/** One clinic's settings (admins): its name, state and time zone. Archived clinics are read-only. */
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { IdSchema } from "@dn/schema";
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
import type { Api } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";
import { CLINIC_FIELDS, clinicFormDefaults, EditClinicFormSchema } from "~/utils/settings-form.ts";
import { timeZoneChoices } from "~/utils/time-zones.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.clinic.name ?? "Clinic"} · dn admin` },
];

/** The organization's clinic `id` (archived ones too), or 404. */
async function requireClinic(api: Api, id: string | undefined) {
  const parsed = IdSchema.safeParse(id);
  const clinics = parsed.success ? await api.clinics.list.query({ includeArchived: true }) : [];
  const clinic = clinics.find((c) => c.id === parsed.data);
  if (!clinic) throw new Response("No such clinic", { status: 404, statusText: "Not Found" });
  return clinic;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "update:clinic");
  const api = await requireApi(request);
  const clinic = await requireClinic(api, params.id);
  return { clinic, timeZones: timeZoneChoices(clinic.timeZone) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "update:clinic");
  const api = await requireApi(request);
  const clinic = await requireClinic(api, params.id);
  const formData = await readForm(request);
  // The clinic is the one in the address, whatever a tampered form says.
  formData.set("id", clinic.id);
  const submission = parseWithZod(formData, {
    schema: EditClinicFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  try {
    await api.clinics.update.mutate(submission.value);
  } catch (error) {
    return data({ result: replyWithApiError(submission, error, CLINIC_FIELDS) }, { status: 400 });
  }
  throw redirect("/settings/clinics?done=update");
}

export default function EditClinicPage() {
  const { clinic, timeZones } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "edit-clinic",
    lastResult: actionData?.result,
    defaultValue: clinicFormDefaults(clinic),
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: EditClinicFormSchema, disableAutoCoercion: true }),
  });
  const submitting = navigation.state === "submitting";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/settings/clinics">Clinics</Link>
      </p>
      <div className="page-header">
        <h1>{clinic.name}</h1>
        <p className="muted">
          A new state changes which board rules apply to the clinic's staff; a new time zone changes
          the date their deadlines fall due.
        </p>
      </div>
      {clinic.archivedAt ? (
        <p className="notice notice--warning">
          This clinic is archived. Unarchive it on the <Link to="/settings/clinics">clinics</Link>{" "}
          page to change it.
        </p>
      ) : (
        <section className="card form-card" aria-labelledby="edit-clinic-heading">
          <h2 id="edit-clinic-heading" className="visually-hidden">
            Clinic details
          </h2>
          <Form method="post" {...getFormProps(form)} className="stack">
            <input {...getInputProps(fields.id, { type: "hidden" })} />
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
                {submitting ? "Saving…" : "Save clinic"}
              </button>
              <Link to="/settings/clinics" className="button button--quiet">
                Cancel
              </Link>
            </div>
          </Form>
        </section>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
