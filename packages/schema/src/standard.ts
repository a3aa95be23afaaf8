import { z } from "zod";
import { IsoDateSchema, text, WebUrlSchema } from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import { ProfessionSchema } from "./practitioner.ts";
import { TopicSchema } from "./topic.ts";
import { ExamTypeSchema } from "./training-record.ts";

/** Who issues a standard: a state board, a professional body, or a clinic's own policy. */
export const STANDARD_KINDS = ["state-board", "professional-body", "clinic-policy"] as const;
export const StandardKindSchema = z.enum(STANDARD_KINDS, {
  error: `must be one of ${STANDARD_KINDS.join(", ")}`,
});
export type StandardKind = z.infer<typeof StandardKindSchema>;

/**
 * Whether the standard lets the practitioner needle at all. `pending-rules`: authorized by law
 * but not until the board adopts rules; `silent`: no rule either way.
 */
export const STANDARD_STATUSES = ["permitted", "prohibited", "pending-rules", "silent"] as const;
export const StandardStatusSchema = z.enum(STANDARD_STATUSES, {
  error: `must be one of ${STANDARD_STATUSES.join(", ")}`,
});
export type StandardStatus = z.infer<typeof StandardStatusSchema>;

/**
 * How sure we are of a figure (the research legend): C1 confirmed from a primary or official
 * text; C2 confirmed only from a secondary text; P partial (source cut off); U unconfirmed.
 */
export const CONFIDENCES = ["C1", "C2", "P", "U"] as const;
export const ConfidenceSchema = z.enum(CONFIDENCES, {
  error: `must be one of ${CONFIDENCES.join(", ")} (C1 primary source, C2 secondary, P partial, U unconfirmed)`,
});
export type Confidence = z.infer<typeof ConfidenceSchema>;

export const CONFIDENCE_LABELS: Record<Confidence, string> = {
  C1: "confirmed from a primary or official text",
  C2: "confirmed from a secondary text only",
  P: "partial: the source was cut off",
  U: "unconfirmed",
};

/** Lower-case words joined by single hyphens, e.g. `us-fl-dn`. */
export const SlugSchema = z
  .string({ error: "must be text" })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    error: "must be lower-case letters and digits joined by single hyphens, e.g. us-fl-dn",
  })
  .max(80, { error: "must be at most 80 characters" });

export const CitationSchema = z.strictObject({
  /** The statute, rule or document, e.g. `Fla. Stat. § 486.117`. */
  text: text(500),
  url: WebUrlSchema.optional(),
});
export type Citation = z.infer<typeof CitationSchema>;

const hours = z
  .number({ error: "must be a number of hours" })
  .min(0, { error: "must not be negative" })
  .max(10000, { error: "must be at most 10000 hours" });
const positiveHours = hours.refine((value) => value > 0, { error: "must be more than 0 hours" });
const months = z
  .number({ error: "must be a whole number of months" })
  .int({ error: "must be a whole number of months" })
  .min(1, { error: "must be at least 1 month" })
  .max(600, { error: "must be at most 600 months" });
const wholeCount = (what: string) =>
  z
    .number({ error: `must be a whole number of ${what}` })
    .int({ error: `must be a whole number of ${what}` });

/** Fields every requirement has. */
const requirementBase = {
  /** Unique within the document, e.g. `training`. */
  id: SlugSchema,
  title: text(200),
  /** The rule this requirement comes from. */
  citation: CitationSchema,
  /** Only verified evidence counts (the default); false lets pending evidence count too. */
  verifiedOnly: z.boolean({ error: "must be true or false" }).default(true),
  /**
   * Shown and explained, but does not change the verdict: for figures too unsure to enforce
   * (confidence U or P) or guidance a board only recommends.
   */
  advisory: z.boolean({ error: "must be true or false" }).default(false),
  /** Overrides the document's confidence for this requirement. */
  confidence: ConfidenceSchema.optional(),
  notes: text(2000).optional(),
};

/** An active license, and optionally a minimum number of years licensed. */
export const LicensureRequirementSchema = z.strictObject({
  ...requirementBase,
  kind: z.literal("licensure"),
  /** Where the active license must be held: the standard's jurisdiction, or anywhere. */
  licenseIn: z
    .enum(["jurisdiction", "any"], { error: "must be jurisdiction or any" })
    .default("jurisdiction"),
  /** Years since the earliest license (any jurisdiction) was issued. */
  minYears: z
    .number({ error: "must be a number of years" })
    .min(0, { error: "must not be negative" })
    .max(50, { error: "must be at most 50 years" })
    .default(0),
  /** Measure the years at the evaluation date, or on the day of the first DN training. */
  yearsMeasuredAt: z
    .enum(["evaluation", "first-training"], { error: "must be evaluation or first-training" })
    .default("evaluation"),
});

