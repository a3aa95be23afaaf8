/**
 * A custom standard for the demo organization: Harbor's own clinic policy, in two versions, so
 * the standards browser shows a custom standard's history and the compliance pages a clinic
 * policy next to the state rules. Dates are fixed and lie before 2026-11-26.
 */
import { randomUUID } from "node:crypto";
import { type StandardDocumentInput, StandardDocumentSchema } from "@dn/schema";
import { insertStandardAssignment } from "../repos/assignments.repo.ts";
import { insertAuditEvent } from "../repos/audit.repo.ts";
import { insertCustomStandardVersion } from "../repos/custom-standards.repo.ts";
import type { Db } from "../repos/types.ts";

const ID = "harbor-clinic-safety-policy";

function version(overrides: Partial<StandardDocumentInput>): StandardDocumentInput {
  return {
    id: ID,
    version: 1,
    title: "Harbor PT — needling safety policy",
    kind: "clinic-policy",
    authority: "Harbor Physical Therapy Group, clinical governance committee",
    status: "permitted",
    effectiveFrom: "2025-01-01",
    effectiveTo: null,
    citations: [{ text: 'Harbor PT Group policy CG-15 "Needling safety"' }],
    confidence: "C1",
    lastVerified: "2025-01-01",
    requirements: [
      {
        id: "cpr",
        kind: "credential-current",
        title: "Current CPR certification",
        citation: { text: "Policy CG-15 §1" },
        credential: "cpr",
      },
    ],
    ...overrides,
  };
}

const VERSIONS: { at: string; document: StandardDocumentInput }[] = [
  {
    at: "2024-12-02T15:00:00.000Z",
    document: version({ effectiveTo: "2025-12-31" }),
  },
  {
    at: "2025-11-17T15:00:00.000Z",
    document: version({
      version: 2,
      effectiveFrom: "2026-01-01",
      lastVerified: "2025-11-17",
      notes: "Version 2 adds a yearly bloodborne pathogens and clean needle technique refresher.",
      requirements: [
        {
          id: "cpr",
          kind: "credential-current",
          title: "Current CPR certification",
          citation: { text: "Policy CG-15 §1" },
          credential: "cpr",
        },
        {
          id: "safety-refresher",
          kind: "topics",
          title: "Bloodborne pathogens and clean needle technique within 12 months",
          citation: { text: "Policy CG-15 §2 (2026)" },
          topics: ["bloodborne-pathogens", "clean-needle-technique"],
          withinMonths: 12,
          onlineCounts: true,
        },
      ],
    }),
  },
];

/**
 * Saves the demo clinic policy's versions, each published when saved and the policy assigned to
 * the whole organization (decision 056), audited as the manager's saves.
 */
export async function seedDemoStandards(
  db: Db,
  organizationId: string,
  managerId: string,
): Promise<number> {
  let previous: unknown = null;
  for (const { at, document } of VERSIONS) {
    const standard = StandardDocumentSchema.parse(document);
    await insertCustomStandardVersion(db, {
      id: randomUUID(),
      organizationId,
      standard,
      createdBy: managerId,
      createdAt: at,
      lifecycle: "published",
      publishedAt: at,
      publishedBy: managerId,
    });
    await insertAuditEvent(db, {
      id: randomUUID(),
      organizationId,
      actorId: managerId,
      at,
      action: previous === null ? "standard.create" : "standard.update",
      entityType: "standard",
      entityId: ID,
      before: previous,
      after: standard,
    });
    previous = standard;
  }
  const first = VERSIONS[0]?.at ?? "2024-12-02T15:00:00.000Z";
  const assignment = {
    id: randomUUID(),
    organizationId,
    scope: "organization" as const,
    scopeId: organizationId,
    standardId: ID,
    effect: "include" as const,
    reason: "Published to the whole organization",
    createdBy: managerId,
    createdAt: first,
  };
  await insertStandardAssignment(db, assignment);
  await insertAuditEvent(db, {
    id: randomUUID(),
    organizationId,
    actorId: managerId,
    at: first,
    action: "standard-assignment.include",
    entityType: "standard-assignment",
    entityId: assignment.id,
    before: null,
    after: assignment,
  });
  return VERSIONS.length;
}
