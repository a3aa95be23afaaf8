/**
 * The database as kysely sees it. Columns are snake_case in SQL and camelCase here, mapped by
 * kysely's CamelCasePlugin (docs/decisions/003-column-naming.md). Instants are ISO text, dates
 * YYYY-MM-DD text, booleans 0/1 integers, arrays JSON text, hours `double precision`.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface OrganizationTable {
  id: string;
  name: string;
  createdAt: string;
}

export interface ClinicTable {
  id: string;
  organizationId: string;
  name: string;
  jurisdiction: string;
  createdAt: string;
}

export interface UserTable {
  id: string;
  organizationId: string;
  /** Lower-case; unique across the installation. */
  email: string;
  name: string;
  role: "admin" | "manager" | "practitioner" | "auditor";
  practitionerId: string | null;
  /** `scrypt$N$r$p$salt$hash` (see auth/password.ts). */
  passwordHash: string;
  createdAt: string;
}

export interface SessionTable {
  id: string;
  userId: string;
  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
}

export interface PractitionerTable {
  id: string;
  organizationId: string;
  clinicId: string;
  name: string;
  email: string | null;
  profession: "PT" | "PTA" | "other";
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LicenseTable {
  id: string;
  practitionerId: string;
  jurisdiction: string;
  number: string;
  issuedOn: string;
  expiresOn: string | null;
  status: "active" | "inactive" | "expired" | "suspended" | "revoked";
  createdAt: string;
  updatedAt: string;
}

/** One row per version of a training record; `recordId` is the logical record. */
export interface TrainingRecordTable {
  /** The id of this version's row. */
  id: string;
  recordId: string;
  version: number;
  practitionerId: string;
  kind: string;
  title: string;
  provider: string | null;
  completedOn: string;
  hoursTheory: Generated<number>;
  hoursPractical: Generated<number>;
  hoursOnline: Generated<number>;
  /** JSON array of topic codes. */
  topicsJson: Generated<string>;
  sessionCount: number | null;
  examType: string | null;
  /** 0/1, null when not an exam. */
  passed: number | null;
  expiresOn: string | null;
  jurisdiction: string | null;
  notes: string | null;
  provenance: string;
  status: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewReason: string | null;
  recordedAt: string;
  recordedBy: string;
  /** When a later version replaced this one; null for the current version. */
  supersededAt: string | null;
}

export interface AuditEventTable {
  id: string;
  organizationId: string;
  actorId: string | null;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  /** JSON text, null when there was nothing before (creation). */
  beforeJson: string | null;
  afterJson: string | null;
}

export interface Database {
  organizations: OrganizationTable;
  clinics: ClinicTable;
  users: UserTable;
  sessions: SessionTable;
  practitioners: PractitionerTable;
  licenses: LicenseTable;
  trainingRecords: TrainingRecordTable;
  auditEvents: AuditEventTable;
}

export type OrganizationRow = Selectable<OrganizationTable>;
export type ClinicRow = Selectable<ClinicTable>;
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type SessionRow = Selectable<SessionTable>;
export type PractitionerRow = Selectable<PractitionerTable>;
export type PractitionerUpdate = Updateable<PractitionerTable>;
export type LicenseRow = Selectable<LicenseTable>;
export type LicenseUpdate = Updateable<LicenseTable>;
export type TrainingRecordRow = Selectable<TrainingRecordTable>;
export type NewTrainingRecordRow = Insertable<TrainingRecordTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
