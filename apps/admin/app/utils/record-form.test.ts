import { parseWithZod } from "@conform-to/zod/v4";
import { RECORD_KINDS } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { FIELD_GROUPS_BY_KIND, kindsWithGroup, RecordFormSchema } from "./record-form.ts";

const PRACTITIONER_ID = "6b0f6c6e-1f0e-4d8e-9d43-6b7f2c6b8e11";

/** A submission as the browser sends it: every field present, untouched ones empty. */
function formData(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  const blank = {
    kind: "dn-course",
    title: "",
    provider: "",
    completedOn: "",
    "hours.theory": "",
    "hours.practical": "",
    "hours.online": "",
    count: "",
    examType: "",
    passed: "",
    expiresOn: "",
    jurisdiction: "",
    notes: "",
    practitionerId: PRACTITIONER_ID,
  };
  for (const [name, value] of Object.entries({ ...blank, ...fields })) {
    for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
  }
  return data;
}

function parse(fields: Record<string, string | string[]>) {
  return parseWithZod(formData(fields), { schema: RecordFormSchema, disableAutoCoercion: true });
}

describe("the log-a-record form", () => {
  test("a complete DN course submission becomes the API input, with numbers and topics typed", () => {
    const submission = parse({
      title: "  Dry Needling Level 1 ",
      provider: "KinetaCore",
      completedOn: "2025-03-12",
      "hours.theory": "12.5",
      "hours.practical": "15",
      topics: ["clean-needle-technique", "anatomy"],
    });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toMatchObject({
      kind: "dn-course",
      title: "Dry Needling Level 1",
      provider: "KinetaCore",
      completedOn: "2025-03-12",
      hours: { theory: 12.5, practical: 15, online: 0 },
      topics: ["anatomy", "clean-needle-technique"],
      count: null,
      passed: null,
      notes: null,
      practitionerId: PRACTITIONER_ID,
    });
  });

  test("an empty title and negative hours are refused with messages on those fields", () => {
    const submission = parse({ title: "", completedOn: "2025-03-12", "hours.theory": "-3" });
    expect(submission.status).toBe("error");
    const reply = submission.reply();
    expect(reply.error?.title).toEqual(["must not be empty"]);
    expect(reply.error?.["hours.theory"]).toEqual(["must not be negative"]);
  });

  test("an exam result chosen as 'Not passed' is read as false, not as missing", () => {
    const submission = parse({
      kind: "exam",
      title: "DN written exam",
      completedOn: "2025-03-12",
      examType: "written",
      passed: "false",
    });
    expect(submission.status).toBe("success");
    if (submission.status === "success") expect(submission.value.passed).toBe(false);
  });

  test("an exam without a result is refused on the result field", () => {
    const submission = parse({
      kind: "exam",
      title: "DN exam",
      completedOn: "2025-03-12",
      examType: "written",
    });
    expect(submission.reply().error?.passed).toEqual(["is required for an exam: passed or not"]);
  });

  test("a completion date that is not a calendar date is refused on that field", () => {
    const submission = parse({
      title: "CPR",
      kind: "cpr",
      completedOn: "2025-02-30",
      expiresOn: "2027-01-01",
    });
    expect(submission.reply().error?.completedOn).toEqual([
      "must be a real date written as YYYY-MM-DD",
    ]);
  });
});

describe("which field groups the form shows for each kind", () => {
  test.each([
    ["dn-course", ["hours", "topics"]],
    ["ce-activity", ["hours", "topics"]],
    ["supervised-sessions", ["count"]],
    ["exam", ["topics", "exam"]],
    ["cpr", ["expiresOn"]],
    ["board-notification", ["jurisdiction"]],
  ] as const)("%s shows %j", (kind, groups) => {
    const shown = Object.entries(FIELD_GROUPS_BY_KIND[kind])
      .filter(([, applies]) => applies)
      .map(([group]) => group);
    expect(shown.sort()).toEqual([...groups].sort());
  });

  test("every kind is covered and every group belongs to at least one kind", () => {
    expect(Object.keys(FIELD_GROUPS_BY_KIND).sort()).toEqual([...RECORD_KINDS].sort());
    for (const group of [
      "hours",
      "topics",
      "count",
      "exam",
      "expiresOn",
      "jurisdiction",
    ] as const) {
      expect(kindsWithGroup(group).length).toBeGreaterThan(0);
    }
  });
});
