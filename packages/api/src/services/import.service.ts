/**
 * Bulk import of a staff roster or provider-reported completions from CSV. Every row is
 * validated first; the report names each bad row by line number and reason. Nothing is written
 * unless the file is clean or the caller asks for the good rows only (`onlyValid`). A bad row gets
 * one problem per bad column, each naming it; state columns accept `MD` as well as `US-MD`. The
 * columns are those of import-template.ts, which also writes the downloadable templates. Each row has
 * an idempotency key (roster: email + license; completions: license + course + date), stored in
 * `import_rows`, so importing the same file again writes nothing twice. One transaction, audited.
 *
 * The file is streamed twice (decision 058): the first pass parses and validates every row,
 * keeping only the problems, each valid row's key (to find repeats) and which rows are new; the
 * second, inside the transaction, parses again and writes the new rows in batches of
 * IMPORT_BATCH (multi-row inserts of practitioners, licenses or records, their audit rows as
 * consecutive links of the chain, and their keys). Memory holds one batch, not the file.
 */
import { createHash, randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import {
  findImportedRowKeys,
  inClinics,
  insertAuditEvents,
  insertImportBatch,
  insertImportRows,
  insertLicenses,
  insertPractitioners,
  insertRecordVersions,
  listClinics,
  markEvaluationsStale,
  type NewImportRow,
} from "@dn/db";
import {
  type AuditEvent,
  type CompletionRow,
  CompletionRowSchema,
  completionRecordTitle,
  type ImportProblem,
  type ImportReport,
  type License,
  type Practitioner,
  type RosterRow,
  RosterRowSchema,
  type RunImportInput,
  RunImportInputSchema,
  type TrainingRecord,
} from "@dn/schema";
import { parse } from "csv-parse";
import type { z } from "zod";
import { badRequest } from "../errors.ts";
import { inTransaction, type ServiceContext } from "./context.ts";
import { clinicIdsOf, requirePermission } from "./guards.ts";
import {
  IMPORT_COLUMNS,
  JURISDICTION_IMPORT_COLUMNS,
  normalizeImportJurisdiction,
  OPTIONAL_IMPORT_COLUMNS,
} from "./import-template.ts";
import { inviteImportedPractitioners } from "./invitations.service.ts";
import { orderedIds } from "./ordered-ids.ts";

export type ImportProgress = (done: number, total: number) => void;

/** The CSV's bytes or text, in chunks; called once per pass, so it must be re-readable. */
export type CsvSource = () => AsyncIterable<string | Buffer> | Iterable<string | Buffer>;

/** What an import is told besides the file itself. */
export type ImportOptions = Omit<RunImportInput, "content">;

/** How many new rows are written per batch (multi-row inserts; one progress report each). */
export const IMPORT_BATCH = 500;

/** A file-level problem (not CSV, no header, missing columns): the file has no rows then. */
class CsvFileProblem extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.reason);
  }
}

interface CsvRow {
  line: number;
  fields: Record<string, string>;
}

/**
 * Streams the CSV as header-keyed rows with their line numbers; a file-level problem is thrown
 * as CsvFileProblem (on the line csv-parse names, the header's, or line 1).
 */
async function* readCsv(source: CsvSource, columns: readonly string[]): AsyncGenerator<CsvRow> {
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
  });
  const input = Readable.from(source());
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  let names: string[] | null = null;
  try {
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      const { record, info } = item;
      if (names === null) {
        names = record.map((name) =>
          name
            .trim()
            .toLowerCase()
            .replace(/[\s-]+/g, "_"),
        );
        const present = names;
        const missing = columns.filter(
          (column) => !present.includes(column) && !OPTIONAL_IMPORT_COLUMNS.has(column),
        );
        if (missing.length > 0) {
          throw new CsvFileProblem({
            line: info.lines,
            field: null,
            reason: `the header lacks column${missing.length === 1 ? "" : "s"} ${missing.join(", ")} (expected ${columns.join(", ")})`,
          });
        }
        continue;
      }
      const fields: Record<string, string> = {};
      names.forEach((name, index) => {
        fields[name] = record[index] ?? "";
      });
      if (record.length > names.length) fields.__extra = String(record.length - names.length);
      yield { line: info.lines, fields };
    }
  } catch (error) {
    if (error instanceof CsvFileProblem) throw error;
    if (
      (error as { code?: unknown }).code === undefined ||
      !String((error as { code?: unknown }).code).startsWith("CSV_")
    ) {
      throw error;
    }
    const line = (error as { lines?: number }).lines ?? 1;
    throw new CsvFileProblem({
      line,
      field: null,
      reason: `the file is not valid CSV: ${(error as Error).message}`,
    });
  } finally {
    input.destroy();
  }
  if (names === null)
    throw new CsvFileProblem({ line: 1, field: null, reason: "the file is empty" });
}

