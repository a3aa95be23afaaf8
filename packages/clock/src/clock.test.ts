import { describe, expect, test } from "vitest";
import { fixedClock, systemClock, utcDateOf } from "./clock.ts";

describe("clock", () => {
  test("a fixed clock always answers the same instant, as a fresh Date each time", () => {
    const clock = fixedClock("2026-11-27T09:00:00.000Z");
    const first = clock();
    first.setUTCFullYear(1999);
    expect(clock().toISOString()).toBe("2026-11-27T09:00:00.000Z");
  });

  test("a fixed clock refuses something that is not an instant", () => {
    expect(() => fixedClock("next tuesday")).toThrow("not an instant");
  });

  test("the system clock moves forward", () => {
    const before = systemClock().getTime();
    expect(systemClock().getTime()).toBeGreaterThanOrEqual(before);
  });

  test("the UTC date of an instant late in the day west of UTC is the next day", () => {
    expect(utcDateOf(new Date("2026-11-27T23:30:00-05:00"))).toBe("2026-11-28");
  });
});
