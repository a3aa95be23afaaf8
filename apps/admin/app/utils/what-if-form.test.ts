import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, test } from "vitest";
import { toHypotheticalLicenses, toHypotheticalRecords, WhatIfFormSchema } from "./what-if-form.ts";

function parse(fields: Record<string, string>) {
  const formData = new FormData();
  for (const [name, value] of Object.entries(fields)) formData.set(name, value);
  return parseWithZod(formData, { schema: WhatIfFormSchema, disableAutoCoercion: true });
}

/** The errors of a submission that failed, by field ("" for the whole form). */
function errorsOf(fields: Record<string, string>): Record<string, string[] | null> {
  const submission = parse(fields);
  if (submission.status === "success") throw new Error("expected the form to be refused");
  return submission.error ?? {};
}

describe("the what-if planner form", () => {
  test("turns hours, sessions, an exam and CPR into hypothetical records", () => {
    const submission = parse({
      completedOn: "2026-06-01",
      scope: "states",
      courseTheory: "10",
      coursePractical: "17.5",
      courseOnline: "",
      sessions: "25",
      examType: "written",
      cprExpiresOn: "2028-06-01",
    });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    const records = toHypotheticalRecords(submission.value);
    expect(records.map((r) => r.kind)).toEqual(["dn-course", "supervised-sessions", "exam", "cpr"]);
    expect(records[0]).toMatchObject({ hours: { theory: 10, practical: 17.5, online: 0 } });
    expect(toHypotheticalLicenses(submission.value)).toEqual([]);
  });

  test("a planned license alone is a question worth asking", () => {
    const submission = parse({ completedOn: "2026-06-01", scope: "states", licenseIn: "US-FL" });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(toHypotheticalLicenses(submission.value)).toEqual([
      {
        jurisdiction: "US-FL",
        number: "PLANNED",
        issuedOn: "2026-06-01",
        expiresOn: null,
        status: "active",
      },
    ]);
  });

  test("asks for at least one record and names bad fields", () => {
    const empty = errorsOf({ completedOn: "2026-06-01", scope: "applicable" });
    expect(empty[""]).toEqual([
      "Add at least one hypothetical record: hours, sessions, an exam, CPR or a license.",
    ]);
    const fraction = errorsOf({ completedOn: "2026-06-01", scope: "applicable", sessions: "2.5" });
    expect(fraction.sessions).toEqual(["must be a whole number of sessions"]);
    const early = errorsOf({
      completedOn: "2026-06-01",
      scope: "applicable",
      cprExpiresOn: "2026-01-01",
    });
    expect(early.cprExpiresOn).toEqual(["must not be before the completion date"]);
  });
});

describe("the planned course: kind, format and topics", () => {
  function parseAll(entries: [string, string][]) {
    const formData = new FormData();
    for (const [name, value] of entries) formData.append(name, value);
    return parseWithZod(formData, { schema: WhatIfFormSchema, disableAutoCoercion: true });
  }

  test("carries the topics it covers and its kind into the hypothetical record", () => {
    const submission = parseAll([
      ["completedOn", "2026-06-01"],
      ["scope", "applicable"],
      ["courseTitle", "Adverse events and clean needle technique"],
      ["courseKind", "ce-activity"],
      ["courseTheory", "4"],
      ["courseTopics", "adverse-event-reporting"],
      ["courseTopics", "clean-needle-technique"],
    ]);
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(toHypotheticalRecords(submission.value)).toEqual([
      expect.objectContaining({
        kind: "ce-activity",
        title: "Adverse events and clean needle technique",
        hours: { theory: 4, practical: 0, online: 0 },
        topics: ["adverse-event-reporting", "clean-needle-technique"],
      }),
    ]);
  });

  test("one topic is a list of one; no kind is a DN course", () => {
    const submission = parseAll([
      ["completedOn", "2026-06-01"],
      ["scope", "applicable"],
      ["courseOnline", "8"],
      ["courseTopics", "ethics"],
    ]);
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(toHypotheticalRecords(submission.value)[0]).toMatchObject({
      kind: "dn-course",
      title: "Planned DN course",
      hours: { theory: 0, practical: 0, online: 8 },
      topics: ["ethics"],
    });
  });

  test("refuses an unknown topic and topics without hours, naming the field", () => {
    const unknown = parseAll([
      ["completedOn", "2026-06-01"],
      ["scope", "applicable"],
      ["courseTheory", "4"],
      ["courseTopics", "astrology"],
    ]);
    if (unknown.status === "success") throw new Error("expected an unknown topic to be refused");
    expect(Object.keys(unknown.error ?? {}).some((key) => key.startsWith("courseTopics"))).toBe(
      true,
    );
    const noHours = parseAll([
      ["completedOn", "2026-06-01"],
      ["scope", "applicable"],
      ["sessions", "2"],
      ["courseTopics", "ethics"],
    ]);
    if (noHours.status === "success")
      throw new Error("expected topics without hours to be refused");
    expect(noHours.error?.courseTopics).toEqual([
      "give the course's hours too: a course with no hours counts for nothing",
    ]);
  });
});