const ProvisionalSchema = z.strictObject({
  /** Hours (as the requirement counts them) that allow needling before the full total. */
  minHours: positiveHours,
  minTheory: hours.optional(),
  minPractical: hours.optional(),
  /** The full requirement must be met within this many months of the first counted course. */
  completeWithinMonths: months,
});

/** DN training hours: totals, face-to-face minimums, online rules, windows, staged use. */
export const TrainingHoursRequirementSchema = z
  .strictObject({
    ...requirementBase,
    kind: z.literal("training-hours"),
    minTotal: positiveHours,
    /** Theory plus practical, both live and in person. */
    minFaceToFace: hours.optional(),
    minPractical: hours.optional(),
    minTheory: hours.optional(),
    /** Whether online or self-paced hours count toward the total at all. */
    onlineCounts: z.boolean({ error: "must be true or false" }).default(false),
    /** At most this many online hours count (only with onlineCounts). */
    maxOnline: hours.optional(),
    /** All counted hours must fall within this many months of the first counted course. */
    windowMonths: months.optional(),
    /** Needling may begin with fewer hours while the rest is completed by a deadline. */
    provisional: ProvisionalSchema.optional(),
    /** The record kinds whose hours count. */
    recordKinds: z
      .array(z.enum(["dn-course", "ce-activity"], { error: "must be dn-course or ce-activity" }))
      .min(1, { error: "must name at least one record kind" })
      .default(["dn-course"]),
  })
  .superRefine((value, ctx) => {
    for (const key of ["minFaceToFace", "minPractical", "minTheory"] as const) {
      const min = value[key];
      if (min !== undefined && min > value.minTotal) {
        ctx.addIssue({ code: "custom", path: [key], message: "must not exceed minTotal" });
      }
    }
    if (value.maxOnline !== undefined && !value.onlineCounts) {
      ctx.addIssue({
        code: "custom",
        path: ["maxOnline"],
        message: "only applies when onlineCounts is true",
      });
    }
    if (value.provisional && value.provisional.minHours >= value.minTotal) {
      ctx.addIssue({
        code: "custom",
        path: ["provisional", "minHours"],
        message: "must be less than minTotal",
      });
    }
  });

/** Topics that records must cover, optionally recently. */
export const TopicsRequirementSchema = z.strictObject({
  ...requirementBase,
  kind: z.literal("topics"),
  topics: z.array(TopicSchema).min(1, { error: "must name at least one topic" }),
  /** A topic counts only if covered within this many months before the evaluation date. */
  withinMonths: months.optional(),
  /** Whether an online-only record can cover a topic. */
  onlineCounts: z.boolean({ error: "must be true or false" }).default(false),
});

/** A minimum number of logged supervised DN sessions. */
export const SupervisedSessionsRequirementSchema = z.strictObject({
  ...requirementBase,
  kind: z.literal("supervised-sessions"),
  minSessions: wholeCount("sessions").min(1, { error: "must be at least 1" }),
});

/** A passed exam: written, practical, or both. */
export const ExamRequirementSchema = z.strictObject({
  ...requirementBase,
  kind: z.literal("exam"),
  examType: ExamTypeSchema,
});

export const BOARD_ACTIONS = ["register", "submit-proof", "acknowledge", "attest"] as const;

/** Registration, proof or attestation filed with the standard's board. */
export const BoardNotificationRequirementSchema = z
  .strictObject({
    ...requirementBase,
    kind: z.literal("board-notification"),
    action: z.enum(BOARD_ACTIONS, { error: `must be one of ${BOARD_ACTIONS.join(", ")}` }),
    /** Filed before needling, or within `withinDays` after the training is complete. */
    due: z
      .enum(["before-first-use", "after-training"], {
        error: "must be before-first-use or after-training",
      })
      .default("before-first-use"),
    withinDays: wholeCount("days").min(1, { error: "must be at least 1 day" }).optional(),
  })
  .refine((value) => value.due !== "after-training" || value.withinDays !== undefined, {
    path: ["withinDays"],
    error: "is required when due is after-training",
  });

export const CREDENTIALS = ["cpr"] as const;

