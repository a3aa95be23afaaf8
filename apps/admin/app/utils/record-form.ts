import {
  CreateTrainingRecordInputSchema,
  keepFieldsOfKind,
  RECORD_KINDS,
  type RecordKind,
} from "@dn/schema";
import { formSchema } from "./form-schema.ts";

/** The "log a record" form reads exactly `CreateTrainingRecordInputSchema` from @dn/schema. */
export const RecordFormSchema = formSchema(CreateTrainingRecordInputSchema);

export type KindFieldGroup = "hours" | "topics" | "count" | "exam" | "expiresOn" | "jurisdiction";

/**
 * Which field groups apply to each kind, read from the schema's own `keepFieldsOfKind` (the rule
 * the service applies when it stores a record), so the form and the service cannot disagree.
 */
export const FIELD_GROUPS_BY_KIND: Record<
  RecordKind,
  Record<KindFieldGroup, boolean>
> = Object.fromEntries(
  RECORD_KINDS.map((kind) => {
    const kept = keepFieldsOfKind({
      kind,
      title: "probe",
      provider: null,
      completedOn: "2000-01-01",
      hours: { theory: 1, practical: 1, online: 1 },
      topics: ["anatomy"],
      count: 1,
      examType: "written",
      passed: true,
      expiresOn: "2000-01-02",
      jurisdiction: "US-FL",
      notes: null,
    });
    return [
      kind,
      {
        hours: kept.hours.theory > 0,
        topics: kept.topics.length > 0,
        count: kept.count !== null,
        exam: kept.examType !== null,
        expiresOn: kept.expiresOn !== null,
        jurisdiction: kept.jurisdiction !== null,
      },
    ];
  }),
) as Record<RecordKind, Record<KindFieldGroup, boolean>>;

/** The kinds a field group applies to, for the "applies to" hint shown before scripts load. */
export function kindsWithGroup(group: KindFieldGroup): RecordKind[] {
  return RECORD_KINDS.filter((kind) => FIELD_GROUPS_BY_KIND[kind][group]);
}
