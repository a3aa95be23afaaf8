/**
 * What goes into a full export bundle, as lazily opened entries: the JSON export, both CSVs,
 * the audit report, one CE transcript per practitioner, and the evidence behind each record.
 */
import type { ExportHeader, ExportPractitioner } from "@dn/schema";
import type { BundleEntry } from "./bundle.ts";
import { detailCsv, summaryCsv } from "./csv.ts";
import { jsonExport } from "./json.ts";
import type { AnyIterable, PractitionerSource } from "./model.ts";
import { auditReportPdf, transcriptPdf } from "./pdf.ts";

/** A file name fragment from a person's name: lower-case ASCII words joined by hyphens. */
export function slugify(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[^\x20-\x7e]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "practitioner"
  );
}

/** The folder of one practitioner's files: readable and unique. */
export function practitionerFolder(practitioner: Pick<ExportPractitioner, "id" | "name">): string {
  return `${slugify(practitioner.name)}-${practitioner.id.slice(0, 8)}`;
}

export interface BundleEntriesOptions {
  /** Evidence files of one practitioner (e.g. uploaded scans); default: each record's JSON. */
  evidenceFiles?: (practitioner: ExportPractitioner) => AnyIterable<BundleEntry>;
  /**
   * The audit chain segment of the export's scope (`audit/chain.jsonl`, `audit/checkpoint.json`,
   * see audit-segment.ts), written last, once every practitioner has been read.
   */
  auditEntries?: () => AnyIterable<BundleEntry>;
}

function readme(header: ExportHeader): string {
  return [
    `dn compliance export ${header.exportId}`,
    "",
    `Organization: ${header.organization.name}`,
    `Scope: ${header.scopeLabel}`,
    `As of: ${header.scope.asOf}${header.scope.knownAt ? `, records known at ${header.scope.knownAt}` : ""}`,
    `Generated: ${header.generatedAt} by ${header.generatedBy.name}`,
    "",
    "export.json        the whole export (format dn-compliance-export v1, see export-format.md)",
    "summary.csv        one row per practitioner and standard",
    "detail.csv         one row per requirement, with the evidence ids that counted",
    "report.pdf         the audit report",
    "practitioners/     per practitioner: transcript.pdf and evidence/",
    "audit/             the audit chain of this scope (chain.jsonl) and its latest signed checkpoint",
    "manifest.json      every file with its SHA-256; manifest.sig signs it with public-key.pem",
    "",
    "Check it offline: dn verify <bundle.zip> --public-key <the organization's key>",
    `The key is also served at /.well-known/dn-export-key/${header.organization.id}`,
    "",
  ].join("\n");
}

/** The entries of a full bundle, in order; `source` is read once per file that needs it. */
export async function* bundleEntries(
  header: ExportHeader,
  source: PractitionerSource,
  options: BundleEntriesOptions = {},
): AsyncGenerator<BundleEntry> {
  yield { path: "README.txt", open: () => readme(header) };
  yield { path: "export.json", open: () => jsonExport(header, source()) };
  yield { path: "summary.csv", open: () => summaryCsv(header, source()) };
  yield { path: "detail.csv", open: () => detailCsv(source()) };
  yield { path: "report.pdf", open: () => auditReportPdf(header, source()) };
  for await (const practitioner of source()) {
    const folder = `practitioners/${practitionerFolder(practitioner)}`;
    yield { path: `${folder}/transcript.pdf`, open: () => transcriptPdf(header, practitioner) };
    if (options.evidenceFiles) {
      for await (const entry of options.evidenceFiles(practitioner)) {
        yield { path: `${folder}/evidence/${entry.path}`, open: entry.open };
      }
    } else {
      for (const record of practitioner.records) {
        yield {
          path: `${folder}/evidence/${record.recordId}.json`,
          open: () => `${JSON.stringify(record, null, 2)}\n`,
        };
      }
    }
  }
  if (options.auditEntries) yield* options.auditEntries();
}
