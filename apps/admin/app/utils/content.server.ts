/** Guards and helpers shared by the content library's routes. */
import type { Role } from "@dn/schema";
import { apiErrorCode, apiFieldErrors, isApiError } from "./api.server.ts";
import { type ArticleFormErrors, errorsFromPaths } from "./article-form.ts";
import { requireUserWithRole } from "./session.server.ts";

/** Who edits the library, the catalog and moderates comments (the API enforces the same). */
export const CONTENT_EDITORS: readonly Role[] = ["admin", "manager"];
/** Who reads the moderation queue and follow-ups. */
export const CONTENT_READERS: readonly Role[] = ["admin", "manager", "auditor"];

export function requireContentEditor(request: Request) {
  return requireUserWithRole(request, CONTENT_EDITORS);
}

export function requireContentReader(request: Request) {
  return requireUserWithRole(request, CONTENT_READERS);
}

/** The API's refusal as form errors; rethrows anything that is not a refusal of the input. */
export function formErrorsFromApi(error: unknown, blocks: unknown[] = []): ArticleFormErrors {
  const code = apiErrorCode(error);
  if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
  const fieldErrors = apiFieldErrors(error);
  const issues = Object.entries(fieldErrors).flatMap(([path, messages]) =>
    messages.map((message) => ({ path, message })),
  );
  if (issues.length === 0) return { form: [error.message] };
  return errorsFromPaths(issues, blocks);
}

/** Field errors by path from an API refusal, with the whole message when no field is named. */
export function fieldErrorsFromApi(error: unknown): {
  fields: Record<string, string[]>;
  form: string[];
} {
  const code = apiErrorCode(error);
  if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
  const fields = apiFieldErrors(error);
  return {
    fields,
    form: Object.keys(fields).length > 0 ? ["Some fields need attention."] : [error.message],
  };
}

/** Whether a role may edit (the pages show edit links only to them). */
export function canEdit(role: Role): boolean {
  return CONTENT_EDITORS.includes(role);
}
