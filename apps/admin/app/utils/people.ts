/**
 * What the People page and a practitioner's login line offer: which roles an inviter may give,
 * how statuses read, and which actions fit a login status. The API enforces the same rules.
 */
import type { LoginStatus, Member, Role } from "@dn/schema";

/** The roles `inviter` may invite: admins any; managers practitioners and auditors; a manager
 * limited to clinics practitioners only. */
export function invitableRoles(inviter: { role: Role; scoped: boolean }): Role[] {
  if (inviter.role === "admin") return ["practitioner", "manager", "auditor", "admin"];
  if (inviter.role !== "manager") return [];
  return inviter.scoped ? ["practitioner"] : ["practitioner", "auditor"];
}

export const LOGIN_STATUS_LABELS: Record<LoginStatus["status"], string> = {
  none: "No login",
  invited: "Invited",
  active: "Active",
  deactivated: "Deactivated",
};

export type LoginAction = "invite" | "resend" | "revoke" | "deactivate" | "reactivate";

/** The actions that fit a practitioner's login status, for someone who manages logins. */
export function loginActionsFor(status: LoginStatus["status"]): LoginAction[] {
  switch (status) {
    case "none":
      return ["invite"];
    case "invited":
      return ["resend", "revoke"];
    case "active":
      return ["deactivate"];
    case "deactivated":
      return ["reactivate"];
  }
}

/** May `actor` deactivate or reactivate `member`? Never themselves; managers only practitioners. */
export function canChangeStatusOf(
  actor: { userId: string; role: Role },
  member: Pick<Member, "userId" | "role">,
): boolean {
  if (member.userId === actor.userId) return false;
  if (actor.role === "admin") return true;
  return actor.role === "manager" && member.role === "practitioner";
}

/** True for the API's answer "saved, but the email could not be sent". */
export function isUnsentInvitation(code: string | null, message: string): boolean {
  return code === "INTERNAL_SERVER_ERROR" && message.includes("the email could not be sent");
}
