/**
 * The security headers every admin response carries. The page CSP allows scripts only from this
 * origin and the per-request nonce Remix puts on its own inline scripts: a stored string that
 * somehow became markup still could not run. Nothing may frame the app.
 */

export interface SecurityHeaderOptions {
  /** The nonce of this response's inline scripts (documents only). */
  nonce?: string;
  /** Development: Vite's module reloading needs its websocket and inline modules. */
  development?: boolean;
  /** A file this app's own pages embed (a certificate PDF in an <object>): same-origin framing. */
  embeddable?: boolean;
}

/** The Content-Security-Policy for an HTML document. */
export function contentSecurityPolicy({ nonce, development }: SecurityHeaderOptions): string {
  const scripts = ["'self'", ...(nonce ? [`'nonce-${nonce}'`] : [])];
  return [
    "default-src 'self'",
    `script-src ${development ? [...scripts, "'unsafe-inline'"].join(" ") : scripts.join(" ")}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    // Certificates are previewed in <object> elements, from this origin only.
    "object-src 'self'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Sets the headers on `headers`; a CSP the route set itself (evidence: sandbox) is kept. */
export function applySecurityHeaders(headers: Headers, options: SecurityHeaderOptions): Headers {
  if (!headers.has("content-security-policy")) {
    headers.set("content-security-policy", contentSecurityPolicy(options));
  }
  headers.set("x-content-type-options", "nosniff");
  headers.set("x-frame-options", options.embeddable ? "SAMEORIGIN" : "DENY");
  headers.set("referrer-policy", "strict-origin-when-cross-origin");
  return headers;
}
