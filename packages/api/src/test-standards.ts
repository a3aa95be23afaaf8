import type { StandardDocumentInput } from "@dn/schema";

/** A small clinic policy; `version` and `title` vary between saves. */
export function clinicPolicy(
  overrides: Partial<StandardDocumentInput> = {},
): StandardDocumentInput {
  return {
    id: "harbor-clinic-dn-policy",
    version: 1,
    title: "Harbor clinic DN policy",
    kind: "clinic-policy",
    authority: "Harbor PT clinical governance",
    status: "permitted",
    effectiveFrom: "2025-01-01",
    citations: [{ text: "Harbor PT policy manual § 12", url: "https://example.test/policy" }],
    confidence: "C1",
    lastVerified: "2025-01-01",
    requirements: [
      {
        id: "cpr",
        title: "CPR current",
        citation: { text: "Harbor PT policy manual § 12.1" },
        kind: "credential-current",
        credential: "cpr",
      },
      {
        id: "sessions",
        title: "Ten supervised sessions",
        citation: { text: "Harbor PT policy manual § 12.2" },
        kind: "supervised-sessions",
        minSessions: 10,
      },
    ],
    ...overrides,
  };
}
