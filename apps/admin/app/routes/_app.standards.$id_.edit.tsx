import { SlugSchema } from "@dn/schema";
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
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";
import { saveStandardFromForm } from "~/utils/standard-editor.server.ts";
import { standardToYaml } from "~/utils/standard-source.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceStyles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Edit ${data?.title ?? "standard"} · dn admin` },
];

function requireSlug(value: string | undefined): string {
  const id = SlugSchema.safeParse(value).data;
  if (!id) throw new Response("No standard has this address.", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "update:standard");
  const id = requireSlug(params.id);
  const api = await requireApi(request);
  const versions = await api.standards.versions.query({ id });
  const latest = versions[versions.length - 1];
  if (!latest) throw new Response("No standard has this address.", { status: 404 });
  if (latest.source !== "custom") {
    throw new Response(
      "Standards of the shipped pack cannot be edited. Create a custom standard with its own id instead.",
      { status: 403 },
    );
  }
  // A draft is edited in place (same version); after a published version comes the next one.
  const editingDraft = latest.lifecycle === "draft";
  const next = editingDraft ? latest.standard.version : latest.standard.version + 1;
  return {
    id,
    title: latest.standard.title,
    next,
    editingDraft,
    source: standardToYaml({ ...latest.standard, version: next }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "update:standard");
  return saveStandardFromForm(request, "update", requireSlug(params.id));
}

export default function EditStandardPage() {
  const { id, title, next, editingDraft, source } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <p className="breadcrumb">
        <Link to="/standards">Standards</Link> · <Link to={`/standards/${id}`}>{title}</Link>
      </p>
      <div className="page-header">
        <h1>{editingDraft ? `Draft version ${next} of ${title}` : `New version of ${title}`}</h1>
        <p className="muted">
          {editingDraft
            ? `Version ${next} is a draft: saving rewrites it, and it applies to nobody until it is published.`
            : `Saving creates version ${next} as a draft; it applies to nobody until published, and earlier versions stay as they were, so past evaluations can be reproduced.`}
        </p>
      </div>
      <StandardEditor
        defaultSource={source}
        lastResult={actionData?.result}
        problems={actionData?.problems ?? []}
        submitLabel={`Save version ${next}`}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
