import { z } from "zod";
import { IdSchema, IsoDateSchema, IsoInstantSchema } from "./common.ts";
import { DueBySchema, RequirementStateSchema } from "./evaluation.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import { ProfessionSchema } from "./practitioner.ts";
import { CitationSchema, ConfidenceSchema, SlugSchema, StandardKindSchema } from "./standard.ts";
import { RecordKindSchema, ReviewStatusSchema } from "./training-record.ts";
import { RoleSchema } from "./user.ts";

/**
 * The compliance export (format `dn-compliance-export`, version 1): one organization's
 * compliance as of a date, for a regulator or an outside auditor. The JSON export is exactly
 * this document; the CSV and PDF exports are views of it. Its JSON Schema, generated from these
 * zod schemas, is published at docs/export-format.schema.json (see docs/export-format.md).
 */

export const EXPORT_FORMAT = "dn-compliance-export";
export const EXPORT_FORMAT_VERSION = 1;

export const EXPORT_SCOPE_KINDS = ["practitioner", "clinic", "organization"] as const;
export const ExportScopeKindSchema = z.enum(EXPORT_SCOPE_KINDS, {
  error: `must be one of ${EXPORT_SCOPE_KINDS.join(", ")}`,
});
export type ExportScopeKind = z.infer<typeof ExportScopeKindSchema>;

const standardIds = z
  .array(SlugSchema)
  .min(1, { error: "must name at least one standard, or be left out for all that apply" })
  .max(50, { error: "must name at most 50 standards" })
  .optional()
  .describe("The standards to evaluate; absent means every standard that applies");

const scopeCommon = {
  standardIds,
  asOf: IsoDateSchema.describe("The date the compliance is stated for (YYYY-MM-DD)"),
  knownAt: IsoInstantSchema.optional().describe(
    "Only record versions recorded by this instant are considered",
  ),
  jurisdiction: JurisdictionSchema.optional().describe(
    "Only practitioners working or licensed there, and only that jurisdiction's standards",
  ),
};

/** What an export covers: whose compliance, against which standards, as of when. */
export const ExportScopeSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("practitioner"), practitionerId: IdSchema, ...scopeCommon }),
    z.object({ kind: z.literal("clinic"), clinicId: IdSchema, ...scopeCommon }),
    z.object({ kind: z.literal("organization"), ...scopeCommon }),
  ],
  { error: `kind must be one of ${EXPORT_SCOPE_KINDS.join(", ")}` },
);
export type ExportScope = z.infer<typeof ExportScopeSchema>;

/** One standard version applied in an export, with the sources it rests on. */
export const ExportStandardSchema = z.object({
  id: SlugSchema,
  version: z.number().int().min(1),
  title: z.string(),
  kind: StandardKindSchema,
  jurisdiction: JurisdictionSchema.nullable(),
  authority: z.string(),
  effectiveFrom: IsoDateSchema.nullable(),
  effectiveTo: IsoDateSchema.nullable(),
  confidence: ConfidenceSchema,
  lastVerified: IsoDateSchema,
  citations: z.array(CitationSchema),
});
export type ExportStandard = z.infer<typeof ExportStandardSchema>;

/** Who made the export, when, of what: the same header heads every format. */
export const ExportHeaderSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_FORMAT_VERSION),
  exportId: IdSchema,
  generatedAt: IsoInstantSchema,
  generatedBy: z.object({ userId: IdSchema.nullable(), name: z.string(), role: RoleSchema }),
  organization: z.object({ id: IdSchema, name: z.string() }),
  scope: ExportScopeSchema,
  /** The clinic or practitioner the scope names, by name, for readers. */
  scopeLabel: z.string(),
  standards: z.array(ExportStandardSchema),
});
export type ExportHeader = z.infer<typeof ExportHeaderSchema>;

export const EXPORT_VERDICTS = [
  "not-permitted",
  "not-qualified",
  "pending-verification",
  "expiring",
  "qualified",
] as const;
export const ExportVerdictSchema = z.enum(EXPORT_VERDICTS);

/** A record that counted toward a requirement. */
export const ExportEvidenceSchema = z.object({
  recordId: z.string(),
  version: z.number().int().nullable(),
  kind: RecordKindSchema,
  title: z.string(),
  completedOn: IsoDateSchema,
  /** Hours or sessions counted (0 for records that count as a whole). */
  amount: z.number(),
  note: z.string().nullable(),
});
export type ExportEvidence = z.infer<typeof ExportEvidenceSchema>;

export const ExportRequirementSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.string(),
  citation: CitationSchema,
  met: z.boolean(),
  advisory: z.boolean(),
  provisional: z.boolean(),
  have: z.number(),
  need: z.number(),
  unit: z.string(),
  validUntil: IsoDateSchema.nullable(),
  gap: z.string().nullable(),
  explanation: z.string(),
  evidence: z.array(ExportEvidenceSchema),
  /** met, not-met, due-on-track or due-behind (a due requirement counts as met for now). */
  state: RequirementStateSchema,
  /** For a due requirement: the deadline, days left, what remains and the pace; else null. */
  due: DueBySchema.nullable(),
  /** The state in words, e.g. "Due by 2027-03-31, behind: 20 more CE hours this cycle, …". */
  stateLabel: z.string(),
});
export type ExportRequirement = z.infer<typeof ExportRequirementSchema>;

