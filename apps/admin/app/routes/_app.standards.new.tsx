import { systemClock, utcDateOf } from "@dn/clock";
import type {
  ActionFunctionArgs,
  LinksFunction,
  LoaderFunctionArgs,
  MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import complianceStyles from "~/compliance.css?url";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { StandardEditor } from "~/components/standard-editor.tsx";
import { requireUserWithPermission } from "~/utils/session.server.ts";
import { saveStandardFromForm } from "~/utils/standard-editor.server.ts";
import { newStandardTemplate } from "~/utils/standard-source.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];
export const meta: MetaFunction = () => [{ title: "New custom standard · dn admin" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "create:standard");
  return { template: newStandardTemplate(utcDateOf(systemClock())) };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "create:standard");
  return saveStandardFromForm(request, "create", null);
}

export default function NewStandardPage() {
  const { template } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/standards">Standards</Link>
      </p>
      <div className="page-header">
        <h1>New custom standard</h1>
        <p className="muted">
          Your organization's own standard, e.g. a clinic policy. Its id must differ from every
          standard in the shipped pack. It is saved as a draft, which applies to nobody until you
          publish it and choose where it applies.
        </p>
      </div>
      <StandardEditor
        defaultSource={template}
        lastResult={actionData?.result}
        problems={actionData?.problems ?? []}
        submitLabel="Save version 1"
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
