import { z } from "zod";
import { IdSchema, IsoDateSchema, IsoInstantSchema } from "./common.ts";
import { DossierLicenseSchema, DossierRecordSchema } from "./dossier.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import {
  CitationSchema,
  ConfidenceSchema,
  REQUIREMENT_KINDS,
  SlugSchema,
  StandardKindSchema,
  StandardStatusSchema,
} from "./standard.ts";
import { StandardSourceSchema } from "./standard-api.ts";
import { RecordKindSchema } from "./training-record.ts";

/**
 * The compliance engine's answers (`@dn/compliance` computes them) as schemas, so the API can
 * declare and check what its compliance procedures return, and the procedures' inputs.
 */

export const VERDICT_VALUES = [
  "not-permitted",
  "not-qualified",
  "pending-verification",
  "expiring",
  "qualified",
] as const;
export const VerdictSchema = z.enum(VERDICT_VALUES);

const RecordRefShape = {
  recordId: z.string(),
  version: z.number().int().nullable(),
  kind: RecordKindSchema,
  title: z.string(),
  completedOn: IsoDateSchema,
  hypothetical: z.boolean(),
};

export const CountedRecordSchema = z.object({
  ...RecordRefShape,
  amount: z.number(),
  note: z.string().nullable(),
});

export const ExcludedRecordSchema = z.object({
  ...RecordRefShape,
  reason: z.string(),
  message: z.string(),
});

const UNITS = [
  "hours",
  "sessions",
  "years",
  "topics",
  "exams",
  "filings",
  "credentials",
  "licenses",
] as const;

export const MeasureSchema = z.object({
  label: z.string(),
  have: z.number(),
  need: z.number(),
  unit: z.enum(UNITS),
});

/** A requirement's state: met, not met, or due by a date and on track or behind. */
export const REQUIREMENT_STATE_VALUES = ["met", "not-met", "due-on-track", "due-behind"] as const;
export const RequirementStateSchema = z.enum(REQUIREMENT_STATE_VALUES);
export type RequirementStateValue = z.infer<typeof RequirementStateSchema>;

export const ShortfallSchema = z.object({
  label: z.string(),
  remaining: z.number(),
  unit: z.enum(UNITS),
  /** ceil(need × daysLeft ÷ periodDays): what the days left allow at the period's even pace. */
  allowance: z.number(),
});

/**
 * The deadline of a due requirement and the pace toward it: on track when every short measure's
 * `remaining ≤ allowance`, i.e. the rest fits in the days left at the even pace of the period.
 */
export const DueBySchema = z.object({
  by: IsoDateSchema,
  from: IsoDateSchema,
  periodDays: z.number().int(),
  daysLeft: z.number().int(),
  remaining: z.number(),
  unit: z.enum(UNITS),
  shortfalls: z.array(ShortfallSchema),
  pace: z.enum(["on-track", "behind"]),
});
export type DueByView = z.infer<typeof DueBySchema>;

export const RequirementResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  kind: z.enum(REQUIREMENT_KINDS),
  citation: CitationSchema,
  confidence: ConfidenceSchema,
  advisory: z.boolean(),
  met: z.boolean(),
  metIfPendingVerified: z.boolean(),
  provisional: z.boolean(),
  have: z.number(),
  need: z.number(),
  unit: z.enum(UNITS),
  measures: z.array(MeasureSchema),
  counted: z.array(CountedRecordSchema),
  excluded: z.array(ExcludedRecordSchema),
  validUntil: IsoDateSchema.nullable(),
  explanation: z.string(),
  gap: z.string().nullable(),
  state: RequirementStateSchema,
  due: DueBySchema.nullable(),
  stateLabel: z.string(),
});
export type RequirementResultView = z.infer<typeof RequirementResultSchema>;

export const GapSchema = z.object({
  requirementId: z.string(),
  advisory: z.boolean(),
  message: z.string(),
});

export const LapseSchema = z.object({
  on: IsoDateSchema,
  requirementId: z.string(),
  title: z.string(),
});

export const StandardRefSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  title: z.string(),
  kind: StandardKindSchema,
  jurisdiction: JurisdictionSchema.nullable(),
  status: StandardStatusSchema,
  draft: z.boolean(),
  effectiveFrom: IsoDateSchema.nullable(),
  effectiveTo: IsoDateSchema.nullable(),
  confidence: ConfidenceSchema,
  lastVerified: IsoDateSchema,
  citations: z.array(CitationSchema),
});