export const ExportEvaluationSchema = z.object({
  standardId: SlugSchema,
  standardVersion: z.number().int().min(1),
  verdict: ExportVerdictSchema,
  summary: z.string(),
  nextLapse: z
    .object({ on: IsoDateSchema, requirementId: z.string(), title: z.string() })
    .nullable(),
  gaps: z.array(
    z.object({ requirementId: z.string(), advisory: z.boolean(), message: z.string() }),
  ),
  warnings: z.array(z.string()),
  requirements: z.array(ExportRequirementSchema),
});
export type ExportEvaluation = z.infer<typeof ExportEvaluationSchema>;

/** A training record as known at the export's `knownAt` (its latest such version). */
export const ExportRecordSchema = z.object({
  recordId: z.string(),
  version: z.number().int().nullable(),
  kind: RecordKindSchema,
  title: z.string(),
  provider: z.string().nullable(),
  completedOn: IsoDateSchema,
  status: ReviewStatusSchema,
  hours: z.object({ theory: z.number(), practical: z.number(), online: z.number() }).nullable(),
  recordedAt: IsoInstantSchema,
});
export type ExportRecord = z.infer<typeof ExportRecordSchema>;

/** One verdict: a practitioner against one standard (the REST `verdicts` row, the summary CSV). */
export const VerdictRowSchema = z.object({
  practitionerId: z.string(),
  practitionerName: z.string(),
  clinic: z.string().nullable(),
  standardId: SlugSchema,
  standardVersion: z.number().int().min(1),
  verdict: ExportVerdictSchema,
  nextLapse: IsoDateSchema.nullable(),
  gaps: z.array(z.string()),
});
export type VerdictRow = z.infer<typeof VerdictRowSchema>;

export const ExportPractitionerSchema = z.object({
  id: z.string(),
  name: z.string(),
  profession: ProfessionSchema,
  clinic: z
    .object({ id: z.string(), name: z.string(), jurisdiction: JurisdictionSchema })
    .nullable(),
  licenses: z.array(
    z.object({
      jurisdiction: JurisdictionSchema,
      number: z.string(),
      expiresOn: IsoDateSchema.nullable(),
      status: z.string(),
    }),
  ),
  evaluations: z.array(ExportEvaluationSchema),
  records: z.array(ExportRecordSchema),
});
export type ExportPractitioner = z.infer<typeof ExportPractitionerSchema>;

/** The whole JSON export document. */
export const ComplianceExportSchema = ExportHeaderSchema.extend({
  practitioners: z.array(ExportPractitionerSchema),
});
export type ComplianceExport = z.infer<typeof ComplianceExportSchema>;

// ---------------------------------------------------------------------------------------------
// Jobs, history and regulator tokens
// ---------------------------------------------------------------------------------------------

export const EXPORT_KINDS = ["bundle", "json", "csv-summary", "csv-detail", "pdf-report"] as const;
export const ExportKindSchema = z.enum(EXPORT_KINDS, {
  error: `must be one of ${EXPORT_KINDS.join(", ")}`,
});
export type ExportKind = z.infer<typeof ExportKindSchema>;

export const EXPORT_JOB_STATUSES = ["queued", "running", "done", "failed"] as const;
export const ExportJobStatusSchema = z.enum(EXPORT_JOB_STATUSES);
export type ExportJobStatus = z.infer<typeof ExportJobStatusSchema>;

export const CreateExportInputSchema = z.object({
  kind: ExportKindSchema,
  scope: ExportScopeSchema,
});
export type CreateExportInput = z.infer<typeof CreateExportInputSchema>;

/** One export: a background job while it runs, a history entry once done. */
export const ExportJobSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  kind: ExportKindSchema,
  scope: ExportScopeSchema,
  status: ExportJobStatusSchema,
  /** Practitioners done so far, of `total` (null until counted). */
  progress: z.number().int().min(0),
  total: z.number().int().min(0).nullable(),
  createdBy: IdSchema.nullable(),
  createdByName: z.string().nullable(),
  createdAt: IsoInstantSchema,
  finishedAt: IsoInstantSchema.nullable(),
  fileName: z.string().nullable(),
  /** SHA-256 (hex) of the finished file. */
  sha256: z.string().nullable(),
  size: z.number().int().nullable(),
  error: z.string().nullable(),
});
export type ExportJob = z.infer<typeof ExportJobSchema>;

/** A read-only regulator token, as listed (the secret is shown once, at creation). */
export const ApiTokenSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  label: z.string(),
  jurisdiction: JurisdictionSchema.nullable(),
  createdBy: IdSchema,
  createdAt: IsoInstantSchema,
  expiresAt: IsoInstantSchema,
  revokedAt: IsoInstantSchema.nullable(),
  lastUsedAt: IsoInstantSchema.nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreateApiTokenInputSchema = z.object({
  label: z
    .string({ error: "must be text" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(200, { error: "must be at most 200 characters" }),
  jurisdiction: JurisdictionSchema.nullish(),
  /** How long the token works, in days (1 to 365). */
  expiresInDays: z.coerce
    .number({ error: "must be a number of days" })
    .int({ error: "must be a whole number of days" })
    .min(1, { error: "must be at least 1 day" })
    .max(365, { error: "must be at most 365 days" }),
});
export type CreateApiTokenInput = z.infer<typeof CreateApiTokenInputSchema>;

export const CreatedApiTokenSchema = z.object({ token: ApiTokenSchema, secret: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;
