import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  addDays,
  addMonths,
  addYears,
  dateOfDayNumber,
  dayNumber,
  daysBetween,
  monthsBetween,
  yearsBetween,
} from "./dates.ts";

describe("date helpers on YYYY-MM-DD strings", () => {
  test.each([
    ["2024-01-31", 1, "2024-02-29"],
    ["2023-01-31", 1, "2023-02-28"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2024-11-15", 3, "2025-02-15"],
    ["2025-03-31", -1, "2025-02-28"],
    ["2027-03-31", -24, "2025-03-31"],
  ])("%s plus %i months is %s (clamped to the month's end)", (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  test("days cross month, year and leap-day boundaries", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
  });

  test("day numbers move as addDays does and give the same date back", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1900-01-01"), max: new Date("2200-12-31"), noInvalidDate: true }),
        fc.integer({ min: -4000, max: 4000 }),
        (instant, days) => {
          const date = instant.toISOString().slice(0, 10);
          expect(dateOfDayNumber(dayNumber(date))).toBe(date);
          expect(dateOfDayNumber(dayNumber(date) + days)).toBe(addDays(date, days));
        },
      ),
    );
  });

  test("years are calendar years", () => {
    expect(addYears("2020-02-29", 2)).toBe("2022-02-28");
    expect(yearsBetween("2020-01-01", "2026-06-01")).toBe(6.4);
  });

  test("whole months count a month only once its day is reached", () => {
    expect(monthsBetween("2000-10-01", "2025-09-30")).toBe(299);
    expect(monthsBetween("2000-10-01", "2025-10-01")).toBe(300);
    expect(monthsBetween("2025-10-01", "2025-09-30")).toBe(-1);
  });

  test("adding then subtracting days returns the same date", () => {
    const date = fc
      .date({ min: new Date("1990-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(date, fc.integer({ min: -5000, max: 5000 }), (d, n) => {
        expect(addDays(addDays(d, n), -n)).toBe(d);
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }),
    );
  });
});
