/**
 * Who may do what, as pure functions over plain data (docs/decisions/053-permissions.md).
 *
 * A permission is a typed string `action:entity:access` (epic-stack style). Access is how far it
 * reaches:
 *   - `own`: the actor's own practitioner data (a practitioner's records);
 *   - `clinic`: data of the clinics the actor is limited to (a manager with `clinicIds`);
 *   - `any`: anything of that kind in the actor's organization.
 * GRANTS below is the one table: for every `action:entity`, the access each standing holds. A
 * standing is the role, except that a manager limited to clinics is a `clinic-manager`.
 *
 * Rules `can` applies on top of the table:
 *   - Organization boundaries are absolute: nothing in another organization is ever permitted.
 *   - Clinic scope: when the actor has `clinicIds`, a resource naming another clinic is refused,
 *     whatever the permission. A resource naming no clinic (a standard, the organization's
 *     settings, an article) is unaffected by clinic scope only if the permission is not
 *     clinic-bound: entities in CLINIC_BOUND belong to a clinic (staff data and what is made of
 *     it), and for an actor with `clinicIds` their `any` is narrowed to `clinic`, which a resource
 *     without a clinic never satisfies. So an organization-wide export or assignment is out of a
 *     clinic manager's reach, while reading the standards is not.
 *   - `own` needs a practitioner link: a resource without a practitioner is nobody's own.
 *   - Nobody reviews their own records.
 */
import type { Role } from "@dn/schema";

export const ACTIONS = [
  "read",
  "create",
  "update",
  "archive",
  "delete",
  "correct",
  "withdraw",
  "review",
  "publish",
  "moderate",
  "resolve",
  "revoke",
  "run",
] as const;
export type Action = (typeof ACTIONS)[number];

export const ENTITIES = [
  // The organization and its setup
  "organization",
  "clinic",
  "membership",
  "invitation",
  "oidc-provider",
  "api-token",
  "audit",
  // Staff data
  "practitioner",
  "license",
  "training-record",
  // Rules and what is made of the data
  "standard",
  "standard-assignment",
  "alert",
  "import",
  "export",
  "job",
  // The content library
  "article",
  "video",
  "literature-reference",
  "author",
  "comment",
  "course",
  "follow-up",
] as const;
export type Entity = (typeof ENTITIES)[number];

