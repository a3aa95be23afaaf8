/**
 * The clinic manager's audit: evidence files, standard assignments, deadlines and the
 * notification inbox, the dashboard and bulk imports (docs/decisions/020-*.md).
 */
import { z } from "zod";
import { IdSchema, IsoDateSchema, IsoInstantSchema, text } from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import { ProfessionSchema } from "./practitioner.ts";
import { RECORD_TITLE_MAX } from "./training-record.ts";

// ---------------------------------------------------------------------------------------------
// Evidence files
// ---------------------------------------------------------------------------------------------

export const EVIDENCE_MEDIA_TYPES = ["application/pdf", "image/png", "image/jpeg"] as const;
export const EvidenceMediaTypeSchema = z.enum(EVIDENCE_MEDIA_TYPES);
export type EvidenceMediaType = z.infer<typeof EvidenceMediaTypeSchema>;

/** The largest certificate accepted: 10 MB. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

export const Sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, { error: "must be a SHA-256 hex digest" });

/** Another record in the organization carrying the very same file (a flag for the reviewer). */
export const EvidenceDuplicateSchema = z.object({
  recordId: IdSchema,
  practitionerId: IdSchema,
  practitionerName: z.string(),
  title: z.string(),
});
export type EvidenceDuplicate = z.infer<typeof EvidenceDuplicateSchema>;

export const EvidenceFileSchema = z.object({
  id: IdSchema,
  recordId: IdSchema,
  practitionerId: IdSchema,
  sha256: Sha256Schema,
  mediaType: EvidenceMediaTypeSchema,
  sizeBytes: z.number().int().nonnegative(),
  fileName: z.string(),
  uploadedBy: IdSchema,
  uploadedAt: IsoInstantSchema,
  /** Other records with the same file that the reader may see: the same certificate used twice. */
  duplicates: z.array(EvidenceDuplicateSchema),
  /**
   * The same file is also on a record the reader may not see (a practitioner learns only this,
   * never whose or which record).
   */
  duplicateElsewhere: z.boolean(),
});
export type EvidenceFile = z.infer<typeof EvidenceFileSchema>;

export const ListEvidenceInputSchema = z.object({ recordId: IdSchema });
export type ListEvidenceInput = z.infer<typeof ListEvidenceInputSchema>;

/** An upload's name as given by the client: shown, never trusted for the type. */
export const EvidenceFileNameSchema = text(255);

// ---------------------------------------------------------------------------------------------
// Which standards apply to whom
// ---------------------------------------------------------------------------------------------

export const ASSIGNMENT_SCOPES = ["organization", "clinic", "practitioner"] as const;
export const AssignmentScopeSchema = z.enum(ASSIGNMENT_SCOPES, {
  error: `must be one of ${ASSIGNMENT_SCOPES.join(", ")}`,
});
export type AssignmentScope = z.infer<typeof AssignmentScopeSchema>;

export const AssignmentEffectSchema = z.enum(["include", "exclude"], {
  error: "must be include or exclude",
});
export type AssignmentEffect = z.infer<typeof AssignmentEffectSchema>;

export const StandardAssignmentSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  scope: AssignmentScopeSchema,
  /** The clinic or practitioner; the organization itself for scope organization. */
  scopeId: IdSchema,
  standardId: z.string(),
  effect: AssignmentEffectSchema,
  reason: z.string().nullable(),
  createdBy: IdSchema,
  createdAt: IsoInstantSchema,
});
export type StandardAssignment = z.infer<typeof StandardAssignmentSchema>;

export const AddStandardAssignmentInputSchema = z.object({
  scope: AssignmentScopeSchema,
  /** Required for clinic and practitioner scopes. */
  scopeId: IdSchema.nullish().transform((v) => v ?? null),
  standardId: text(100),
  effect: AssignmentEffectSchema.default("include"),
  reason: text(500)
    .nullish()
    .transform((v) => v ?? null),
});
export type AddStandardAssignmentInput = z.input<typeof AddStandardAssignmentInputSchema>;
export type AddStandardAssignment = z.output<typeof AddStandardAssignmentInputSchema>;

