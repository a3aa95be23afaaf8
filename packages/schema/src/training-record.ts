import { z } from "zod";
import { IdSchema, IsoDateSchema, IsoInstantSchema, PageInputSchema, text } from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import { TopicSchema } from "./topic.ts";

/** The longest record title: longer ones are refused, never cut (issue 14). */
export const RECORD_TITLE_MAX = 200;

export const RECORD_KINDS = [
  "dn-course",
  "ce-activity",
  "supervised-sessions",
  "exam",
  "cpr",
  "board-notification",
] as const;
export const RecordKindSchema = z.enum(RECORD_KINDS, {
  error: `must be one of ${RECORD_KINDS.join(", ")}`,
});
export type RecordKind = z.infer<typeof RecordKindSchema>;

export const RECORD_KIND_LABELS: Record<RecordKind, string> = {
  "dn-course": "DN course",
  "ce-activity": "CE activity",
  "supervised-sessions": "Supervised sessions",
  exam: "Exam",
  cpr: "CPR certification",
  "board-notification": "Board notification",
};

export const PROVENANCES = ["self-reported", "provider-reported", "manager-verified"] as const;
export const ProvenanceSchema = z.enum(PROVENANCES, {
  error: `must be one of ${PROVENANCES.join(", ")}`,
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const REVIEW_STATUSES = ["pending", "verified", "rejected", "withdrawn"] as const;
export const ReviewStatusSchema = z.enum(REVIEW_STATUSES, {
  error: `must be one of ${REVIEW_STATUSES.join(", ")}`,
});
export type ReviewStatus = z.infer<typeof ReviewStatusSchema>;

export const EXAM_TYPES = ["written", "practical", "written-and-practical"] as const;
export const ExamTypeSchema = z.enum(EXAM_TYPES, {
  error: `must be one of ${EXAM_TYPES.join(", ")}`,
});
export type ExamType = z.infer<typeof ExamTypeSchema>;

const hoursField = z
  .number({ error: "must be a number of hours" })
  .min(0, { error: "must not be negative" })
  .max(5000, { error: "must be at most 5000 hours" });

/**
 * Training hours by delivery mode. `theory` is live face-to-face classroom time, `practical` is
 * face-to-face hands-on lab time, `online` is remote or self-paced.
 */
export const HoursSchema = z.object({
  theory: hoursField.default(0),
  practical: hoursField.default(0),
  online: hoursField.default(0),
});
export type Hours = z.infer<typeof HoursSchema>;

export function totalHours(hours: Hours): number {
  return hours.theory + hours.practical + hours.online;
}

/** One version of a training record: what was done, and what is known about its evidence. */
export const TrainingRecordSchema = z.object({
  /** The logical record id, stable across corrections. */
  id: IdSchema,
  /** 1 for the original entry, +1 for each correction or review. */
  version: z.number().int().positive(),
  practitionerId: IdSchema,
  kind: RecordKindSchema,
  title: text(RECORD_TITLE_MAX),
  provider: text(200).nullable(),
  completedOn: IsoDateSchema,
  hours: HoursSchema,
  topics: z.array(TopicSchema),
  /** Supervised DN sessions logged by this record. */
  count: z.number().int().nullable(),
  examType: ExamTypeSchema.nullable(),
  passed: z.boolean().nullable(),
  /** When the credential stops being current (CPR). */
  expiresOn: IsoDateSchema.nullable(),
  /** The board notified (board-notification). */
  jurisdiction: JurisdictionSchema.nullable(),
  notes: text(2000).nullable(),
  provenance: ProvenanceSchema,
  status: ReviewStatusSchema,
  reviewedBy: IdSchema.nullable(),
  reviewedAt: IsoInstantSchema.nullable(),
  reviewReason: text(500).nullable(),
  /** When this version was written: the engine's `knownAt` filters on it. */
  recordedAt: IsoInstantSchema,
  recordedBy: IdSchema,
});
export type TrainingRecord = z.infer<typeof TrainingRecordSchema>;

/** What a practitioner (or a manager on their behalf) enters to log or correct a record. */
const RecordFieldsSchema = z.object({
  kind: RecordKindSchema,
  title: text(RECORD_TITLE_MAX),
  provider: text(200)
    .nullish()
    .transform((v) => v ?? null),
  /** Must not be in the future: checked by the service, which knows today. */
  completedOn: IsoDateSchema,
  hours: HoursSchema.default({ theory: 0, practical: 0, online: 0 }),
  topics: z
    .array(TopicSchema)
    .max(50)
    .default([])
    .transform((topics) => [...new Set(topics)].sort()),
  count: z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(10000, { error: "must be at most 10000" })
    .nullish()
    .transform((v) => v ?? null),
  examType: ExamTypeSchema.nullish().transform((v) => v ?? null),
  passed: z
    .boolean({ error: "must be true or false" })
    .nullish()
    .transform((v) => v ?? null),
  expiresOn: IsoDateSchema.nullish().transform((v) => v ?? null),
  jurisdiction: JurisdictionSchema.nullish().transform((v) => v ?? null),
  notes: text(2000)
    .nullish()
    .transform((v) => v ?? null),
});

type RecordFields = z.infer<typeof RecordFieldsSchema>;

/** Fields each kind needs, checked with a message on the field itself. */
function checkKindFields(value: RecordFields, ctx: z.RefinementCtx) {
  const need = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  const hoursTotal = totalHours(value.hours);
  switch (value.kind) {
    case "dn-course":
    case "ce-activity":
      if (hoursTotal <= 0)
        need("hours", "must include at least some hours for a course or CE activity");
      break;
    case "supervised-sessions":
      if (value.count === null) need("count", "is required: how many supervised sessions");
      break;
    case "exam":
      if (value.examType === null) need("examType", "is required for an exam");
      if (value.passed === null) need("passed", "is required for an exam: passed or not");
      break;
    case "cpr":
      if (value.expiresOn === null) need("expiresOn", "is required for a CPR certification");
      else if (value.expiresOn < value.completedOn)
        need("expiresOn", "must not be before the completion date");
      break;
    case "board-notification":
      if (value.jurisdiction === null)
        need("jurisdiction", "is required: which board was notified");
      break;
  }
}

/** Clears fields that do not apply to the kind, so stored records carry no stray data. */
export function keepFieldsOfKind<T extends RecordFields>(value: T): T {
  const applies = {
    hours: value.kind === "dn-course" || value.kind === "ce-activity",
    topics: value.kind === "dn-course" || value.kind === "ce-activity" || value.kind === "exam",
    count: value.kind === "supervised-sessions",
    exam: value.kind === "exam",
    expiresOn: value.kind === "cpr",
    jurisdiction: value.kind === "board-notification",
  };
  return {
    ...value,
    hours: applies.hours ? value.hours : { theory: 0, practical: 0, online: 0 },
    topics: applies.topics ? value.topics : [],
    count: applies.count ? value.count : null,
    examType: applies.exam ? value.examType : null,
    passed: applies.exam ? value.passed : null,
    expiresOn: applies.expiresOn ? value.expiresOn : null,
    jurisdiction: applies.jurisdiction ? value.jurisdiction : null,
  };
}

export const CreateTrainingRecordInputSchema = RecordFieldsSchema.extend({
  practitionerId: IdSchema,
})
  .superRefine(checkKindFields)
  .transform((value) => keepFieldsOfKind(value));
export type CreateTrainingRecordInput = z.input<typeof CreateTrainingRecordInputSchema>;
export type CreateTrainingRecord = z.output<typeof CreateTrainingRecordInputSchema>;

/** A correction replaces every field with a new version; the old version stays on file. */
export const CorrectTrainingRecordInputSchema = RecordFieldsSchema.extend({ id: IdSchema })
  .superRefine(checkKindFields)
  .transform((value) => keepFieldsOfKind(value));
export type CorrectTrainingRecordInput = z.input<typeof CorrectTrainingRecordInputSchema>;
export type CorrectTrainingRecord = z.output<typeof CorrectTrainingRecordInputSchema>;

export const WithdrawTrainingRecordInputSchema = z.object({
  id: IdSchema,
  reason: text(500)
    .nullish()
    .transform((v) => v ?? null),
});
export type WithdrawTrainingRecordInput = z.input<typeof WithdrawTrainingRecordInputSchema>;

export const ReviewTrainingRecordInputSchema = z
  .object({
    id: IdSchema,
    decision: z.enum(["verify", "reject"], { error: "must be verify or reject" }),
    reason: text(500)
      .nullish()
      .transform((v) => v ?? null),
  })
  .refine((value) => value.decision !== "reject" || value.reason !== null, {
    path: ["reason"],
    error: "is required when rejecting a record",
  });
export type ReviewTrainingRecordInput = z.input<typeof ReviewTrainingRecordInputSchema>;

export const ListTrainingRecordsInputSchema = PageInputSchema.extend({
  practitionerId: IdSchema.optional(),
  status: ReviewStatusSchema.optional(),
  kind: RecordKindSchema.optional(),
});
export type ListTrainingRecordsInput = z.infer<typeof ListTrainingRecordsInputSchema>;

export const RecordHistoryInputSchema = z.object({ id: IdSchema });
