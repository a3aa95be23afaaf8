import { describe, expect, test } from "vitest";
import { DossierSchema } from "./dossier.ts";
import { describeIssues } from "./standard.ts";

const dossier = {
  format: "dn-dossier",
  version: 1,
  practitioner: {
    id: "5b0e7c2a-3c1f-4a7e-9d2b-1f0a6c3e8d41",
    name: "Dana Whitfield",
    profession: "PT",
  },
  licenses: [
    {
      jurisdiction: "US-MD",
      number: "PT-1234",
      issuedOn: "2018-06-01",
      expiresOn: "2027-03-31",
      status: "active",
    },
  ],
  records: [
    {
      id: "r1",
      kind: "dn-course",
      title: "DN-1",
      provider: "Myopain Seminars",
      completedOn: "2024-03-01",
      recordedAt: "2024-03-02T09:00:00Z",
      status: "verified",
      hours: { theory: 10, practical: 17, online: 0 },
      topics: ["anatomy"],
    },
    {
      id: "r2",
      kind: "supervised-sessions",
      title: "Sessions",
      completedOn: "2024-05-01",
      recordedAt: "2024-05-02T09:00:00Z",
      status: "pending",
      count: 12,
    },
    {
      id: "r3",
      kind: "exam",
      title: "Exam",
      completedOn: "2024-03-01",
      recordedAt: "2024-03-02T09:00:00Z",
      status: "verified",
      examType: "written-and-practical",
      passed: true,
    },
    {
      id: "r4",
      kind: "cpr",
      title: "CPR",
      completedOn: "2025-01-01",
      recordedAt: "2025-01-02T09:00:00Z",
      status: "verified",
      expiresOn: "2027-01-01",
    },
    {
      id: "r5",
      kind: "board-notification",
      title: "Registration",
      completedOn: "2024-06-01",
      recordedAt: "2024-06-02T09:00:00Z",
      status: "verified",
      jurisdiction: "US-MD",
    },
  ],
};

function problems(input: unknown) {
  const result = DossierSchema.safeParse(input);
  if (result.success) throw new Error("expected the dossier to be refused");
  return describeIssues(result.error);
}

function withRecord(record: Record<string, unknown>) {
  return { ...dossier, records: [record] };
}

describe("DossierSchema", () => {
  test("a dossier with every record kind parses", () => {
    const parsed = DossierSchema.parse(dossier);
    expect(parsed.records.map((r) => r.kind)).toEqual([
      "dn-course",
      "supervised-sessions",
      "exam",
      "cpr",
      "board-notification",
    ]);
  });

  test("missing hours parts and topics default to zero and none", () => {
    const parsed = DossierSchema.parse(
      withRecord({
        id: "x",
        kind: "ce-activity",
        title: "CE",
        completedOn: "2024-01-01",
        recordedAt: "2024-01-01T00:00:00Z",
        status: "verified",
        hours: { online: 2 },
      }),
    );
    expect(parsed.records[0]).toMatchObject({
      hours: { theory: 0, practical: 0, online: 2 },
      topics: [],
    });
  });

  test("a field that does not apply to the kind is refused with its path", () => {
    expect(problems(withRecord({ ...dossier.records[0], count: 3 }))).toContainEqual({
      path: "records.0.count",
      message: "is not a known field here",
    });
  });

  test("an unknown top-level field is refused", () => {
    expect(problems({ ...dossier, owner: "me" })).toContainEqual({
      path: "owner",
      message: "is not a known field here",
    });
  });

  test("a course without hours is refused naming the hours field", () => {
    const { hours: _hours, ...course } = dossier.records[0] as Record<string, unknown>;
    expect(problems(withRecord(course)).map((p) => p.path)).toContain("records.0.hours");
  });

  test("an unknown kind names the kinds allowed", () => {
    const [problem] = problems(withRecord({ ...dossier.records[0], kind: "webinar" }));
    expect(problem?.path).toBe("records.0.kind");
    expect(problem?.message).toContain("kind must be one of dn-course, ce-activity");
  });

  test("malformed values name the field", () => {
    const found = problems(
      withRecord({
        ...dossier.records[0],
        completedOn: "03/01/2024",
        recordedAt: "yesterday",
        status: "approved",
      }),
    );
    expect(found.map((p) => p.path).sort()).toEqual([
      "records.0.completedOn",
      "records.0.recordedAt",
      "records.0.status",
    ]);
  });

  test("the format and version are checked", () => {
    expect(problems({ ...dossier, format: "csv", version: 2 })).toEqual(
      expect.arrayContaining([
        { path: "format", message: 'must be "dn-dossier"' },
        { path: "version", message: "must be 1 (the only dossier version)" },
      ]),
    );
  });

  test("two records with the same id need distinct version numbers", () => {
    const course = dossier.records[0] as Record<string, unknown>;
    expect(problems({ ...dossier, records: [course, course] })).toContainEqual({
      path: "records.1.id",
      message: "repeats the id of records.0: give each version a version number",
    });
    const versions = DossierSchema.parse({
      ...dossier,
      records: [
        { ...course, version: 1 },
        { ...course, version: 2, status: "withdrawn" },
      ],
    });
    expect(versions.records).toHaveLength(2);
  });

  test("a license that expires before it was issued is refused", () => {
    expect(
      problems({ ...dossier, licenses: [{ ...dossier.licenses[0], expiresOn: "2017-01-01" }] }),
    ).toContainEqual({ path: "licenses.0.expiresOn", message: "must not be before issuedOn" });
  });

  test("a CPR card that expires before it was earned is refused", () => {
    expect(problems(withRecord({ ...dossier.records[3], expiresOn: "2024-01-01" }))).toContainEqual(
      {
        path: "records.0.expiresOn",
        message: "must not be before completedOn",
      },
    );
  });
});
