import { permissionsOf } from "@dn/api";
import type { Role } from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  canChangeRoleOf,
  canChangeStatusOf,
  invitableRoles,
  isUnsentInvitation,
  loginActionsFor,
  type Viewer,
} from "./people.ts";

/** What the page knows of the viewer: auth.me's permissions for a membership, and their id. */
function viewer(role: Role, clinicIds: string[] | null = null): Viewer {
  return {
    userId: `${role}${clinicIds ? "-scoped" : ""}`,
    permissions: permissionsOf({
      organizationId: "org",
      role,
      practitionerId: role === "practitioner" ? "practitioner-self" : null,
      clinicIds,
    }),
  };
}

describe("who may invite whom, from auth.me's permissions", () => {
  test.each([
    ["an admin", viewer("admin"), ["practitioner", "manager", "auditor", "admin"]],
    ["a manager", viewer("manager"), ["practitioner", "auditor"]],
    ["a manager of one clinic", viewer("manager", ["clinic-a"]), ["practitioner"]],
    ["an auditor", viewer("auditor"), []],
    ["a practitioner", viewer("practitioner"), []],
  ] as const)("%s may invite %o", (_who, me, roles) => {
    expect(invitableRoles(me)).toEqual(roles);
  });
});

describe("a practitioner's login line", () => {
  test.each([
    ["none", ["invite"]],
    ["invited", ["resend", "revoke"]],
    ["active", ["deactivate"]],
    ["deactivated", ["reactivate"]],
  ] as const)("%s offers %o to a manager", (status, actions) => {
    expect(loginActionsFor(status, viewer("manager"))).toEqual(actions);
    expect(loginActionsFor(status, viewer("manager", ["clinic-a"]))).toEqual(actions);
  });

  test("offers nothing to those without the permissions", () => {
    for (const role of ["auditor", "practitioner"] as const) {
      for (const status of ["none", "invited", "active", "deactivated"] as const) {
        expect(loginActionsFor(status, viewer(role))).toEqual([]);
      }
    }
  });

  test("offers only the actions whose permission is held", () => {
    const inviteOnly = { permissions: ["create:invitation:clinic"] };
    expect(loginActionsFor("invited", inviteOnly)).toEqual(["resend"]);
    expect(loginActionsFor("active", inviteOnly)).toEqual([]);
  });
});

describe("deactivating, reactivating and changing roles", () => {
  const admin = viewer("admin");
  const manager = viewer("manager");
  const scoped = viewer("manager", ["clinic-a"]);
  test("nobody changes their own login; admins anyone else's; managers practitioners' only", () => {
    expect(canChangeStatusOf(admin, { userId: admin.userId, role: "admin" })).toBe(false);
    expect(canChangeStatusOf(admin, { userId: "b", role: "admin" })).toBe(true);
    expect(canChangeStatusOf(manager, { userId: "p", role: "practitioner" })).toBe(true);
    expect(canChangeStatusOf(scoped, { userId: "p", role: "practitioner" })).toBe(true);
    expect(canChangeStatusOf(manager, { userId: "x", role: "auditor" })).toBe(false);
    expect(canChangeStatusOf(manager, { userId: "y", role: "manager" })).toBe(false);
    expect(
      canChangeStatusOf({ ...manager, userId: "p" }, { userId: "p", role: "practitioner" }),
    ).toBe(false);
    expect(canChangeStatusOf(viewer("auditor"), { userId: "p", role: "practitioner" })).toBe(false);
  });

  test("only those who may change memberships change roles, never their own, of active logins", () => {
    expect(canChangeRoleOf(admin, { userId: "b", status: "active" })).toBe(true);
    expect(canChangeRoleOf(admin, { userId: "b", status: "deactivated" })).toBe(false);
    expect(canChangeRoleOf(admin, { userId: admin.userId, status: "active" })).toBe(false);
    expect(canChangeRoleOf(manager, { userId: "b", status: "active" })).toBe(false);
    expect(canChangeRoleOf(scoped, { userId: "b", status: "active" })).toBe(false);
  });
});

test("only the API's saved-but-unsent answer counts as an unsent invitation", () => {
  const message =
    "the invitation to a@b.test was saved, but the email could not be sent: resend the invitation";
  expect(isUnsentInvitation("INTERNAL_SERVER_ERROR", message)).toBe(true);
  expect(isUnsentInvitation("BAD_REQUEST", message)).toBe(false);
  expect(isUnsentInvitation("INTERNAL_SERVER_ERROR", "database unreachable")).toBe(false);
});
