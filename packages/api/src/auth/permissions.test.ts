import { ROLES } from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  ACCESS_LEVELS,
  ACTIONS,
  accessOf,
  actionOf,
  CLINIC_BOUND,
  can,
  canAny,
  ENTITIES,
  entityOf,
  GRANTS,
  PERMISSION_CHECKS,
  type PermissionCheck,
  type Principal,
  permissionsOf,
  type Resource,
  reachOf,
  STANDINGS,
  standingOf,
} from "./permissions.ts";

const ORG = "org-a";
const OTHER_ORG = "org-b";
const SELF = "practitioner-self";
const COLLEAGUE = "practitioner-colleague";
const CLINIC_A = "clinic-a";
const CLINIC_B = "clinic-b";
const CLINIC_C = "clinic-c";

const actors: Record<string, Principal> = {
  admin: { organizationId: ORG, role: "admin", practitionerId: null, clinicIds: null },
  manager: { organizationId: ORG, role: "manager", practitionerId: null, clinicIds: null },
  "manager who needles": {
    organizationId: ORG,
    role: "manager",
    practitionerId: SELF,
    clinicIds: null,
  },
  "manager of clinic A": {
    organizationId: ORG,
    role: "manager",
    practitionerId: null,
    clinicIds: [CLINIC_A],
  },
  "manager of clinic A who needles there": {
    organizationId: ORG,
    role: "manager",
    practitionerId: SELF,
    clinicIds: [CLINIC_A],
  },
  practitioner: {
    organizationId: ORG,
    role: "practitioner",
    practitionerId: SELF,
    clinicIds: null,
  },
  auditor: { organizationId: ORG, role: "auditor", practitionerId: null, clinicIds: null },
};

