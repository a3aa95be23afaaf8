/** Test data: real evaluations of small dossiers against the pack's Florida DN standard. */
import { evaluate } from "@dn/compliance";
import {
  type Dossier,
  type DossierInput,
  DossierSchema,
  type ExportHeader,
  type ExportPractitioner,
} from "@dn/schema";
import { standardVersions } from "@dn/standards";
import { toExportPractitioner, toExportStandard } from "./model.ts";

export const AS_OF = "2025-06-01";
export const ORG_ID = "0b5c6f1e-1d7a-4f0e-9a57-6a2b0c1d2e3f";
export const CLINIC = {
  id: "1c6d7f2e-2e8b-4f1f-8b68-7b3c1d2e3f40",
  name: "Harbor PT",
  jurisdiction: "US-FL" as const,
};

const qualified: DossierInput = {
  format: "dn-dossier",
  version: 1,
  practitioner: { id: "2d7e8a3f-3f9c-4a2a-9c79-8c4d2e3f4a51", name: "Ana Reyes", profession: "PT" },
  licenses: [
    {
      jurisdiction: "US-FL",
      number: "PT31234",
      issuedOn: "2019-03-01",
      expiresOn: "2027-11-30",
      status: "active",
    },
  ],
  records: [
    {
      id: "3e8f9b4a-4a0d-4b3b-8d8a-9d5e3f4a5b62",
      version: 1,
      kind: "dn-course",
      title: "Dry Needling Level 1",
      provider: "Evidence in Motion",
      completedOn: "2024-02-10",
      recordedAt: "2024-02-12T10:00:00Z",
      status: "verified",
      hours: { theory: 12, practical: 16, online: 8 },
      topics: [
        "needle-handling-and-disposal",
        "indications-contraindications",
        "psychomotor-skills",
      ],
    },
    {
      id: "4f9a0c5b-5b1e-4c4c-9e9b-0e6f4a5b6c73",
      version: 1,
      kind: "dn-course",
      title: "Dry Needling Level 2",
      provider: "Evidence in Motion",
      completedOn: "2024-05-18",
      recordedAt: "2024-05-20T10:00:00Z",
      status: "verified",
      hours: { theory: 8, practical: 16, online: 0 },
      topics: ["adverse-event-reporting", "psychomotor-skills"],
    },
    {
      id: "5a0b1d6c-6c2f-4d5d-8f0c-1f7a5b6c7d84",
      version: 1,
      kind: "supervised-sessions",
      title: "Supervised DN sessions with Dr. Lee",
      completedOn: "2024-08-30",
      recordedAt: "2024-09-01T10:00:00Z",
      status: "verified",
      count: 25,
    },
    {
      id: "6b1c2e7d-7d3a-4e6e-9a1d-2a8b6c7d8e95",
      version: 1,
      kind: "board-notification",
      title: "DH5057-MQA attestation",
      completedOn: "2024-09-05",
      recordedAt: "2024-09-05T12:00:00Z",
      status: "verified",
      jurisdiction: "US-FL",
    },
  ],
};

const unqualified: DossierInput = {
  format: "dn-dossier",
  version: 1,
  practitioner: {
    id: "7c2d3f8e-8e4b-4f7f-8b2e-3b9c7d8e9fa6",
    name: "Ben Okafor",
    profession: "PT",
  },
  licenses: [
    {
      jurisdiction: "US-FL",
      number: "PT40001",
      issuedOn: "2022-01-10",
      expiresOn: "2026-11-30",
      status: "active",
    },
  ],
  records: [
    {
      id: "8d3e4a9f-9f5c-4a8a-9c3f-4cad8e9fa0b7",
      version: 1,
      kind: "ce-activity",
      title: "Ethics and jurisprudence",
      provider: "FPTA",
      completedOn: "2025-01-15",
      recordedAt: "2025-01-16T09:00:00Z",
      status: "pending",
      hours: { theory: 2, practical: 0, online: 2 },
      topics: [],
    },
  ],
};

export const DOSSIERS: Dossier[] = [
  DossierSchema.parse(qualified),
  DossierSchema.parse(unqualified),
];

export const FL_VERSIONS = standardVersions("us-fl-dn");

export function exportPractitioners(dossiers: readonly Dossier[] = DOSSIERS): ExportPractitioner[] {
  return dossiers.map((dossier) =>
    toExportPractitioner({
      dossier,
      clinic: CLINIC,
      evaluations: [evaluate(dossier, FL_VERSIONS, { asOf: AS_OF })],
      asOf: AS_OF,
    }),
  );
}

export function exportHeader(): ExportHeader {
  const applied = FL_VERSIONS.filter((v) => !v.draft).at(-1);
  if (!applied) throw new Error("the pack has no us-fl-dn");
  return {
    format: "dn-compliance-export",
    version: 1,
    exportId: "9e4f5b0a-0a6d-4b9b-8d4a-5dbe9fa0b1c8",
    generatedAt: "2025-06-02T08:30:00.000Z",
    generatedBy: {
      userId: "af506c1b-1b7e-4cac-9e5b-6ecfa0b1c2d9",
      name: "Mara Manager",
      role: "manager",
    },
    organization: { id: ORG_ID, name: "Harbor Health" },
    scope: { kind: "organization", asOf: AS_OF, standardIds: ["us-fl-dn"] },
    scopeLabel: "the whole organization",
    standards: [toExportStandard(applied)],
  };
}
