import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { Practitioner } from "@dn/schema";
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
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import { newPractitionerFormSchema, PRACTITIONER_FIELDS } from "~/utils/practitioner-form.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Add practitioner · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "create:practitioner");
  const api = await requireApi(request);
  const clinics = await api.clinics.list.query();
  return {
    clinics: clinics.map((c) => ({ id: c.id, name: c.name, jurisdiction: c.jurisdiction })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "create:practitioner");
  const api = await requireApi(request);
  const clinics = await api.clinics.list.query();
  const submission = parseWithZod(await readForm(request), {
    schema: newPractitionerFormSchema(clinics.map((c) => c.id)),
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  let practitioner: Practitioner;
  try {
    practitioner = await api.practitioners.create.mutate(submission.value);
  } catch (error) {
    return data(
      { result: replyWithApiError(submission, error, PRACTITIONER_FIELDS) },
      { status: 400 },
    );
  }
  throw redirect(`/practitioners/${practitioner.id}?done=create`);
}

export default function NewPractitionerPage() {
  const { clinics } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "new-practitioner",
    lastResult: actionData?.result,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, {
        schema: newPractitionerFormSchema(clinics.map((c) => c.id)),
        disableAutoCoercion: true,
      }),
  });
  const submitting = navigation.state === "submitting";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/practitioners">Practitioners</Link>
      </p>
      <div className="page-header">
        <h1>Add practitioner</h1>
        <p className="muted">Licenses are added on the practitioner's page once they are saved.</p>
      </div>
      <section className="card form-card" aria-labelledby="new-practitioner-heading">
        <h2 id="new-practitioner-heading" className="visually-hidden">
          Practitioner details
        </h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <ErrorList id={form.errorId} errors={form.errors} />
          <PractitionerFields fields={fields} clinics={clinics} />
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={submitting}>
              {submitting ? "Saving…" : "Add practitioner"}
            </button>
            <Link to="/practitioners" className="button button--quiet">
              Cancel
            </Link>
          </div>
        </Form>
      </section>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