const own = { organizationId: ORG, practitionerId: SELF, clinicId: CLINIC_A };
const colleague = { organizationId: ORG, practitionerId: COLLEAGUE, clinicId: CLINIC_A };
const colleagueInB = { organizationId: ORG, practitionerId: COLLEAGUE, clinicId: CLINIC_B };
const elsewhere = { organizationId: OTHER_ORG, practitionerId: COLLEAGUE, clinicId: CLINIC_C };
const organizationWide = { organizationId: ORG };
const clinicA = { organizationId: ORG, clinicId: CLINIC_A };
const clinicB = { organizationId: ORG, clinicId: CLINIC_B };

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
  ["practitioner", "read:standard", organizationWide, true],
  ["practitioner", "read:course", organizationWide, true],
  ["practitioner", "update:course", organizationWide, false],
  ["practitioner", "read:comment", organizationWide, false],
  ["practitioner", "run:import", organizationWide, false],
  ["practitioner", "create:export", own, false],
  // Managers: everything in their organization, never their own reviews, nothing elsewhere.
  ["manager", "read:practitioner", colleague, true],
  ["manager", "read:practitioner", colleagueInB, true],
  ["manager", "update:practitioner", colleague, true],
  ["manager", "archive:practitioner", colleague, true],
  ["manager", "create:license", colleague, true],
  ["manager", "review:training-record", colleague, true],
  ["manager", "read:audit", organizationWide, true],
  ["manager", "run:alert", organizationWide, true],
  ["manager", "run:import", organizationWide, true],
  ["manager", "create:api-token", organizationWide, true],
  ["manager", "create:export", organizationWide, true],
  ["manager", "create:standard", organizationWide, true],
  ["manager", "moderate:comment", organizationWide, true],
  ["manager", "update:organization", organizationWide, false],
  ["manager", "create:clinic", organizationWide, false],
  ["manager", "update:membership", organizationWide, false],
  ["manager", "create:oidc-provider", organizationWide, false],
  ["manager", "read:practitioner", elsewhere, false],
  ["manager", "review:training-record", elsewhere, false],
  // Who signs in: a membership or invitation belongs to its practitioner's clinic, or to none.
  ["manager", "read:membership", clinicB, true],
  ["manager", "read:membership", organizationWide, true],
  ["manager", "archive:membership", clinicB, true],
  ["manager", "archive:membership", organizationWide, true],
  ["manager", "read:invitation", organizationWide, true],
  ["manager", "create:invitation", organizationWide, true],
  ["manager", "revoke:invitation", clinicB, true],
  ["manager", "read:oidc-provider", organizationWide, false],
  ["manager", "archive:oidc-provider", organizationWide, false],
  ["manager", "update:clinic", clinicA, false],
  ["manager", "archive:clinic", clinicA, false],
  ["manager", "read:membership", elsewhere, false],
  ["manager", "create:invitation", { organizationId: OTHER_ORG }, false],
  ["manager who needles", "review:training-record", own, false],
  ["manager who needles", "review:training-record", colleague, true],
  // A manager limited to clinic A: clinic A's staff only; nothing organization-wide that would
  // reach other clinics; the rest of the organization (standards, content) as any manager.
  ["manager of clinic A", "read:practitioner", colleague, true],
  ["manager of clinic A", "update:practitioner", colleague, true],
  ["manager of clinic A", "archive:practitioner", colleague, true],
  ["manager of clinic A", "read:license", colleague, true],
  ["manager of clinic A", "review:training-record", colleague, true],
  ["manager of clinic A", "create:training-record", colleague, true],
  ["manager of clinic A", "read:practitioner", colleagueInB, false],
  ["manager of clinic A", "update:practitioner", colleagueInB, false],
  ["manager of clinic A", "review:training-record", colleagueInB, false],
  ["manager of clinic A", "read:license", colleagueInB, false],
  ["manager of clinic A", "read:practitioner", elsewhere, false],
  ["manager of clinic A", "create:practitioner", clinicA, true],
  ["manager of clinic A", "create:practitioner", clinicB, false],
  ["manager of clinic A", "create:practitioner", organizationWide, false],
  ["manager of clinic A", "create:export", clinicA, true],
  ["manager of clinic A", "create:export", clinicB, false],
  ["manager of clinic A", "create:export", organizationWide, false],
  ["manager of clinic A", "run:import", clinicA, true],
  ["manager of clinic A", "run:import", organizationWide, false],
  ["manager of clinic A", "create:standard-assignment", clinicA, true],
  ["manager of clinic A", "create:standard-assignment", organizationWide, false],
  ["manager of clinic A", "read:audit", organizationWide, false],
  ["manager of clinic A", "run:alert", organizationWide, false],
  ["manager of clinic A", "create:api-token", organizationWide, false],
  ["manager of clinic A", "create:standard", organizationWide, false],
  ["manager of clinic A", "read:standard", organizationWide, true],
  ["manager of clinic A", "read:clinic", organizationWide, true],
  ["manager of clinic A", "read:clinic", clinicB, false],
  ["manager of clinic A", "update:article", organizationWide, true],
  ["manager of clinic A", "moderate:comment", organizationWide, true],
  ["manager of clinic A", "read:membership", clinicA, true],
  ["manager of clinic A", "read:membership", clinicB, false],
  ["manager of clinic A", "read:membership", organizationWide, false],
  ["manager of clinic A", "archive:membership", clinicA, true],
  ["manager of clinic A", "archive:membership", clinicB, false],
  ["manager of clinic A", "archive:membership", organizationWide, false],
  ["manager of clinic A", "update:membership", clinicA, false],
  ["manager of clinic A", "read:invitation", clinicA, true],
  ["manager of clinic A", "read:invitation", clinicB, false],
  ["manager of clinic A", "create:invitation", clinicA, true],
  ["manager of clinic A", "create:invitation", clinicB, false],
  // An invitation naming no clinic (an auditor's) is out of a clinic manager's reach.
  ["manager of clinic A", "create:invitation", organizationWide, false],
  ["manager of clinic A", "revoke:invitation", clinicA, true],
  ["manager of clinic A", "revoke:invitation", organizationWide, false],
  ["manager of clinic A", "read:oidc-provider", organizationWide, false],
  ["manager of clinic A", "update:organization", organizationWide, false],
  ["manager of clinic A who needles there", "review:training-record", own, false],
  ["manager of clinic A who needles there", "read:training-record", own, true],
  // Auditors read everything in the organization and change nothing (exports are reads).
  ["auditor", "read:practitioner", colleague, true],
  ["auditor", "read:training-record", colleague, true],
  ["auditor", "read:audit", organizationWide, true],
  ["auditor", "read:export", organizationWide, true],
  ["auditor", "create:export", organizationWide, true],
  ["auditor", "read:comment", organizationWide, true],
  ["auditor", "update:practitioner", colleague, false],
  ["auditor", "create:training-record", colleague, false],
  ["auditor", "review:training-record", colleague, false],
  ["auditor", "run:import", organizationWide, false],
  ["auditor", "run:alert", organizationWide, false],
  ["auditor", "create:api-token", organizationWide, false],
  ["auditor", "publish:article", organizationWide, false],
  ["auditor", "moderate:comment", organizationWide, false],
  ["auditor", "read:practitioner", elsewhere, false],
  ["auditor", "read:membership", clinicA, false],
  ["auditor", "read:membership", organizationWide, false],
  ["auditor", "archive:membership", clinicA, false],
  ["auditor", "read:invitation", organizationWide, false],
  ["auditor", "create:invitation", organizationWide, false],
  ["auditor", "read:oidc-provider", organizationWide, false],
  ["auditor", "update:organization", organizationWide, false],
  ["practitioner", "read:membership", own, false],
  ["practitioner", "archive:membership", own, false],
  ["practitioner", "create:invitation", own, false],
  ["practitioner", "read:oidc-provider", organizationWide, false],
  // Admins: everything in their organization, nothing elsewhere.
  ["admin", "update:standard", organizationWide, true],
  ["admin", "review:training-record", colleague, true],
  ["admin", "archive:practitioner", colleague, true],
  ["admin", "update:organization", organizationWide, true],
  ["admin", "create:clinic", organizationWide, true],
  ["admin", "update:membership", organizationWide, true],
  ["admin", "create:oidc-provider", organizationWide, true],
  ["admin", "read:oidc-provider", organizationWide, true],
  ["admin", "archive:oidc-provider", organizationWide, true],
  ["admin", "read:membership", clinicB, true],
  ["admin", "read:membership", organizationWide, true],
  ["admin", "update:membership", clinicA, true],
  ["admin", "archive:membership", organizationWide, true],
  ["admin", "read:invitation", organizationWide, true],
  ["admin", "create:invitation", organizationWide, true],
  ["admin", "revoke:invitation", clinicA, true],
  ["admin", "update:clinic", clinicA, true],
  ["admin", "archive:clinic", clinicB, true],
  ["admin", "archive:oidc-provider", { organizationId: OTHER_ORG }, false],
  ["admin", "update:membership", elsewhere, false],
  ["admin", "read:practitioner", elsewhere, false],
  ["admin", "update:organization", { organizationId: OTHER_ORG }, false],
];

