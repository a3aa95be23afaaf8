import type { Submission, SubmissionResult } from "@conform-to/react";
import { apiErrorCode, apiFieldErrors, isApiError } from "./api.server.ts";
import { placeFieldErrors } from "./field-errors.ts";

/**
 * Puts the API's refusal of a form's input back on the form: messages for the fields it shows
 * beside them, any other (such as "is archived" on a hidden id) on top. Anything that is not a
 * refusal of the input is rethrown for the error boundary.
 */
export function replyWithApiError(
  submission: Pick<Submission<unknown>, "reply">,
  error: unknown,
  shownFields: readonly string[],
): SubmissionResult {
  const code = apiErrorCode(error);
  if (!isApiError(error) || (code !== "BAD_REQUEST" && code !== "CONFLICT")) throw error;
  return submission.reply(placeFieldErrors(apiFieldErrors(error), shownFields, error.message));
}
