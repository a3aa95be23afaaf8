/**
 * The database as kysely sees it. Columns are snake_case in SQL and camelCase here, mapped by
 * kysely's CamelCasePlugin (docs/decisions/003-column-naming.md). Instants are ISO text, dates
 * YYYY-MM-DD text, booleans 0/1 integers, arrays JSON text, hours `double precision`.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { ContentTables } from "./content-tables.ts";
import type { EvaluationTables } from "./evaluation-tables.ts";

export interface OrganizationTable {
  id: string;
  name: string;
  /** 0/1: admins and managers must sign in with a second factor. */
  mfaRequired: Generated<number>;
  createdAt: string;
}

export interface ClinicTable {
  id: string;
  organizationId: string;
  name: string;
  jurisdiction: string;
  /** IANA time zone: "today" for the clinic's deadlines and dashboards is its local date. */
  timeZone: Generated<string>;
  archivedAt: string | null;
  createdAt: string;
}

/** A person's login. What they may do lives in their memberships. */
export interface UserTable {
  id: string;
  /** Lower-case; unique across the installation: one login per person. */
  email: string;
  name: string;
  /** `scrypt$N$r$p$salt$hash` (see auth/password.ts); null for single-sign-on-only users. */
  passwordHash: string | null;
  /** Base32 TOTP secret, set at enrolment; `totpEnabledAt` once a code confirmed it. */
  totpSecret: string | null;
  totpEnabledAt: string | null;
  /** The last TOTP time step accepted, so a code cannot be used twice. */
  totpLastStep: number | null;
  createdAt: string;
}

export type Role = "admin" | "manager" | "practitioner" | "auditor";

/** A user's place in one organization. */
export interface MembershipTable {
  id: string;
  userId: string;
  organizationId: string;
  role: Role;
  practitionerId: string | null;
  /** JSON array of the clinic ids a manager is limited to; null for every clinic. */
  clinicIdsJson: string | null;
  status: "active" | "deactivated";
  createdAt: string;
  deactivatedAt: string | null;
}

export interface SessionTable {
  id: string;
  userId: string;
  /** The organization the session works in (switching organization changes it). */
  membershipId: string | null;
  /** SHA-256 (hex) of the bearer token; the token itself is never stored. */
  tokenHash: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string | null;
  userAgent: string | null;
  clientAddress: string | null;
  /** How it was opened: password, password+totp, password+recovery-code, oidc, invitation. */
  method: string | null;
}