/** A standard that applies to a practitioner, with why (codes and words). */
export const ApplicableStandardSchema = z.object({
  standardId: z.string(),
  title: z.string(),
  reasons: z.array(z.string()),
  explanation: z.string(),
});
export type ApplicableStandard = z.infer<typeof ApplicableStandardSchema>;

export const ApplicabilityInputSchema = z.object({ practitionerId: IdSchema });

// ---------------------------------------------------------------------------------------------
// Deadlines, the inbox and the calendar
// ---------------------------------------------------------------------------------------------

/** The warning buckets, in days before something lapses. */
export const DEADLINE_BUCKETS = [90, 60, 30, 14, 7, 0] as const;
export type DeadlineBucket = (typeof DEADLINE_BUCKETS)[number];

export const DEADLINE_KINDS = [
  "license",
  "cpr",
  "ce-cycle",
  "board-notification",
  "completion-window",
  "credential",
] as const;
export const DeadlineKindSchema = z.enum(DEADLINE_KINDS);
export type DeadlineKind = z.infer<typeof DeadlineKindSchema>;

export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = {
  license: "License expires",
  cpr: "CPR expires",
  "ce-cycle": "CE cycle ends",
  "board-notification": "Board notification due",
  "completion-window": "Training must be completed",
  credential: "Credential expires",
};

export const DeadlineSchema = z.object({
  practitionerId: IdSchema,
  practitionerName: z.string(),
  kind: DeadlineKindSchema,
  /** The last day it is still met; it lapses the day after. */
  due: IsoDateSchema,
  daysLeft: z.number().int(),
  /**
   * The tightest warning bucket it falls in (0 means due today); null when it is further away
   * than the widest bucket (a calendar feed looks a year ahead).
   */
  bucket: z.union(DEADLINE_BUCKETS.map((b) => z.literal(b))).nullable(),
  title: z.string(),
  standardId: z.string().nullable(),
  requirementId: z.string().nullable(),
});
export type Deadline = z.infer<typeof DeadlineSchema>;

export const DeadlinesInputSchema = z.object({
  practitionerId: IdSchema.optional(),
  asOf: IsoDateSchema.optional(),
  withinDays: z.number().int().min(0).max(365).default(90),
});
export type DeadlinesInput = z.input<typeof DeadlinesInputSchema>;

export const NotificationSchema = z.object({
  id: IdSchema,
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: IsoInstantSchema,
  readAt: IsoInstantSchema.nullable(),
});
export type Notification = z.infer<typeof NotificationSchema>;

export const ListNotificationsInputSchema = z.object({
  unreadOnly: z.boolean().default(false),
  limit: z.number().int().min(1).max(200).default(50),
});

export const MarkNotificationsReadInputSchema = z.object({
  /** The notifications to mark read; all of the user's when absent. */
  ids: z.array(IdSchema).max(200).optional(),
});

