/** Guards and helpers shared by the content library's routes. */
import { apiErrorCode, apiFieldErrors, isApiError } from "./api.server.ts";
import { type ArticleFormErrors, errorsFromPaths } from "./article-form.ts";
import { hasPermission, type PermissionCheck, type WithPermissions } from "./permissions.ts";
import { requireUserWithPermission } from "./session.server.ts";

/** The signed-in user, who must hold `check` on the library (the API enforces the same). */
export function requireContentEditor(request: Request, check: PermissionCheck = "update:article") {
  return requireUserWithPermission(request, check);
}

/**
 * The content section is for those who read the moderation queue (admins, managers, auditors);
 * practitioners read the library and catalog where they log their training.
 */
export function requireContentReader(request: Request) {
  return requireUserWithPermission(request, "read:comment");
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

/** Whether the user may `check` (the pages show edit links only to them). */
export function canEdit(me: WithPermissions, check: PermissionCheck = "update:article"): boolean {
  return hasPermission(me, check);
}
