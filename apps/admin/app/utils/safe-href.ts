/**
 * A stored URL as a link target, or null when it is not an http(s) address. The schemas refuse
 * other schemes on input; this keeps rows written before that rule (or by any other path) from
 * ever becoming a `javascript:` link on a page.
 */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === "https:" || protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}
