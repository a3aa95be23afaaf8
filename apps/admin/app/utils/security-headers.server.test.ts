import { describe, expect, test } from "vitest";
import { applySecurityHeaders, contentSecurityPolicy } from "./security-headers.server.ts";

describe("security headers", () => {
  test("a production page allows scripts from this origin and its nonce only", () => {
    const csp = contentSecurityPolicy({ nonce: "abc123" });
    expect(csp).toContain("script-src 'self' 'nonce-abc123';");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'self'");
  });

  test("every response gets nosniff, DENY framing and a strict-origin referrer", () => {
    const headers = applySecurityHeaders(new Headers(), {});
    expect(Object.fromEntries(headers)).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
  });

  test("a CSP the response already carries (an evidence file's sandbox) is kept", () => {
    const headers = new Headers({ "content-security-policy": "sandbox" });
    const applied = applySecurityHeaders(headers, { embeddable: true });
    expect(applied.get("content-security-policy")).toBe("sandbox");
    // The certificate preview embeds it: same-origin framing only.
    expect(applied.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});
