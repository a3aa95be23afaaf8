import type { Role } from "@dn/schema";

/**
 * What each role may do in the admin app, as `action:entity:own|any` strings. The API enforces
 * the same rules; here they decide what the navigation offers and which pages a role may open.
 */
export type Permission =
  | "read:practitioner:any"
  | "read:record:own"
  | "create:record:own"
  | "withdraw:record:own"
  | "read:record:any"
  | "review:record:any";

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ["read:practitioner:any", "read:record:any", "review:record:any"],
  manager: ["read:practitioner:any", "read:record:any", "review:record:any"],
  auditor: ["read:practitioner:any", "read:record:any"],
  practitioner: ["read:record:own", "create:record:own", "withdraw:record:own"],
};

export function roleCan(role: Role, permission: Permission): boolean {
  return PERMISSIONS[role].includes(permission);
}

/** The roles holding `permission`, for guards such as `requireUserWithRole`. */
export function rolesThatCan(permission: Permission): Role[] {
  return (Object.keys(PERMISSIONS) as Role[]).filter((role) => roleCan(role, permission));
}

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrator",
  manager: "Clinic manager",
  practitioner: "Practitioner",
  auditor: "Auditor (read-only)",
};

export type NavItem = { to: string; label: string };

/** The navigation a role sees. */
export function navigationFor(role: Role): NavItem[] {
  const items: NavItem[] = [];
  if (roleCan(role, "read:record:own")) items.push({ to: "/records", label: "My records" });
  if (roleCan(role, "read:record:own")) items.push({ to: "/compliance", label: "My compliance" });
  if (roleCan(role, "read:practitioner:any")) {
    items.push({ to: "/practitioners", label: "Practitioners" });
  }
  if (roleCan(role, "review:record:any")) items.push({ to: "/review", label: "Review queue" });
  if (roleCan(role, "read:practitioner:any")) items.push({ to: "/dashboard", label: "Dashboard" });
  if (roleCan(role, "review:record:any")) items.push({ to: "/import", label: "Import" });
  items.push({ to: "/inbox", label: "Inbox" });
  items.push({ to: "/standards", label: "Standards" });
  if (roleCan(role, "read:record:any")) items.push({ to: "/exports", label: "Exports" });
  if (roleCan(role, "read:record:any")) items.push({ to: "/content", label: "Content" });
  if (role === "admin" || role === "manager") items.push({ to: "/people", label: "People" });
  if (role === "admin") items.push({ to: "/settings", label: "Settings" });
  items.push({ to: "/account", label: "Account" });
  return items;
}
