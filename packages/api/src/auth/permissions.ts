/**
 * Who may do what, as pure functions over plain data. Permissions are typed strings
 * `action:entity:access` (epic-stack style); `own` means "the actor's own practitioner data".
 * Organization boundaries are absolute: nothing in another organization is ever permitted.
 */
import type { Role } from "@dn/schema";

export const ACTIONS = [
  "read",
  "create",
  "update",
  "archive",
  "correct",
  "withdraw",
  "review",
] as const;
export type Action = (typeof ACTIONS)[number];

export const ENTITIES = [
  "organization",
  "clinic",
  "user",
  "practitioner",
  "license",
  "training-record",
  "audit",
  "standard",
] as const;
export type Entity = (typeof ENTITIES)[number];

export type Access = "own" | "any";
export type Permission = `${Action}:${Entity}:${Access}`;
export type PermissionCheck = `${Action}:${Entity}`;

/** What `can` needs to know about the actor. */
export interface Principal {
  organizationId: string;
  role: Role;
  practitionerId: string | null;
}

/** What `can` needs to know about the thing acted on. */
export interface Resource {
  organizationId: string;
  /** The practitioner the data belongs to, if it belongs to one. */
  practitionerId?: string | null;
}

const everything = ACTIONS.flatMap((action) =>
  ENTITIES.map((entity): Permission => `${action}:${entity}:any`),
);

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(everything),
  manager: new Set<Permission>([
    "read:organization:any",
    "read:clinic:any",
    "read:user:any",
    "read:practitioner:any",
    "create:practitioner:any",
    "update:practitioner:any",
    "archive:practitioner:any",
    "read:license:any",
    "create:license:any",
    "update:license:any",
    "read:training-record:any",
    "create:training-record:any",
    "correct:training-record:any",
    "withdraw:training-record:any",
    "review:training-record:any",
    "read:audit:any",
    "read:standard:any",
    "create:standard:any",
    "update:standard:any",
  ]),
  practitioner: new Set<Permission>([
    "read:organization:any",
    "read:clinic:any",
    "read:practitioner:own",
    "read:license:own",
    "read:training-record:own",
    "create:training-record:own",
    "correct:training-record:own",
    "withdraw:training-record:own",
    "read:standard:any",
  ]),
  auditor: new Set<Permission>([
    "read:organization:any",
    "read:clinic:any",
    "read:user:any",
    "read:practitioner:any",
    "read:license:any",
    "read:training-record:any",
    "read:audit:any",
    "read:standard:any",
  ]),
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}

/**
 * May `actor` do `check` to `resource`? False across organizations; `own` permissions apply to
 * the actor's own practitioner data only; nobody reviews their own records.
 */
export function can(actor: Principal, check: PermissionCheck, resource: Resource): boolean {
  if (resource.organizationId !== actor.organizationId) return false;
  const owned =
    resource.practitionerId !== undefined &&
    resource.practitionerId !== null &&
    resource.practitionerId === actor.practitionerId;
  if (check === "review:training-record" && owned) return false;
  return (
    hasPermission(actor.role, `${check}:any`) ||
    (owned && hasPermission(actor.role, `${check}:own`))
  );
}

/** May `actor` do `check` to anything of that kind in their organization (lists, queues)? */
export function canAny(actor: Principal, check: PermissionCheck): boolean {
  return hasPermission(actor.role, `${check}:any`);
}

/** May `actor` do `check` to at least their own data? */
export function canOwn(actor: Principal, check: PermissionCheck): boolean {
  return actor.practitionerId !== null && hasPermission(actor.role, `${check}:own`);
}
