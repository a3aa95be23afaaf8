import { z } from "zod";
import { IdSchema, IsoInstantSchema, PageInputSchema } from "./common.ts";

export const AUDIT_ENTITIES = [
  "organization",
  "clinic",
  "user",
  "session",
  "membership",
  "invitation",
  "oidc-provider",
  "practitioner",
  "license",
  "training-record",
  "standard",
  "article",
  "video",
  "literature-reference",
  "author",
  "comment",
  "course",
  "follow-up",
  "evidence-file",
  "standard-assignment",
  "import-batch",
  "export",
  "job",
  "api-token",
  "calendar-feed",
  "notification",
] as const;
export const AuditEntitySchema = z.enum(AUDIT_ENTITIES);
export type AuditEntity = z.infer<typeof AuditEntitySchema>;

/** One row of the audit trail: who did what to which entity, with the data before and after. */
export const AuditEventSchema = z.object({
  id: IdSchema,
  organizationId: IdSchema,
  actorId: IdSchema.nullable(),
  at: IsoInstantSchema,
  /** `<entity>.<verb>`, e.g. `training-record.verify`. */
  action: z.string().max(100),
  entityType: AuditEntitySchema,
  entityId: z.string().max(100),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const ListAuditEventsInputSchema = PageInputSchema.extend({
  entityType: AuditEntitySchema.optional(),
  entityId: z.string().max(100).optional(),
});
export type ListAuditEventsInput = z.infer<typeof ListAuditEventsInputSchema>;
