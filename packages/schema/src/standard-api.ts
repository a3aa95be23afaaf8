import { z } from "zod";
import { IdSchema, IsoDateSchema, IsoInstantSchema } from "./common.ts";
import { JurisdictionSchema } from "./jurisdiction.ts";
import {
  ConfidenceSchema,
  SlugSchema,
  StandardDocumentSchema,
  StandardKindSchema,
  StandardStatusSchema,
} from "./standard.ts";

/**
 * What the standards procedures take and return. A standard comes from the shipped pack or is
 * an organization's own (custom) document stored in the database, one row per version.
 */

export const STANDARD_SOURCES = ["pack", "custom"] as const;
export const StandardSourceSchema = z.enum(STANDARD_SOURCES, {
  error: `must be one of ${STANDARD_SOURCES.join(", ")}`,
});
export type StandardSource = z.infer<typeof StandardSourceSchema>;

/** One version of a standard with where it comes from; custom versions say who wrote them. */
export const StandardVersionEntrySchema = z.object({
  source: StandardSourceSchema,
  standard: StandardDocumentSchema,
  /** Custom versions: when and by whom the version was saved; null for the pack. */
  createdAt: IsoInstantSchema.nullable(),
  createdBy: IdSchema.nullable(),
});
export type StandardVersionEntry = z.infer<typeof StandardVersionEntrySchema>;

/** One standard (all its versions) in a list, described by its latest or in-force version. */
export const StandardSummarySchema = z.object({
  id: SlugSchema,
  source: StandardSourceSchema,
  title: z.string(),
  kind: StandardKindSchema,
  jurisdiction: JurisdictionSchema.nullable(),
  authority: z.string(),
  /** The status of the version in force on asOf, else of the latest version. */
  status: StandardStatusSchema,
  confidence: ConfidenceSchema,
  lastVerified: IsoDateSchema,
  versionCount: z.number().int().positive(),
  latestVersion: z.number().int().positive(),
  /** The version in force on asOf, or null when none is. */
  inForceVersion: z.number().int().positive().nullable(),
  effectiveFrom: IsoDateSchema.nullable(),
  effectiveTo: IsoDateSchema.nullable(),
  /** Versions that are drafts (proposals never in force). */
  draftVersions: z.array(z.number().int().positive()),
  requirementCount: z.number().int().nonnegative(),
});
export type StandardSummary = z.infer<typeof StandardSummarySchema>;

export const ListStandardsInputSchema = z.object({
  kind: StandardKindSchema.optional(),
  jurisdiction: JurisdictionSchema.optional(),
  source: StandardSourceSchema.optional(),
  /** The date for "in force" (default: today). */
  asOf: IsoDateSchema.optional(),
  /** Only standards with a version in force on asOf. */
  inForce: z.boolean({ error: "must be true or false" }).optional(),
  /** Words in the id or title. */
  q: z.string().trim().max(100, { error: "must be at most 100 characters" }).optional(),
});
export type ListStandardsInput = z.infer<typeof ListStandardsInputSchema>;

export const StandardByIdInputSchema = z.object({
  id: SlugSchema,
  /** The version in force on this date (default: today), unless `version` is given. */
  asOf: IsoDateSchema.optional(),
  version: z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .positive({ error: "must be 1 or more" })
    .optional(),
});
export type StandardByIdInput = z.infer<typeof StandardByIdInputSchema>;

export const StandardVersionsInputSchema = z.object({ id: SlugSchema });
export type StandardVersionsInput = z.infer<typeof StandardVersionsInputSchema>;

/**
 * A custom standard document to save. `create` takes version 1 of a new id; `update` takes the
 * next version of an existing custom standard (latest + 1), so two editors cannot silently
 * overwrite each other. Errors name the path inside `document`.
 */
export const SaveStandardInputSchema = z.object({ document: StandardDocumentSchema });
export type SaveStandardInput = z.infer<typeof SaveStandardInputSchema>;
export type SaveStandardInputRaw = z.input<typeof SaveStandardInputSchema>;
