import { describe, expect, test } from "vitest";
import { ExportFormSchema, toCreateExportInput, toFormFieldErrors } from "./export-form.ts";

const clinicId = "1c6d7f2e-2e8b-4f1f-8b68-7b3c1d2e3f40";

describe("export form", () => {
  test("a clinic scope with standards becomes the API's input", () => {
    const form = ExportFormSchema.parse({
      kind: "bundle",
      scope: `clinic:${clinicId}`,
      asOf: "2026-11-01",
      standardIds: "us-fl-dn, us-md-dn",
    });
    expect(toCreateExportInput(form)).toEqual({
      ok: true,
      input: {
        kind: "bundle",
        scope: {
          kind: "clinic",
          clinicId,
          asOf: "2026-11-01",
          standardIds: ["us-fl-dn", "us-md-dn"],
        },
      },
    });
  });

  test("a bad standard id is put on the standards field", () => {
    const form = ExportFormSchema.parse({
      kind: "json",
      scope: "organization",
      asOf: "2026-11-01",
      standardIds: "US FL",
    });
    const result = toCreateExportInput(form);
    expect(result.ok).toBe(false);
    expect(Object.keys(result.ok ? {} : result.fieldErrors)).toEqual(["standardIds"]);
  });

  test("the API's nested field errors land on the form's fields", () => {
    expect(
      toFormFieldErrors({
        "scope.practitionerId": ["no practitioner"],
        "scope.standardIds.1": ["unknown"],
      }),
    ).toEqual({ scope: ["no practitioner"], standardIds: ["unknown"] });
  });
});
