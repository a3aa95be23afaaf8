/**
 * Rows to @dn/schema types: 0/1 to booleans, JSON text to arrays, the logical record id to `id`.
 * Column values are trusted (the migrations' CHECK constraints hold the enums).
 */
import type {
  AuditEntity,
  AuditEvent,
  Clinic,
  ExamType,
  Jurisdiction,
  License,
  Membership,
  Organization,
  Practitioner,
  Provenance,
  RecordKind,
  ReviewStatus,
  Topic,
  TrainingRecord,
  User,
} from "@dn/schema";
import type {
  AuditEventRow,
  ClinicRow,
  LicenseRow,
  MembershipRow,
  NewTrainingRecordRow,
  OrganizationRow,
  PractitionerRow,
  TrainingRecordRow,
  UserRow,
} from "./database.ts";

export function toOrganization(row: OrganizationRow): Organization {
  return {
    id: row.id,
    name: row.name,
    mfaRequired: row.mfaRequired === 1,
    createdAt: row.createdAt,
  };
}

export function toClinic(row: ClinicRow): Clinic {
  return {
    id: row.id,
    organizationId: row.organizationId,
    name: row.name,
    jurisdiction: row.jurisdiction as Jurisdiction,
    timeZone: row.timeZone,
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
  };
}

/** A JSON array of clinic ids, or null for "every clinic". */
export function parseClinicIds(json: string | null): string[] | null {
  return json === null ? null : (JSON.parse(json) as string[]);
}

export function toMembership(row: MembershipRow): Membership {
  return {
    id: row.id,
    userId: row.userId,
    organizationId: row.organizationId,
    role: row.role,
    practitionerId: row.practitionerId,
    clinicIds: parseClinicIds(row.clinicIdsJson),
    status: row.status,
    createdAt: row.createdAt,
    deactivatedAt: row.deactivatedAt,
  };
}

/** A login and one of its memberships: the user as that organization sees them. */
export function toUser(
  account: Pick<UserRow, "id" | "email" | "name" | "createdAt">,
  membership: MembershipRow,
): User {
  return {
    id: account.id,
    membershipId: membership.id,
    organizationId: membership.organizationId,
    email: account.email,
    name: account.name,
    role: membership.role,
    practitionerId: membership.practitionerId,
    clinicIds: parseClinicIds(membership.clinicIdsJson),
    createdAt: account.createdAt,
  };
}

export function toPractitioner(row: PractitionerRow): Practitioner {
  return {
    id: row.id,
    organizationId: row.organizationId,
    clinicId: row.clinicId,
    name: row.name,
    email: row.email,
    profession: row.profession,
    archivedAt: row.archivedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toLicense(row: LicenseRow): License {
  return {
    id: row.id,
    practitionerId: row.practitionerId,
    jurisdiction: row.jurisdiction as Jurisdiction,
    number: row.number,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toBoolean(value: number | null): boolean | null {
  return value === null ? null : value !== 0;
}

function fromBoolean(value: boolean | null): number | null {
  return value === null ? null : value ? 1 : 0;
}

export function toTrainingRecord(row: TrainingRecordRow): TrainingRecord {
  return {
    id: row.recordId,
    version: Number(row.version),
    practitionerId: row.practitionerId,
    kind: row.kind as RecordKind,
    title: row.title,
    provider: row.provider,
    completedOn: row.completedOn,
    hours: {
      theory: Number(row.hoursTheory),
      practical: Number(row.hoursPractical),
      online: Number(row.hoursOnline),
    },
    topics: JSON.parse(row.topicsJson) as Topic[],
    count: row.sessionCount === null ? null : Number(row.sessionCount),
    examType: row.examType as ExamType | null,
    passed: toBoolean(row.passed === null ? null : Number(row.passed)),
    expiresOn: row.expiresOn,
    jurisdiction: row.jurisdiction as Jurisdiction | null,
    notes: row.notes,
    provenance: row.provenance as Provenance,
    status: row.status as ReviewStatus,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt,
    reviewReason: row.reviewReason,
    recordedAt: row.recordedAt,
    recordedBy: row.recordedBy,
  };
}

/** The row for one version of a record; `rowId` identifies the version's row. */
export function fromTrainingRecord(record: TrainingRecord, rowId: string): NewTrainingRecordRow {
  return {
    id: rowId,
    recordId: record.id,
    version: record.version,
    practitionerId: record.practitionerId,
    kind: record.kind,
    title: record.title,
    provider: record.provider,
    completedOn: record.completedOn,
    hoursTheory: record.hours.theory,
    hoursPractical: record.hours.practical,
    hoursOnline: record.hours.online,
    topicsJson: JSON.stringify(record.topics),
    sessionCount: record.count,
    examType: record.examType,
    passed: fromBoolean(record.passed),
    expiresOn: record.expiresOn,
    jurisdiction: record.jurisdiction,
    notes: record.notes,
    provenance: record.provenance,
    status: record.status,
    reviewedBy: record.reviewedBy,
    reviewedAt: record.reviewedAt,
    reviewReason: record.reviewReason,
    recordedAt: record.recordedAt,
    recordedBy: record.recordedBy,
    supersededAt: null,
  };
}

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    id: row.id,
    organizationId: row.organizationId,
    actorId: row.actorId,
    at: row.at,
    action: row.action,
    entityType: row.entityType as AuditEntity,
    entityId: row.entityId,
    before: row.beforeJson === null ? null : (JSON.parse(row.beforeJson) as unknown),
    after: row.afterJson === null ? null : (JSON.parse(row.afterJson) as unknown),
  };
}
