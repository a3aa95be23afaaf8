/**
 * The CSV templates of the import page, at /import/template/roster.csv and
 * /import/template/completions.csv: the header and one example row, written from the column list
 * the importer reads (@dn/api/import-template). They hold no data, only the format the README
 * documents, so they need no session.
 */
import { IMPORT_COLUMNS, importTemplateCsv, importTemplateFileName } from "@dn/api/import-template";
import { ImportKindSchema } from "@dn/schema";
import type { LoaderFunctionArgs } from "@remix-run/node";

export function loader({ params }: LoaderFunctionArgs) {
  const kind = ImportKindSchema.safeParse(params.file?.replace(/\.csv$/, "")).data;
  if (!kind || params.file !== importTemplateFileName(kind)) {
    throw new Response(
      `No such template: use ${Object.keys(IMPORT_COLUMNS)
        .map((k) => `/import/template/${k}.csv`)
        .join(" or ")}`,
      { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } },
    );
  }
  return new Response(importTemplateCsv(kind), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${importTemplateFileName(kind)}"`,
      "Cache-Control": "no-cache",
    },
  });
}
