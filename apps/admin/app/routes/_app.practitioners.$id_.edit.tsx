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
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList } from "~/components/forms.tsx";
import { PractitionerFields } from "~/components/practitioner-fields.tsx";
import type { Api } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import {
  editPractitionerFormSchema,
  PRACTITIONER_FIELDS,
  practitionerFormDefaults,
} from "~/utils/practitioner-form.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.practitioner.name ?? "practitioner"} · dn admin` },
];

/** The practitioner at this address, who must still be on staff to be edited. */
async function requireEditablePractitioner(api: Api, param: string | undefined) {
  const id = IdSchema.safeParse(param).data;
  if (!id) throw new Response("No practitioner has this address.", { status: 404 });
  const practitioner = await api.practitioners.byId.query({ id });
  if (practitioner.archivedAt) {
    throw new Response(`${practitioner.name} is archived; their details can no longer change.`, {
      status: 403,
    });
  }
  return practitioner;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "update:practitioner");
  const api = await requireApi(request);
  const [practitioner, clinics] = await Promise.all([
    requireEditablePractitioner(api, params.id),
    api.clinics.list.query(),
  ]);
  return {
    practitioner: { id: practitioner.id, name: practitioner.name },
    defaults: practitionerFormDefaults(practitioner),
    clinics: clinics.map((c) => ({ id: c.id, name: c.name, jurisdiction: c.jurisdiction })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "update:practitioner");
  const api = await requireApi(request);
  const [practitioner, clinics] = await Promise.all([
    requireEditablePractitioner(api, params.id),
    api.clinics.list.query(),
  ]);
  const formData = await readForm(request);
  // Whom this edits comes from the address, never from the submitted form.
  formData.set("id", practitioner.id);
  const submission = parseWithZod(formData, {
    schema: editPractitionerFormSchema(clinics.map((c) => c.id)),
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  try {
    await api.practitioners.update.mutate(submission.value);
  } catch (error) {
    return data(
      { result: replyWithApiError(submission, error, PRACTITIONER_FIELDS) },
      { status: 400 },
    );
  }
  throw redirect(`/practitioners/${practitioner.id}?done=update`);
}

export default function EditPractitionerPage() {
  const { practitioner, defaults, clinics } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "edit-practitioner",
    lastResult: actionData?.result,
    defaultValue: defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: editPractitionerFormSchema(clinics.map((c) => c.id)),
        disableAutoCoercion: true,
      }),
  });
  const submitting = navigation.state === "submitting";
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/practitioners/${practitioner.id}`}>{practitioner.name}</Link>
      </p>
      <div className="page-header">
        <h1>Edit {practitioner.name}</h1>
      </div>
      <section className="card form-card" aria-labelledby="edit-practitioner-heading">
        <h2 id="edit-practitioner-heading" className="visually-hidden">
          Practitioner details
        </h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <input {...getInputProps(fields.id, { type: "hidden" })} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <PractitionerFields fields={fields} clinics={clinics} />
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={submitting}>
              {submitting ? "Saving…" : "Save details"}
            </button>
            <Link to={`/practitioners/${practitioner.id}`} className="button button--quiet">
              Cancel
            </Link>
          </div>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
