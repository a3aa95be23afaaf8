import { IsoDateSchema, IsoInstantSchema } from "@dn/schema";

export interface When {
  asOf: string | undefined;
  knownAt: string | undefined;
  /** What was typed, to put back in the form. */
  values: { asOf: string; knownAt: string };
  errors: { asOf?: string[]; knownAt?: string[] };
}

/**
 * Reads `asOf` (YYYY-MM-DD) and `knownAt` (an ISO instant) from a page's query string. An empty
 * field means "not given"; a bad one is reported for its field and left out of the question.
 */
export function readWhen(searchParams: URLSearchParams): When {
  const asOfText = (searchParams.get("asOf") ?? "").trim();
  const knownAtText = (searchParams.get("knownAt") ?? "").trim();
  const errors: When["errors"] = {};
  let asOf: string | undefined;
  let knownAt: string | undefined;
  if (asOfText) {
    const parsed = IsoDateSchema.safeParse(asOfText);
    if (parsed.success) asOf = parsed.data;
    else errors.asOf = parsed.error.issues.map((issue) => issue.message);
  }
  if (knownAtText) {
    const parsed = IsoInstantSchema.safeParse(knownAtText);
    if (parsed.success) knownAt = parsed.data;
    else errors.knownAt = parsed.error.issues.map((issue) => issue.message);
  }
  return { asOf, knownAt, values: { asOf: asOfText, knownAt: knownAtText }, errors };
}

/** `?asOf=...&knownAt=...` for links that keep the same question. */
export function whenQuery(when: { asOf?: string | null; knownAt?: string | null }): string {
  const params = new URLSearchParams();
  if (when.asOf) params.set("asOf", when.asOf);
  if (when.knownAt) params.set("knownAt", when.knownAt);
  const query = params.toString();
  return query ? `?${query}` : "";
}
