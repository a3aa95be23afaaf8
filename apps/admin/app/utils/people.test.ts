import { describe, expect, test } from "vitest";
import {
  canChangeStatusOf,
  invitableRoles,
  isUnsentInvitation,
  loginActionsFor,
} from "./people.ts";

describe("who may invite whom", () => {
  test.each([
    [{ role: "admin", scoped: false }, ["practitioner", "manager", "auditor", "admin"]],
    [{ role: "manager", scoped: false }, ["practitioner", "auditor"]],
    [{ role: "manager", scoped: true }, ["practitioner"]],
    [{ role: "auditor", scoped: false }, []],
    [{ role: "practitioner", scoped: false }, []],
  ] as const)("%o may invite %o", (inviter, roles) => {
    expect(invitableRoles(inviter)).toEqual(roles);
  });
});

describe("a practitioner's login line", () => {
  test.each([
    ["none", ["invite"]],
    ["invited", ["resend", "revoke"]],
    ["active", ["deactivate"]],
    ["deactivated", ["reactivate"]],
  ] as const)("%s offers %o", (status, actions) => {
    expect(loginActionsFor(status)).toEqual(actions);
  });
});

describe("deactivating and reactivating", () => {
  const admin = { userId: "a", role: "admin" } as const;
  const manager = { userId: "m", role: "manager" } as const;
  test("nobody changes their own login; admins anyone else's; managers practitioners' only", () => {
    expect(canChangeStatusOf(admin, { userId: "a", role: "admin" })).toBe(false);
    expect(canChangeStatusOf(admin, { userId: "b", role: "admin" })).toBe(true);
    expect(canChangeStatusOf(manager, { userId: "p", role: "practitioner" })).toBe(true);
    expect(canChangeStatusOf(manager, { userId: "x", role: "auditor" })).toBe(false);
    expect(canChangeStatusOf(manager, { userId: "m", role: "practitioner" })).toBe(false);
    expect(
      canChangeStatusOf({ userId: "z", role: "auditor" }, { userId: "p", role: "practitioner" }),
    ).toBe(false);
  });
});

test("only the API's saved-but-unsent answer counts as an unsent invitation", () => {
  const message =
    "the invitation to a@b.test was saved, but the email could not be sent: resend the invitation";
  expect(isUnsentInvitation("INTERNAL_SERVER_ERROR", message)).toBe(true);
  expect(isUnsentInvitation("BAD_REQUEST", message)).toBe(false);
  expect(isUnsentInvitation("INTERNAL_SERVER_ERROR", "database unreachable")).toBe(false);
});
