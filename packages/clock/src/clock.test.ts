import { describe, expect, test } from "vitest";
import { fixedClock, localDateOf, preloadTimeZoneData, systemClock, utcDateOf } from "./clock.ts";

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

describe("localDateOf", () => {
  test("an instant already tomorrow in UTC is still today in Los Angeles", () => {
    const instant = new Date("2026-11-28T03:00:00.000Z");
    expect(utcDateOf(instant)).toBe("2026-11-28");
    expect(localDateOf(instant, "America/Los_Angeles")).toBe("2026-11-27");
    expect(localDateOf(instant, "America/New_York")).toBe("2026-11-27");
    expect(localDateOf(instant, "UTC")).toBe("2026-11-28");
  });

  test("preloading the zone data at a host's start leaves every answer as it was", () => {
    preloadTimeZoneData();
    expect(localDateOf(new Date("2026-11-28T03:00:00.000Z"), "America/Chicago")).toBe("2026-11-27");
    expect(localDateOf(new Date(0), "UTC")).toBe("1970-01-01");
  });

  test("a zone ahead of UTC reaches the next date first", () => {
    expect(localDateOf(new Date("2026-11-27T09:59:59.999Z"), "Pacific/Kiritimati")).toBe(
      "2026-11-27",
    );
    expect(localDateOf(new Date("2026-11-27T10:00:00.000Z"), "Pacific/Kiritimati")).toBe(
      "2026-11-28",
    );
  });

  test.each([
    // New York springs forward on 2026-03-08: midnight is 05:00Z before, 04:00Z after.
    ["2026-03-08T04:59:59.999Z", "America/New_York", "2026-03-07"],
    ["2026-03-08T05:00:00.000Z", "America/New_York", "2026-03-08"],
    ["2026-03-09T03:59:59.999Z", "America/New_York", "2026-03-08"],
    ["2026-03-09T04:00:00.000Z", "America/New_York", "2026-03-09"],
    // ... and falls back on 2026-11-01: the 25-hour day ends at 05:00Z.
    ["2026-11-01T03:59:59.999Z", "America/New_York", "2026-10-31"],
    ["2026-11-01T04:00:00.000Z", "America/New_York", "2026-11-01"],
    ["2026-11-02T04:59:59.999Z", "America/New_York", "2026-11-01"],
    ["2026-11-02T05:00:00.000Z", "America/New_York", "2026-11-02"],
    // Los Angeles on the night it falls back: 23:59 PST is 07:59Z.
    ["2026-11-02T07:59:59.999Z", "America/Los_Angeles", "2026-11-01"],
    ["2026-11-02T08:00:00.000Z", "America/Los_Angeles", "2026-11-02"],
    // Phoenix keeps standard time all year: midnight is 07:00Z in summer too.
    ["2026-07-01T06:59:59.999Z", "America/Phoenix", "2026-06-30"],
    ["2026-07-01T07:00:00.000Z", "America/Phoenix", "2026-07-01"],
    // A year's end and a leap day.
    ["2027-01-01T04:59:59.999Z", "America/New_York", "2026-12-31"],
    ["2028-03-01T09:59:59.999Z", "Pacific/Honolulu", "2028-02-29"],
  ])("%s in %s is %s", (instant, timeZone, date) => {
    expect(localDateOf(new Date(instant), timeZone)).toBe(date);
  });

  test("the year is written with four digits", () => {
    expect(localDateOf(new Date("0099-06-01T12:00:00.000Z"), "UTC")).toBe("0099-06-01");
  });

  test("a zone Intl does not know is refused", () => {
    expect(() => localDateOf(new Date("2026-11-27T09:00:00.000Z"), "Mars/Olympus_Mons")).toThrow(
      RangeError,
    );
  });
});
