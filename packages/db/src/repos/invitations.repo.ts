/**
 * Invitations to join an organization: a single-use, expiring link (only its SHA-256 is stored).
 * An invitation is pending until it is accepted, revoked or past `expiresAt`; "expired" is never
 * stored, it is read off the clock the caller passes.
 */
import type { Invitation, InvitationStatus, InvitationSummary } from "@dn/schema";
import type { InvitationRow } from "../database.ts";
import { parseClinicIds } from "../mappers.ts";
import type { Db } from "./types.ts";

/** The invitation's state at `now`. */
export function invitationStatusAt(
  row: Pick<InvitationRow, "acceptedAt" | "revokedAt" | "expiresAt">,
  now: string,
): InvitationStatus {
  if (row.acceptedAt !== null) return "accepted";
  if (row.revokedAt !== null) return "revoked";
  return row.expiresAt > now ? "pending" : "expired";
}

export function toInvitation(row: InvitationRow, now: string): Invitation {
  return {
    id: row.id,
    organizationId: row.organizationId,
    email: row.email,
    role: row.role,
    practitionerId: row.practitionerId,
    clinicIds: parseClinicIds(row.clinicIdsJson),
    invitedBy: row.invitedBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    sentAt: row.sentAt,
    sendCount: Number(row.sendCount),
    status: invitationStatusAt(row, now),
  };
}

export async function insertInvitation(db: Db, row: InvitationRow): Promise<void> {
  await db.insertInto("invitations").values(row).execute();
}

export async function findInvitationById(db: Db, id: string): Promise<InvitationRow | null> {
  const row = await db
    .selectFrom("invitations")
    .selectAll()
    .where("id", "=", id)
    .executeTakeFirst();
  return row ?? null;
}

function pendingInvitations(db: Db, now: string) {
  return db
    .selectFrom("invitations")
    .selectAll()
    .where("acceptedAt", "is", null)
    .where("revokedAt", "is", null)
    .where("expiresAt", ">", now);
}

/** The pending invitation whose link carries this token hash, without using it up. */
export async function findUsableInvitation(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<InvitationRow | null> {
  const row = await pendingInvitations(db, now)
    .where("tokenHash", "=", tokenHash)
    .executeTakeFirst();
  return row ?? null;
}

/**
 * Marks the pending invitation with this token hash accepted and returns it, or null. One
 * UPDATE, so of two requests racing with the same link only one gets it.
 */
export async function consumeInvitation(
  db: Db,
  tokenHash: string,
  now: string,
): Promise<InvitationRow | null> {
  const row = await db
    .updateTable("invitations")
    .set({ acceptedAt: now })
    .where("tokenHash", "=", tokenHash)
    .where("acceptedAt", "is", null)
    .where("revokedAt", "is", null)
    .where("expiresAt", ">", now)
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function setInvitationAcceptedBy(db: Db, id: string, userId: string): Promise<void> {
  await db.updateTable("invitations").set({ acceptedBy: userId }).where("id", "=", id).execute();
}

/** The organization's pending invitation for `email` (lower-cased), if any. */
export async function findPendingInvitationForEmail(
  db: Db,
  organizationId: string,
  email: string,
  now: string,
): Promise<InvitationRow | null> {
  const row = await pendingInvitations(db, now)
    .where("organizationId", "=", organizationId)
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
  return row ?? null;
}

/** The pending invitation linked to a practitioner, if any. */
export async function findPendingInvitationOfPractitioner(
  db: Db,
  practitionerId: string,
  now: string,
): Promise<InvitationRow | null> {
  const row = await pendingInvitations(db, now)
    .where("practitionerId", "=", practitionerId)
    .orderBy("createdAt", "desc")
    .executeTakeFirst();
  return row ?? null;
}

/** An organization's invitations, newest first, with the practitioner's and the sender's names. */
export async function listInvitationSummaries(
  db: Db,
  organizationId: string,
  now: string,
): Promise<(InvitationSummary & { practitionerClinicId: string | null })[]> {
  const rows = await db
    .selectFrom("invitations as i")
    .innerJoin("users as u", "u.id", "i.invitedBy")
    .leftJoin("practitioners as p", "p.id", "i.practitionerId")
    .selectAll("i")
    .select([
      "u.name as invitedByName",
      "p.name as practitionerName",
      "p.clinicId as practitionerClinicId",
    ])
    .where("i.organizationId", "=", organizationId)
    .orderBy("i.createdAt", "desc")
    .orderBy("i.id")
    .execute();
  return rows.map((row) => ({
    ...toInvitation(row, now),
    invitedByName: row.invitedByName,
    practitionerName: row.practitionerName,
    practitionerClinicId: row.practitionerClinicId,
  }));
}

/** Gives a pending invitation a new link and expiry (the old link stops working). */
export async function reissueInvitation(
  db: Db,
  id: string,
  changes: Pick<InvitationRow, "tokenHash" | "expiresAt">,
): Promise<void> {
  await db.updateTable("invitations").set(changes).where("id", "=", id).execute();
}

/**
 * Records that the email with the link `tokenHash` reached the mail server. Nothing changes when
 * the invitation has had a newer link since (that one's sending counts for itself).
 */
export async function markInvitationSent(
  db: Db,
  id: string,
  tokenHash: string,
  at: string,
): Promise<void> {
  await db
    .updateTable("invitations")
    .set((eb) => ({ sentAt: at, sendCount: eb("sendCount", "+", 1) }))
    .where("id", "=", id)
    .where("tokenHash", "=", tokenHash)
    .execute();
}

/** Revokes a pending invitation; false when it was no longer pending. */
export async function revokeInvitation(
  db: Db,
  id: string,
  revokedBy: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable("invitations")
    .set({ revokedAt: now, revokedBy })
    .where("id", "=", id)
    .where("acceptedAt", "is", null)
    .where("revokedAt", "is", null)
    .where("expiresAt", ">", now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The organization's practitioners who could be invited: not archived, without an active
 * membership and without a pending invitation; by name.
 */
export async function listInvitablePractitioners(
  db: Db,
  organizationId: string,
  now: string,
): Promise<
  { id: string; name: string; email: string | null; clinicId: string; clinicName: string }[]
> {
  return db
    .selectFrom("practitioners as p")
    .innerJoin("clinics as c", "c.id", "p.clinicId")
    .select(["p.id", "p.name", "p.email", "p.clinicId", "c.name as clinicName"])
    .where("p.organizationId", "=", organizationId)
    .where("p.archivedAt", "is", null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("memberships as m")
            .select("m.id")
            .whereRef("m.practitionerId", "=", "p.id")
            .where("m.status", "=", "active"),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("invitations as i")
            .select("i.id")
            .whereRef("i.practitionerId", "=", "p.id")
            .where("i.acceptedAt", "is", null)
            .where("i.revokedAt", "is", null)
            .where("i.expiresAt", ">", now),
        ),
      ),
    )
    .orderBy("p.name")
    .orderBy("p.id")
    .execute();
}
