import { describe, expect, test } from "vitest";
import { navigationFor, roleCan, rolesThatCan } from "./permissions.ts";

describe("navigation by role", () => {
  test.each([
    ["practitioner", ["My records", "My compliance", "Inbox", "Standards", "Account"]],
    [
      "manager",
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
        "Account",
      ],
    ],
    [
      "admin",
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
      ["Practitioners", "Dashboard", "Inbox", "Standards", "Exports", "Content", "Account"],
    ],
  ] as const)("%s sees %j", (role, labels) => {
    expect(navigationFor(role).map((item) => item.label)).toEqual(labels);
  });
});

describe("permissions", () => {
  test("only managers and admins may review records", () => {
    expect(rolesThatCan("review:record:any").sort()).toEqual(["admin", "manager"]);
  });

  test("an auditor reads practitioners but cannot log or review records", () => {
    expect(roleCan("auditor", "read:practitioner:any")).toBe(true);
    expect(roleCan("auditor", "create:record:own")).toBe(false);
    expect(roleCan("auditor", "review:record:any")).toBe(false);
  });
});
