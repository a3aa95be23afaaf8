/** `dana@example.org` -> `d•••@example.org`: enough to recognise, not enough to write to. */
export function maskEmail(email: string): string {
  const at = email.indexOf("@");
  if (at <= 0) return "•••";
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
