import type { Citation } from "@dn/schema";
import { safeHref } from "~/utils/safe-href.ts";

/** A citation's text, linked to its URL when that is a web address (never `javascript:`). */
export function CitationLink({ citation }: { citation: Citation }) {
  const href = safeHref(citation.url);
  return href ? (
    <a href={href} rel="noreferrer">
      {citation.text}
    </a>
  ) : (
    citation.text
  );
}
