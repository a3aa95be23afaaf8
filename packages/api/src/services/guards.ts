/**
 * The gate every service goes through (docs/decisions/053-permissions.md). Holding a permission at
 * all is checked first: a role without it gets FORBIDDEN, whatever it names. Then loading an
 * entity for an actor, with the refusal rules in one place: data the actor may not even read
 * (another organization, another clinic for a manager limited to clinics, a colleague's records
 * for a practitioner) is NOT_FOUND; data they may read but not change this way is FORBIDDEN.
 */
import { findClinicById, findCurrentRecord, findLicenseById, findPractitionerById } from "@dn/db";
import type { Clinic, License, Practitioner, TrainingRecord } from "@dn/schema";
import {
  type Action,
  accessOf,
  actionOf,
  can,
  type Entity,
  entityOf,
  type PermissionCheck,
  type Principal,
  type Reach,
  type Resource,
  reachOf,
} from "../auth/permissions.ts";
import { DomainError, forbidden, notFound } from "../errors.ts";
import type { ServiceContext } from "./context.ts";

const VERBS: Record<Action, string> = {
  read: "read",
  create: "add",
  update: "change",
  archive: "archive",
  delete: "remove",
  correct: "correct",
  withdraw: "withdraw",
  review: "review",
  publish: "publish",
  moderate: "moderate",
  resolve: "resolve",
  revoke: "revoke",
  run: "run",
};

/** Each entity as one thing (`this license`) and as what a refusal names (`licenses`). */
const NOUNS: Record<Entity, { one: string; many: string }> = {
  organization: { one: "organization", many: "the organization's settings" },
  clinic: { one: "clinic", many: "clinics" },
  membership: { one: "membership", many: "memberships" },
  invitation: { one: "invitation", many: "invitations" },
  "oidc-provider": { one: "sign-in provider", many: "single sign-on providers" },
  "api-token": { one: "API token", many: "regulator API tokens" },
  audit: { one: "audit trail", many: "the audit trail" },
  practitioner: { one: "practitioner", many: "practitioners" },
  license: { one: "license", many: "licenses" },
  "training-record": { one: "training record", many: "training records" },
  standard: { one: "standard", many: "standards" },
  "standard-assignment": { one: "assignment", many: "which standards apply" },
  alert: { one: "alert", many: "the alert job" },
  import: { one: "import", many: "imports" },
  export: { one: "export", many: "exports" },
  job: { one: "background job", many: "background jobs" },
  article: { one: "article", many: "articles" },
  video: { one: "video", many: "videos" },
  "literature-reference": { one: "literature reference", many: "literature references" },
  author: { one: "author", many: "authors" },
  comment: { one: "comment", many: "comments" },
  course: { one: "course", many: "the course catalog" },
  "follow-up": { one: "follow-up item", many: "follow-up items" },
};

/** The actor's role as refusals name it: `manager of 2 clinics` for a manager limited to clinics. */
export function describeRole(actor: Pick<Principal, "role" | "clinicIds">): string {
  if (actor.clinicIds === null) return actor.role;
  const count = actor.clinicIds.length;
  return `${actor.role} of ${count === 1 ? "one clinic" : `${count} clinics`}`;
}

/** The FORBIDDEN error for an actor who may not `check` (at all, or `what` in particular). */
export function refusal(
  actor: Pick<Principal, "role" | "clinicIds">,
  check: PermissionCheck,
  what: string = NOUNS[entityOf(check)].many,
): DomainError {
  return forbidden(`your role (${describeRole(actor)}) may not ${VERBS[actionOf(check)]} ${what}`);
}

/** Throws FORBIDDEN unless the actor holds `check` at some access level (even one reaching nothing). */
function requireHeld(ctx: ServiceContext, check: PermissionCheck): void {
  if (accessOf(ctx.actor, check) === null) throw refusal(ctx.actor, check);
}

/**
 * Throws FORBIDDEN unless the actor holds `check` at some access level; returns how far it
 * reaches (the organization, their clinics, or their own data), which lists filter by.
 */
export function requirePermission(ctx: ServiceContext, check: PermissionCheck): Reach {
  const reach = reachOf(ctx.actor, check);
  if (!reach) throw refusal(ctx.actor, check);
  return reach;
}

/** As requirePermission, for views of colleagues (queues, dashboards): one's own is not enough. */
export function requireWideReach(
  ctx: ServiceContext,
  check: PermissionCheck,
  what?: string,
): Exclude<Reach, { kind: "own" }> {
  const reach = reachOf(ctx.actor, check);
  if (!reach || reach.kind === "own") throw refusal(ctx.actor, check, what);
  return reach;
}

