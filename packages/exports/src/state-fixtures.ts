/** Test data: a practitioner whose Maryland renewal CE is met, due or not met by the date. */
import { evaluate } from "@dn/compliance";
import { type Dossier, DossierSchema, type ExportPractitioner } from "@dn/schema";
import { standardVersions } from "@dn/standards";
import { toExportPractitioner } from "./model.ts";

/** A Maryland PT with 10 of 30 CE hours in the cycle 2025-04-01 to 2027-03-31. */
export const MD_CE_DOSSIER: Dossier = DossierSchema.parse({
  format: "dn-dossier",
  version: 1,
  practitioner: { id: "pt-sam", name: "Sam Okafor", profession: "PT" },
  licenses: [
    {
      jurisdiction: "US-MD",
      number: "MD24680",
      issuedOn: "2015-06-01",
      expiresOn: "2027-03-31",
      status: "active",
    },
  ],
  records: [
    {
      id: "ce-1",
      version: 1,
      kind: "ce-activity",
      title: "Pain science update",
      completedOn: "2025-09-20",
      recordedAt: "2025-09-22T10:00:00Z",
      status: "verified",
      hours: { theory: 10, practical: 0, online: 0 },
      topics: [],
    },
  ],
});

/** The practitioner's export part as of `asOf`, against Maryland's renewal CE rule. */
export function mdCePractitioner(asOf: string): ExportPractitioner {
  return toExportPractitioner({
    dossier: MD_CE_DOSSIER,
    clinic: null,
    evaluations: [evaluate(MD_CE_DOSSIER, standardVersions("us-md-pt-ce"), { asOf })],
    asOf,
  });
}
