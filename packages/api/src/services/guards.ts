/**
 * Loading an entity for an actor, with the refusal rules in one place: data the actor may not
 * even read (another organization, a colleague's records for a practitioner) is NOT_FOUND; data
 * they may read but not change this way is FORBIDDEN.
 */
import { findCurrentRecord, findLicenseById, findPractitionerById } from "@dn/db";
import type { License, Practitioner, TrainingRecord } from "@dn/schema";
import { type Action, can, type Entity, type Resource } from "../auth/permissions.ts";
import { DomainError, forbidden, notFound } from "../errors.ts";
import type { ServiceContext } from "./context.ts";

const VERBS: Record<Action, string> = {
  read: "read",
  create: "add",
  update: "change",
  archive: "archive",
  correct: "correct",
  withdraw: "withdraw",
  review: "review",
};

const NOUNS: Record<Entity, string> = {
  organization: "organization",
  clinic: "clinic",
  user: "user",
  practitioner: "practitioner",
  license: "license",
  "training-record": "training record",
  audit: "audit trail",
  standard: "standard",
};

/** Throws NOT_FOUND unless the actor may read `resource`, FORBIDDEN unless they may `action` it. */
export function requireAccess(
  ctx: ServiceContext,
  action: Action,
  entity: Entity,
  resource: Resource,
  field: string | null = "id",
): void {
  if (!can(ctx.actor, `read:${entity}`, resource)) throw notFound(NOUNS[entity], field);
  if (action === "read") return;
  if (!can(ctx.actor, `${action}:${entity}`, resource)) {
    const own =
      resource.practitionerId != null && resource.practitionerId === ctx.actor.practitionerId;
    if (action === "review" && own) throw forbidden("you may not review your own records");
    throw forbidden(`your role (${ctx.actor.role}) may not ${VERBS[action]} this ${NOUNS[entity]}`);
  }
}

/** The practitioner `id`, if the actor may `action` their `entity` data. */
export async function requirePractitioner(
  ctx: ServiceContext,
  id: string,
  action: Action,
  entity: Entity = "practitioner",
  field = "id",
): Promise<Practitioner> {
  const practitioner = await findPractitionerById(ctx.db, id);
  if (!practitioner) throw notFound("practitioner", field);
  requireAccess(
    ctx,
    action,
    entity,
    { organizationId: practitioner.organizationId, practitionerId: practitioner.id },
    field,
  );
  return practitioner;
}

/** The license `id` and its practitioner, if the actor may `action` it. */
export async function requireLicense(
  ctx: ServiceContext,
  id: string,
  action: Action,
): Promise<{ license: License; practitioner: Practitioner }> {
  const license = await findLicenseById(ctx.db, id);
  const practitioner = license ? await findPractitionerById(ctx.db, license.practitionerId) : null;
  if (!license || !practitioner) throw notFound("license");
  requireAccess(ctx, action, "license", {
    organizationId: practitioner.organizationId,
    practitionerId: practitioner.id,
  });
  return { license, practitioner };
}

/** The current version of record `id` and its practitioner, if the actor may `action` it. */
export async function requireRecord(
  ctx: ServiceContext,
  id: string,
  action: Action,
): Promise<{ record: TrainingRecord; practitioner: Practitioner }> {
  const record = await findCurrentRecord(ctx.db, id);
  const practitioner = record ? await findPractitionerById(ctx.db, record.practitionerId) : null;
  if (!record || !practitioner) throw notFound("training record");
  requireAccess(ctx, action, "training-record", {
    organizationId: practitioner.organizationId,
    practitionerId: practitioner.id,
  });
  return { record, practitioner };
}

/** Refuses changes to an archived practitioner's data. */
export function requireNotArchived(practitioner: Practitioner, field = "id"): void {
  if (practitioner.archivedAt !== null) {
    throw new DomainError(
      "CONFLICT",
      `${practitioner.name} is archived; their data can no longer change`,
      field,
    );
  }
}

/** The actor's membership id; principals without one (regulator tokens) may not do this. */
export function requireMembership(actor: ServiceContext["actor"]): string {
  if (actor.membershipId === null) {
    throw forbidden("only a signed-in member of the organization may do this");
  }
  return actor.membershipId;
}