export interface InvitationTable {
  id: string;
  organizationId: string;
  /** Lower-case. */
  email: string;
  role: Role;
  practitionerId: string | null;
  clinicIdsJson: string | null;
  /** SHA-256 (hex) of the link's token. */
  tokenHash: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
  sentAt: string;
  sendCount: Generated<number>;
  acceptedAt: string | null;
  acceptedBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** A single-use token for a user: a password reset link or a pending second-factor step. */
export interface UserTokenTable {
  id: string;
  userId: string;
  purpose: "password-reset" | "second-factor";
  tokenHash: string;
  membershipId: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface RecoveryCodeTable {
  id: string;
  userId: string;
  codeHash: string;
  createdAt: string;
  usedAt: string | null;
}

export interface OidcProviderTable {
  id: string;
  organizationId: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  createdBy: string;
  createdAt: string;
  archivedAt: string | null;
}

/** An OpenID Connect sign-in in progress: what the callback must match. */
export interface OidcSignInTable {
  id: string;
  providerId: string;
  stateHash: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** A provider's subject linked to a user after a first sign-in by verified email. */
export interface UserIdentityTable {
  id: string;
  userId: string;
  providerId: string;
  subject: string;
  createdAt: string;
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
  /** Position in the organization's hash chain: 1, 2, 3… (decision 055). */
  seq: number;
  /** The previous row's `hash` (64 zeros for seq 1). */
  prevHash: string;
  /** Hex SHA-256 over the row's canonical serialization (decision 055). */
  hash: string;
}

/** A signed checkpoint of an organization's audit chain: its head at `signedAt` (decision 055). */
export interface AuditCheckpointTable {
  organizationId: string;
  seq: number;
  hash: string;
  signedAt: string;
  /** The fingerprint of the organization export key that signed it. */
  keyFingerprint: string;
  /** Base64 Ed25519 signature of the canonical checkpoint text. */
  signature: string;
}

/** A file attached to a logical training record; the bytes live in the blob store by sha256. */
export interface EvidenceFileTable {
  id: string;
  organizationId: string;
  practitionerId: string;
  recordId: string;
  sha256: string;
  mediaType: "application/pdf" | "image/png" | "image/jpeg";
  sizeBytes: number;
  fileName: string;
  uploadedBy: string;
  uploadedAt: string;
}

/** A manager's change to which standards apply to an organization, clinic or practitioner. */
export interface StandardAssignmentTable {
  id: string;
  organizationId: string;
  scope: "organization" | "clinic" | "practitioner";
  scopeId: string;
  standardId: string;
  effect: "include" | "exclude";
  reason: string | null;
  createdBy: string;
  createdAt: string;
}

export interface NotificationTable {
  id: string;
  organizationId: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  dedupeKey: string;
  createdAt: string;
  readAt: string | null;
}

export interface CalendarFeedTable {
  userId: string;
  /** The membership (organization) whose deadlines the feed shows. */
  membershipId: string | null;
  tokenHash: string;
  createdAt: string;
}

export interface ImportBatchTable {
  id: string;
  organizationId: string;
  kind: "roster" | "completions";
  fileName: string;
  fileSha256: string;
  rowsTotal: number;
  rowsImported: number;
  rowsAlready: number;
  rowsInvalid: number;
  importedBy: string;
  importedAt: string;
}

/** One idempotency key per imported row. */
export interface ImportRowTable {
  organizationId: string;
  kind: string;
  rowKey: string;
  batchId: string;
  entityId: string;
}

/** One version of an organization's own standard document (never rewritten). */
export interface CustomStandardTable {
  /** The row id of this version. */
  id: string;
  organizationId: string;
  /** The document's `id`, e.g. `harbor-clinic-dn-policy`. */
  standardId: string;
  version: number;
  /** The validated StandardDocument as JSON text. */
  documentJson: string;
  createdBy: string;
  createdAt: string;
  /** A draft is editable and applies to nobody; a published version never changes. */
  lifecycle: "draft" | "published";
  publishedAt: string | null;
  publishedBy: string | null;
}

/** An organization's Ed25519 key pair for signing export bundles (PEM text). */
export interface OrganizationKeyTable {
  organizationId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  fingerprint: string;
  createdAt: string;
}

/** A regulator's read-only token: one organization, optionally one jurisdiction, expiring. */
export interface ApiTokenTable {
  id: string;
  organizationId: string;
  label: string;
  jurisdiction: string | null;
  tokenHash: string;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** One compliance export: a background job, then a history entry with its file and hash. */
export interface ExportJobTable {
  id: string;
  organizationId: string;
  kind: "bundle" | "json" | "csv-summary" | "csv-detail" | "pdf-report";
  scopeJson: string;
  status: "queued" | "running" | "done" | "failed";
  progress: Generated<number>;
  total: number | null;
  createdBy: string | null;
  apiTokenId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  fileName: string | null;
  storageKey: string | null;
  sha256: string | null;
  sizeBytes: number | null;
  error: string | null;
  /** Runs started so far (a crashed or failed run is retried from the start). */
  attempts: Generated<number>;
  /** The running attempt's lease: only the holder of `runToken` may renew or finish the job. */
  runToken: string | null;
  heartbeatAt: string | null;
}

/** The embedded queue's jobs (SQLite installs; PostgreSQL uses pg-boss). */
export interface JobTable {
  id: string;
  queue: string;
  dataJson: string;
  state: "created" | "active" | "completed" | "failed";
  attempts: Generated<number>;
  retryLimit: number;
  singletonKey: string | null;
  runAfter: string;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** One daily run claimed by the scheduler (kind, organization, time zone, local date). */
export interface ScheduledRunTable {
  kind: string;
  organizationId: string;
  timeZone: string;
  localDate: string;
  createdAt: string;
}

/** Every email sent, by idempotency key, so none is sent twice. */
export interface SentEmailTable {
  idempotencyKey: string;
  organizationId: string | null;
  kind: string;
  recipient: string;
  subject: string;
  status: "sending" | "sent";
  createdAt: string;
  sentAt: string | null;
}

/** A membership's notification settings; no row: the defaults (nothing emailed). */
export interface NotificationPreferenceTable {
  membershipId: string;
  emailOptIn: Generated<number>;
  updatedAt: string;
  updatedBy: string | null;
}

export interface Database extends ContentTables, EvaluationTables {
  organizations: OrganizationTable;
  clinics: ClinicTable;
  users: UserTable;
  memberships: MembershipTable;
  sessions: SessionTable;
  invitations: InvitationTable;
  userTokens: UserTokenTable;
  recoveryCodes: RecoveryCodeTable;
  oidcProviders: OidcProviderTable;
  oidcSignIns: OidcSignInTable;
  userIdentities: UserIdentityTable;
  practitioners: PractitionerTable;
  licenses: LicenseTable;
  trainingRecords: TrainingRecordTable;
  auditEvents: AuditEventTable;
  auditCheckpoints: AuditCheckpointTable;
  customStandards: CustomStandardTable;
  evidenceFiles: EvidenceFileTable;
  standardAssignments: StandardAssignmentTable;
  notifications: NotificationTable;
  calendarFeeds: CalendarFeedTable;
  importBatches: ImportBatchTable;
  importRows: ImportRowTable;
  organizationKeys: OrganizationKeyTable;
  apiTokens: ApiTokenTable;
  exportJobs: ExportJobTable;
  jobs: JobTable;
  scheduledRuns: ScheduledRunTable;
  sentEmails: SentEmailTable;
  notificationPreferences: NotificationPreferenceTable;
}

export type OrganizationRow = Selectable<OrganizationTable>;
export type ClinicRow = Selectable<ClinicTable>;
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type MembershipRow = Selectable<MembershipTable>;
export type SessionRow = Selectable<SessionTable>;
export type NewSessionRow = Insertable<SessionTable>;
export type InvitationRow = Selectable<InvitationTable>;
export type UserTokenRow = Selectable<UserTokenTable>;
export type OidcProviderRow = Selectable<OidcProviderTable>;
export type OidcSignInRow = Selectable<OidcSignInTable>;
export type PractitionerRow = Selectable<PractitionerTable>;
export type PractitionerUpdate = Updateable<PractitionerTable>;
export type LicenseRow = Selectable<LicenseTable>;
export type LicenseUpdate = Updateable<LicenseTable>;
export type TrainingRecordRow = Selectable<TrainingRecordTable>;
export type NewTrainingRecordRow = Insertable<TrainingRecordTable>;
export type AuditEventRow = Selectable<AuditEventTable>;
export type CustomStandardRow = Selectable<CustomStandardTable>;
export type EvidenceFileRow = Selectable<EvidenceFileTable>;
export type StandardAssignmentRow = Selectable<StandardAssignmentTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type ImportBatchRow = Selectable<ImportBatchTable>;
export type ApiTokenRow = Selectable<ApiTokenTable>;
export type ExportJobRow = Selectable<ExportJobTable>;
