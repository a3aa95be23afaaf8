import type { Access, Permission, PermissionCheck } from "@dn/api";
import type { Role } from "@dn/schema";

/**
 * What the signed-in user may do, as `auth.me` returns it: the API's own permission strings
 * (`action:entity:access`, docs/decisions/053-permissions.md). The app never keeps a role table
 * of its own: navigation, guards and the actions a page shows are decided from these, and the API
 * enforces the same table whatever the page shows.
 */
export type { Permission, PermissionCheck };

export interface WithPermissions {
  permissions: readonly string[];
}

const ACCESS: readonly Access[] = ["own", "clinic", "any"];

function isCheck(permission: Permission | PermissionCheck): permission is PermissionCheck {
  return permission.split(":").length === 2;
}

/**
 * Whether the user holds `permission`: a full `action:entity:access` string exactly, or an
 * `action:entity` pair at any access level (their own data, their clinics, or the organization).
 */
export function hasPermission(
  me: WithPermissions,
  permission: Permission | PermissionCheck,
): boolean {
  if (!isCheck(permission)) return me.permissions.includes(permission);
  return ACCESS.some((access) => me.permissions.includes(`${permission}:${access}`));
}

/** Whether the user holds `check` beyond their own data: for their clinics or the organization. */
export function hasPermissionOverOthers(me: WithPermissions, check: PermissionCheck): boolean {
  return me.permissions.includes(`${check}:clinic`) || me.permissions.includes(`${check}:any`);
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrator",
  manager: "Clinic manager",
  practitioner: "Practitioner",
  auditor: "Auditor (read-only)",
};

export type NavItem = { to: string; label: string };

/** The navigation the user sees. */
export function navigationFor(me: WithPermissions): NavItem[] {
  const items: NavItem[] = [];
  const ownRecords = hasPermission(me, "read:training-record:own");
  const colleagues = hasPermissionOverOthers(me, "read:practitioner");
  if (ownRecords) items.push({ to: "/records", label: "My records" });
  if (ownRecords) items.push({ to: "/compliance", label: "My compliance" });
  if (colleagues) items.push({ to: "/practitioners", label: "Practitioners" });
  if (hasPermissionOverOthers(me, "review:training-record")) {
    items.push({ to: "/review", label: "Review queue" });
  }
  if (colleagues) items.push({ to: "/dashboard", label: "Dashboard" });
  if (hasPermission(me, "run:import")) items.push({ to: "/import", label: "Import" });
  items.push({ to: "/inbox", label: "Inbox" });
  if (hasPermission(me, "read:standard")) items.push({ to: "/standards", label: "Standards" });
  if (hasPermission(me, "read:export")) items.push({ to: "/exports", label: "Exports" });
  // The content section is the library's editors' and reviewers' (who read the moderation queue).
  if (hasPermission(me, "read:comment")) items.push({ to: "/content", label: "Content" });
  if (hasPermission(me, "read:membership")) items.push({ to: "/people", label: "People" });
  if (hasPermission(me, "update:organization")) items.push({ to: "/settings", label: "Settings" });
  items.push({ to: "/account", label: "Account" });
  return items;
}

/** Where the user starts: colleagues' data for those who see it, else their own records. */
export function homePathFor(me: WithPermissions): string {
  return hasPermissionOverOthers(me, "read:practitioner") ? "/practitioners" : "/records";
}
