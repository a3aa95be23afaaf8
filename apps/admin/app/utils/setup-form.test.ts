import { parseWithZod } from "@conform-to/zod/v4";
import { CreateOrganizationInputSchema } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { SETUP_FIELDS, SetupFormSchema, setupInputOf } from "./setup-form.ts";
import { COMMON_TIME_ZONES, timeZoneChoices } from "./time-zones.ts";

const PASSWORD = "lantern orchard velvet 42";

/** A submission as the set-up page's browser sends it: every field present. */
function formData(fields: Record<string, string>): FormData {
  const data = new FormData();
  const complete = {
    organizationName: "Pacific Spine & Sport",
    "clinic.name": "Pacific Spine Santa Monica",
    "clinic.jurisdiction": "US-CA",
    "clinic.timeZone": "America/Los_Angeles",
    "admin.name": "Morgan Ellis",
    "admin.email": "Morgan.Ellis@Pacific.test",
    "admin.password": PASSWORD,
    "admin.passwordAgain": PASSWORD,
  };
  for (const [name, value] of Object.entries({ ...complete, ...fields })) data.append(name, value);
  return data;
}

function parse(fields: Record<string, string> = {}) {
  return parseWithZod(formData(fields), { schema: SetupFormSchema, disableAutoCoercion: true });
}

describe("the set-up form", () => {
  test("a complete submission becomes exactly the API's input, email lower-cased, no repeated password", () => {
    const submission = parse();
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    const input = setupInputOf(submission.value);
    expect(input).toEqual({
      organizationName: "Pacific Spine & Sport",
      clinic: {
        name: "Pacific Spine Santa Monica",
        jurisdiction: "US-CA",
        timeZone: "America/Los_Angeles",
      },
      admin: { name: "Morgan Ellis", email: "morgan.ellis@pacific.test", password: PASSWORD },
    });
    expect(CreateOrganizationInputSchema.strict().parse(input)).toEqual(input);
  });

  test("a second password that differs is refused on that field", () => {
    const reply = parse({ "admin.passwordAgain": `${PASSWORD}!` }).reply();
    expect(reply.status).toBe("error");
    expect(reply.error?.["admin.passwordAgain"]).toEqual(["does not match the password"]);
    expect(reply.error?.["admin.password"]).toBeUndefined();
  });

  test.each([
    ["organizationName", "", "must not be empty"],
    ["clinic.name", "   ", "must not be empty"],
    ["clinic.jurisdiction", "", undefined],
    ["clinic.jurisdiction", "US-ZZ", undefined],
    ["clinic.timeZone", "", "is required"],
    [
      "clinic.timeZone",
      "Mars/Olympus_Mons",
      "is not a time zone this system knows (e.g. America/Chicago)",
    ],
    ["clinic.timeZone", "<script>", "must be an IANA time zone such as America/New_York"],
    ["admin.email", "morgan@", "must be an email address"],
    ["admin.password", "short", "must be at least 12 characters"],
  ])("%s = %j is refused on that field, with one message", (field, value, message) => {
    const extra: Record<string, string> = { [field]: value };
    if (field === "admin.password") extra["admin.passwordAgain"] = value;
    const reply = parse(extra).reply();
    expect(reply.status).toBe("error");
    const errors = reply.error?.[field];
    expect(errors).toHaveLength(1);
    if (message) expect(errors).toEqual([message]);
  });

  test("every field the page shows is one the API may name in a field error", () => {
    const apiFields = ["organizationName", "clinic.name", "clinic.jurisdiction", "clinic.timeZone"]
      .concat(Object.keys(CreateOrganizationInputSchema.shape.admin.shape).map((k) => `admin.${k}`))
      .concat("admin.passwordAgain");
    expect([...SETUP_FIELDS].sort()).toEqual(apiFields.sort());
  });
});

describe("the time zone picker", () => {
  test("offers the US zones first and every other zone once, sorted", () => {
    const choices = timeZoneChoices();
    expect(choices.common.map((zone) => zone.value)).toEqual(COMMON_TIME_ZONES.map((z) => z.value));
    expect(choices.others).toContain("Europe/London");
    expect(choices.others).toContain("UTC");
    expect(choices.others).not.toContain("America/New_York");
    expect(new Set(choices.others).size).toBe(choices.others.length);
    expect([...choices.others].sort((a, b) => a.localeCompare(b))).toEqual(choices.others);
  });

  test("keeps a stored alias selectable", () => {
    expect(timeZoneChoices().others).not.toContain("America/Indiana/Indianapolis");
    expect(timeZoneChoices("America/Indiana/Indianapolis").others).toContain(
      "America/Indiana/Indianapolis",
    );
  });

  test("every zone offered is one the API accepts", async () => {
    const { TimeZoneSchema } = await import("@dn/schema");
    const { common, others } = timeZoneChoices();
    for (const zone of [...common.map((z) => z.value), ...others]) {
      expect(TimeZoneSchema.safeParse(zone).success, zone).toBe(true);
    }
  });
});