/** A credential that must be current on the evaluation date, e.g. CPR. */
export const CredentialCurrentRequirementSchema = z.strictObject({
  ...requirementBase,
  kind: z.literal("credential-current"),
  credential: z.enum(CREDENTIALS, { error: `must be one of ${CREDENTIALS.join(", ")}` }),
});

const CycleAnchorSchema = z.discriminatedUnion(
  "type",
  [
    /** Each cycle ends on the license's expiry date. */
    z.strictObject({ type: z.literal("license-expiry") }),
    /** Cycles start on fixed dates: startMonth/startDay, every cycleMonths from startYear. */
    z.strictObject({
      type: z.literal("fixed"),
      startMonth: wholeCount("months").min(1).max(12, { error: "must be 1 to 12" }),
      startDay: wholeCount("days").min(1).max(28, { error: "must be 1 to 28" }),
      /** A year in which a cycle starts; required unless cycles last exactly 12 months. */
      startYear: wholeCount("years").min(1900).max(2200).optional(),
    }),
  ],
  { error: "must have type license-expiry or fixed" },
);

const CeCategorySchema = z.strictObject({
  id: SlugSchema,
  title: text(200),
  /** A record belongs to the category when it covers any of these topics. */
  topics: z.array(TopicSchema).min(1, { error: "must name at least one topic" }),
  minHours: hours.optional(),
  maxHours: hours.optional(),
});

/** N CE hours in each renewal cycle, with optional caps and category minimums. */
export const CeCycleRequirementSchema = z
  .strictObject({
    ...requirementBase,
    kind: z.literal("ce-cycle"),
    hoursPerCycle: positiveHours,
    /** Different totals for some professions, e.g. `{ PTA: 20 }`. */
    hoursByProfession: z.partialRecord(ProfessionSchema, positiveHours).optional(),
    cycleMonths: months,
    anchor: CycleAnchorSchema,
    /** At most this many online hours count in a cycle. */
    maxOnline: hours.optional(),
    categories: z.array(CeCategorySchema).default([]),
    /** No CE is due for a cycle in which the license was first issued. */
    firstRenewalExempt: z.boolean({ error: "must be true or false" }).default(false),
    recordKinds: z
      .array(z.enum(["dn-course", "ce-activity"], { error: "must be dn-course or ce-activity" }))
      .min(1, { error: "must name at least one record kind" })
      .default(["ce-activity", "dn-course"]),
  })
  .superRefine((value, ctx) => {
    if (value.anchor.type === "fixed" && value.cycleMonths !== 12 && !value.anchor.startYear) {
      ctx.addIssue({
        code: "custom",
        path: ["anchor", "startYear"],
        message: "is required when a cycle is not 12 months long",
      });
    }
    value.categories.forEach((category, index) => {
      if (
        category.minHours !== undefined &&
        category.maxHours !== undefined &&
        category.minHours > category.maxHours
      ) {
        ctx.addIssue({
          code: "custom",
          path: ["categories", index, "maxHours"],
          message: "must not be below minHours",
        });
      }
    });
  });

export const REQUIREMENT_KINDS = [
  "licensure",
  "training-hours",
  "topics",
  "supervised-sessions",
  "exam",
  "board-notification",
  "credential-current",
  "ce-cycle",
] as const;
export type RequirementKind = (typeof REQUIREMENT_KINDS)[number];

export const RequirementSchema = z.discriminatedUnion(
  "kind",
  [
    LicensureRequirementSchema,
    TrainingHoursRequirementSchema,
    TopicsRequirementSchema,
    SupervisedSessionsRequirementSchema,
    ExamRequirementSchema,
    BoardNotificationRequirementSchema,
    CredentialCurrentRequirementSchema,
    CeCycleRequirementSchema,
  ],
  { error: `kind must be one of ${REQUIREMENT_KINDS.join(", ")}` },
);
export type Requirement = z.infer<typeof RequirementSchema>;
export type RequirementInput = z.input<typeof RequirementSchema>;
export type LicensureRequirement = z.infer<typeof LicensureRequirementSchema>;
export type TrainingHoursRequirement = z.infer<typeof TrainingHoursRequirementSchema>;
export type TopicsRequirement = z.infer<typeof TopicsRequirementSchema>;
export type SupervisedSessionsRequirement = z.infer<typeof SupervisedSessionsRequirementSchema>;
export type ExamRequirement = z.infer<typeof ExamRequirementSchema>;
export type BoardNotificationRequirement = z.infer<typeof BoardNotificationRequirementSchema>;
export type CredentialCurrentRequirement = z.infer<typeof CredentialCurrentRequirementSchema>;
export type CeCycleRequirement = z.infer<typeof CeCycleRequirementSchema>;