/** Throws NOT_FOUND for a clinic outside the actor's clinics (as for another organization's). */
export function requireClinicInReach(
  reach: Reach,
  clinicId: string,
  field: string | null = "clinicId",
): void {
  if (reach.kind === "clinics" && !reach.clinicIds.includes(clinicId)) {
    throw notFound("clinic", field);
  }
}

/**
 * The clinic `id` as a place for staff, named by the input field `field`: another organization's
 * clinic, or one outside the actor's clinics, is NOT_FOUND; an archived clinic is CONFLICT, as
 * nobody is added to, moved into or imported into one.
 */
export async function requireOpenClinic(
  ctx: ServiceContext,
  id: string,
  reach: Reach,
  field = "clinicId",
): Promise<Clinic> {
  const clinic = await findClinicById(ctx.db, id);
  if (!clinic || clinic.organizationId !== ctx.actor.organizationId) {
    throw notFound("clinic", field);
  }
  requireClinicInReach(reach, clinic.id, field);
  if (clinic.archivedAt !== null) {
    throw new DomainError("CONFLICT", `${clinic.name} is archived: choose an open clinic`, field);
  }
  return clinic;
}

/** The clinic ids a reach limits a list to; undefined for the whole organization. */
export function clinicIdsOf(reach: Reach): readonly string[] | undefined {
  return reach.kind === "clinics" ? reach.clinicIds : undefined;
}

/**
 * Throws FORBIDDEN unless the actor holds `action:entity` at all, NOT_FOUND unless they may read
 * `resource`, FORBIDDEN unless they may `action` it. A pair that is no row of GRANTS is never
 * held: FORBIDDEN.
 */
export function requireAccess(
  ctx: ServiceContext,
  action: Action,
  entity: Entity,
  resource: Resource,
  field: string | null = "id",
): void {
  const check = `${action}:${entity}` as PermissionCheck;
  requireHeld(ctx, check);
  if (!can(ctx.actor, `read:${entity}` as PermissionCheck, resource)) {
    throw notFound(NOUNS[entity].one, field);
  }
  if (action === "read") return;
  if (!can(ctx.actor, check, resource)) {
    const own =
      resource.practitionerId != null && resource.practitionerId === ctx.actor.practitionerId;
    if (action === "review" && own) throw forbidden("you may not review your own records");
    throw refusal(ctx.actor, check, `this ${NOUNS[entity].one}`);
  }
}

/** The resource a practitioner's data is, for `can`. */
export function practitionerResource(practitioner: Practitioner): Resource {
  return {
    organizationId: practitioner.organizationId,
    practitionerId: practitioner.id,
    clinicId: practitioner.clinicId,
  };
}

/** The practitioner `id`, if the actor may `action` their `entity` data. */
export async function requirePractitioner(
  ctx: ServiceContext,
  id: string,
  action: Action,
  entity: Entity = "practitioner",
  field = "id",
): Promise<Practitioner> {
  requireHeld(ctx, `${action}:${entity}` as PermissionCheck);
  const practitioner = await findPractitionerById(ctx.db, id);
  const resource = practitioner ? practitionerResource(practitioner) : null;
  // The id names a practitioner: one whose data the actor may not read is not found as such.
  if (
    !practitioner ||
    !resource ||
    !can(ctx.actor, `read:${entity}` as PermissionCheck, resource)
  ) {
    throw notFound("practitioner", field);
  }
  requireAccess(ctx, action, entity, resource, field);
  return practitioner;
}

/** The license `id` and its practitioner, if the actor may `action` it. */
export async function requireLicense(
  ctx: ServiceContext,
  id: string,
  action: Action,
): Promise<{ license: License; practitioner: Practitioner }> {
  requireHeld(ctx, `${action}:license` as PermissionCheck);
  const license = await findLicenseById(ctx.db, id);
  const practitioner = license ? await findPractitionerById(ctx.db, license.practitionerId) : null;
  if (!license || !practitioner) throw notFound("license");
  requireAccess(ctx, action, "license", practitionerResource(practitioner));
  return { license, practitioner };
}

/** The current version of record `id` and its practitioner, if the actor may `action` it. */
export async function requireRecord(
  ctx: ServiceContext,
  id: string,
  action: Action,
): Promise<{ record: TrainingRecord; practitioner: Practitioner }> {
  requireHeld(ctx, `${action}:training-record` as PermissionCheck);
  const record = await findCurrentRecord(ctx.db, id);
  const practitioner = record ? await findPractitionerById(ctx.db, record.practitionerId) : null;
  if (!record || !practitioner) throw notFound("training record");
  requireAccess(ctx, action, "training-record", practitionerResource(practitioner));
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
