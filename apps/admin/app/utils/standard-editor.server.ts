import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import { apiErrorCode, apiFieldErrors, isApiError } from "./api.server.ts";
import { readForm, TEXT_FORM_LIMIT } from "./body-limit.server.ts";
import { requireApi } from "./session.server.ts";
import { StandardSourceFormSchema } from "./standard-form.ts";
import { parseStandardText, problemsFromApi } from "./standard-source.server.ts";

/**
 * The editor's action: parse the text, validate it with the schema, then create or update the
 * custom standard through the API. Problems come back with their field paths and lines.
 */
export async function saveStandardFromForm(
  request: Request,
  mode: "create" | "update",
  expectedId: string | null,
) {
  const api = await requireApi(request);
  const formData = await readForm(request, TEXT_FORM_LIMIT);
  const submission = parseWithZod(formData, {
    schema: StandardSourceFormSchema,
    disableAutoCoercion: true,
  });
  if (submission.status !== "success") {
    return data({ result: submission.reply(), problems: [] }, { status: 400 });
  }
  const text = submission.value.source;
  const parsed = parseStandardText(text);
  if (!parsed.ok) {
    return data(
      { result: submission.reply({ formErrors: [] }), problems: parsed.problems },
      { status: 400 },
    );
  }
  if (expectedId !== null && parsed.document.id !== expectedId) {
    return data(
      {
        result: submission.reply(),
        problems: [
          {
            path: "id",
            line: null,
            message: `must stay ${expectedId}: a new version keeps the standard's id`,
          },
        ],
      },
      { status: 400 },
    );
  }
  try {
    const saved =
      mode === "create"
        ? await api.standards.create.mutate({ document: parsed.document })
        : await api.standards.update.mutate({ document: parsed.document });
    throw redirect(`/standards/${saved.standard.id}?version=${saved.standard.version}&saved=1`);
  } catch (error) {
    if (error instanceof Response) throw error;
    const code = apiErrorCode(error);
    if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
    const fieldErrors = apiFieldErrors(error);
    const problems = problemsFromApi(text, fieldErrors);
    return data(
      {
        result: submission.reply({ formErrors: problems.length === 0 ? [error.message] : [] }),
        problems,
      },
      { status: 400 },
    );
  }
}
