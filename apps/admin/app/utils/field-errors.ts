/** The API's field errors split for a form: those beside the fields it shows, the rest on top. */
export function placeFieldErrors(
  fieldErrors: Record<string, string[]>,
  shownFields: readonly string[],
  message: string,
): { fieldErrors: Record<string, string[]>; formErrors: string[] } {
  const shown: Record<string, string[]> = {};
  const elsewhere: string[] = [];
  for (const [field, messages] of Object.entries(fieldErrors)) {
    if (shownFields.includes(field)) shown[field] = messages;
    else elsewhere.push(...messages);
  }
  if (elsewhere.length > 0) return { fieldErrors: shown, formErrors: elsewhere };
  if (Object.keys(shown).length > 0) {
    return { fieldErrors: shown, formErrors: ["Some fields need attention."] };
  }
  // No field named: the whole message ("field: problem" or a plain refusal) goes on top.
  return { fieldErrors: {}, formErrors: [message] };
}
