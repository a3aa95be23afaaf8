import { describe, expect, test } from "vitest";
import { placeFieldErrors } from "./field-errors.ts";

const SHOWN = ["jurisdiction", "number", "issuedOn", "expiresOn", "status"];

describe("placing the API's field errors on a form", () => {
  test("errors on fields the form shows go beside them, with a pointer on top", () => {
    expect(
      placeFieldErrors(
        { number: ["this practitioner already has a US-MD license with this number"] },
        SHOWN,
        "number: this practitioner already has a US-MD license with this number",
      ),
    ).toEqual({
      fieldErrors: { number: ["this practitioner already has a US-MD license with this number"] },
      formErrors: ["Some fields need attention."],
    });
  });

  test("an error on a field the form does not show (a hidden id) is shown on top, not lost", () => {
    expect(
      placeFieldErrors(
        {
          practitionerId: ["Riley Chen is archived; their data can no longer change"],
          issuedOn: ["must be a real date written as YYYY-MM-DD"],
        },
        SHOWN,
        "practitionerId: Riley Chen is archived; their data can no longer change",
      ),
    ).toEqual({
      fieldErrors: { issuedOn: ["must be a real date written as YYYY-MM-DD"] },
      formErrors: ["Riley Chen is archived; their data can no longer change"],
    });
  });

  test("a refusal naming no field shows its whole message on top", () => {
    expect(placeFieldErrors({}, SHOWN, "too many requests")).toEqual({
      fieldErrors: {},
      formErrors: ["too many requests"],
    });
  });
});
