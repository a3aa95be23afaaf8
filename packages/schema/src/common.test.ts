import { describe, expect, test } from "vitest";
import { isCalendarDate, text, WebUrlSchema } from "./common.ts";

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

test("isCalendarDate accepts exactly the dates the calendar has, leap years included", () => {
  // The reference: what a UTC Date makes of the text, written back.
  const reference = (value: string) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  };
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  let checked = 0;
  for (const year of [0, 1, 1600, 1700, 1900, 1999, 2000, 2023, 2024, 2025, 2100, 2400, 9999]) {
    for (let month = 0; month <= 13; month += 1) {
      for (let day = 0; day <= 32; day += 1) {
        const value = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
        expect(isCalendarDate(value), value).toBe(reference(value));
        checked += 1;
      }
    }
  }
  expect(checked).toBe(13 * 14 * 33);
  for (const bad of ["2024-2-29", "2024-02-29T00:00:00Z", "", "abcd-ef-gh", "2024-02-3"]) {
    expect(isCalendarDate(bad), bad).toBe(false);
  }
  expect(isCalendarDate("2024-02-29")).toBe(true);
  expect(isCalendarDate("2023-02-29")).toBe(false);
});
