import { describe, expect, test } from "vitest";
import { orderedIds } from "./ordered-ids.ts";

const AT = new Date("2026-11-27T09:00:00.000Z");

describe("orderedIds", () => {
  test("ids are UUIDv7 at the given instant, increasing in the order they are made", () => {
    const next = orderedIds(AT);
    const ids = Array.from({ length: 5000 }, next);
    expect(
      ids.every((id) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id),
      ),
    ).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    // The first 48 bits are the instant's milliseconds.
    expect(Number.parseInt(ids[0]?.replace(/-/g, "").slice(0, 12) ?? "", 16)).toBe(AT.getTime());
  });

  test("two operations at the same instant never make the same id", () => {
    const a = Array.from({ length: 2000 }, orderedIds(AT));
    const b = Array.from({ length: 2000 }, orderedIds(AT));
    expect(new Set([...a, ...b]).size).toBe(4000);
  });
});