describe("can", () => {
  test.each(table)("%s may %s on %j: %s", (actor, check, resource, allowed) => {
    expect(can(actors[actor] as Principal, check, resource)).toBe(allowed);
  });

  test("own permissions need a practitioner link: a resource without one is nobody's own", () => {
    const unlinked: Principal = {
      organizationId: ORG,
      role: "practitioner",
      practitionerId: null,
      clinicIds: null,
    };
    expect(
      can(unlinked, "read:training-record", { organizationId: ORG, practitionerId: null }),
    ).toBe(false);
    expect(can(unlinked, "read:training-record", { organizationId: ORG })).toBe(false);
    expect(reachOf(unlinked, "read:training-record")).toBeNull();
  });

  test("clinic scope narrows whatever the role: an admin limited to clinic A is refused clinic B", () => {
    const scopedAdmin: Principal = { ...(actors.admin as Principal), clinicIds: [CLINIC_A] };
    expect(can(scopedAdmin, "update:practitioner", colleague)).toBe(true);
    expect(can(scopedAdmin, "update:practitioner", colleagueInB)).toBe(false);
    expect(can(scopedAdmin, "create:practitioner", organizationWide)).toBe(false);
    expect(accessOf(scopedAdmin, "update:practitioner")).toBe("clinic");
    // Organization settings name no clinic, and their permission is not clinic-bound.
    expect(can(scopedAdmin, "update:organization", organizationWide)).toBe(true);
  });

  test("a string that is no row of the table is never permitted", () => {
    const bogus = "fly:practitioner" as PermissionCheck;
    expect(can(actors.admin as Principal, bogus, colleague)).toBe(false);
    expect(accessOf(actors.admin as Principal, bogus)).toBeNull();
  });
});

describe("canAny and reachOf", () => {
  test.each([
    ["manager", "review:training-record", true, { kind: "organization" }],
    ["auditor", "read:audit", true, { kind: "organization" }],
    ["practitioner", "read:training-record", false, { kind: "own", practitionerId: SELF }],
    ["practitioner", "review:training-record", false, null],
    ["admin", "create:practitioner", true, { kind: "organization" }],
    ["manager of clinic A", "read:practitioner", false, { kind: "clinics", clinicIds: [CLINIC_A] }],
    [
      "manager of clinic A",
      "review:training-record",
      false,
      { kind: "clinics", clinicIds: [CLINIC_A] },
    ],
    ["manager of clinic A", "read:audit", false, null],
    ["manager of clinic A", "read:standard", true, { kind: "organization" }],
  ] as const)("%s %s: any=%s reach=%j", (actor, check, any, reach) => {
    const principal = actors[actor] as Principal;
    expect(canAny(principal, check)).toBe(any);
    expect(reachOf(principal, check)).toEqual(reach);
  });
});

