import { describe, expect, test } from "vitest";
import { DAILY_RUN_HOUR, dueDailyRuns, localHourOf } from "./schedule.ts";

describe("daily runs", () => {
  test("the local hour follows the zone, including across the date line and DST", () => {
    const instant = new Date("2026-12-02T05:30:00Z");
    expect(localHourOf(instant, "UTC")).toBe(5);
    expect(localHourOf(instant, "America/New_York")).toBe(0);
    expect(localHourOf(instant, "Pacific/Auckland")).toBe(18);
    expect(localHourOf(new Date("2026-07-02T05:30:00Z"), "America/New_York")).toBe(1);
  });

  test.each([
    // [instant, zone, due?, local date]
    ["2026-12-02T05:59:59Z", "UTC", false, "2026-12-02"],
    ["2026-12-02T06:00:00Z", "UTC", true, "2026-12-02"],
    ["2026-12-02T10:59:00Z", "America/New_York", false, "2026-12-02"],
    ["2026-12-02T11:00:00Z", "America/New_York", true, "2026-12-02"],
    ["2026-12-02T04:30:00Z", "America/New_York", true, "2026-12-01"],
    ["2026-12-02T17:00:00Z", "Pacific/Auckland", true, "2026-12-03"],
  ] as const)("at %s in %s a run is due: %s (for %s)", (instant, timeZone, due, localDate) => {
    const runs = dueDailyRuns([{ organizationId: "org", timeZone }], new Date(instant));
    expect(runs).toEqual(due ? [{ organizationId: "org", timeZone, localDate }] : []);
  });

  test("each zone of an organization gets its own run for its own date", () => {
    const runs = dueDailyRuns(
      [
        { organizationId: "org", timeZone: "America/Los_Angeles" },
        { organizationId: "org", timeZone: "Europe/Berlin" },
      ],
      new Date("2026-12-02T15:00:00Z"),
    );
    expect(runs).toEqual([
      { organizationId: "org", timeZone: "America/Los_Angeles", localDate: "2026-12-02" },
      { organizationId: "org", timeZone: "Europe/Berlin", localDate: "2026-12-02" },
    ]);
    expect(DAILY_RUN_HOUR).toBe(6);
  });
});
