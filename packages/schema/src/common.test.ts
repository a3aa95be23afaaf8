import { describe, expect, test } from "vitest";
import { text, WebUrlSchema } from "./common.ts";

describe("shared text and URL schemas", () => {
  test("text refuses a NUL character, which no database column can hold", () => {
    const result = text(50).safeParse("Dry\u0000Needling");
    expect(result.success ? null : result.error.issues.map((issue) => issue.message)).toEqual([
      "must not contain a NUL character (\\u0000)",
    ]);
    expect(text(50).parse("  Dry Needling  ")).toBe("Dry Needling");
  });

  test("text over its limit is refused with the limit named, never cut to fit", () => {
    const result = text(200).safeParse("x".repeat(100 * 1024));
    expect(result.success ? result.data.length : result.error.issues).toEqual([
      expect.objectContaining({
        code: "too_big",
        path: [],
        message: "must be at most 200 characters",
      }),
    ]);
    expect(text(200).parse("x".repeat(200))).toHaveLength(200);
  });

  test("a web address must be http or https with a host name", () => {
    expect(WebUrlSchema.safeParse("https://example.org/a").success).toBe(true);
    for (const url of ["javascript:alert(1)", "mailto:x@example.org", "https://", "ftp://x.org"]) {
      expect(WebUrlSchema.safeParse(url).success, url).toBe(false);
    }
  });
});
