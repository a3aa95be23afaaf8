/** The JSON Schema of the JSON export, generated from the zod schema (zod 4 `z.toJSONSchema`). */
import { ComplianceExportSchema } from "@dn/schema";
import { z } from "zod";

export const EXPORT_SCHEMA_ID = "https://dn.example/schemas/dn-compliance-export-v1.json";

export function exportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(ComplianceExportSchema, { target: "draft-2020-12" }) as Record<
    string,
    unknown
  >;
  return {
    ...generated,
    $id: EXPORT_SCHEMA_ID,
    title: "dn compliance export, version 1",
    description:
      "One organization's dry-needling compliance as of a date: the header (who, when, scope, standard versions and citations) and, per practitioner, each evaluation with its requirements and the evidence that counted. See docs/export-format.md.",
  };
}

/** The text of docs/export-format.schema.json. */
export function exportJsonSchemaText(): string {
  return `${JSON.stringify(exportJsonSchema(), null, 2)}\n`;
}
