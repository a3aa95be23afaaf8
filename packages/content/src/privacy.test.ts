import { expect, test } from "vitest";
import { maskEmail } from "./privacy.ts";

test("contacts are masked for the public", () => {
  expect(maskEmail("renee@harbor-pt.example")).toBe("r•••@harbor-pt.example");
  expect(maskEmail("not-an-address")).toBe("•••");
});
