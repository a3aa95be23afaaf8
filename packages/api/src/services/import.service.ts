/**
 * Bulk import of a staff roster or provider-reported completions from CSV. Every row is
 * validated first; the report names each bad row by line number and reason. Nothing is written
 * unless the file is clean or the caller asks for the good rows only (`onlyValid`). Each row has
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
  COMPLETION_COLUMNS,
  type CompletionRow,
  CompletionRowSchema,
  completionRecordTitle,
  type ImportProblem,
  type ImportReport,
  type License,
  type Practitioner,
  ROSTER_COLUMNS,
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
import { inviteImportedPractitioners } from "./invitations.service.ts";

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
          (column) => !present.includes(column) && column !== "license_expires",
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

function firstIssue(error: z.ZodError): { field: string | null; reason: string } {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join(".") || null;
  const value = issue?.message ?? "is invalid";
  return { field, reason: field ? `${field} ${value}` : value };
}

function keyOf(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

/** One kind of import: its columns, row schema, idempotency key and checks against the database. */
interface RowRules<T> {
  columns: readonly string[];
  schema: z.ZodType<T>;
  keyFor: (value: T) => string;
  check: (value: T) => { field: string; reason: string } | null;
}

/** The schema's view of a row's fields: empty cells are absent (license_expires stays ""). */
function schemaInput(fields: Record<string, string>): Record<string, string | undefined> {
  const input: Record<string, string | undefined> = {};
  for (const k in fields) {
    const v = fields[k] as string;
    input[k] = k === "license_expires" ? v : v === "" ? undefined : v;
  }
  return input;
}

/** What the first pass learns: the report's counts and problems, and which rows are new. */
interface Checked {
  fileSha256: string;
  rowsTotal: number;
  rowsValid: number;
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
        problems.push({
          line,
          field: null,
          reason: `has ${fields.__extra} more field(s) than the header`,
        });
        continue;
      }
      const result = rules.schema.safeParse(schemaInput(fields));
      if (!result.success) {
        problems.push({ line, ...firstIssue(result.error) });
        continue;
      }
      const problem = rules.check(result.data);
      if (problem) {
        problems.push({ line, field: problem.field, reason: `${problem.field} ${problem.reason}` });
        continue;
      }
      const key = rules.keyFor(result.data);
      const earlier = firstLineOfKey.get(key);
      if (earlier !== undefined) {
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
      rowsAlready: 0,
      problems: [error.problem],
      todo: new Uint8Array(0),
      todoCount: 0,
    };
  }
  if (rowsTotal === 0) {
    problems.push({ line: 1, field: null, reason: "the file has a header but no rows" });
  }
  problems.sort((a, b) => a.line - b.line);
  return {
    fileSha256: hash.digest("hex"),
    rowsTotal,
    rowsValid,
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
      columns: ROSTER_COLUMNS,
      schema: RosterRowSchema,
      keyFor: (row) =>
        keyOf("roster", row.email, row.license_state, row.license_number.toUpperCase()),
      check: (row) => {
        const clinicId = clinicsByName.get(row.clinic.trim().toLowerCase());
        if (!clinicId) {
          return {
            field: "clinic",
            reason: `names no clinic of the organization ("${row.clinic}")`,
          };
        }
        if (clinicIds && !clinicIds.includes(clinicId)) {
          return { field: "clinic", reason: `names a clinic you do not manage ("${row.clinic}")` };
        }
        // Nobody is imported into an archived clinic, as nobody is added to one by hand.
        if (archived.has(clinicId)) {
          return { field: "clinic", reason: `names an archived clinic ("${row.clinic}")` };
        }
        if (elsewhere.has(row.email.toLowerCase())) {
          return {
            field: "email",
            reason: "belongs to a practitioner of a clinic you do not manage",
          };
        }
        if (row.license_expires !== null && row.license_expires < row.license_issued) {
          return { field: "license_expires", reason: "must not be before license_issued" };
        }
        if (row.license_issued > today)
          return { field: "license_issued", reason: "must not be in the future" };
        return null;
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
      columns: COMPLETION_COLUMNS,
      schema: CompletionRowSchema,
      keyFor: (row) =>
        keyOf(
          "completion",
          row.state,
          row.license_number.toUpperCase(),
          row.course_id,
          row.completion_date,
        ),
      check: (row) => {
        if (!licenseOwners.has(`${row.state}|${row.license_number.toUpperCase()}`)) {
          return {
            field: "license_number",
            reason: `matches no current practitioner holding a ${row.state} license ${row.license_number}`,
          };
        }
        if (row.completion_date > today)
          return { field: "completion_date", reason: "must not be in the future" };
        return null;
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
    rowsInvalid: problems.length,
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
      rowsInvalid: problems.length,
      importedBy: tx.actor.userId,
      importedAt: at,
    });
    const auditEvent = (
      action: string,
      entityType: "practitioner" | "license" | "training-record",
      entityId: string,
      after: object,
    ): AuditEvent => ({
      id: randomUUID(),
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
              id: randomUUID(),
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
            id: randomUUID(),
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
        await markEvaluationsStale(tx.db, {
          organizationId,
          practitionerIds: licenses.map((l) => l.practitionerId),
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
            id: randomUUID(),
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
        await insertRecordVersions(tx.db, records);
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
