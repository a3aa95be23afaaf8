import { parseWithZod } from "@conform-to/zod/v4";
import {
  type Clinic,
  type Organization,
  UpdateClinicInputSchema,
  UpdateOrganizationInputSchema,
} from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  ClinicByIdFormSchema,
  clinicFormDefaults,
  EditClinicFormSchema,
  NewClinicFormSchema,
  OrganizationFormSchema,
  organizationFormDefaults,
} from "./settings-form.ts";

const CLINIC_ID = "0b6f2c1e-5a4d-4e8b-9c3f-1d2e3f4a5b6c";

function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.append(name, value);
  return data;
}

function parse<S extends Parameters<typeof parseWithZod>[1]["schema"]>(
  schema: S,
  fields: Record<string, string>,
) {
  return parseWithZod(formData(fields), { schema, disableAutoCoercion: true });
}

const organization: Organization = {
  id: "3a2b1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
  name: "Harbor Physical Therapy Group",
  mfaRequired: true,
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("the organization form", () => {
  test("a ticked box requires two-factor sign-in; an unticked one (which sends nothing) does not", () => {
    const ticked = parse(OrganizationFormSchema, { name: "Harbor PT", mfaRequired: "on" });
    expect(ticked.status === "success" && ticked.value).toEqual({
      name: "Harbor PT",
      mfaRequired: true,
    });
    const unticked = parse(OrganizationFormSchema, { name: "Harbor PT" });
    expect(unticked.status === "success" && unticked.value).toEqual({
      name: "Harbor PT",
      mfaRequired: false,
    });
    if (unticked.status === "success") {
      expect(UpdateOrganizationInputSchema.parse(unticked.value)).toEqual(unticked.value);
    }
  });

  test("an emptied name is refused rather than skipped as unchanged", () => {
    const reply = parse(OrganizationFormSchema, { name: " " }).reply();
    expect(reply.error?.name).toEqual(["must not be empty"]);
  });

  test("a tampered checkbox value is refused on its field", () => {
    const reply = parse(OrganizationFormSchema, { name: "Harbor", mfaRequired: "yes" }).reply();
    expect(reply.error?.mfaRequired).toHaveLength(1);
  });

  test("the defaults of a stored organization parse back to it", () => {
    const defaults = organizationFormDefaults(organization);
    const fields: Record<string, string> = { name: defaults.name };
    if (defaults.mfaRequired) fields.mfaRequired = defaults.mfaRequired;
    const submission = parse(OrganizationFormSchema, fields);
    expect(submission.status === "success" && submission.value).toEqual({
      name: organization.name,
      mfaRequired: true,
    });
  });
});

describe("the clinic forms", () => {
  test("a new clinic needs a name, a state and a time zone, each refused on its own field", () => {
    const reply = parse(NewClinicFormSchema, { name: "", jurisdiction: "", timeZone: "" }).reply();
    expect(Object.keys(reply.error ?? {}).sort()).toEqual(["jurisdiction", "name", "timeZone"]);
    const ok = parse(NewClinicFormSchema, {
      name: " Harbor PT Annapolis ",
      jurisdiction: "US-MD",
      timeZone: "America/New_York",
    });
    expect(ok.status === "success" && ok.value).toEqual({
      name: "Harbor PT Annapolis",
      jurisdiction: "US-MD",
      timeZone: "America/New_York",
    });
  });

  test("the edit form sends every field, and its defaults parse back to the stored clinic", () => {
    const clinic: Clinic = {
      id: CLINIC_ID,
      organizationId: organization.id,
      name: "Harbor PT Indianapolis",
      jurisdiction: "US-IN",
      timeZone: "America/Indiana/Indianapolis",
      archivedAt: null,
      createdAt: "2026-01-01T00:00:00.000Z",
    };
    const submission = parse(EditClinicFormSchema, clinicFormDefaults(clinic));
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toEqual({
      id: CLINIC_ID,
      name: clinic.name,
      jurisdiction: "US-IN",
      timeZone: "America/Indiana/Indianapolis",
    });
    expect(UpdateClinicInputSchema.parse(submission.value)).toEqual(submission.value);
    const emptied = parse(EditClinicFormSchema, { ...clinicFormDefaults(clinic), name: "" });
    expect(emptied.reply().error?.name).toEqual(["must not be empty"]);
  });

  test("archive and unarchive name the clinic by a real id", () => {
    expect(parse(ClinicByIdFormSchema, { id: CLINIC_ID }).status).toBe("success");
    expect(parse(ClinicByIdFormSchema, { id: "1 or 1=1" }).reply().error?.id).toEqual([
      "must be a UUID",
    ]);
  });
});
