import { parseWithZod } from "@conform-to/zod/v4";
import {
  CreateLicenseInputSchema,
  LICENSE_STATUSES,
  type License,
  UpdateLicenseInputSchema,
} from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  EditLicenseFormSchema,
  LICENSE_FIELDS,
  LICENSE_STATUS_LABELS,
  licenseFormDefaults,
  licenseUpdateOf,
  NewLicenseFormSchema,
} from "./license-form.ts";

const PRACTITIONER_ID = "6b0f6c6e-1f0e-4d8e-9d43-6b7f2c6b8e11";
const LICENSE_ID = "2d4c6e8a-0b1c-4d3e-9f5a-7b6c5d4e3f21";

/** A submission as the browser sends it: every field present, untouched ones empty. */
function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  const blank = {
    practitionerId: PRACTITIONER_ID,
    jurisdiction: "",
    number: "",
    issuedOn: "",
    expiresOn: "",
    status: "active",
  };
  for (const [name, value] of Object.entries({ ...blank, ...fields })) data.append(name, value);
  return data;
}

function parseNew(fields: Record<string, string>) {
  return parseWithZod(formData(fields), {
    schema: NewLicenseFormSchema,
    disableAutoCoercion: true,
  });
}

function parseEdit(fields: Record<string, string>) {
  return parseWithZod(formData({ id: LICENSE_ID, ...fields }), {
    schema: EditLicenseFormSchema,
    disableAutoCoercion: true,
  });
}

describe("the add-license form", () => {
  test("a complete submission becomes the create input the API accepts", () => {
    const submission = parseNew({
      jurisdiction: "US-MD",
      number: " PT-12345 ",
      issuedOn: "2021-06-01",
      expiresOn: "2027-05-31",
    });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toEqual({
      practitionerId: PRACTITIONER_ID,
      jurisdiction: "US-MD",
      number: "PT-12345",
      issuedOn: "2021-06-01",
      expiresOn: "2027-05-31",
      status: "active",
    });
    expect(CreateLicenseInputSchema.parse(submission.value)).toEqual(submission.value);
  });

  test("an empty expiry date is a license that does not expire", () => {
    const submission = parseNew({ jurisdiction: "US-FL", number: "PT1", issuedOn: "2020-01-15" });
    expect(submission.status).toBe("success");
    if (submission.status === "success") expect(submission.value.expiresOn).toBeNull();
  });

  test("a state the API does not know and an unknown status are refused on their fields", () => {
    const reply = parseNew({
      jurisdiction: "US-XX",
      number: "PT1",
      issuedOn: "2020-01-15",
      status: "lapsed",
    }).reply();
    expect(reply.error?.jurisdiction).toEqual([
      'unknown jurisdiction code "US-XX": use ISO 3166-2, e.g. US-FL',
    ]);
    expect(reply.error?.status).toEqual([
      "must be one of active, inactive, expired, suspended, revoked",
    ]);
  });

  test("an empty number and dates that are not calendar dates are refused on their fields", () => {
    const reply = parseNew({
      jurisdiction: "US-MD",
      number: "  ",
      issuedOn: "2021-02-30",
      expiresOn: "31/05/2027",
    }).reply();
    expect(reply.error?.number).toEqual(["must not be empty"]);
    expect(reply.error?.issuedOn).toEqual(["must be a real date written as YYYY-MM-DD"]);
    expect(reply.error?.expiresOn).toEqual(["must be a real date written as YYYY-MM-DD"]);
  });

  test("a missing issue date is refused on that field", () => {
    const reply = parseNew({ jurisdiction: "US-MD", number: "PT1" }).reply();
    expect(reply.error?.issuedOn).toEqual(["must be a real date written as YYYY-MM-DD"]);
  });

  test("an expiry before the issue date is refused on the expiry field", () => {
    const reply = parseNew({
      jurisdiction: "US-MD",
      number: "PT1",
      issuedOn: "2024-06-01",
      expiresOn: "2024-05-31",
    }).reply();
    expect(reply.error?.expiresOn).toEqual(["must not be before the issue date"]);
  });

  test("a number longer than the API allows is refused before it is sent", () => {
    const reply = parseNew({
      jurisdiction: "US-MD",
      number: "9".repeat(51),
      issuedOn: "2024-06-01",
    }).reply();
    expect(reply.error?.number).toEqual(["must be at most 50 characters"]);
  });
});

describe("the edit-license form", () => {
  const stored: License = {
    id: LICENSE_ID,
    practitionerId: PRACTITIONER_ID,
    jurisdiction: "US-MD",
    number: "PT-12345",
    issuedOn: "2021-06-01",
    expiresOn: "2027-05-31",
    status: "active",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
  };

  test("an emptied expiry date clears it (null) instead of leaving the old one", () => {
    const submission = parseEdit({ ...licenseFormDefaults(stored), expiresOn: "" });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    const update = licenseUpdateOf(submission.value);
    expect(update).toEqual({
      id: LICENSE_ID,
      jurisdiction: "US-MD",
      number: "PT-12345",
      issuedOn: "2021-06-01",
      expiresOn: null,
      status: "active",
    });
    expect(UpdateLicenseInputSchema.parse(update)).toEqual(update);
  });

  test("the update never carries the practitioner, so a license cannot be moved", () => {
    const submission = parseEdit({ ...licenseFormDefaults(stored), status: "suspended" });
    expect(submission.status).toBe("success");
    if (submission.status === "success") {
      expect(licenseUpdateOf(submission.value)).not.toHaveProperty("practitionerId");
    }
  });

  test("an emptied number is refused rather than skipped as 'unchanged'", () => {
    const reply = parseEdit({ ...licenseFormDefaults(stored), number: "" }).reply();
    expect(reply.error?.number).toEqual(["must not be empty"]);
  });

  test("the date order is checked on edits too", () => {
    const reply = parseEdit({ ...licenseFormDefaults(stored), expiresOn: "2020-01-01" }).reply();
    expect(reply.error?.expiresOn).toEqual(["must not be before the issue date"]);
  });

  test("a tampered license id is refused on the id", () => {
    const reply = parseEdit({ ...licenseFormDefaults(stored), id: "1 or 1=1" }).reply();
    expect(reply.error?.id).toEqual(["must be a UUID"]);
  });
});

describe("labels and fields", () => {
  test("every status has a label and every field the forms show is an API input field", () => {
    expect(Object.keys(LICENSE_STATUS_LABELS).sort()).toEqual([...LICENSE_STATUSES].sort());
    for (const field of LICENSE_FIELDS) {
      expect(Object.keys(CreateLicenseInputSchema.shape)).toContain(field);
    }
  });
});
