/**
 * The export form: flat fields a plain HTML form can send, turned into the API's
 * CreateExportInput (@dn/schema), whose own rules decide; its errors come back to these fields.
 */
import {
  type CreateExportInput,
  CreateExportInputSchema,
  ExportKindSchema,
  IsoDateSchema,
  IsoInstantSchema,
} from "@dn/schema";
import { z } from "zod";

export const ExportFormSchema = z.object({
  kind: ExportKindSchema,
  /** `organization`, `clinic:<id>` or `practitioner:<id>`. */
  scope: z
    .string({ error: "choose what to export" })
    .regex(/^(organization|clinic:[0-9a-f-]{36}|practitioner:[0-9a-f-]{36})$/, {
      error: "choose the organization, a clinic, or a practitioner",
    }),
  asOf: IsoDateSchema,
  knownAt: IsoInstantSchema.optional(),
  /** Standard ids: picked (one value each) or separated by commas or spaces; empty for all. */
  standardIds: z.union([z.string().max(2000), z.array(z.string().max(100)).max(200)]).optional(),
});
export type ExportForm = z.infer<typeof ExportFormSchema>;

/** Which form field a CreateExportInput issue path belongs to. */
export function formFieldOf(path: string): keyof ExportForm {
  if (path.startsWith("scope.standardIds")) return "standardIds";
  if (path === "scope.asOf") return "asOf";
  if (path === "scope.knownAt") return "knownAt";
  if (path === "kind") return "kind";
  return "scope";
}

export type ExportInputResult =
  | { ok: true; input: CreateExportInput }
  | { ok: false; fieldErrors: Record<string, string[]> };

export function toCreateExportInput(form: ExportForm): ExportInputResult {
  const [kind, id] = form.scope.split(":", 2);
  const standardIds = [form.standardIds ?? []]
    .flat()
    .join(",")
    .split(/[\s,]+/)
    .map((value) => value.trim())
    .filter(Boolean);
  const common = {
    asOf: form.asOf,
    ...(form.knownAt ? { knownAt: form.knownAt } : {}),
    ...(standardIds.length > 0 ? { standardIds } : {}),
  };
  const scope =
    kind === "clinic"
      ? { kind, clinicId: id, ...common }
      : kind === "practitioner"
        ? { kind, practitionerId: id, ...common }
        : { kind: "organization", ...common };
  const parsed = CreateExportInputSchema.safeParse({ kind: form.kind, scope });
  if (parsed.success) return { ok: true, input: parsed.data };
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const field = formFieldOf(issue.path.map(String).join("."));
    fieldErrors[field] = [...(fieldErrors[field] ?? []), issue.message];
  }
  return { ok: false, fieldErrors };
}

/** The API's field errors (paths like `scope.standardIds.0`) moved onto the form's fields. */
export function toFormFieldErrors(apiErrors: Record<string, string[]>): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(apiErrors)) {
    const field = formFieldOf(path);
    fieldErrors[field] = [...(fieldErrors[field] ?? []), ...messages];
  }
  return fieldErrors;
}

export const EXPORT_KIND_LABELS: Record<CreateExportInput["kind"], string> = {
  bundle: "Signed bundle (ZIP: all formats, transcripts, evidence, manifest)",
  json: "JSON (dn-compliance-export v1)",
  "csv-summary": "CSV summary (practitioner × standard)",
  "csv-detail": "CSV detail (one row per requirement)",
  "pdf-report": "PDF audit report",
};
