import { permissionsOf } from "@dn/api";
import type { Role } from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  hasPermission,
  hasPermissionOverOthers,
  homePathFor,
  navigationFor,
  type WithPermissions,
} from "./permissions.ts";

/** What auth.me returns for a membership: the API's own permission strings. */
function me(role: Role, clinicIds: string[] | null = null): WithPermissions {
  return {
    permissions: permissionsOf({
      organizationId: "org",
      role,
      practitionerId: role === "practitioner" ? "practitioner-self" : null,
      clinicIds,
    }),
  };
}

const MANAGER_NAVIGATION = [
  "Practitioners",
  "Review queue",
  "Dashboard",
  "Import",
  "Inbox",
  "Standards",
  "Exports",
  "Content",
  "People",
  "Account",
];

describe("navigation from auth.me's permissions", () => {
  test.each([
    ["practitioner", null, ["My records", "My compliance", "Inbox", "Standards", "Account"]],
    ["manager", null, MANAGER_NAVIGATION],
    ["manager", ["clinic-a"], MANAGER_NAVIGATION],
    [
      "admin",
      null,
      [
        "Practitioners",
        "Review queue",
        "Dashboard",
        "Import",
        "Inbox",
        "Standards",
        "Exports",
        "Content",
        "People",
        "Settings",
        "Account",
      ],
    ],
    [
      "auditor",
      null,
      ["Practitioners", "Dashboard", "Inbox", "Standards", "Exports", "Content", "Account"],
    ],
  ] as const)("%s limited to %j sees %j", (role, clinicIds, labels) => {
    expect(navigationFor(me(role, clinicIds ? [...clinicIds] : null)).map((i) => i.label)).toEqual(
      labels,
    );
  });

  test("nothing is offered that auth.me did not grant", () => {
    expect(navigationFor({ permissions: [] }).map((item) => item.label)).toEqual([
      "Inbox",
      "Account",
    ]);
  });
});

describe("hasPermission", () => {
  test("a pair is held at any access level; a full string only exactly", () => {
    const practitioner = me("practitioner");
    expect(hasPermission(practitioner, "create:training-record")).toBe(true);
    expect(hasPermission(practitioner, "create:training-record:own")).toBe(true);
    expect(hasPermission(practitioner, "create:training-record:any")).toBe(false);
    expect(hasPermissionOverOthers(practitioner, "read:practitioner")).toBe(false);
  });

  test("only managers and admins may review records, a clinic manager for their clinics", () => {
    const reviewers = (["admin", "manager", "auditor", "practitioner"] as const).filter((role) =>
      hasPermission(me(role), "review:training-record"),
    );
    expect(reviewers).toEqual(["admin", "manager"]);
    const clinicManager = me("manager", ["clinic-a"]);
    expect(hasPermission(clinicManager, "review:training-record:clinic")).toBe(true);
    expect(hasPermission(clinicManager, "review:training-record:any")).toBe(false);
    expect(hasPermissionOverOthers(clinicManager, "review:training-record")).toBe(true);
  });

  test("an auditor reads practitioners but cannot log, review or change staff data", () => {
    const auditor = me("auditor");
    expect(hasPermission(auditor, "read:practitioner:any")).toBe(true);
    expect(hasPermission(auditor, "create:training-record")).toBe(false);
    expect(hasPermission(auditor, "review:training-record")).toBe(false);
    expect(hasPermission(auditor, "update:practitioner")).toBe(false);
  });

  test("a clinic manager changes their clinics' staff but holds no organization-wide tool", () => {
    const clinicManager = me("manager", ["clinic-a"]);
    expect(hasPermission(clinicManager, "update:practitioner")).toBe(true);
    expect(hasPermission(clinicManager, "read:api-token")).toBe(false);
    expect(hasPermission(clinicManager, "run:alert")).toBe(false);
    expect(hasPermission(clinicManager, "create:standard")).toBe(false);
  });
});

describe("home page", () => {
  test("those who see colleagues start with practitioners, everyone else with their records", () => {
    expect(homePathFor(me("manager", ["clinic-a"]))).toBe("/practitioners");
    expect(homePathFor(me("auditor"))).toBe("/practitioners");
    expect(homePathFor(me("practitioner"))).toBe("/records");
  });
});
