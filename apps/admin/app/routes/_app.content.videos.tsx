import { CreateVideoInputSchema, VIDEO_PROVIDERS } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { VideoFigure } from "~/components/article-view.tsx";
import { ContentNav } from "~/components/content-nav.tsx";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList, Field } from "~/components/forms.tsx";
import contentStyles from "~/content.css?url";
import { readForm } from "~/utils/body-limit.server.ts";
import {
  canEdit,
  fieldErrorsFromApi,
  requireContentEditor,
  requireContentReader,
} from "~/utils/content.server.ts";
import { requireApi } from "~/utils/session.server.ts";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: contentStyles }];
export const meta: MetaFunction = () => [{ title: "Videos · dn admin" }];

const FIELDS = [
  "title",
  "channel",
  "provider",
  "url",
  "providerId",
  "durationSeconds",
  "description",
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const me = await requireContentReader(request);
  const api = await requireApi(request);
  return {
    videos: await api.content.videos.list.query(),
    canEdit: canEdit(me, "update:video"),
    added: new URL(request.url).searchParams.has("added"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  await requireContentEditor(request, "update:video");
  const api = await requireApi(request);
  const formData = await readForm(request);
  const values = Object.fromEntries(
    FIELDS.map((f) => [f, String(formData.get(f) ?? "")]),
  ) as Record<(typeof FIELDS)[number], string>;
  const input = {
    ...values,
    providerId: values.providerId.trim() || null,
    durationSeconds: values.durationSeconds.trim() === "" ? null : Number(values.durationSeconds),
    description: values.description.trim() || null,
  };
  const parsed = CreateVideoInputSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return data({ values, errors }, { status: 400 });
  }
  try {
    await api.content.videos.create.mutate(parsed.data);
  } catch (error) {
    const { fields, form } = fieldErrorsFromApi(error);
    return data({ values, errors: { ...fields, form } }, { status: 400 });
  }
  throw redirect("/content/videos?added=1");
}

export default function VideosPage() {
  const { videos, canEdit, added } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string[]> = actionData?.errors ?? {};
  const value = (name: (typeof FIELDS)[number]) => actionData?.values[name] ?? "";
  const field = (name: (typeof FIELDS)[number], label: string, hint?: string) => (
    <Field
      label={label}
      htmlFor={`video-${name}`}
      hint={hint}
      errorId={`video-${name}-error`}
      errors={errors[name]}
    >
      <input
        id={`video-${name}`}
        name={name}
        type="text"
        defaultValue={value(name)}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `video-${name}-error` : undefined}
      />
    </Field>
  );
  return (
    <>
      <ContentNav />
      <div className="page-header">
        <h1>Videos</h1>
        <p className="muted">
          Videos articles embed. With a YouTube or Vimeo id they play in the page.
        </p>
      </div>
      {added ? (
        <p className="notice" role="status">
          Video added to the library.
        </p>
      ) : null}
      <div className="split">
        <section className="split__main" aria-labelledby="videos-heading">
          <h2 id="videos-heading">Library ({videos.length})</h2>
          {videos.map((video) => (
            <VideoFigure key={video.id} video={video} />
          ))}
        </section>
        {canEdit ? (
          <section className="split__side card" aria-labelledby="video-form-heading">
            <h2 id="video-form-heading">Add a video</h2>
            <Form method="post" className="stack" noValidate>
              <ErrorList errors={errors.form} />
              {field("title", "Title")}
              {field("channel", "Channel or publisher")}
              <Field
                label="Provider"
                htmlFor="video-provider"
                errorId="video-provider-error"
                errors={errors.provider}
              >
                <select
                  id="video-provider"
                  name="provider"
                  defaultValue={value("provider") || "youtube"}
                >
                  {VIDEO_PROVIDERS.map((provider) => (
                    <option key={provider} value={provider}>
                      {provider}
                    </option>
                  ))}
                </select>
              </Field>
              {field("url", "Web address")}
              {field(
                "providerId",
                "Provider's video id (optional)",
                "YouTube's 11 characters or Vimeo's number",
              )}
              {field("durationSeconds", "Duration in seconds (optional)")}
              {field("description", "Description (optional)")}
              <button type="submit" className="button button--primary">
                Add video
              </button>
            </Form>
          </section>
        ) : null}
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
