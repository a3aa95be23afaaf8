import { parseWithZod } from "@conform-to/zod/v4";
import {
  CreatePractitionerInputSchema,
  type Practitioner,
  UpdatePractitionerInputSchema,
} from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  editPractitionerFormSchema,
  newPractitionerFormSchema,
  PRACTITIONER_FIELDS,
  practitionerFormDefaults,
} from "./practitioner-form.ts";

const CLINIC_A = "0b6f2c1e-5a4d-4e8b-9c3f-1d2e3f4a5b6c";
const CLINIC_B = "7c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const OTHER_ORG_CLINIC = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
const PRACTITIONER_ID = "6b0f6c6e-1f0e-4d8e-9d43-6b7f2c6b8e11";
const CLINICS = [CLINIC_A, CLINIC_B];

/** A submission as the browser sends it: every field present, untouched ones empty. */
function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  const blank = { name: "", email: "", profession: "", clinicId: "" };
  for (const [name, value] of Object.entries({ ...blank, ...fields })) data.append(name, value);
  return data;
}

function parseNew(fields: Record<string, string>) {
  return parseWithZod(formData(fields), {
    schema: newPractitionerFormSchema(CLINICS),
    disableAutoCoercion: true,
  });
}

function parseEdit(fields: Record<string, string>) {
  return parseWithZod(formData({ id: PRACTITIONER_ID, ...fields }), {
    schema: editPractitionerFormSchema(CLINICS),
    disableAutoCoercion: true,
  });
}

describe("the add-practitioner form", () => {
  test("a complete submission becomes the create input, trimmed and with the email lower-cased", () => {
    const submission = parseNew({
      name: "  Riley Chen ",
      email: "Riley.Chen@Example.org",
      profession: "PTA",
      clinicId: CLINIC_B,
    });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toEqual({
      name: "Riley Chen",
      email: "riley.chen@example.org",
      profession: "PTA",
      clinicId: CLINIC_B,
    });
    // What the form produces is what the API accepts, unchanged.
    expect(CreatePractitionerInputSchema.parse(submission.value)).toEqual(submission.value);
  });

  test("an empty email is no email on file", () => {
    const submission = parseNew({ name: "Riley Chen", profession: "PT", clinicId: CLINIC_A });
    expect(submission.status).toBe("success");
    if (submission.status === "success") expect(submission.value.email).toBeNull();
  });

  test("an empty name, a malformed email and a profession not offered are refused on their fields", () => {
    const reply = parseNew({
      name: "   ",
      email: "riley@",
      profession: "surgeon",
      clinicId: CLINIC_A,
    }).reply();
    expect(reply.status).toBe("error");
    expect(reply.error?.name).toEqual(["must not be empty"]);
    expect(reply.error?.email).toEqual(["must be an email address"]);
    expect(reply.error?.profession).toEqual(["must be one of PT, PTA, other"]);
  });

  test.each([
    ["left blank", ""],
    ["of another organization", OTHER_ORG_CLINIC],
    ["not an id at all", "'; drop table clinics; --"],
  ])("a clinic %s is refused on the clinic field, once", (_, clinicId) => {
    const reply = parseNew({ name: "Riley Chen", profession: "PT", clinicId }).reply();
    expect(reply.error?.clinicId).toEqual(["must be one of your organization's clinics"]);
  });

  test("a name longer than the API allows is refused before it is sent", () => {
    const reply = parseNew({ name: "x".repeat(201), profession: "PT", clinicId: CLINIC_A }).reply();
    expect(reply.error?.name).toEqual(["must be at most 200 characters"]);
  });
});

describe("the edit-practitioner form", () => {
  test("a complete submission becomes an update of every field, accepted by the API's schema", () => {
    const submission = parseEdit({
      name: "Riley Chen-Park",
      email: "riley@example.org",
      profession: "PT",
      clinicId: CLINIC_A,
    });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toEqual({
      id: PRACTITIONER_ID,
      name: "Riley Chen-Park",
      email: "riley@example.org",
      profession: "PT",
      clinicId: CLINIC_A,
    });
    expect(UpdatePractitionerInputSchema.parse(submission.value)).toEqual(submission.value);
  });

  test("an emptied email removes it (null) instead of leaving the old one", () => {
    const submission = parseEdit({ name: "Riley Chen", profession: "PT", clinicId: CLINIC_A });
    expect(submission.status).toBe("success");
    if (submission.status === "success") expect(submission.value.email).toBeNull();
  });

  test("an emptied name is refused rather than skipped as 'unchanged'", () => {
    const reply = parseEdit({ name: "", profession: "PT", clinicId: CLINIC_A }).reply();
    expect(reply.error?.name).toEqual(["must not be empty"]);
  });

  test("a tampered practitioner id is refused on the id", () => {
    const submission = parseWithZod(
      formData({ id: "not-a-uuid", name: "Riley", profession: "PT", clinicId: CLINIC_A }),
      { schema: editPractitionerFormSchema(CLINICS), disableAutoCoercion: true },
    );
    expect(submission.reply().error?.id).toEqual(["must be a UUID"]);
  });

  test("the defaults of a stored practitioner parse back to the same values", () => {
    const stored: Practitioner = {
      id: PRACTITIONER_ID,
      organizationId: "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
      clinicId: CLINIC_B,
      name: "Riley Chen",
      email: null,
      profession: "other",
      archivedAt: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
    };
    const defaults = practitionerFormDefaults(stored);
    const submission = parseEdit(defaults);
    expect(submission.status).toBe("success");
    if (submission.status === "success") {
      expect(submission.value).toEqual({
        id: stored.id,
        name: stored.name,
        email: null,
        profession: stored.profession,
        clinicId: stored.clinicId,
      });
    }
  });

  test("every field the forms show is a field of the API's input", () => {
    for (const field of PRACTITIONER_FIELDS) {
      expect(Object.keys(CreatePractitionerInputSchema.shape)).toContain(field);
    }
  });
});