describe("permissionsOf (auth.me)", () => {
  test.each([
    [
      "practitioner",
      ["create:training-record:own", "read:standard:any"],
      ["review:training-record:any", "read:practitioner:any"],
    ],
    [
      "manager",
      ["review:training-record:any", "run:import:any", "create:api-token:any"],
      ["update:organization:any"],
    ],
    [
      "manager of clinic A",
      [
        "read:practitioner:clinic",
        "review:training-record:clinic",
        "run:import:clinic",
        "update:article:any",
      ],
      [
        "read:practitioner:any",
        "read:audit:any",
        "create:api-token:any",
        "run:alert:any",
        "create:standard:any",
      ],
    ],
    [
      "manager",
      ["read:membership:any", "archive:membership:any", "create:invitation:any"],
      ["update:membership:any", "read:oidc-provider:any", "update:clinic:any"],
    ],
    [
      "manager of clinic A",
      ["read:membership:clinic", "archive:membership:clinic", "create:invitation:clinic"],
      ["read:membership:any", "create:invitation:any", "update:membership:clinic"],
    ],
    [
      "auditor",
      ["read:audit:any", "create:export:any"],
      ["update:practitioner:any", "run:import:any", "read:membership:any", "read:invitation:any"],
    ],
    [
      "admin",
      [
        "update:organization:any",
        "create:oidc-provider:any",
        "read:oidc-provider:any",
        "archive:oidc-provider:any",
        "update:membership:any",
        "archive:membership:any",
        "revoke:invitation:any",
        "update:clinic:any",
      ],
      [],
    ],
  ] as const)("%s holds %j and not %j", (actor, held, missing) => {
    const permissions = permissionsOf(actors[actor] as Principal);
    for (const permission of held) expect(permissions).toContain(permission);
    for (const permission of missing) expect(permissions).not.toContain(permission);
    expect(permissions).toEqual([...permissions].sort());
  });
});

describe("the table", () => {
  test("every row is an action and an entity of the vocabulary", () => {
    for (const check of PERMISSION_CHECKS) {
      expect(ACTIONS).toContain(actionOf(check));
      expect(ENTITIES).toContain(entityOf(check));
      expect(`${actionOf(check)}:${entityOf(check)}`).toBe(check);
    }
  });

  test("every entity can be read by someone", () => {
    const readable = new Set(
      PERMISSION_CHECKS.filter((check) => actionOf(check) === "read").map(entityOf),
    );
    for (const entity of ENTITIES.filter((e) => e !== "alert" && e !== "import")) {
      expect(readable).toContain(entity);
    }
  });

  test("`clinic` access is the clinic manager's alone, and never on an entity without a clinic", () => {
    for (const check of PERMISSION_CHECKS) {
      for (const standing of STANDINGS) {
        if (GRANTS[check][standing] !== "clinic") continue;
        expect(standing).toBe("clinic-manager");
        expect(CLINIC_BOUND.has(entityOf(check))).toBe(true);
      }
    }
  });

  test("a clinic manager holds nothing organization-wide on a clinic-bound entity", () => {
    for (const check of PERMISSION_CHECKS.filter((c) => CLINIC_BOUND.has(entityOf(c)))) {
      expect(GRANTS[check]["clinic-manager"]).not.toBe("any");
    }
  });

  test("a clinic manager holds nothing a manager does not", () => {
    const rank = (level: string | null) =>
      level === null ? -1 : ACCESS_LEVELS.indexOf(level as never);
    for (const check of PERMISSION_CHECKS) {
      expect(rank(GRANTS[check]["clinic-manager"])).toBeLessThanOrEqual(
        rank(GRANTS[check].manager),
      );
    }
  });

  test("auditors change nothing: their only grant beyond reading is making exports", () => {
    const writes = PERMISSION_CHECKS.filter(
      (check) => actionOf(check) !== "read" && GRANTS[check].auditor !== null,
    );
    expect(writes).toEqual(["create:export"]);
  });

  test("practitioners reach colleagues' data through nothing", () => {
    for (const check of PERMISSION_CHECKS.filter((c) => CLINIC_BOUND.has(entityOf(c)))) {
      expect([null, "own"]).toContain(GRANTS[check].practitioner);
    }
  });

  test("a manager is a clinic manager exactly when limited to clinics", () => {
    expect(standingOf({ role: "manager", clinicIds: null })).toBe("manager");
    expect(standingOf({ role: "manager", clinicIds: [CLINIC_A] })).toBe("clinic-manager");
    expect(standingOf({ role: "manager", clinicIds: [] })).toBe("clinic-manager");
    expect(standingOf({ role: "auditor", clinicIds: null })).toBe("auditor");
  });
});