export const ACCESS_LEVELS = ["own", "clinic", "any"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** The columns of GRANTS: the role, with managers limited to clinics apart. */
export const STANDINGS = ["admin", "manager", "clinic-manager", "auditor", "practitioner"] as const;
export type Standing = (typeof STANDINGS)[number];

type Level = Access | null;
type Grants = Readonly<Record<Standing, Level>>;

/** One row of GRANTS, in the order of STANDINGS. */
function grant(
  admin: Level,
  manager: Level,
  clinicManager: Level,
  auditor: Level,
  practitioner: Level,
): Grants {
  return { admin, manager, "clinic-manager": clinicManager, auditor, practitioner };
}

const _ = null;
const everyone = grant("any", "any", "any", "any", "any");
const editors = grant("any", "any", "any", _, _);
const organizationWide = grant("any", "any", _, _, _);
const adminsOnly = grant("any", _, _, _, _);

/**
 * The one table. Columns: admin, manager, clinic-manager, auditor, practitioner.
 * Clinic managers hold a manager's rights within their clinics; what is organization-wide and
 * would reach other clinics' staff (the audit trail, regulator tokens, the alert job, custom
 * standards that change every clinic's verdicts) is for organization-wide managers and admins.
 */
export const GRANTS = {
  // The organization, its clinics and its people
  "read:organization": everyone,
  "update:organization": adminsOnly,
  "read:clinic": everyone,
  "create:clinic": adminsOnly,
  "update:clinic": adminsOnly,
  "archive:clinic": adminsOnly,
  // Who may sign in. A membership or invitation belongs to its practitioner's clinic; one of
  // another role names no clinic, so a clinic manager reaches only their practitioners' (and
  // sees their own membership). Auditors do not see who signs in.
  "read:membership": grant("any", "any", "clinic", _, _),
  // Changing roles, clinic scopes and practitioner links; whoever holds it also invites admins
  // and managers and (de)activates logins other than practitioners' (the services' named rules).
  "update:membership": adminsOnly,
  // Deactivating and reactivating a login. Managers: practitioners' logins only (members.service).
  "archive:membership": grant("any", "any", "clinic", _, _),
  "read:invitation": grant("any", "any", "clinic", _, _),
  // Inviting and resending. Managers invite practitioners and auditors, clinic managers their
  // practitioners only (requireMayInviteRole in invitations.service).
  "create:invitation": grant("any", "any", "clinic", _, _),
  "revoke:invitation": grant("any", "any", "clinic", _, _),
  // Single sign-on providers: added, listed and archived (never edited) by admins.
  "read:oidc-provider": adminsOnly,
  "create:oidc-provider": adminsOnly,
  "archive:oidc-provider": adminsOnly,
  "read:api-token": organizationWide,
  "create:api-token": organizationWide,
  "revoke:api-token": organizationWide,
  "read:audit": grant("any", "any", _, "any", _),

  // Staff data
  "read:practitioner": grant("any", "any", "clinic", "any", "own"),
  "create:practitioner": grant("any", "any", "clinic", _, _),
  "update:practitioner": grant("any", "any", "clinic", _, _),
  "archive:practitioner": grant("any", "any", "clinic", _, _),
  "read:license": grant("any", "any", "clinic", "any", "own"),
  "create:license": grant("any", "any", "clinic", _, _),
  "update:license": grant("any", "any", "clinic", _, _),
  "read:training-record": grant("any", "any", "clinic", "any", "own"),
  "create:training-record": grant("any", "any", "clinic", _, "own"),
  "correct:training-record": grant("any", "any", "clinic", _, "own"),
  "withdraw:training-record": grant("any", "any", "clinic", _, "own"),
  "review:training-record": grant("any", "any", "clinic", _, _),

  // Rules, alerts, imports and exports
  "read:standard": everyone,
  "create:standard": organizationWide,
  "update:standard": organizationWide,
  "read:standard-assignment": grant("any", "any", "clinic", "any", _),
  "create:standard-assignment": grant("any", "any", "clinic", _, _),
  "delete:standard-assignment": grant("any", "any", "clinic", _, _),
  "run:alert": organizationWide,
  "run:import": grant("any", "any", "clinic", _, _),
  "read:export": grant("any", "any", "clinic", "any", _),
  // Background jobs that used up their retries (the organization's own), and retrying them.
  "read:job": adminsOnly,
  "run:job": adminsOnly,
  "create:export": grant("any", "any", "clinic", "any", _),

  // The content library: everyone reads it; managers and admins write it and moderate.
  "read:article": everyone,
  "create:article": editors,
  "update:article": editors,
  "publish:article": editors,
  "archive:article": editors,
  "read:video": everyone,
  "create:video": editors,
  "update:video": editors,
  "read:literature-reference": everyone,
  "create:literature-reference": editors,
  "update:literature-reference": editors,
  "read:author": everyone,
  "create:author": editors,
  "update:author": editors,
  "read:course": everyone,
  "create:course": editors,
  "update:course": editors,
  "archive:course": editors,
  "read:comment": grant("any", "any", "any", "any", _),
  "moderate:comment": editors,
  "read:follow-up": grant("any", "any", "any", "any", _),
  "resolve:follow-up": editors,
} as const satisfies Partial<Record<`${Action}:${Entity}`, Grants>>;

/** An `action:entity` pair that means something: the rows of GRANTS. */
export type PermissionCheck = keyof typeof GRANTS;
export type Permission = `${PermissionCheck}:${Access}`;

export const PERMISSION_CHECKS = Object.keys(GRANTS) as PermissionCheck[];

/** Entities whose instances belong to a clinic: clinic scope narrows every permission on them. */
export const CLINIC_BOUND: ReadonlySet<Entity> = new Set<Entity>([
  "membership",
  "invitation",
  "practitioner",
  "license",
  "training-record",
  "standard-assignment",
  "import",
  "export",
]);

/** What `can` needs to know about the actor. */
export interface Principal {
  organizationId: string;
  role: Role;
  practitionerId: string | null;
  /** The clinics the actor is limited to; null for the whole organization. */
  clinicIds: readonly string[] | null;
}

/** What `can` needs to know about the thing acted on. */
export interface Resource {
  organizationId: string;
  /** The practitioner the data belongs to, if it belongs to one. */
  practitionerId?: string | null;
  /** The clinic the data belongs to, if it belongs to one. */
  clinicId?: string | null;
}

export function entityOf(check: PermissionCheck): Entity {
  return check.slice(check.indexOf(":") + 1) as Entity;
}

export function actionOf(check: PermissionCheck): Action {
  return check.slice(0, check.indexOf(":")) as Action;
}

export function standingOf(actor: Pick<Principal, "role" | "clinicIds">): Standing {
  return actor.role === "manager" && actor.clinicIds !== null ? "clinic-manager" : actor.role;
}

/**
 * How far `actor` holds `check`, or null when not at all. For an actor limited to clinics, `any`
 * on a clinic-bound entity is `clinic` (whatever the role: the scope always narrows).
 */
export function accessOf(actor: Principal, check: PermissionCheck): Access | null {
  // A string that is no row of the table (callers composing `${action}:${entity}`) is never held.
  const row: Grants | undefined = (GRANTS as Partial<Record<string, Grants>>)[check];
  const level: Level = row?.[standingOf(actor)] ?? null;
  if (level === "any" && actor.clinicIds !== null && CLINIC_BOUND.has(entityOf(check))) {
    return "clinic";
  }
  return level;
}

function inClinicScope(actor: Principal, clinicId: string | null | undefined): boolean {
  return clinicId != null && (actor.clinicIds?.includes(clinicId) ?? false);
}

/**
 * May `actor` do `check` to `resource`? False across organizations and outside the actor's
 * clinics; `clinic` access needs a resource in one of them, `own` the actor's own data; nobody
 * reviews their own records.
 */
export function can(actor: Principal, check: PermissionCheck, resource: Resource): boolean {
  if (resource.organizationId !== actor.organizationId) return false;
  if (actor.clinicIds !== null && resource.clinicId != null) {
    if (!inClinicScope(actor, resource.clinicId)) return false;
  }
  const owned = resource.practitionerId != null && resource.practitionerId === actor.practitionerId;
  if (check === "review:training-record" && owned) return false;
  switch (accessOf(actor, check)) {
    case "any":
      return true;
    case "clinic":
      return inClinicScope(actor, resource.clinicId);
    case "own":
      return owned;
    default:
      return false;
  }
}

/** May `actor` do `check` to anything of that kind in their organization? */
export function canAny(actor: Principal, check: PermissionCheck): boolean {
  return accessOf(actor, check) === "any";
}

/** The part of the organization a permission reaches: what lists are filtered to. */
export type Reach =
  | { kind: "organization" }
  | { kind: "clinics"; clinicIds: readonly string[] }
  | { kind: "own"; practitionerId: string };

/** How far `actor`'s `check` reaches, or null when it reaches nothing. */
export function reachOf(actor: Principal, check: PermissionCheck): Reach | null {
  switch (accessOf(actor, check)) {
    case "any":
      return { kind: "organization" };
    case "clinic":
      return actor.clinicIds === null ? null : { kind: "clinics", clinicIds: actor.clinicIds };
    case "own":
      return actor.practitionerId === null
        ? null
        : { kind: "own", practitionerId: actor.practitionerId };
    default:
      return null;
  }
}

/** Every permission `actor` holds, as `action:entity:access` strings, sorted (for `auth.me`). */
export function permissionsOf(actor: Principal): Permission[] {
  return PERMISSION_CHECKS.flatMap((check): Permission[] => {
    const access = accessOf(actor, check);
    return access === null ? [] : [`${check}:${access}`];
  }).sort();
}
