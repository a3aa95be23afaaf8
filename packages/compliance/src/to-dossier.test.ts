import { DossierSchema, type License, type TrainingRecord } from "@dn/schema";
import { describe, expect, test } from "vitest";
import { toDossier } from "./to-dossier.ts";

const practitioner = {
  id: "5b0e7c2a-3c1f-4a7e-9d2b-1f0a6c3e8d41",
  name: "Dana Whitfield",
  profession: "PT" as const,
};

const md: License = {
  id: "0c7f8a52-6a8e-4d1f-9b1c-2e4d5f6a7b8c",
  practitionerId: practitioner.id,
  jurisdiction: "US-MD",
  number: "PT-1234",
  issuedOn: "2018-06-01",
  expiresOn: "2027-03-31",
  status: "active",
  createdAt: "2024-01-01T00:00:00.000Z",
  updatedAt: "2024-01-01T00:00:00.000Z",
};

function record(overrides: Partial<TrainingRecord>): TrainingRecord {
  return {
    id: "9d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a",
    version: 1,
    practitionerId: practitioner.id,
    kind: "dn-course",
    title: "DN-1",
    provider: "Myopain Seminars",
    completedOn: "2024-03-01",
    hours: { theory: 10, practical: 17, online: 0 },
    topics: ["anatomy"],
    count: null,
    examType: null,
    passed: null,
    expiresOn: null,
    jurisdiction: null,
    notes: "room 4",
    provenance: "provider-reported",
    status: "verified",
    reviewedBy: "1d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a",
    reviewedAt: "2024-03-05T00:00:00.000Z",
    reviewReason: null,
    recordedAt: "2024-03-05T00:00:00.000Z",
    recordedBy: "1d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a",
    ...overrides,
  };
}

describe("toDossier", () => {
  const records = [
    record({
      id: "a0000000-0000-4000-8000-000000000002",
      kind: "supervised-sessions",
      hours: { theory: 0, practical: 0, online: 0 },
      topics: [],
      count: 12,
      completedOn: "2024-05-01",
    }),
    record({}),
    record({
      id: "a0000000-0000-4000-8000-000000000003",
      kind: "exam",
      hours: { theory: 0, practical: 0, online: 0 },
      examType: "written",
      passed: true,
    }),
    record({
      id: "a0000000-0000-4000-8000-000000000004",
      kind: "cpr",
      hours: { theory: 0, practical: 0, online: 0 },
      topics: [],
      expiresOn: "2026-03-01",
    }),
    record({
      id: "a0000000-0000-4000-8000-000000000005",
      kind: "board-notification",
      hours: { theory: 0, practical: 0, online: 0 },
      topics: [],
      jurisdiction: "US-MD",
    }),
    record({
      version: 2,
      status: "rejected",
      reviewReason: "certificate unreadable",
      recordedAt: "2024-03-06T00:00:00.000Z",
    }),
  ];
  const dossier = toDossier(practitioner, [md], records, {
    exportedAt: "2026-01-01T00:00:00.000Z",
  });

  test("the result is a valid dn-dossier v1 document", () => {
    expect(DossierSchema.parse(dossier)).toEqual(dossier);
    expect(dossier).toMatchObject({ format: "dn-dossier", version: 1, practitioner });
    expect(dossier.licenses).toEqual([
      {
        jurisdiction: "US-MD",
        number: "PT-1234",
        issuedOn: "2018-06-01",
        expiresOn: "2027-03-31",
        status: "active",
      },
    ]);
  });

  test("each record keeps only the fields of its kind", () => {
    const byKind = Object.fromEntries(dossier.records.map((r) => [r.kind, Object.keys(r).sort()]));
    expect(byKind["supervised-sessions"]).toContain("count");
    expect(byKind["supervised-sessions"]).not.toContain("hours");
    expect(byKind.exam).toEqual(expect.arrayContaining(["examType", "passed", "topics"]));
    expect(byKind.exam).not.toContain("hours");
    expect(byKind.cpr).toContain("expiresOn");
    expect(byKind["board-notification"]).toContain("jurisdiction");
    for (const keys of Object.values(byKind)) expect(keys).not.toContain("notes");
  });

  test("every version is exported in a stable order, with the review reason", () => {
    expect(dossier.records.map((r) => `${r.completedOn} ${r.id.slice(-1)} v${r.version}`)).toEqual([
      "2024-03-01 a v1",
      "2024-03-01 a v2",
      "2024-03-01 3 v1",
      "2024-03-01 4 v1",
      "2024-03-01 5 v1",
      "2024-05-01 2 v1",
    ]);
    expect(dossier.records.find((r) => r.version === 2)).toMatchObject({
      status: "rejected",
      reviewReason: "certificate unreadable",
    });
    expect(
      toDossier(practitioner, [md], [...records].reverse(), {
        exportedAt: "2026-01-01T00:00:00.000Z",
      }),
    ).toEqual(dossier);
  });

  test("a record missing a field its kind needs cannot be exported", () => {
    expect(() =>
      toDossier(practitioner, [], [record({ kind: "supervised-sessions", count: null })]),
    ).toThrow("has no count");
  });
});
