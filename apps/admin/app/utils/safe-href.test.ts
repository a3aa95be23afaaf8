import { describe, expect, test } from "vitest";
import { safeHref } from "./safe-href.ts";

describe("safeHref", () => {
  test.each([
    ["https://mgaleg.maryland.gov/rule", "https://mgaleg.maryland.gov/rule"],
    ["http://example.org/a", "http://example.org/a"],
    ["javascript:alert(1)", null],
    [" JavaScript:alert(1)", null],
    ["data:text/html,<script>alert(1)</script>", null],
    ["//evil.example/x", null],
    ["not a url", null],
    [null, null],
  ])("%s becomes %s", (url, expected) => {
    expect(safeHref(url)).toBe(expected);
  });
});
