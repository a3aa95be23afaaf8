import { describe, expect, test } from "vitest";
import {
  can,
  canAny,
  canOwn,
  type PermissionCheck,
  type Principal,
  type Resource,
} from "./permissions.ts";

const ORG = "org-a";
const OTHER_ORG = "org-b";
const SELF = "practitioner-self";
const COLLEAGUE = "practitioner-colleague";

const actors: Record<string, Principal> = {
  admin: { organizationId: ORG, role: "admin", practitionerId: null },
  manager: { organizationId: ORG, role: "manager", practitionerId: null },
  "manager who needles": { organizationId: ORG, role: "manager", practitionerId: SELF },
  practitioner: { organizationId: ORG, role: "practitioner", practitionerId: SELF },
  auditor: { organizationId: ORG, role: "auditor", practitionerId: null },
};

const own = { organizationId: ORG, practitionerId: SELF };
const colleague = { organizationId: ORG, practitionerId: COLLEAGUE };
const elsewhere = { organizationId: OTHER_ORG, practitionerId: COLLEAGUE };

type Row = [actor: string, check: PermissionCheck, resource: Resource, allowed: boolean];

const table: Row[] = [
  // Practitioners: their own data only, no reviews, no practitioner/license changes.
  ["practitioner", "read:practitioner", own, true],
  ["practitioner", "read:practitioner", colleague, false],
  ["practitioner", "read:license", own, true],
  ["practitioner", "read:license", colleague, false],
  ["practitioner", "read:training-record", own, true],
  ["practitioner", "read:training-record", colleague, false],
  ["practitioner", "create:training-record", own, true],
  ["practitioner", "create:training-record", colleague, false],
  ["practitioner", "correct:training-record", own, true],
  ["practitioner", "withdraw:training-record", own, true],
  ["practitioner", "review:training-record", own, false],
  ["practitioner", "review:training-record", colleague, false],
  ["practitioner", "update:practitioner", own, false],
  ["practitioner", "create:license", own, false],
  ["practitioner", "read:audit", own, false],
  // Managers: everything in their organization, never their own reviews, nothing elsewhere.
  ["manager", "read:practitioner", colleague, true],
  ["manager", "update:practitioner", colleague, true],
  ["manager", "archive:practitioner", colleague, true],
  ["manager", "create:license", colleague, true],
  ["manager", "review:training-record", colleague, true],
  ["manager", "read:audit", colleague, true],
  ["manager", "read:practitioner", elsewhere, false],
  ["manager", "review:training-record", elsewhere, false],
  ["manager who needles", "review:training-record", own, false],
  ["manager who needles", "review:training-record", colleague, true],
  // Auditors read everything in their organization and change nothing.
  ["auditor", "read:practitioner", colleague, true],
  ["auditor", "read:training-record", colleague, true],
  ["auditor", "read:audit", colleague, true],
  ["auditor", "update:practitioner", colleague, false],
  ["auditor", "create:training-record", colleague, false],
  ["auditor", "review:training-record", colleague, false],
  ["auditor", "read:practitioner", elsewhere, false],
  // Admins: everything in their organization, nothing elsewhere.
  ["admin", "update:standard", { organizationId: ORG }, true],
  ["admin", "review:training-record", colleague, true],
  ["admin", "archive:practitioner", colleague, true],
  ["admin", "read:practitioner", elsewhere, false],
];

describe("can", () => {
  test.each(table)("%s may %s on %j: %s", (actor, check, resource, allowed) => {
    expect(can(actors[actor] as Principal, check, resource)).toBe(allowed);
  });

  test("own permissions need a practitioner link: a resource without one is nobody's own", () => {
    const unlinked: Principal = { organizationId: ORG, role: "practitioner", practitionerId: null };
    expect(
      can(unlinked, "read:training-record", { organizationId: ORG, practitionerId: null }),
    ).toBe(false);
    expect(can(unlinked, "read:training-record", { organizationId: ORG })).toBe(false);
  });
});

describe("canAny and canOwn", () => {
  test.each([
    ["manager", "review:training-record", true, false],
    ["auditor", "read:audit", true, false],
    ["practitioner", "read:training-record", false, true],
    ["practitioner", "review:training-record", false, false],
    ["admin", "create:practitioner", true, false],
  ] as const)("%s %s: any=%s own=%s", (actor, check, any, ownOnly) => {
    const principal = actors[actor] as Principal;
    expect(canAny(principal, check)).toBe(any);
    expect(canOwn(principal, check)).toBe(ownOnly);
  });
});
