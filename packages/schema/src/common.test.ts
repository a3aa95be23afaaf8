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

  test("a web address must be http or https with a host name", () => {
    expect(WebUrlSchema.safeParse("https://example.org/a").success).toBe(true);
    for (const url of ["javascript:alert(1)", "mailto:x@example.org", "https://", "ftp://x.org"]) {
      expect(WebUrlSchema.safeParse(url).success, url).toBe(false);
    }
  });
});