/**
 * One version of a standard: a state's DN rule, a professional benchmark, a clinic policy, or a
 * license-renewal CE rule. Versions of the same `id` have effective ranges that do not overlap;
 * a `draft` (e.g. a proposed rule) is never in force.
 */
export const StandardDocumentSchema = z
  .strictObject({
    id: SlugSchema,
    version: wholeCount("versions").min(1, { error: "must be 1 or more" }),
    title: text(200),
    kind: StandardKindSchema,
    /** ISO 3166-2 code; null for a policy or benchmark that applies anywhere. */
    jurisdiction: JurisdictionSchema.nullable().default(null),
    /** The board or body that issues it. */
    authority: text(200),
    status: StandardStatusSchema,
    /** A proposal or other text not in force; selectVersion never picks a draft. */
    draft: z.boolean({ error: "must be true or false" }).default(false),
    /** First day in force; may be null only for a draft. */
    effectiveFrom: IsoDateSchema.nullable(),
    /** Last day in force (inclusive); null while in force. */
    effectiveTo: IsoDateSchema.nullable().default(null),
    /** The professions it applies to. */
    professions: z
      .array(ProfessionSchema)
      .min(1, { error: "must name at least one profession" })
      .default(["PT"]),
    citations: z.array(CitationSchema).min(1, { error: "must cite at least one source" }),
    confidence: ConfidenceSchema,
    /** When the sources were last checked. */
    lastVerified: IsoDateSchema,
    notes: text(4000).optional(),
    requirements: z.array(RequirementSchema).default([]),
  })
  .superRefine((doc, ctx) => {
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: "custom", path, message });
    if (doc.kind === "state-board" && doc.jurisdiction === null) {
      issue(["jurisdiction"], "is required for a state-board standard");
    }
    if (doc.jurisdiction !== null && !doc.id.startsWith(`${doc.jurisdiction.toLowerCase()}-`)) {
      issue(
        ["id"],
        `must start with ${doc.jurisdiction.toLowerCase()}- for jurisdiction ${doc.jurisdiction}`,
      );
    }
    if (doc.effectiveFrom === null && !doc.draft) {
      issue(["effectiveFrom"], "is required unless the document is a draft");
    }
    if (
      doc.effectiveFrom !== null &&
      doc.effectiveTo !== null &&
      doc.effectiveTo < doc.effectiveFrom
    ) {
      issue(["effectiveTo"], "must not be before effectiveFrom");
    }
    if (doc.status === "permitted" && doc.requirements.length === 0) {
      issue(["requirements"], "a permitted standard must list at least one requirement");
    }
    const seen = new Set<string>();
    doc.requirements.forEach((requirement, index) => {
      if (seen.has(requirement.id)) {
        issue(["requirements", index, "id"], `duplicates requirement id ${requirement.id}`);
      }
      seen.add(requirement.id);
      const needsJurisdiction =
        requirement.kind === "board-notification" ||
        requirement.kind === "ce-cycle" ||
        (requirement.kind === "licensure" && requirement.licenseIn === "jurisdiction");
      if (needsJurisdiction && doc.jurisdiction === null) {
        issue(
          ["requirements", index, "kind"],
          `a ${requirement.kind} requirement${requirement.kind === "licensure" ? " with licenseIn: jurisdiction" : ""} needs the standard to have a jurisdiction`,
        );
      }
    });
  });
export type StandardDocument = z.infer<typeof StandardDocumentSchema>;
export type StandardDocumentInput = z.input<typeof StandardDocumentSchema>;

/** One problem in a document: the dotted path to the field and what is wrong with it. */
export interface SchemaProblem {
  path: string;
  message: string;
}

function joinPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? "(document)" : path.map(String).join(".");
}

/** Turns a zod error into one line per problem, each naming the path of the field at fault. */
export function describeIssues(error: z.ZodError): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          path: joinPath([...issue.path, key]),
          message: "is not a known field here",
        });
      }
    } else {
      problems.push({ path: joinPath(issue.path), message: issue.message });
    }
  }
  return problems;
}

// Which version is in force on a date is decided in one place, ./in-force.ts.
export { isInForce, selectVersion, versionInForce } from "./in-force.ts";