/** A problem of one column of a row, before it is given its line. */
interface FieldProblem {
  field: string;
  reason: string;
}

function keyOf(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/**
 * One kind of import: its columns, row schema (and the schema of each column, to tell which
 * columns of a bad row are good), idempotency key and checks against the database. `check` is
 * given the columns that are valid on their own and returns every problem it finds among them.
 */
interface RowRules<T> {
  columns: readonly string[];
  schema: z.ZodType<T>;
  shape: Record<string, z.ZodType>;
  keyFor: (value: T) => string;
  check: (value: Partial<T>) => FieldProblem[];
}

/**
 * The schema's view of a row's fields: empty cells are absent (license_expires stays ""), and a
 * state column holds its ISO 3166-2 code (`MD` becomes `US-MD`; an unknown code is left as written
 * and reported by `validateRow`).
 */
function schemaInput(fields: Record<string, string>): Record<string, string | undefined> {
  const input: Record<string, string | undefined> = {};
  for (const k in fields) {
    const v = fields[k] as string;
    const value = JURISDICTION_IMPORT_COLUMNS.has(k) ? normalizeImportJurisdiction(v) || v : v;
    input[k] = OPTIONAL_IMPORT_COLUMNS.has(k) ? value : value === "" ? undefined : value;
  }
  return input;
}

/**
 * Validates one row: its value, or every problem of the row, at most one per column (in column
 * order), each reason starting with the column's name. A column that is valid on its own is
 * still checked against the database when another column is bad.
 */
function validateRow<T>(
  fields: Record<string, string>,
  rules: RowRules<T>,
): { value: T; problems: null } | { value: null; problems: Omit<ImportProblem, "line">[] } {
  const byField = new Map<string, string>();
  for (const column of JURISDICTION_IMPORT_COLUMNS) {
    const written = fields[column];
    if (written === undefined || !rules.columns.includes(column)) continue;
    if (normalizeImportJurisdiction(written) === null) {
      byField.set(
        column,
        `unknown jurisdiction code ${JSON.stringify(written)}: use a two-letter state code (MD) or ISO 3166-2 (US-MD)`,
      );
    }
  }
  const input = schemaInput(fields);
  const result = rules.schema.safeParse(input);
  if (result.success && byField.size === 0) {
    const problems = rules.check(result.data);
    if (problems.length === 0) return { value: result.data, problems: null };
    for (const problem of problems) {
      if (!byField.has(problem.field)) byField.set(problem.field, problem.reason);
    }
  } else {
    for (const issue of result.error?.issues ?? []) {
      const field = issue.path.map(String).join(".");
      if (!byField.has(field)) byField.set(field, issue.message);
    }
    // The columns valid on their own still meet the checks (clinic, license, dates).
    const partial: Record<string, unknown> = {};
    for (const column of rules.columns) {
      const schema = rules.shape[column];
      if (byField.has(column) || !schema) continue;
      const one = schema.safeParse(input[column]);
      if (one.success) partial[column] = one.data;
    }
    for (const problem of rules.check(partial as Partial<T>)) {
      if (!byField.has(problem.field)) byField.set(problem.field, problem.reason);
    }
  }
  const order = (field: string) => {
    const index = rules.columns.indexOf(field);
    return index === -1 ? rules.columns.length : index;
  };
  const problems = [...byField]
    .map(([field, reason]) => ({
      field: field || null,
      reason: field ? `${field} ${reason}` : reason,
    }))
    .sort((a, b) => order(a.field ?? "") - order(b.field ?? ""));
  return { value: null, problems };
}

/** What the first pass learns: the report's counts and problems, and which rows are new. */
interface Checked {
  fileSha256: string;
  rowsTotal: number;
  rowsValid: number;
  /** Rows with at least one problem (a row may have several). */
  rowsInvalid: number;
  rowsAlready: number;
  problems: ImportProblem[];
  /** By row ordinal (0 = the first row after the header): 1 when the row is to be imported. */
  todo: Uint8Array;
  todoCount: number;
}

/**
 * The first pass: validates every row (schema, checks, a key repeated inside the file) and asks
 * the database which keys were imported before, 500 at a time. Keeps no row, only its verdict.
 */
async function checkRows<T>(
  ctx: ServiceContext,
  kind: ImportOptions["kind"],
  source: CsvSource,
  rules: RowRules<T>,
): Promise<Checked> {
  const hash = createHash("sha256");
  const hashed: CsvSource = () =>
    (async function* () {
      for await (const chunk of source()) {
        hash.update(chunk);
        yield chunk;
      }
    })();
  const problems: ImportProblem[] = [];
  const firstLineOfKey = new Map<string, number>();
  let todo = new Uint8Array(1024);
  let rowsTotal = 0;
  let rowsValid = 0;
  let rowsInvalid = 0;
  let rowsAlready = 0;
  let todoCount = 0;
  let pending: { ordinal: number; key: string }[] = [];
  const settle = async () => {
    const already = await findImportedRowKeys(
      ctx.db,
      ctx.actor.organizationId,
      kind,
      pending.map((row) => row.key),
    );
    for (const row of pending) {
      if (already.has(row.key)) rowsAlready += 1;
      else {
        todo[row.ordinal] = 1;
        todoCount += 1;
      }
    }
    pending = [];
  };
  try {
    for await (const { line, fields } of readCsv(hashed, rules.columns)) {
      const ordinal = rowsTotal;
      rowsTotal += 1;
      if (ordinal >= todo.length) {
        const grown = new Uint8Array(todo.length * 2);
        grown.set(todo);
        todo = grown;
      }
      if (fields.__extra) {
        rowsInvalid += 1;
        problems.push({
          line,
          field: null,
          reason: `has ${fields.__extra} more field(s) than the header`,
        });
        continue;
      }
      const result = validateRow(fields, rules);
      if (result.problems) {
        rowsInvalid += 1;
        for (const problem of result.problems) problems.push({ line, ...problem });
        continue;
      }
      const key = rules.keyFor(result.value);
      const earlier = firstLineOfKey.get(key);
      if (earlier !== undefined) {
        rowsInvalid += 1;
        problems.push({
          line,
          field: null,
          reason: `repeats line ${earlier} (same person and license or same completion)`,
        });
        continue;
      }
      firstLineOfKey.set(key, line);
      rowsValid += 1;
      pending.push({ ordinal, key });
      if (pending.length >= IMPORT_BATCH) await settle();
    }
    await settle();
  } catch (error) {
    if (!(error instanceof CsvFileProblem)) throw error;
    // A file that is not CSV (or lacks columns) has no rows: only its one problem is reported.
    // The parser stopped part-way, so the digest that names the file is taken over again.
    const whole = createHash("sha256");
    for await (const chunk of source()) whole.update(chunk);
    return {
      fileSha256: whole.digest("hex"),
      rowsTotal: 0,
      rowsValid: 0,
      rowsInvalid: 1,
      rowsAlready: 0,
      problems: [error.problem],
      todo: new Uint8Array(0),
      todoCount: 0,
    };
  }
  if (rowsTotal === 0) {
    rowsInvalid = 1;
    problems.push({ line: 1, field: null, reason: "the file has a header but no rows" });
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    fileSha256: hash.digest("hex"),
    rowsTotal,
    rowsValid,
    rowsInvalid,
    rowsAlready,
    problems,
    todo,
    todoCount,
  };
}

/** The second pass: the rows to import, parsed again, in batches of IMPORT_BATCH. */
async function* newRows<T>(
  source: CsvSource,
  rules: RowRules<T>,
  todo: Uint8Array,
): AsyncGenerator<{ line: number; key: string; value: T }[]> {
  let ordinal = 0;
  let batch: { line: number; key: string; value: T }[] = [];
  for await (const { line, fields } of readCsv(source, rules.columns)) {
    if (todo[ordinal++] !== 1) continue;
    const value = rules.schema.parse(schemaInput(fields));
    batch.push({ line, key: rules.keyFor(value), value });
    if (batch.length >= IMPORT_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function isDryNeedling(subject: string): boolean {
  return /dry[\s-]*needl|\bdn\b|intramuscular|trigger[\s-]*point/i.test(subject);
}

/** The emails of the organization's practitioners outside `clinicIds`, lower-cased. */
async function emailsOutside(
  ctx: ServiceContext,
  clinicIds: readonly string[],
): Promise<Set<string>> {
  const rows = await ctx.db
    .selectFrom("practitioners")
    .select(["email", "clinicId"])
    .where("organizationId", "=", ctx.actor.organizationId)
    .where("email", "is not", null)
    .execute();
  return new Set(
    rows.flatMap((row) =>
      row.email && !clinicIds.includes(row.clinicId) ? [row.email.toLowerCase()] : [],
    ),
  );
}

/**
 * Validates and, when allowed, imports a roster or completions file. A manager limited to clinics
 * imports for those clinics only: a roster row naming another clinic, or the email of another
 * clinic's practitioner, is a problem of its line; a completion for a license held elsewhere
 * matches no practitioner of theirs.
 */
export async function runImport(
  ctx: ServiceContext,
  raw: RunImportInput,
  onProgress?: ImportProgress,
): Promise<ImportReport> {
  requirePermission(ctx, "run:import");
  const { content, ...options } = RunImportInputSchema.parse(raw);
  return importCsv(ctx, options, () => [content], onProgress);
}

/**
 * `runImport` for a file read in chunks (the CLI streams it from disk): `source` is called once
 * per pass and must yield the same bytes each time.
 */
export async function importCsv(
  ctx: ServiceContext,
  raw: ImportOptions,
  source: CsvSource,
  onProgress?: ImportProgress,
): Promise<ImportReport> {
  const reach = requirePermission(ctx, "run:import");
  const clinicIds = clinicIdsOf(reach);
  const input = RunImportInputSchema.omit({ content: true }).parse(raw);
  if (input.inviteImported && (input.kind !== "roster" || !ctx.accounts.mailer)) {
    throw badRequest(
      input.kind !== "roster"
        ? "only a staff roster import can invite practitioners"
        : "this installation sends no email, so imported practitioners cannot be invited",
      "inviteImported",
    );
  }
  const organizationId = ctx.actor.organizationId;
  const today = ctx.now().toISOString().slice(0, 10);

  let licenseOwners = new Map<string, string>();
  let clinicsByName = new Map<string, string>();
  let rosterRules: RowRules<RosterRow> | null = null;
  let completionRules: RowRules<CompletionRow> | null = null;
  if (input.kind === "roster") {
    // Clinic names are unique in an organization, archived clinics included (clinics.service.ts).
    const clinics = await listClinics(ctx.db, organizationId);
    clinicsByName = new Map(clinics.map((c) => [c.name.trim().toLowerCase(), c.id]));
    const archived = new Set(clinics.filter((c) => c.archivedAt !== null).map((c) => c.id));
    // A manager limited to clinics imports into those only: another clinic's staff are refused.
    const elsewhere = clinicIds ? await emailsOutside(ctx, clinicIds) : new Set<string>();
    rosterRules = {
      columns: IMPORT_COLUMNS.roster,
      schema: RosterRowSchema,
      shape: RosterRowSchema.shape,
      keyFor: (row) =>
        keyOf("roster", row.email, row.license_state, row.license_number.toUpperCase()),
      check: (row) => {
        const problems: FieldProblem[] = [];
        if (row.clinic !== undefined) {
          const clinicId = clinicsByName.get(row.clinic.trim().toLowerCase());
          if (!clinicId) {
            problems.push({
              field: "clinic",
              reason: `names no clinic of the organization ("${row.clinic}")`,
            });
          } else if (clinicIds && !clinicIds.includes(clinicId)) {
            problems.push({
              field: "clinic",
              reason: `names a clinic you do not manage ("${row.clinic}")`,
            });
          } else if (archived.has(clinicId)) {
            // Nobody is imported into an archived clinic, as nobody is added to one by hand.
            problems.push({
              field: "clinic",
              reason: `names an archived clinic ("${row.clinic}")`,
            });
          }
        }
        if (row.email !== undefined && elsewhere.has(row.email.toLowerCase())) {
          problems.push({
            field: "email",
            reason: "belongs to a practitioner of a clinic you do not manage",
          });
        }
        if (row.license_issued !== undefined && row.license_issued > today) {
          problems.push({ field: "license_issued", reason: "must not be in the future" });
        }
        if (
          row.license_expires != null &&
          row.license_issued !== undefined &&
          row.license_expires < row.license_issued
        ) {
          problems.push({ field: "license_expires", reason: "must not be before license_issued" });
        }
        return problems;
      },
    };
  } else {
    const owners = await ctx.db
      .selectFrom("licenses as l")
      .innerJoin("practitioners as p", "p.id", "l.practitionerId")
      .select(["l.jurisdiction", "l.number", "p.id as practitionerId"])
      .where("p.organizationId", "=", organizationId)
      .where("p.archivedAt", "is", null)
      .$if(clinicIds !== undefined, (query) =>
        query.where(inClinics("p.clinicId", clinicIds ?? [])),
      )
      .execute();
    licenseOwners = new Map(
      owners.map((o) => [`${o.jurisdiction}|${o.number.toUpperCase()}`, o.practitionerId]),
    );
    completionRules = {
      columns: IMPORT_COLUMNS.completions,
      schema: CompletionRowSchema,
      shape: CompletionRowSchema.shape,
      keyFor: (row) =>
        keyOf(
          "completion",
          row.state,
          row.license_number.toUpperCase(),
          row.course_id,
          row.completion_date,
        ),
      check: (row) => {
        const problems: FieldProblem[] = [];
        if (
          row.state !== undefined &&
          row.license_number !== undefined &&
          !licenseOwners.has(`${row.state}|${row.license_number.toUpperCase()}`)
        ) {
          problems.push({
            field: "license_number",
            reason: `matches no current practitioner holding a ${row.state} license ${row.license_number}`,
          });
        }
        if (row.completion_date !== undefined && row.completion_date > today) {
          problems.push({ field: "completion_date", reason: "must not be in the future" });
        }
        return problems;
      },
    };
  }

  const checked = rosterRules
    ? await checkRows(ctx, input.kind, source, rosterRules)
    : await checkRows(ctx, input.kind, source, completionRules as RowRules<CompletionRow>);
  const { problems } = checked;
  const report: ImportReport = {
    kind: input.kind,
    fileSha256: checked.fileSha256,
    rowsTotal: checked.rowsTotal,
    rowsValid: checked.rowsValid,
    rowsInvalid: checked.rowsInvalid,
    rowsAlready: checked.rowsAlready,
    rowsImported: 0,
    problems,
    applied: false,
    batchId: null,
    invitations: null,
  };
  const blocked = problems.length > 0 && !input.onlyValid;
  if (input.dryRun || blocked || checked.todoCount === 0) return report;
  if (checked.rowsTotal === 0) throw badRequest("the file has no rows to import", "content");

  const importedPractitionerIds: string[] = [];
  const total = checked.todoCount;
  const imported = await inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const nextId = orderedIds(tx.now());
    const batchId = randomUUID();
    await insertImportBatch(tx.db, {
      id: batchId,
      organizationId,
      kind: input.kind,
      fileName: input.fileName,
      fileSha256: checked.fileSha256,
      rowsTotal: checked.rowsTotal,
      rowsImported: total,
      rowsAlready: report.rowsAlready,
      rowsInvalid: checked.rowsInvalid,
      importedBy: tx.actor.userId,
      importedAt: at,
    });
    const auditEvent = (
      action: string,
      entityType: "practitioner" | "license" | "training-record",
      entityId: string,
      after: object,
    ): AuditEvent => ({
      id: nextId(),
      organizationId,
      actorId: tx.actor.userId,
      at,
      action,
      entityType,
      entityId,
      before: null,
      after: { ...after, importBatchId: batchId },
    });
    let done = 0;
    const report100 = (before: number, after: number) => {
      if (!onProgress) return;
      // As one row at a time did: every hundredth row and the last.
      for (let n = Math.floor(before / 100) * 100 + 100; n <= after; n += 100) onProgress(n, total);
      if (after === total && after % 100 !== 0) onProgress(after, total);
    };

    if (rosterRules) {
      const practitionerByEmail = new Map<string, string>();
      const existing = await tx.db
        .selectFrom("practitioners")
        .select(["id", "email"])
        .where("organizationId", "=", organizationId)
        .where("email", "is not", null)
        .execute();
      for (const p of existing) if (p.email) practitionerByEmail.set(p.email.toLowerCase(), p.id);
      for await (const batch of newRows(source, rosterRules, checked.todo)) {
        const practitioners: Practitioner[] = [];
        const licenses: License[] = [];
        const audit: AuditEvent[] = [];
        const keys: NewImportRow[] = [];
        for (const { key, value } of batch) {
          let practitionerId = practitionerByEmail.get(value.email);
          if (!practitionerId) {
            const practitioner: Practitioner = {
              id: nextId(),
              organizationId,
              clinicId: clinicsByName.get(value.clinic.trim().toLowerCase()) as string,
              name: value.name,
              email: value.email,
              profession: value.profession,
              archivedAt: null,
              createdAt: at,
              updatedAt: at,
            };
            practitioners.push(practitioner);
            practitionerId = practitioner.id;
            practitionerByEmail.set(value.email, practitionerId);
            audit.push(
              auditEvent("practitioner.import", "practitioner", practitioner.id, practitioner),
            );
          }
          const license: License = {
            id: nextId(),
            practitionerId,
            jurisdiction: value.license_state,
            number: value.license_number,
            issuedOn: value.license_issued,
            expiresOn: value.license_expires,
            status:
              value.license_expires !== null && value.license_expires < today
                ? "expired"
                : "active",
            createdAt: at,
            updatedAt: at,
          };
          licenses.push(license);
          audit.push(auditEvent("license.import", "license", license.id, license));
          importedPractitionerIds.push(practitionerId);
          keys.push({
            organizationId,
            kind: input.kind,
            rowKey: key,
            batchId,
            entityId: license.id,
          });
        }
        await insertPractitioners(tx.db, practitioners);
        await insertLicenses(tx.db, licenses);
        // New practitioners' first states are stale already; a license for someone on file
        // marks theirs.
        const created = new Set(practitioners.map((p) => p.id));
        await markEvaluationsStale(tx.db, {
          organizationId,
          practitionerIds: licenses.map((l) => l.practitionerId).filter((id) => !created.has(id)),
        });
        await insertAuditEvents(tx.db, organizationId, audit);
        await insertImportRows(tx.db, keys);
        report100(done, done + batch.length);
        done += batch.length;
      }
    } else {
      for await (const batch of newRows(
        source,
        completionRules as RowRules<CompletionRow>,
        checked.todo,
      )) {
        const records: TrainingRecord[] = [];
        const audit: AuditEvent[] = [];
        const keys: NewImportRow[] = [];
        for (const { line, key, value } of batch) {
          const practitionerId = licenseOwners.get(
            `${value.state}|${value.license_number.toUpperCase()}`,
          ) as string;
          const record: TrainingRecord = {
            id: nextId(),
            version: 1,
            practitionerId,
            kind: isDryNeedling(value.subject_area) ? "dn-course" : "ce-activity",
            title: completionRecordTitle(value),
            provider: null,
            completedOn: value.completion_date,
            hours: { theory: value.hours, practical: 0, online: 0 },
            topics: [],
            count: null,
            examType: null,
            passed: null,
            expiresOn: null,
            jurisdiction: null,
            notes: `Reported by the course provider for ${value.state} license ${value.license_number}; imported from ${input.fileName} (line ${line}).`,
            provenance: "provider-reported",
            status: "verified",
            reviewedBy: tx.actor.userId,
            reviewedAt: at,
            reviewReason: "provider-reported completion",
            recordedAt: at,
            recordedBy: tx.actor.userId,
          };
          records.push(record);
          audit.push(auditEvent("training-record.import", "training-record", record.id, record));
          keys.push({
            organizationId,
            kind: input.kind,
            rowKey: key,
            batchId,
            entityId: record.id,
          });
        }
        await insertRecordVersions(tx.db, records, nextId);
        await markEvaluationsStale(tx.db, {
          organizationId,
          practitionerIds: records.map((r) => r.practitionerId),
        });
        await insertAuditEvents(tx.db, organizationId, audit);
        await insertImportRows(tx.db, keys);
        report100(done, done + batch.length);
        done += batch.length;
      }
    }
    if (done !== total) {
      // The source gave other bytes the second time: write nothing rather than half a file.
      throw badRequest("the file changed while it was being imported", "content");
    }
    return { ...report, rowsImported: total, applied: true, batchId };
  });
  if (!input.inviteImported) return imported;
  // After the import commits: invitations are emailed, and a failed email undoes no import.
  return {
    ...imported,
    invitations: await inviteImportedPractitioners(ctx, importedPractitionerIds, imported.batchId),
  };
}
