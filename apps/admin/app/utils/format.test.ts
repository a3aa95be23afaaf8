import { describe, expect, test } from "vitest";
import { formatHours, formatInstant } from "./format.ts";

describe("formatHours", () => {
  test.each([
    [{ theory: 0, practical: 0, online: 0 }, "—"],
    [{ theory: 0, practical: 0, online: 3 }, "3 h online"],
    [{ theory: 12, practical: 15, online: 0 }, "27 h (12 theory, 15 practical)"],
    [{ theory: 1.5, practical: 0.25, online: 2 }, "3.75 h (1.5 theory, 0.25 practical, 2 online)"],
  ])("%j reads %s", (hours, expected) => {
    expect(formatHours(hours)).toBe(expected);
  });
});

describe("formatInstant", () => {
  test("shows the instant in UTC whatever the offset it was written with", () => {
    expect(formatInstant("2026-03-01T23:30:00-05:00")).toBe("2026-03-02 04:30 UTC");
  });

  test("leaves text that is not an instant as it is", () => {
    expect(formatInstant("not a time")).toBe("not a time");
  });
});