/** A member's notification settings in one organization (their membership). */
export const NotificationPreferencesSchema = z.object({
  /** Also email each new notification (record verified or rejected, deadlines, adverse events). */
  emailOptIn: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof NotificationPreferencesSchema>;
export const UpdateNotificationPreferencesInputSchema = NotificationPreferencesSchema;

export const CalendarFeedSchema = z.object({
  /** The secret token; shown once, only its hash is stored. */
  token: z.string(),
  path: z.string(),
});

// ---------------------------------------------------------------------------------------------
// The manager's dashboard
// ---------------------------------------------------------------------------------------------

export const VERDICT_NAMES = [
  "not-permitted",
  "not-qualified",
  "pending-verification",
  "expiring",
  "qualified",
] as const;
export const VerdictNameSchema = z.enum(VERDICT_NAMES);

const VerdictCountsSchema = z.record(VerdictNameSchema, z.number().int());

/**
 * How many deadlines a dashboard lists: the soonest, with the total beside them. A dashboard's
 * size must not grow with the staff (at 100,000 practitioners the whole list was 429 KB).
 */
export const DASHBOARD_DEADLINES = 25;

export const DashboardSchema = z.object({
  asOf: IsoDateSchema,
  practitionerCount: z.number().int(),
  byStandard: z.array(
    z.object({ standardId: z.string(), title: z.string(), counts: VerdictCountsSchema }),
  ),
  byClinic: z.array(
    z.object({
      clinicId: IdSchema,
      name: z.string(),
      jurisdiction: JurisdictionSchema,
      counts: VerdictCountsSchema,
    }),
  ),
  /** The soonest DASHBOARD_DEADLINES of the next 30 days' deadlines, soonest first. */
  lapsingSoon: z.array(DeadlineSchema),
  /** How many deadlines the next 30 days hold in all (the inbox lists every one). */
  lapsingSoonTotal: z.number().int(),
  unverified: z.object({
    pendingRecords: z.number().int(),
    pendingWithoutEvidence: z.number().int(),
    oldestPendingAt: IsoInstantSchema.nullable(),
  }),
  /** Share of active staff qualified under every applicable standard, month by month. */
  trend: z.array(
    z.object({
      month: z.string(),
      asOf: IsoDateSchema,
      qualified: z.number().int(),
      total: z.number().int(),
      share: z.number(),
      /** A finished month the background job has not computed yet (no figures to show). */
      pending: z.boolean(),
    }),
  ),
});
export type Dashboard = z.infer<typeof DashboardSchema>;

export const DashboardInputSchema = z.object({
  asOf: IsoDateSchema.optional(),
  clinicId: IdSchema.optional(),
});

export const MatrixInputSchema = z.object({
  asOf: IsoDateSchema.optional(),
  clinicId: IdSchema.optional(),
  standardId: z.string().max(100).optional(),
  verdict: VerdictNameSchema.optional(),
  search: z.string().trim().max(100).optional(),
  /** "standard": by the verdict under `sortStandardId` (worst first). */
  sort: z.enum(["name", "clinic", "worst", "standard"]).default("name"),
  sortStandardId: z.string().max(100).optional(),
  /** The `nextCursor` of the previous page (keyset). */
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(500).default(50),
});
export type MatrixInput = z.input<typeof MatrixInputSchema>;

export const MatrixSchema = z.object({
  asOf: IsoDateSchema,
  /** Each standard shown, titled by the version applied. */
  standards: z.array(
    z.object({ standardId: z.string(), version: z.number().int(), title: z.string() }),
  ),
  /** Rows matching the filters, over every page. */
  total: z.number().int(),
  nextCursor: z.string().nullable(),
  rows: z.array(
    z.object({
      practitionerId: IdSchema,
      name: z.string(),
      clinicId: IdSchema,
      clinicName: z.string(),
      /** standardId -> verdict; absent when the standard does not apply. */
      cells: z.record(z.string(), VerdictNameSchema),
      worst: VerdictNameSchema.nullable(),
    }),
  ),
});
export type Matrix = z.infer<typeof MatrixSchema>;

// ---------------------------------------------------------------------------------------------
// Bulk import
// ---------------------------------------------------------------------------------------------

export const IMPORT_KINDS = ["roster", "completions"] as const;
export const ImportKindSchema = z.enum(IMPORT_KINDS, { error: "must be roster or completions" });
export type ImportKind = z.infer<typeof ImportKindSchema>;

/** The columns of a staff roster CSV. */
export const ROSTER_COLUMNS = [
  "name",
  "email",
  "profession",
  "clinic",
  "license_state",
  "license_number",
  "license_issued",
  "license_expires",
] as const;

/** The columns course providers report completions in. */
export const COMPLETION_COLUMNS = [
  "license_number",
  "state",
  "course_id",
  "completion_date",
  "hours",
  "subject_area",
] as const;

export const RosterRowSchema = z.object({
  name: text(200),
  email: z
    .email({ error: "must be an email address" })
    .max(254)
    .transform((v) => v.toLowerCase()),
  profession: ProfessionSchema,
  clinic: text(200),
  license_state: JurisdictionSchema,
  license_number: text(50),
  license_issued: IsoDateSchema,
  license_expires: z
    .union([z.literal(""), IsoDateSchema])
    .transform((v) => (v === "" ? null : v))
    .default(""),
});
export type RosterRow = z.output<typeof RosterRowSchema>;

export const CompletionRowSchema = z
  .object({
    license_number: text(50),
    state: JurisdictionSchema,
    course_id: text(100),
    completion_date: IsoDateSchema,
    hours: z.coerce
      .number({ error: "must be a number of hours" })
      .positive({ error: "must be more than 0" })
      .max(5000, { error: "must be at most 5000 hours" }),
    subject_area: text(200),
  })
  .refine((row) => row.subject_area.length <= subjectAreaRoom(row.course_id), {
    path: ["subject_area"],
    // Only a row whose fields are each valid: a 100 KB subject area gets its own limit alone.
    when: (payload) => payload.issues.length === 0,
    error: (issue) => {
      const courseId = (issue.input as { course_id: string }).course_id;
      return `must be at most ${subjectAreaRoom(courseId)} characters with course_id ${courseId} (the record title "<subject_area>${courseSuffix(courseId)}" must be at most ${RECORD_TITLE_MAX} characters)`;
    },
  });
export type CompletionRow = z.output<typeof CompletionRowSchema>;

function courseSuffix(courseId: string): string {
  return ` (course ${courseId})`;
}

function subjectAreaRoom(courseId: string): number {
  return RECORD_TITLE_MAX - courseSuffix(courseId).length;
}

/** The title of the record a completion row becomes; the schema keeps it within the limit. */
export function completionRecordTitle(row: Pick<CompletionRow, "subject_area" | "course_id">) {
  return `${row.subject_area}${courseSuffix(row.course_id)}`;
}

export const ImportProblemSchema = z.object({
  /** The line in the file (1 is the header). */
  line: z.number().int(),
  field: z.string().nullable(),
  reason: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

export const ImportReportSchema = z.object({
  kind: ImportKindSchema,
  fileSha256: Sha256Schema,
  rowsTotal: z.number().int(),
  rowsValid: z.number().int(),
  rowsInvalid: z.number().int(),
  /** Valid rows already imported by an earlier run (same idempotency key). */
  rowsAlready: z.number().int(),
  rowsImported: z.number().int(),
  problems: z.array(ImportProblemSchema),
  /** True when rows were written. */
  applied: z.boolean(),
  batchId: IdSchema.nullable(),
  /** With `inviteImported`: the imported practitioners invited, and those left out and why. */
  invitations: z
    .object({
      invited: z.number().int().nonnegative(),
      skipped: z.array(z.object({ name: z.string(), email: z.string(), reason: z.string() })),
    })
    .nullable(),
});
export type ImportReport = z.infer<typeof ImportReportSchema>;

export const RunImportInputSchema = z.object({
  kind: ImportKindSchema,
  fileName: text(255),
  /** The CSV text. */
  content: z.string().max(50 * 1024 * 1024, { error: "the file is larger than 50 MB" }),
  /** Only validate and report; write nothing. */
  dryRun: z.boolean().default(false),
  /** Import the good rows even though some rows are bad. */
  onlyValid: z.boolean().default(false),
  /** Roster only: after importing, email each imported practitioner an invitation to sign in. */
  inviteImported: z.boolean().default(false),
});
export type RunImportInput = z.input<typeof RunImportInputSchema>;
