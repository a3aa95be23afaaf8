/**
 * Builders that insert realistic rows with sensible defaults; every field can be overridden.
 * Tests use them to arrange data, and the demo seed uses the same ones.
 *
 * Time comes from the caller: every timestamp defaults to TEST_NOW, the instant the suites run
 * at, and is overridden with the row's own field (`createdAt`, `recordedAt`). Builders never read
 * the wall clock, so a suite gives the same answers on any date.
 */
import { randomUUID } from "node:crypto";
import type { Clinic, License, Organization, Practitioner, TrainingRecord, User } from "@dn/schema";
import { hashPassword } from "../auth/password.ts";
import { insertLicense } from "../repos/licenses.repo.ts";
import { findClinicById, insertClinic, insertOrganization } from "../repos/organizations.repo.ts";
import { insertPractitioner } from "../repos/practitioners.repo.ts";
import { insertRecordVersion } from "../repos/training-records.repo.ts";
import type { Db } from "../repos/types.ts";
import { insertUser } from "../repos/users.repo.ts";

/** The password of every built user unless one is given. */
export const TEST_PASSWORD = "correct horse battery staple";

let defaultHash: Promise<string> | null = null;
/** Hashing is deliberately slow: users built with the default password share one hash. */
function hashOf(password: string): Promise<string> {
  if (password !== TEST_PASSWORD) return hashPassword(password);
  defaultHash ??= hashPassword(TEST_PASSWORD);
  return defaultHash;
}

let sequence = 0;
function next(): number {
  sequence += 1;
  return sequence;
}

/**
 * The instant the test suites run at unless a test says otherwise: builders stamp rows with it
 * and `callerFor` (in @dn/api's test support) gives services a clock stopped at it.
 */
export const TEST_NOW = "2026-11-27T09:00:00.000Z";

export async function buildOrganization(
  db: Db,
  overrides: Partial<Organization> = {},
): Promise<Organization> {
  return insertOrganization(db, {
    id: randomUUID(),
    name: `Riverside Physical Therapy ${next()}`,
    mfaRequired: false,
    createdAt: TEST_NOW,
    ...overrides,
  });
}

export async function buildClinic(
  db: Db,
  overrides: Partial<Clinic> & Pick<Clinic, "organizationId">,
): Promise<Clinic> {
  return insertClinic(db, {
    id: randomUUID(),
    name: `Downtown Clinic ${next()}`,
    jurisdiction: "US-MD",
    timeZone: "America/New_York",
    archivedAt: null,
    createdAt: TEST_NOW,
    ...overrides,
  });
}

/** A practitioner at `clinicId`; the organization defaults to the clinic's. */
export async function buildPractitioner(
  db: Db,
  overrides: Partial<Practitioner> & Pick<Practitioner, "clinicId">,
): Promise<Practitioner> {
  const organizationId =
    overrides.organizationId ?? (await findClinicById(db, overrides.clinicId))?.organizationId;
  if (!organizationId) throw new Error(`buildPractitioner: no clinic ${overrides.clinicId}`);
  const n = next();
  const at = overrides.createdAt ?? TEST_NOW;
  return insertPractitioner(db, {
    id: randomUUID(),
    name: `Jordan Rivera ${n}, PT`,
    email: `jordan.rivera.${n}@example.test`,
    profession: "PT",
    archivedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
    organizationId,
  });
}

export type BuildUserOverrides = Partial<User> &
  Pick<User, "organizationId"> & { password?: string };

/**
 * A user who can log in with `password` (default TEST_PASSWORD): a login and its membership in
 * `organizationId`. An existing email gets a further membership (the password is unchanged).
 */
export async function buildUser(db: Db, overrides: BuildUserOverrides): Promise<User> {
  const { password = TEST_PASSWORD, ...fields } = overrides;
  const n = next();
  const user: User = {
    id: randomUUID(),
    membershipId: randomUUID(),
    email: `user.${n}.${randomUUID().slice(0, 8)}@example.test`,
    name: `Test User ${n}`,
    role: "manager",
    practitionerId: null,
    clinicIds: null,
    createdAt: TEST_NOW,
    ...fields,
  };
  return insertUser(db, user, await hashOf(password));
}

export async function buildLicense(
  db: Db,
  overrides: Partial<License> & Pick<License, "practitionerId">,
): Promise<License> {
  const at = overrides.createdAt ?? TEST_NOW;
  return insertLicense(db, {
    id: randomUUID(),
    jurisdiction: "US-MD",
    number: `PT${String(10000 + next()).padStart(6, "0")}`,
    issuedOn: "2018-06-01",
    expiresOn: "2027-05-31",
    status: "active",
    createdAt: at,
    updatedAt: at,
    ...overrides,
  });
}

/** Version 1 of a record (a 27-hour in-person DN course unless overridden), pending review. */
export async function buildTrainingRecord(
  db: Db,
  overrides: Partial<TrainingRecord> & Pick<TrainingRecord, "practitionerId" | "recordedBy">,
): Promise<TrainingRecord> {
  return insertRecordVersion(db, {
    id: randomUUID(),
    version: 1,
    kind: "dn-course",
    title: "Dry Needling Level 1",
    provider: "Myopain Seminars",
    completedOn: "2025-03-15",
    hours: { theory: 12, practical: 15, online: 0 },
    topics: [
      "anatomy",
      "clean-needle-technique",
      "indications-contraindications",
      "trigger-points",
    ],
    count: null,
    examType: null,
    passed: null,
    expiresOn: null,
    jurisdiction: null,
    notes: null,
    provenance: "self-reported",
    status: "pending",
    reviewedBy: null,
    reviewedAt: null,
    reviewReason: null,
    recordedAt: TEST_NOW,
    ...overrides,
  });
}