/**
 * Properties over every combination of actor and resource that matters: each role, limited to
 * no clinic, one, two or none at all, linked to a practitioner or not; resources in either
 * organization, in any of three clinics or none, anyone's or nobody's. The space is small enough
 * to walk whole, so each property is checked on all of it rather than on a sample.
 */
describe("properties over every actor, permission and resource", () => {
  const scopes: (readonly string[] | null)[] = [null, [CLINIC_A], [CLINIC_A, CLINIC_B], []];
  const principals: Principal[] = ROLES.flatMap((role) =>
    scopes.flatMap((clinicIds) =>
      [null, SELF].map((practitionerId) => ({
        organizationId: ORG,
        role,
        practitionerId,
        clinicIds,
      })),
    ),
  );
  const resources: Resource[] = [ORG, OTHER_ORG].flatMap((organizationId) =>
    [undefined, null, CLINIC_A, CLINIC_B, CLINIC_C].flatMap((clinicId) =>
      [undefined, null, SELF, COLLEAGUE].map((practitionerId) => ({
        organizationId,
        clinicId,
        practitionerId,
      })),
    ),
  );

  /** The combinations where `holds` is false, named, so a failure shows which ones. */
  function violations(
    holds: (actor: Principal, check: PermissionCheck, resource: Resource) => boolean,
  ): string[] {
    const found: string[] = [];
    for (const actor of principals) {
      for (const check of PERMISSION_CHECKS) {
        for (const resource of resources) {
          if (!holds(actor, check, resource))
            found.push(JSON.stringify({ actor, check, resource }));
        }
      }
    }
    return found;
  }

  const outsideClinics = (actor: Principal, resource: Resource) =>
    actor.clinicIds !== null &&
    resource.clinicId != null &&
    !actor.clinicIds.includes(resource.clinicId);

  test("nothing is ever permitted across organizations", () => {
    expect(
      violations(
        (actor, check, resource) =>
          resource.organizationId === actor.organizationId || !can(actor, check, resource),
      ),
    ).toEqual([]);
  });

  test("no actor limited to clinics reaches another clinic", () => {
    expect(
      violations(
        (actor, check, resource) =>
          !outsideClinics(actor, resource) || !can(actor, check, resource),
      ),
    ).toEqual([]);
  });

  test("an actor limited to clinics never holds a clinic-bound permission organization-wide", () => {
    for (const actor of principals.filter((p) => p.clinicIds !== null)) {
      for (const check of PERMISSION_CHECKS.filter((c) => CLINIC_BOUND.has(entityOf(c)))) {
        expect(accessOf(actor, check)).not.toBe("any");
        expect(reachOf(actor, check)?.kind).not.toBe("organization");
      }
    }
  });

  test("nobody reviews their own records", () => {
    expect(
      violations(
        (actor, _check, resource) =>
          resource.practitionerId == null ||
          resource.practitionerId !== actor.practitionerId ||
          !can(actor, "review:training-record", resource),
      ),
    ).toEqual([]);
  });

  test("what `can` allows agrees with the reach lists are filtered by", () => {
    expect(
      violations((actor, check, resource) => {
        if (resource.organizationId !== actor.organizationId) return true;
        if (
          check === "review:training-record" &&
          resource.practitionerId === actor.practitionerId
        ) {
          return true;
        }
        const reach = reachOf(actor, check);
        const allowed = can(actor, check, resource);
        if (reach === null) return !allowed;
        if (reach.kind === "organization") return allowed === !outsideClinics(actor, resource);
        if (reach.kind === "clinics") {
          return (
            allowed === (resource.clinicId != null && reach.clinicIds.includes(resource.clinicId))
          );
        }
        return (
          allowed ===
          (resource.practitionerId === reach.practitionerId && !outsideClinics(actor, resource))
        );
      }),
    ).toEqual([]);
  });

  test("auth.me's permissions are exactly the held access levels", () => {
    for (const actor of principals) {
      const expected = PERMISSION_CHECKS.flatMap((check) => {
        const access = accessOf(actor, check);
        return access === null ? [] : [`${check}:${access}`];
      }).sort();
      expect(permissionsOf(actor)).toEqual(expected);
    }
  });
});