export const EvaluationSchema = z.object({
  standard: StandardRefSchema,
  practitioner: z.object({ id: z.string(), name: z.string() }),
  asOf: IsoDateSchema,
  knownAt: z.string().nullable(),
  horizonDays: z.number().int(),
  status: VerdictSchema,
  summary: z.string(),
  requirements: z.array(RequirementResultSchema),
  nextLapse: LapseSchema.nullable(),
  gaps: z.array(GapSchema),
  warnings: z.array(z.string()),
});
export type EvaluationView = z.infer<typeof EvaluationSchema>;

// ---------------------------------------------------------------------------------------------
// Procedure inputs and outputs
// ---------------------------------------------------------------------------------------------

/** The evaluation date and the knowledge cut-off shared by every compliance question. */
const whenShape = {
  /** Default: today. */
  asOf: IsoDateSchema.optional(),
  /** Ignore record versions recorded after this instant (reproduces a past audit). */
  knownAt: IsoInstantSchema.optional(),
  horizonDays: z
    .number({ error: "must be a whole number of days" })
    .int({ error: "must be a whole number of days" })
    .min(0, { error: "must not be negative" })
    .max(3650, { error: "must be at most 3650 days" })
    .optional(),
};

export const EvaluateComplianceInputSchema = z.object({
  practitionerId: IdSchema,
  standardId: SlugSchema,
  ...whenShape,
});
export type EvaluateComplianceInput = z.infer<typeof EvaluateComplianceInputSchema>;

export const PractitionerComplianceInputSchema = z.object({
  practitionerId: IdSchema,
  ...whenShape,
});
export type PractitionerComplianceInput = z.infer<typeof PractitionerComplianceInputSchema>;

export const ApplicableStandardsInputSchema = z.object({ practitionerId: IdSchema });
export type ApplicableStandardsInput = z.infer<typeof ApplicableStandardsInputSchema>;

/** Why a standard applies to a practitioner. */
export const APPLICABILITY_REASONS = [
  "clinic-jurisdiction",
  "license",
  "license-ce",
  "clinic-policy",
  "assigned",
] as const;
export const ApplicabilityReasonSchema = z.enum(APPLICABILITY_REASONS);
export type ApplicabilityReason = z.infer<typeof ApplicabilityReasonSchema>;

export const StandardApplicabilitySchema = z.object({
  standardId: SlugSchema,
  reasons: z.array(ApplicabilityReasonSchema),
  /** The reasons in words, e.g. "the clinic is in Maryland". */
  explanation: z.string(),
});
export type StandardApplicability = z.infer<typeof StandardApplicabilitySchema>;

export const ApplicableStandardDetailSchema = StandardApplicabilitySchema.extend({
  source: StandardSourceSchema,
  title: z.string(),
  kind: StandardKindSchema,
  jurisdiction: JurisdictionSchema.nullable(),
});
export type ApplicableStandardDetail = z.infer<typeof ApplicableStandardDetailSchema>;

export const ComplianceOverviewSchema = z.object({
  practitioner: z.object({ id: IdSchema, name: z.string(), profession: z.string() }),
  asOf: IsoDateSchema,
  knownAt: z.string().nullable(),
  standards: z.array(
    ApplicableStandardDetailSchema.extend({
      /** Null when no version is in force on asOf (see `notInForceReason`). */
      evaluation: EvaluationSchema.nullable(),
      notInForceReason: z.string().nullable(),
    }),
  ),
  /** Jurisdictions of the clinic and active licenses for which no DN standard is on file. */
  uncovered: z.array(JurisdictionSchema),
});
export type ComplianceOverview = z.infer<typeof ComplianceOverviewSchema>;

export const PortabilityEntrySchema = z.object({
  standardId: z.string(),
  version: z.number().int(),
  jurisdiction: JurisdictionSchema.nullable(),
  title: z.string(),
  status: VerdictSchema,
  standardStatus: StandardStatusSchema,
  summary: z.string(),
  line: z.string(),
  gaps: z.array(z.string()),
  nextLapse: LapseSchema.nullable(),
  requirementsMet: z.number().int(),
  requirementCount: z.number().int(),
});
export type PortabilityEntryView = z.infer<typeof PortabilityEntrySchema>;

