/**
 * What the People page and a practitioner's login line offer: which roles an inviter may give,
 * how statuses read, and which actions fit a login status. Each is decided from auth.me's
 * permissions (docs/decisions/053-permissions.md), as the API decides it; the API enforces the
 * same rules whatever is shown.
 */
import type { LoginStatus, Member, Role } from "@dn/schema";
import { hasPermission, type PermissionCheck, type WithPermissions } from "./permissions.ts";

/**
 * The roles `me` may invite (invitations.service's requireMayInviteRole): whoever changes roles
 * (`update:membership`) any; others holding `create:invitation` practitioners, and auditors too
 * when it reaches the whole organization (an auditor reads all of it).
 */
export function invitableRoles(me: WithPermissions): Role[] {
  if (!hasPermission(me, "create:invitation")) return [];
  if (hasPermission(me, "update:membership"))
    return ["practitioner", "manager", "auditor", "admin"];
  return hasPermission(me, "create:invitation:any")
    ? ["practitioner", "auditor"]
    : ["practitioner"];
}

export const LOGIN_STATUS_LABELS: Record<LoginStatus["status"], string> = {
  none: "No login",
  invited: "Invited",
  active: "Active",
  deactivated: "Deactivated",
};

export type LoginAction = "invite" | "resend" | "revoke" | "deactivate" | "reactivate";

const FITTING_ACTIONS: Record<LoginStatus["status"], LoginAction[]> = {
  none: ["invite"],
  invited: ["resend", "revoke"],
  active: ["deactivate"],
  deactivated: ["reactivate"],
};

/** The permission each login action takes (resending an invitation is inviting again). */
const LOGIN_ACTION_PERMISSIONS: Record<LoginAction, PermissionCheck> = {
  invite: "create:invitation",
  resend: "create:invitation",
  revoke: "revoke:invitation",
  deactivate: "archive:membership",
  reactivate: "archive:membership",
};

/** The actions that fit a practitioner's login status, of those `me` holds the permission for. */
export function loginActionsFor(status: LoginStatus["status"], me: WithPermissions): LoginAction[] {
  return FITTING_ACTIONS[status].filter((action) =>
    hasPermission(me, LOGIN_ACTION_PERMISSIONS[action]),
  );
}

/** Who is looking at the People page: their permissions, and which login is theirs. */
export type Viewer = WithPermissions & { userId: string };

/**
 * May `me` deactivate or reactivate `member` (members.service's requireMayChangeStatus)? Never
 * their own; a practitioner's with `archive:membership`; anyone else's only with
 * `update:membership` too.
 */
export function canChangeStatusOf(me: Viewer, member: Pick<Member, "userId" | "role">): boolean {
  if (member.userId === me.userId || !hasPermission(me, "archive:membership")) return false;
  return member.role === "practitioner" || hasPermission(me, "update:membership");
}

/** May `me` change `member`'s role, clinic scope and practitioner link? Never their own. */
export function canChangeRoleOf(me: Viewer, member: Pick<Member, "userId" | "status">): boolean {
  return (
    hasPermission(me, "update:membership") &&
    member.userId !== me.userId &&
    member.status === "active"
  );
}

/** True for the API's answer "saved, but the email could not be sent". */
export function isUnsentInvitation(code: string | null, message: string): boolean {
  return code === "INTERNAL_SERVER_ERROR" && message.includes("the email could not be sent");
}
