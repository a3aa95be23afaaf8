/**
 * Bulk import: upload a staff roster or provider-reported completions as CSV. Every row is
 * checked first; bad rows are listed by line with the reason, and nothing is imported until the
 * file is clean or the manager ticks "import only the valid rows". Importing the same file again
 * imports nothing twice. Each kind has a template to download (/import/template/<kind>.csv) and
 * its columns listed here, from the one column list the importer reads.
 */
import { importColumns } from "@dn/api/import-template";
import { IMPORT_KINDS, type ImportKind, ImportKindSchema, type ImportReport } from "@dn/schema";
import {
  type ActionFunctionArgs,
  data,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary.tsx";
import { ErrorList } from "~/components/forms.tsx";
import { apiErrorCode, apiFieldErrors, isApiError } from "~/utils/api.server.ts";
import { IMPORT_FORM_LIMIT, readForm } from "~/utils/body-limit.server.ts";
import { requireApi, requireUserWithPermission } from "~/utils/session.server.ts";

export const meta: MetaFunction = () => [{ title: "Import · dn admin" }];

const MAX_CSV_BYTES = 20 * 1024 * 1024;

const KIND_LABELS: Record<ImportKind, string> = {
  roster: "Staff roster",
  completions: "Course completions reported by a provider",
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUserWithPermission(request, "run:import");
  return null;
}

type ActionResult =
  | { error: string; report: null; fileName: null }
  | { error: null; report: ImportReport; fileName: string };

export async function action({ request }: ActionFunctionArgs) {
  await requireUserWithPermission(request, "run:import");
  const api = await requireApi(request);
  const formData = await readForm(request, IMPORT_FORM_LIMIT);
  const kind = ImportKindSchema.safeParse(formData.get("kind")).data;
  const file = formData.get("file");
  const fail = (error: string) =>
    data<ActionResult>({ error, report: null, fileName: null }, { status: 400 });
  if (!kind) return fail("Choose what the file holds: a staff roster or course completions.");
  if (!(file instanceof File) || file.size === 0) return fail("Choose a CSV file to import.");
  if (file.size > MAX_CSV_BYTES) return fail("The file is larger than 20 MB.");
  try {
    const report = await api.imports.run.mutate({
      kind,
      fileName: file.name || "import.csv",
      content: await file.text(),
      onlyValid: formData.get("onlyValid") === "on",
      inviteImported: kind === "roster" && formData.get("inviteImported") === "on",
    });
    return data<ActionResult>({ error: null, report, fileName: file.name });
  } catch (error) {
    if (isApiError(error) && apiErrorCode(error) === "BAD_REQUEST") {
      const invite = apiFieldErrors(error).inviteImported?.[0];
      return fail(invite ? `Cannot invite the imported practitioners: ${invite}.` : error.message);
    }
    throw error;
  }
}

export default function ImportPage() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const report = actionData?.report ?? null;
  return (
    <>
      <div className="page-header">
        <h1>Import</h1>
        <p className="muted">Add staff or provider-reported completions from a CSV file.</p>
      </div>
      <section className="card section" aria-labelledby="upload-heading">
        <h2 id="upload-heading">Upload a file</h2>
        <Form method="post" encType="multipart/form-data" className="stack">
          <ErrorList errors={actionData?.error ? [actionData.error] : null} />
          <fieldset className="group">
            <legend>The file holds</legend>
            <label>
              <input type="radio" name="kind" value="roster" defaultChecked /> A staff roster
            </label>
            <label>
              <input type="radio" name="kind" value="completions" /> Course completions reported by
              a provider
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor="import-file">CSV file</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" required />
          </div>
          <label>
            <input type="checkbox" name="onlyValid" /> Import only the valid rows if some are
            invalid
          </label>
          <label>
            <input type="checkbox" name="inviteImported" /> Staff roster: email each imported
            practitioner an invitation to sign in
          </label>
          <button
            type="submit"
            className="button button--primary"
            disabled={navigation.state !== "idle"}
          >
            Check and import
          </button>
        </Form>
      </section>
      <section className="card section" aria-labelledby="formats-heading">
        <h2 id="formats-heading">File formats</h2>
        <p className="muted">
          CSV with a header row; column names are not case-sensitive. States may be written as two
          letters (MD) or as ISO 3166-2 codes (US-MD). Every problem of a row is reported, each
          naming its column.
        </p>
        {IMPORT_KINDS.map((kind) => (
          <div key={kind} className="stack">
            <h3>{KIND_LABELS[kind]}</h3>
            <p>
              <a href={`/import/template/${kind}.csv`} download={`${kind}.csv`}>
                Download the {kind} template
              </a>{" "}
              (the header and one example row)
            </p>
            <ul>
              {importColumns(kind).map((column) => (
                <li key={column.name}>
                  <code>{column.name}</code> ({column.required ? "required" : "optional"}):{" "}
                  {column.description}, e.g. <code>{column.example}</code>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
      {report ? (
        <section className="section" aria-labelledby="report-heading">
          <h2 id="report-heading">Report for {actionData?.fileName}</h2>
          <p role="status" className="notice">
            {report.applied
              ? `Imported ${report.rowsImported} rows.`
              : report.rowsInvalid > 0
                ? "Nothing imported: fix the rows below, or import only the valid rows."
                : "Nothing imported: every row was imported before."}{" "}
            {report.rowsTotal} rows: {report.rowsValid} valid, {report.rowsInvalid} invalid,{" "}
            {report.rowsAlready} already imported.
          </p>
          {report.invitations ? (
            <div className="notice" role="status">
              <p>
                Invited {report.invitations.invited} practitioner
                {report.invitations.invited === 1 ? "" : "s"} to sign in.
                {report.invitations.skipped.length > 0 ? " Not invited:" : ""}
              </p>
              {report.invitations.skipped.length > 0 ? (
                <ul>
                  {report.invitations.skipped.map((skipped) => (
                    <li key={`${skipped.name}-${skipped.email}`}>
                      {skipped.name}
                      {skipped.email ? ` (${skipped.email})` : ""}: {skipped.reason}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          ) : null}
          {report.problems.length > 0 ? (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Invalid rows</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      Line
                    </th>
                    <th scope="col">Problem</th>
                  </tr>
                </thead>
                <tbody>
                  {report.problems.slice(0, 500).map((problem) => (
                    <tr key={`${problem.line}-${problem.reason}`}>
                      <th scope="row" className="num">
                        {problem.line}
                      </th>
                      <td>{problem.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