export const PortabilityViewSchema = z.object({
  practitioner: z.object({ id: IdSchema, name: z.string() }),
  asOf: IsoDateSchema,
  knownAt: z.string().nullable(),
  entries: z.array(PortabilityEntrySchema),
  notInForce: z.array(z.string()),
  counts: z.record(VerdictSchema, z.number().int()),
});
export type PortabilityView = z.infer<typeof PortabilityViewSchema>;

/**
 * A record the practitioner is considering: a dossier record without the fields that only a
 * real entry has (id, version, when recorded, review status); it counts as verified.
 */
export const HypotheticalRecordSchema = z.preprocess((value) => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  return {
    id: "hypothetical",
    recordedAt: "1970-01-01T00:00:00.000Z",
    status: "verified",
    ...value,
  };
}, DossierRecordSchema);
export type HypotheticalRecordInput = z.input<typeof DossierRecordSchema>;

export const WhatIfInputSchema = z
  .object({
    practitionerId: IdSchema,
    /** Default: the standards that apply to the practitioner. */
    standardIds: z.array(SlugSchema).max(100).optional(),
    records: z
      .array(HypotheticalRecordSchema)
      .max(50, { error: "must list at most 50 records" })
      .default([]),
    /** Licenses the practitioner is considering (e.g. in a state they may move to). */
    licenses: z
      .array(DossierLicenseSchema)
      .max(20, { error: "must list at most 20 licenses" })
      .default([]),
    ...whenShape,
  })
  .refine((value) => value.records.length + value.licenses.length > 0, {
    path: ["records"],
    error: "add at least one hypothetical record or license",
  });
export type WhatIfInput = z.input<typeof WhatIfInputSchema>;
export type WhatIfParsed = z.output<typeof WhatIfInputSchema>;

/** One side of a what-if change: the numbers and the state, from the same requirement result. */
const RequirementSideSchema = z.object({
  met: z.boolean(),
  have: z.number(),
  need: z.number(),
  state: RequirementStateSchema,
  stateLabel: z.string(),
  /** The deadline when due, else null. */
  dueBy: IsoDateSchema.nullable(),
  /** What is still missing after the change, or null (the result's gap). */
  gap: z.string().nullable(),
});

export const RequirementChangeSchema = z.object({
  requirementId: z.string(),
  title: z.string(),
  before: RequirementSideSchema,
  after: RequirementSideSchema,
});

/** What one planned record did for one requirement: counted (how much) or why not. */
export const PlannedEffectSchema = z.object({
  recordId: z.string(),
  title: z.string(),
  counted: z.boolean(),
  amount: z.number(),
  message: z.string().nullable(),
});

export const RequirementAfterSchema = z.object({
  requirementId: z.string(),
  title: z.string(),
  advisory: z.boolean(),
  state: RequirementStateSchema,
  stateLabel: z.string(),
  have: z.number(),
  need: z.number(),
  unit: z.enum(UNITS),
  gap: z.string().nullable(),
  planned: z.array(PlannedEffectSchema),
});

export const WhatIfResultSchema = z.object({
  standardId: z.string(),
  version: z.number().int(),
  title: z.string(),
  jurisdiction: JurisdictionSchema.nullable(),
  before: VerdictSchema,
  after: VerdictSchema,
  statusChanged: z.boolean(),
  changes: z.array(RequirementChangeSchema),
  summary: z.string(),
  gapsAfter: z.array(z.string()),
  /** Whether the plan leaves the practitioner qualified (or qualified but expiring). */
  qualifiesAfter: z.boolean(),
  /** Every requirement after the plan: its state and what each planned record did for it. */
  requirementsAfter: z.array(RequirementAfterSchema),
});

export const WhatIfViewSchema = z.object({
  asOf: IsoDateSchema,
  knownAt: z.string().nullable(),
  results: z.array(WhatIfResultSchema),
  /** Standards asked about that have no version in force on asOf. */
  notInForce: z.array(z.string()),
});
export type WhatIfView = z.infer<typeof WhatIfViewSchema>;
