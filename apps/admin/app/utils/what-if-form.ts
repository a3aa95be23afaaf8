import {
  type DossierLicense,
  EXAM_TYPES,
  type HypotheticalRecordInput,
  IsoDateSchema,
  JurisdictionSchema,
  TopicSchema,
} from "@dn/schema";
import { z } from "zod";
import { formSchema } from "./form-schema.ts";

const hours = z
  .number({ error: "must be a number of hours" })
  .min(0, { error: "must not be negative" })
  .max(5000, { error: "must be at most 5000 hours" })
  .optional();

/** The record kinds a planned course can be: requirements count one, the other or both. */
export const PLANNED_COURSE_KINDS = ["dn-course", "ce-activity"] as const;

/**
 * The what-if planner: a hypothetical course (its kind, hours by format and the topics it
 * covers), supervised sessions, an exam and a CPR card, all completed on one date, asked of the
 * practitioner's standards or of every state.
 */
export const WhatIfFormSchema = formSchema(
  z
    .object({
      completedOn: IsoDateSchema,
      scope: z.enum(["applicable", "states"], { error: "must be applicable or states" }),
      courseTitle: z
        .string({ error: "must be text" })
        .trim()
        .max(200, { error: "must be at most 200 characters" })
        .optional(),
      courseKind: z
        .enum(PLANNED_COURSE_KINDS, { error: "must be a DN course or a CE activity" })
        .default("dn-course"),
      courseTheory: hours,
      coursePractical: hours,
      courseOnline: hours,
      courseTopics: z
        .array(TopicSchema)
        .max(50, { error: "must list at most 50 topics" })
        .default([]),
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
      const courseHours =
        (value.courseTheory ?? 0) + (value.coursePractical ?? 0) + (value.courseOnline ?? 0);
      if (value.courseTopics.length > 0 && courseHours === 0) {
        ctx.addIssue({
          code: "custom",
          path: ["courseTopics"],
          message: "give the course's hours too: a course with no hours counts for nothing",
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
export function toHypotheticalRecords(
  form: Omit<WhatIfForm, "scope" | "courseKind" | "courseTopics"> &
    Partial<Pick<WhatIfForm, "courseKind" | "courseTopics">>,
): HypotheticalRecordInput[] {
  const records: HypotheticalRecordInput[] = [];
  const course = {
    theory: form.courseTheory ?? 0,
    practical: form.coursePractical ?? 0,
    online: form.courseOnline ?? 0,
  };
  const completedOn = form.completedOn;
  if (course.theory + course.practical + course.online > 0) {
    const kind = form.courseKind ?? "dn-course";
    records.push({
      id: "planned-course",
      kind,
      title:
        form.courseTitle || (kind === "dn-course" ? "Planned DN course" : "Planned CE activity"),
      completedOn,
      recordedAt: "1970-01-01T00:00:00.000Z",
      status: "verified",
      hours: course,
      topics: [...new Set(form.courseTopics ?? [])],
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
