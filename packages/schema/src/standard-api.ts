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

/**
 * Where a custom standard's version is in its life cycle. A `draft` may be edited and applies to
 * nobody; publishing is explicit and audited, and a `published` version never changes. The
 * pack's versions are published (they ship with the code). Not the same as the document's
 * `draft` flag, which marks a proposal that is never in force even when published.
 */
export const STANDARD_LIFECYCLES = ["draft", "published"] as const;
export const StandardLifecycleSchema = z.enum(STANDARD_LIFECYCLES, {
  error: `must be one of ${STANDARD_LIFECYCLES.join(", ")}`,
});
export type StandardLifecycle = z.infer<typeof StandardLifecycleSchema>;

/**
 * Whom a published standard applies to beyond its rules (a state rule still applies by clinic
 * state and licenses): `assigned`, only the clinics and practitioners it is assigned to;
 * `organization`, every practitioner (an organization-wide include assignment).
 */
export const PUBLICATION_SCOPES = ["assigned", "organization"] as const;
export const PublicationScopeSchema = z.enum(PUBLICATION_SCOPES, {
  error: `must be one of ${PUBLICATION_SCOPES.join(", ")}`,
});
export type PublicationScope = z.infer<typeof PublicationScopeSchema>;

/** One version of a standard with where it comes from; custom versions say who wrote them. */
export const StandardVersionEntrySchema = z.object({
  source: StandardSourceSchema,
  standard: StandardDocumentSchema,
  /** Custom versions: when and by whom the version was saved; null for the pack. */
  createdAt: IsoInstantSchema.nullable(),
  createdBy: IdSchema.nullable(),
  /** Drafts apply to nobody; the pack's versions are published. */
  lifecycle: StandardLifecycleSchema.default("published"),
  /** Custom versions: when and by whom it was published; null for a draft and for the pack. */
  publishedAt: IsoInstantSchema.nullable().default(null),
  publishedBy: IdSchema.nullable().default(null),
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
  /** The custom version saved but not yet published (it applies to nobody), if any. */
  unpublishedVersion: z.number().int().positive().nullable().default(null),
  /** False for a custom standard with no published version yet: it applies to nobody. */
  published: z.boolean().default(true),
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

export const StandardDetailInputSchema = z.object({
  id: SlugSchema,
  /** The date for "in force" (default: today). */
  asOf: IsoDateSchema.optional(),
});
export type StandardDetailInput = z.infer<typeof StandardDetailInputSchema>;

/**
 * A standard's page: every version (drafts included) and which one is in force on `asOf`, as
 * decided by `versionInForce` over the published versions, the same decision the compliance
 * pages and exports use.
 */
export const StandardDetailSchema = z.object({
  id: SlugSchema,
  source: StandardSourceSchema,
  asOf: IsoDateSchema,
  versions: z.array(StandardVersionEntrySchema),
  inForceVersion: z.number().int().positive().nullable(),
  /** The custom version saved but not yet published, if any. */
  unpublishedVersion: z.number().int().positive().nullable(),
  /** `organization` when it is assigned to the whole organization, else `assigned`. */
  scope: PublicationScopeSchema,
});
export type StandardDetail = z.infer<typeof StandardDetailSchema>;

/**
 * Publishes a custom standard's draft version: from then on it never changes and applies where
 * `scope` says (only where assigned, or the whole organization).
 */
export const PublishStandardInputSchema = z.object({
  id: SlugSchema,
  version: z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .positive({ error: "must be 1 or more" }),
  scope: PublicationScopeSchema,
});
export type PublishStandardInput = z.infer<typeof PublishStandardInputSchema>;
export type StandardVersionsInput = z.infer<typeof StandardVersionsInputSchema>;

/**
 * A custom standard document to save, as a draft. `create` takes version 1 of a new id; `update`
 * takes either the version of the draft being edited or, when the latest version is published,
 * the next one (latest + 1), so two editors cannot silently overwrite a published version.
 * Errors name the path inside `document`.
 */
export const SaveStandardInputSchema = z.object({ document: StandardDocumentSchema });
export type SaveStandardInput = z.infer<typeof SaveStandardInputSchema>;
export type SaveStandardInputRaw = z.input<typeof SaveStandardInputSchema>;
