import {
  type DossierLicense,
  EXAM_TYPES,
  type HypotheticalRecordInput,
  IsoDateSchema,
  JurisdictionSchema,
} from "@dn/schema";
import { z } from "zod";
import { formSchema } from "./form-schema.ts";

const hours = z
  .number({ error: "must be a number of hours" })
  .min(0, { error: "must not be negative" })
  .max(5000, { error: "must be at most 5000 hours" })
  .optional();

/**
 * The what-if planner: hypothetical course hours, supervised sessions, an exam and a CPR card,
 * all completed on one date, asked of the practitioner's standards or of every state.
 */
export const WhatIfFormSchema = formSchema(
  z
    .object({
      completedOn: IsoDateSchema,
      scope: z.enum(["applicable", "states"], { error: "must be applicable or states" }),
      courseTheory: hours,
      coursePractical: hours,
      courseOnline: hours,
      sessions: z
        .number({ error: "must be a whole number of sessions" })
        .int({ error: "must be a whole number of sessions" })
        .min(1, { error: "must be at least 1" })
        .max(10000, { error: "must be at most 10000" })
        .optional(),
      examType: z.enum(EXAM_TYPES, { error: "must be a listed exam" }).optional(),
      cprExpiresOn: IsoDateSchema.optional(),
      /** A license the practitioner is considering, e.g. in a state they may move to. */
      licenseIn: JurisdictionSchema.optional(),
    })
    .superRefine((value, ctx) => {
      if (toHypotheticalRecords(value).length === 0 && !value.licenseIn) {
        ctx.addIssue({
          code: "custom",
          path: [],
          message:
            "Add at least one hypothetical record: hours, sessions, an exam, CPR or a license.",
        });
      }
      if (value.cprExpiresOn && value.cprExpiresOn < value.completedOn) {
        ctx.addIssue({
          code: "custom",
          path: ["cprExpiresOn"],
          message: "must not be before the completion date",
        });
      }
    }),
);
export type WhatIfForm = z.infer<typeof WhatIfFormSchema>;

/** The planner's answers as hypothetical dossier records for `compliance.whatIf`. */
export function toHypotheticalRecords(form: Omit<WhatIfForm, "scope">): HypotheticalRecordInput[] {
  const records: HypotheticalRecordInput[] = [];
  const course = {
    theory: form.courseTheory ?? 0,
    practical: form.coursePractical ?? 0,
    online: form.courseOnline ?? 0,
  };
  const completedOn = form.completedOn;
  if (course.theory + course.practical + course.online > 0) {
    records.push({
      id: "planned-course",
      kind: "dn-course",
      title: "Planned DN course",
      completedOn,
      recordedAt: "1970-01-01T00:00:00.000Z",
      status: "verified",
      hours: course,
      topics: [],
    });
  }
  if (form.sessions) {
    records.push({
      id: "planned-sessions",
      kind: "supervised-sessions",
      title: "Planned supervised sessions",
      completedOn,
      recordedAt: "1970-01-01T00:00:00.000Z",
      status: "verified",
      count: form.sessions,
    });
  }
  if (form.examType) {
    records.push({
      id: "planned-exam",
      kind: "exam",
      title: "Planned exam",
      completedOn,
      recordedAt: "1970-01-01T00:00:00.000Z",
      status: "verified",
      examType: form.examType,
      passed: true,
    });
  }
  if (form.cprExpiresOn) {
    records.push({
      id: "planned-cpr",
      kind: "cpr",
      title: "Planned CPR certification",
      completedOn,
      recordedAt: "1970-01-01T00:00:00.000Z",
      status: "verified",
      expiresOn: form.cprExpiresOn,
    });
  }
  return records;
}

/** The planner's hypothetical license: active, issued on the completion date. */
export function toHypotheticalLicenses(
  form: Pick<WhatIfForm, "licenseIn" | "completedOn">,
): DossierLicense[] {
  if (!form.licenseIn) return [];
  return [
    {
      jurisdiction: form.licenseIn,
      number: "PLANNED",
      issuedOn: form.completedOn,
      expiresOn: null,
      status: "active",
    },
  ];
}
