/**
 * The one way an action reads its form: `await readForm(request)` (or with a larger limit for the
 * few routes that take a file or a long text) instead of `request.formData()`.
 *
 * A body declared larger than the limit (Content-Length) is answered 413 before a byte of it is
 * read; a body without a declared length (chunked) is counted as it streams and answered 413 as
 * soon as it passes the limit. Either way the rest of the body is then read and thrown away in
 * the background, for at most a few seconds, so the 413 reaches the client and nothing is kept
 * in memory; a client that keeps sending after that has its connection closed.
 * See docs/decisions/050-hostile-input-and-headers.md.
 */
import { MAX_EVIDENCE_BYTES } from "@dn/schema";

const KB = 1024;
const MB = 1024 * KB;

/** Every form of fields: far above any real one. */
export const FORM_LIMIT = 64 * KB;
/**
 * Forms carrying a long text (an article body, a Markdown import, a standard, literature): the
 * API takes 1 MB of JSON in one call, and URL-encoding can triple non-Latin text.
 */
export const TEXT_FORM_LIMIT = 4 * MB;
/** A certificate upload: the file's own limit plus room for the form around it. */
export const EVIDENCE_FORM_LIMIT = MAX_EVIDENCE_BYTES + 64 * KB;
/** A CSV import (20 MB, the route's own limit) plus the form around it. */
export const IMPORT_FORM_LIMIT = 20 * MB + 64 * KB;
/** A signed bundle to verify (200 MB, the route's own limit) plus its key and the form. */
export const BUNDLE_FORM_LIMIT = 200 * MB + 64 * KB;

/** How long an over-limit body is read and discarded before its connection is closed. */
const DISCARD_MS = 5_000;

/** The 413 an action throws (Remix shows it through the route's error boundary). */
export function payloadTooLarge(limit: number): Response {
  const size = limit >= MB ? `${Math.floor(limit / MB)} MB` : `${Math.floor(limit / KB)} KB`;
  return new Response(`The form is larger than ${size}.`, {
    status: 413,
    statusText: "Payload Too Large",
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * Reads the rest of a refused body and throws it away, for at most DISCARD_MS; then cancels it,
 * which closes the connection (by then the 413 has been sent).
 */
function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  const timer = setTimeout(() => {
    reader.cancel().catch(() => undefined);
  }, DISCARD_MS);
  timer.unref?.();
  void (async () => {
    try {
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
      }
    } catch {
      // cancelled, or the client went away
    } finally {
      clearTimeout(timer);
    }
  })();
}

/**
 * The request's body, at most `limit` bytes; throws a 413 Response beyond it. Exported for the
 * rare action that needs the raw bytes; forms use `readForm`.
 */
export async function readBodyWithin(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  const body = request.body;
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    if (body) discardRest(body.getReader());
    throw payloadTooLarge(limit);
  }
  if (!body) return new Uint8Array(new ArrayBuffer(0));
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      discardRest(reader);
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * The submitted form (URL-encoded or multipart), read within `limit` bytes (default
 * FORM_LIMIT); throws a 413 Response beyond it and a 400 when the body is not a form.
 */
export async function readForm(request: Request, limit: number = FORM_LIMIT): Promise<FormData> {
  const bytes = await readBodyWithin(request, limit);
  const contentType = request.headers.get("content-type") ?? "";
  try {
    return await new Response(bytes, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    throw new Response("The request is not a form.", { status: 400, statusText: "Bad Request" });
  }
}
