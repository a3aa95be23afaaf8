/**
 * An organization's memberships as its People page sees them: each with the person's login and
 * the practitioner record it is linked to. Changing a membership is in users.repo.ts.
 */
import type { Member, Membership, Role } from "@dn/schema";
import { toMembership } from "../mappers.ts";
import type { Db } from "./types.ts";

/** Every membership of the organization (active first, then by name). */
export async function listMembers(
  db: Db,
  organizationId: string,
): Promise<(Member & { practitionerClinicId: string | null })[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.userId")
    .leftJoin("practitioners as p", "p.id", "m.practitionerId")
    .selectAll("m")
    .select([
      "u.email",
      "u.name",
      "p.name as practitionerName",
      "p.clinicId as practitionerClinicId",
    ])
    .where("m.organizationId", "=", organizationId)
    .orderBy("m.status")
    .orderBy("u.name")
    .orderBy("m.id")
    .execute();
  return rows.map((row) => ({
    ...toMembership(row),
    email: row.email,
    name: row.name,
    practitionerName: row.practitionerName,
    practitionerClinicId: row.practitionerClinicId,
  }));
}

/** The membership `id` with its login and practitioner, active or not. */
export async function findMember(
  db: Db,
  id: string,
): Promise<(Member & { practitionerClinicId: string | null }) | null> {
  const row = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.userId")
    .leftJoin("practitioners as p", "p.id", "m.practitionerId")
    .selectAll("m")
    .select([
      "u.email",
      "u.name",
      "p.name as practitionerName",
      "p.clinicId as practitionerClinicId",
    ])
    .where("m.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    ...toMembership(row),
    email: row.email,
    name: row.name,
    practitionerName: row.practitionerName,
    practitionerClinicId: row.practitionerClinicId,
  };
}

/** The membership the login with `email` has in the organization, active or not. */
export async function findMembershipByEmail(
  db: Db,
  organizationId: string,
  email: string,
): Promise<Membership | null> {
  const row = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.userId")
    .selectAll("m")
    .where("m.organizationId", "=", organizationId)
    .where("u.email", "=", email.toLowerCase())
    .executeTakeFirst();
  return row ? toMembership(row) : null;
}

/** The active membership linked to a practitioner, if any. */
export async function findActiveMembershipOfPractitioner(
  db: Db,
  practitionerId: string,
): Promise<Membership | null> {
  const row = await db
    .selectFrom("memberships")
    .selectAll()
    .where("practitionerId", "=", practitionerId)
    .where("status", "=", "active")
    .executeTakeFirst();
  return row ? toMembership(row) : null;
}

/** How many active members of the organization hold `role`. */
export async function countActiveMembersWithRole(
  db: Db,
  organizationId: string,
  role: Role,
): Promise<number> {
  const row = await db
    .selectFrom("memberships")
    .select((eb) => eb.fn.countAll().as("count"))
    .where("organizationId", "=", organizationId)
    .where("role", "=", role)
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
