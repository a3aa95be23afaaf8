import { z } from "zod";
import { IsoDateSchema, IsoInstantSchema, NameSchema, text } from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import { LicenseStatusSchema, ProfessionSchema } from "./practitioner.ts";
import { TopicSchema } from "./topic.ts";
import {
  ExamTypeSchema,
  ProvenanceSchema,
  RECORD_KINDS,
  ReviewStatusSchema,
} from "./training-record.ts";

/**
 * The dossier: one practitioner's licenses and training records as a self-contained JSON
 * document (format `dn-dossier`, version 1). It is what the database exports, what it imports,
 * and what the compliance engine reads. Unknown fields are refused, with the path named.
 */

/** Identifiers are kept as given: the database uses UUIDs, hand-written dossiers may not. */
const DossierIdSchema = z
  .string({ error: "must be text" })
  .trim()
  .min(1, { error: "must not be empty" })
  .max(100, { error: "must be at most 100 characters" });

export const DossierPractitionerSchema = z.strictObject({
  id: DossierIdSchema,
  name: NameSchema,
  profession: ProfessionSchema,
});
export type DossierPractitioner = z.infer<typeof DossierPractitionerSchema>;

export const DossierLicenseSchema = z
  .strictObject({
    jurisdiction: JurisdictionSchema,
    number: text(50),
    issuedOn: IsoDateSchema,
    /** Null or absent for a license that does not expire. */
    expiresOn: IsoDateSchema.nullish(),
    status: LicenseStatusSchema,
  })
  .refine((license) => !license.expiresOn || license.expiresOn >= license.issuedOn, {
    path: ["expiresOn"],
    error: "must not be before issuedOn",
  });
export type DossierLicense = z.infer<typeof DossierLicenseSchema>;

const hoursField = z
  .number({ error: "must be a number of hours" })
  .min(0, { error: "must not be negative" })
  .max(5000, { error: "must be at most 5000 hours" });

export const DossierHoursSchema = z.strictObject({
  theory: hoursField.default(0),
  practical: hoursField.default(0),
  online: hoursField.default(0),
});
export type DossierHours = z.infer<typeof DossierHoursSchema>;

/** Fields every record has, whatever its kind. */
const recordBase = {
  id: DossierIdSchema,
  /** The record's version (1 for the original entry). Several versions of one id may be given. */
  version: z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be 1 or more" })
    .optional(),
  title: text(200),
  provider: text(200).nullish(),
  completedOn: IsoDateSchema,
  /** When this version was written: the engine's `knownAt` filters on it. */
  recordedAt: IsoInstantSchema,
  status: ReviewStatusSchema,
  provenance: ProvenanceSchema.optional(),
  reviewReason: text(500).nullish(),
};

const topics = z.array(TopicSchema).max(50, { error: "must list at most 50 topics" }).default([]);

export const DossierCourseRecordSchema = z.strictObject({
  ...recordBase,
  kind: z.literal("dn-course"),
  hours: DossierHoursSchema,
  topics,
});
export const DossierCeRecordSchema = z.strictObject({
  ...recordBase,
  kind: z.literal("ce-activity"),
  hours: DossierHoursSchema,
  topics,
});
export const DossierSupervisedSessionsRecordSchema = z.strictObject({
  ...recordBase,
  kind: z.literal("supervised-sessions"),
  count: z
    .number({ error: "must be a whole number of sessions" })
    .int({ error: "must be a whole number of sessions" })
    .min(1, { error: "must be at least 1" })
    .max(10000, { error: "must be at most 10000" }),
});
export const DossierExamRecordSchema = z.strictObject({
  ...recordBase,
  kind: z.literal("exam"),
  examType: ExamTypeSchema,
  passed: z.boolean({ error: "must be true or false" }),
  topics,
});
export const DossierCprRecordSchema = z
  .strictObject({
    ...recordBase,
    kind: z.literal("cpr"),
    expiresOn: IsoDateSchema,
  })
  .refine((record) => record.expiresOn >= record.completedOn, {
    path: ["expiresOn"],
    error: "must not be before completedOn",
  });
export const DossierBoardNotificationRecordSchema = z.strictObject({
  ...recordBase,
  kind: z.literal("board-notification"),
  jurisdiction: JurisdictionSchema,
});

export const DossierRecordSchema = z.discriminatedUnion(
  "kind",
  [
    DossierCourseRecordSchema,
    DossierCeRecordSchema,
    DossierSupervisedSessionsRecordSchema,
    DossierExamRecordSchema,
    DossierCprRecordSchema,
    DossierBoardNotificationRecordSchema,
  ],
  { error: `kind must be one of ${RECORD_KINDS.join(", ")}` },
);
export type DossierRecord = z.infer<typeof DossierRecordSchema>;
export type DossierRecordInput = z.input<typeof DossierRecordSchema>;

export const DossierSchema = z
  .strictObject({
    format: z.literal("dn-dossier", { error: 'must be "dn-dossier"' }),
    version: z.literal(1, { error: "must be 1 (the only dossier version)" }),
    /** When the dossier was produced (informational). */
    exportedAt: IsoInstantSchema.optional(),
    practitioner: DossierPractitionerSchema,
    licenses: z.array(DossierLicenseSchema).default([]),
    records: z.array(DossierRecordSchema).default([]),
  })
  .superRefine((dossier, ctx) => {
    const seen = new Map<string, number>();
    dossier.records.forEach((record, index) => {
      const key = `${record.id}\u0000${record.version ?? ""}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["records", index, record.version === undefined ? "id" : "version"],
          message:
            record.version === undefined
              ? `repeats the id of records.${first}: give each version a version number`
              : `repeats version ${record.version} of record ${record.id} (records.${first})`,
        });
      } else {
        seen.set(key, index);
      }
    });
  });
export type Dossier = z.infer<typeof DossierSchema>;
export type DossierInput = z.input<typeof DossierSchema>;
