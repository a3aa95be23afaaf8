import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { IdSchema, JURISDICTIONS } from "@dn/schema";
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
import type { Api } from "~/utils/api.server.ts";
import { readForm } from "~/utils/body-limit.server.ts";
import { replyWithApiError } from "~/utils/form-reply.server.ts";
import {
  EditLicenseFormSchema,
  LICENSE_FIELDS,
  licenseFormDefaults,
  licenseUpdateOf,
} from "~/utils/license-form.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit license · ${data?.practitioner.name ?? "Practitioner"} · dn admin` },
];

/**
 * The license at this address, held by the practitioner at this address, who must still be on
 * staff: a license id under another practitioner's address is "not found", not edited.
 */
async function requireEditableLicense(api: Api, params: { id?: string; licenseId?: string }) {
  const id = IdSchema.safeParse(params.id).data;
  const licenseId = IdSchema.safeParse(params.licenseId).data;
  if (!id || !licenseId) throw new Response("No license has this address.", { status: 404 });
  const practitioner = await api.practitioners.byId.query({ id });
  const license = practitioner.licenses.find((l) => l.id === licenseId);
  if (!license) throw new Response("No license has this address.", { status: 404 });
  if (practitioner.archivedAt) {
    throw new Response(`${practitioner.name} is archived; their licenses can no longer change.`, {
      status: 403,
    });
  }
  return { practitioner, license };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "update:license");
  const api = await requireApi(request);
  const { practitioner, license } = await requireEditableLicense(api, params);
  return {
    practitioner: { id: practitioner.id, name: practitioner.name },
    license: { jurisdiction: license.jurisdiction, number: license.number },
    defaults: licenseFormDefaults(license),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "update:license");
  const api = await requireApi(request);
  const { practitioner, license } = await requireEditableLicense(api, params);
  const formData = await readForm(request);
  // Which license, and whose, come from the address, never from the submitted form.
  formData.set("id", license.id);
  formData.set("practitionerId", practitioner.id);
  const submission = parseWithZod(formData, {
    schema: EditLicenseFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply() }, { status: 400 });
  }
  try {
    await api.licenses.update.mutate(licenseUpdateOf(submission.value));
  } catch (error) {
    return data({ result: replyWithApiError(submission, error, LICENSE_FIELDS) }, { status: 400 });
  }
  throw redirect(`/practitioners/${practitioner.id}?done=license-update`);
}

export default function EditLicensePage() {
  const { practitioner, license, defaults } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "edit-license",
    lastResult: actionData?.result,
    defaultValue: defaults,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: EditLicenseFormSchema, disableAutoCoercion: true }),
  });
  const submitting = navigation.state === "submitting";
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/practitioners/${practitioner.id}`}>{practitioner.name}</Link>
      </p>
      <div className="page-header">
        <h1>
          Edit license {license.number}{" "}
          <span className="muted">({JURISDICTIONS[license.jurisdiction]})</span>
        </h1>
      </div>
      <section className="card form-card" aria-labelledby="edit-license-heading">
        <h2 id="edit-license-heading" className="visually-hidden">
          License details
        </h2>
        <Form method="post" {...getFormProps(form)} className="stack">
          <input {...getInputProps(fields.id, { type: "hidden" })} />
          <input {...getInputProps(fields.practitionerId, { type: "hidden" })} />
          <ErrorList id={form.errorId} errors={form.errors} />
          <LicenseFields fields={fields} />
          <div className="button-row">
            <button type="submit" className="button button--primary" disabled={submitting}>
              {submitting ? "Saving…" : "Save license"}
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
