/**
 * Which standards apply to whom. The rules (clinic jurisdiction, each active license) live in
 * @dn/compliance `applicableStandards`; managers adjust them with assignments: include a
 * standard for the organization, a clinic or one practitioner, or exclude one the rules would
 * apply. An organization's clinic policy applies only through an include (publishing it to the
 * whole organization adds the organization-wide one). Every change is audited.
 */
import { randomUUID } from "node:crypto";
import {
  deleteStandardAssignment,
  findClinicById,
  findPractitionerById,
  findStandardAssignment,
  findStandardAssignmentById,
  insertStandardAssignment,
  listLicenses,
  listStandardAssignments,
  markEvaluationsStale,
  staleTargetOfAssignment,
} from "@dn/db";
import type { AddStandardAssignment, ApplicableStandard, StandardAssignment } from "@dn/schema";
import type { Reach } from "../auth/permissions.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import {
  clinicIdsOf,
  refusal,
  requireAccess,
  requireClinicInReach,
  requirePermission,
  requirePractitioner,
  requireWideReach,
} from "./guards.ts";
import { applicableFor, loadOrganizationRules, standardTitle } from "./staff-compliance.ts";
import { resolveStandardVersionEntriesWithDrafts } from "./standard-source.ts";

/**
 * The organization's assignments; for a manager limited to clinics, those of their clinics and
 * of their practitioners (an organization-wide assignment belongs to no clinic of theirs).
 */
export async function listAssignments(ctx: ServiceContext): Promise<StandardAssignment[]> {
  const reach = requireWideReach(ctx, "read:standard-assignment");
  return listStandardAssignments(ctx.db, ctx.actor.organizationId, clinicIdsOf(reach));
}

/** Refuses an organization-wide assignment to an actor whose reach is narrower. */
function requireOrganizationReach(ctx: ServiceContext, reach: Reach, doing: string): void {
  if (reach.kind !== "organization") {
    throw refusal(ctx.actor, "create:standard-assignment", doing);
  }
}

export async function addAssignment(
  ctx: ServiceContext,
  input: AddStandardAssignment,
): Promise<StandardAssignment> {
  const reach = requirePermission(ctx, "create:standard-assignment");
  return inTransaction(ctx, async (tx) => {
    let scopeId: string;
    if (input.scope === "organization") {
      requireOrganizationReach(tx, reach, "standards for the whole organization");
      scopeId = tx.actor.organizationId;
    } else if (input.scopeId === null) {
      throw badRequest(`is required for a ${input.scope} assignment`, "scopeId");
    } else if (input.scope === "clinic") {
      const clinic = await findClinicById(tx.db, input.scopeId);
      if (!clinic || clinic.organizationId !== tx.actor.organizationId) {
        throw notFound("clinic", "scopeId");
      }
      requireClinicInReach(reach, clinic.id, "scopeId");
      scopeId = clinic.id;
    } else {
      scopeId = (
        await requirePractitioner(tx, input.scopeId, "create", "standard-assignment", "scopeId")
      ).id;
    }
    // A draft may be assigned ahead of publishing: it applies to nobody until it is published.
    const versions = await resolveStandardVersionEntriesWithDrafts(
      tx.db,
      tx.actor.organizationId,
      input.standardId,
    );
    if (versions.length === 0) throw notFound("standard", "standardId");
    const key = { scope: input.scope, scopeId, standardId: input.standardId };
    if (await findStandardAssignment(tx.db, key)) {
      throw conflict(
        "this standard is already assigned to or excluded from this scope",
        "standardId",
      );
    }
    const at = tx.now().toISOString();
    const assignment: StandardAssignment = {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      ...key,
      effect: input.effect,
      reason: input.reason,
      createdBy: tx.actor.userId,
      createdAt: at,
    };
    await insertStandardAssignment(tx.db, assignment);
    await markEvaluationsStale(tx.db, staleTargetOfAssignment(assignment));
    await auditByActor(tx.db, tx, at, {
      action: `standard-assignment.${input.effect}`,
      entityType: "standard-assignment",
      entityId: assignment.id,
      before: null,
      after: assignment,
    });
    return assignment;
  });
}

/** The clinic an assignment belongs to, for `can`: none for an organization-wide one. */
async function assignmentResource(ctx: ServiceContext, assignment: StandardAssignment) {
  const resource = { organizationId: assignment.organizationId };
  if (assignment.scope === "clinic") return { ...resource, clinicId: assignment.scopeId };
  if (assignment.scope === "practitioner") {
    const practitioner = await findPractitionerById(ctx.db, assignment.scopeId);
    return { ...resource, clinicId: practitioner?.clinicId ?? null };
  }
  return { ...resource, clinicId: null };
}

export async function removeAssignment(
  ctx: ServiceContext,
  input: { id: string },
): Promise<StandardAssignment> {
  requirePermission(ctx, "delete:standard-assignment");
  return inTransaction(ctx, async (tx) => {
    const assignment = await findStandardAssignmentById(tx.db, input.id);
    if (!assignment || assignment.organizationId !== tx.actor.organizationId) {
      throw notFound("assignment");
    }
    requireAccess(tx, "delete", "standard-assignment", await assignmentResource(tx, assignment));
    await deleteStandardAssignment(tx.db, assignment.id);
    await markEvaluationsStale(tx.db, staleTargetOfAssignment(assignment));
    await auditByActor(tx.db, tx, tx.now().toISOString(), {
      action: "standard-assignment.remove",
      entityType: "standard-assignment",
      entityId: assignment.id,
      before: assignment,
      after: null,
    });
    return assignment;
  });
}

/** The standards that apply to a practitioner and why (their own, or any for readers). */
export async function applicableToPractitioner(
  ctx: ServiceContext,
  input: { practitionerId: string },
): Promise<ApplicableStandard[]> {
  const practitioner = await requirePractitioner(
    ctx,
    input.practitionerId,
    "read",
    "practitioner",
    "practitionerId",
  );
  const [rules, licenses] = await Promise.all([
    loadOrganizationRules(ctx.db, ctx.actor.organizationId),
    listLicenses(ctx.db, practitioner.id),
  ]);
  return applicableFor(rules, practitioner, licenses).map((entry) => ({
    standardId: entry.standardId,
    title: standardTitle(rules, entry.standardId),
    reasons: entry.reasons,
    explanation: entry.explanation,
  }));
}
