/**
 * Bulk import of a staff roster or provider-reported completions from CSV. Every row is
 * validated first; the report names each bad row by line number and reason. Nothing is written
 * unless the file is clean or the caller asks for the good rows only (`onlyValid`). Each row has
 * an idempotency key (roster: email + license; completions: license + course + date), stored in
 * `import_rows`, so importing the same file again writes nothing twice. One transaction, audited.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  findImportedRowKeys,
  inClinics,
  insertImportBatch,
  insertImportRow,
  insertLicense,
  insertPractitioner,
  insertRecordVersion,
  listClinics,
} from "@dn/db";
import {
  COMPLETION_COLUMNS,
  type CompletionRow,
  CompletionRowSchema,
  completionRecordTitle,
  type ImportProblem,
  type ImportReport,
  ROSTER_COLUMNS,
  type RosterRow,
  RosterRowSchema,
  type RunImportInput,
  RunImportInputSchema,
  type TrainingRecord,
} from "@dn/schema";
import { parse } from "csv-parse/sync";
import type { z } from "zod";
import { badRequest } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { clinicIdsOf, requirePermission } from "./guards.ts";
import { inviteImportedPractitioners } from "./invitations.service.ts";

export type ImportProgress = (done: number, total: number) => void;

interface ParsedRow<T> {
  line: number;
  key: string;
  value: T;
}

interface Parsed<T> {
  rowsTotal: number;
  rows: ParsedRow<T>[];
  problems: ImportProblem[];
}

/** Reads the CSV into header-keyed rows with their line numbers; file-level problems on line 1. */
function readCsv(
  content: string,
  columns: readonly string[],
): { rows: { line: number; fields: Record<string, string> }[]; problems: ImportProblem[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? 1;
    return {
      rows: [],
      problems: [
        { line, field: null, reason: `the file is not valid CSV: ${(error as Error).message}` },
      ],
    };
  }
  const [header, ...body] = records;
  if (!header)
    return { rows: [], problems: [{ line: 1, field: null, reason: "the file is empty" }] };
  const names = header.record.map((name) =>
    name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_"),
  );
  const missing = columns.filter(
    (column) => !names.includes(column) && column !== "license_expires",
  );
  if (missing.length > 0) {
    return {
      rows: [],
      problems: [
        {
          line: header.info.lines,
          field: null,
          reason: `the header lacks column${missing.length === 1 ? "" : "s"} ${missing.join(", ")} (expected ${columns.join(", ")})`,
        },
      ],
    };
  }
  const rows = body.map(({ record, info }) => {
    const fields: Record<string, string> = {};
    names.forEach((name, index) => {
      fields[name] = record[index] ?? "";
    });
    if (record.length > names.length) fields.__extra = String(record.length - names.length);
    return { line: info.lines, fields };
  });
  return { rows, problems: [] };
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

function validateRows<T>(
  rows: { line: number; fields: Record<string, string> }[],
  schema: z.ZodType<T>,
  keyFor: (value: T) => string,
  check: (value: T) => { field: string; reason: string } | null,
): Parsed<T> {
  const problems: ImportProblem[] = [];
  const valid: ParsedRow<T>[] = [];
  const firstLineOfKey = new Map<string, number>();
  for (const { line, fields } of rows) {
    if (fields.__extra) {
      problems.push({
        line,
        field: null,
        reason: `has ${fields.__extra} more field(s) than the header`,
      });
      continue;
    }
    const input = Object.fromEntries(
      Object.entries(fields).map(([k, v]) => [
        k,
        k === "license_expires" ? v : v === "" ? undefined : v,
      ]),
    );
    const result = schema.safeParse(input);
    if (!result.success) {
      problems.push({ line, ...firstIssue(result.error) });
      continue;
    }
    const problem = check(result.data);
    if (problem) {
      problems.push({ line, field: problem.field, reason: `${problem.field} ${problem.reason}` });
      continue;
    }
    const key = keyFor(result.data);
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
    valid.push({ line, key, value: result.data });
  }
  return { rowsTotal: rows.length, rows: valid, problems };
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
  const reach = requirePermission(ctx, "run:import");
  const clinicIds = clinicIdsOf(reach);
  const input = RunImportInputSchema.parse(raw);
  if (input.inviteImported && (input.kind !== "roster" || !ctx.accounts.mailer)) {
    throw badRequest(
      input.kind !== "roster"
        ? "only a staff roster import can invite practitioners"
        : "this installation sends no email, so imported practitioners cannot be invited",
      "inviteImported",
    );
  }
  const organizationId = ctx.actor.organizationId;
  const fileSha256 = createHash("sha256").update(input.content).digest("hex");
  const today = ctx.now().toISOString().slice(0, 10);

  const csv = readCsv(input.content, input.kind === "roster" ? ROSTER_COLUMNS : COMPLETION_COLUMNS);
  if (csv.rows.length === 0 && csv.problems.length === 0) {
    csv.problems.push({ line: 1, field: null, reason: "the file has a header but no rows" });
  }

  let parsed: Parsed<RosterRow> | Parsed<CompletionRow>;
  let licenseOwners = new Map<string, string>();
  let clinicsByName = new Map<string, string>();
  if (input.kind === "roster") {
    // Clinic names are unique in an organization, archived clinics included (clinics.service.ts).
    const clinics = await listClinics(ctx.db, organizationId);
    clinicsByName = new Map(clinics.map((c) => [c.name.trim().toLowerCase(), c.id]));
    const archived = new Set(clinics.filter((c) => c.archivedAt !== null).map((c) => c.id));
    // A manager limited to clinics imports into those only: another clinic's staff are refused.
    const elsewhere = clinicIds ? await emailsOutside(ctx, clinicIds) : new Set<string>();
    parsed = validateRows(
      csv.rows,
      RosterRowSchema,
      (row) => keyOf("roster", row.email, row.license_state, row.license_number.toUpperCase()),
      (row) => {
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
    );
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
    parsed = validateRows(
      csv.rows,
      CompletionRowSchema,
      (row) =>
        keyOf(
          "completion",
          row.state,
          row.license_number.toUpperCase(),
          row.course_id,
          row.completion_date,
        ),
      (row) => {
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
    );
  }

  const problems = [...csv.problems, ...parsed.problems].sort((a, b) => a.line - b.line);
  const already = await findImportedRowKeys(
    ctx.db,
    organizationId,
    input.kind,
    parsed.rows.map((row) => row.key),
  );
  const todo = parsed.rows.filter((row) => !already.has(row.key));
  const report: ImportReport = {
    kind: input.kind,
    fileSha256,
    rowsTotal: parsed.rowsTotal,
    rowsValid: parsed.rows.length,
    rowsInvalid: problems.length,
    rowsAlready: parsed.rows.length - todo.length,
    rowsImported: 0,
    problems,
    applied: false,
    batchId: null,
    invitations: null,
  };
  const blocked = problems.length > 0 && !input.onlyValid;
  if (input.dryRun || blocked || todo.length === 0) return report;
  if (parsed.rowsTotal === 0) throw badRequest("the file has no rows to import", "content");

  const importedPractitionerIds: string[] = [];
  const imported = await inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const batchId = randomUUID();
    await insertImportBatch(tx.db, {
      id: batchId,
      organizationId,
      kind: input.kind,
      fileName: input.fileName,
      fileSha256,
      rowsTotal: parsed.rowsTotal,
      rowsImported: todo.length,
      rowsAlready: report.rowsAlready,
      rowsInvalid: problems.length,
      importedBy: tx.actor.userId,
      importedAt: at,
    });
    const audit = (
      action: string,
      entityType: "practitioner" | "license" | "training-record",
      entityId: string,
      after: unknown,
    ) =>
      auditByActor(tx.db, tx, at, {
        action,
        entityType,
        entityId,
        before: null,
        after: { ...(after as object), importBatchId: batchId },
      });

    const practitionerByEmail = new Map<string, string>();
    if (input.kind === "roster") {
      const existing = await tx.db
        .selectFrom("practitioners")
        .select(["id", "email"])
        .where("organizationId", "=", organizationId)
        .where("email", "is not", null)
        .execute();
      for (const p of existing) if (p.email) practitionerByEmail.set(p.email.toLowerCase(), p.id);
    }
    let done = 0;
    for (const row of todo) {
      let entityId: string;
      if (input.kind === "roster") {
        const value = row.value as RosterRow;
        let practitionerId = practitionerByEmail.get(value.email);
        if (!practitionerId) {
          const practitioner = await insertPractitioner(tx.db, {
            id: randomUUID(),
            organizationId,
            clinicId: clinicsByName.get(value.clinic.trim().toLowerCase()) as string,
            name: value.name,
            email: value.email,
            profession: value.profession,
            archivedAt: null,
            createdAt: at,
            updatedAt: at,
          });
          practitionerId = practitioner.id;
          practitionerByEmail.set(value.email, practitionerId);
          await audit("practitioner.import", "practitioner", practitioner.id, practitioner);
        }
        const license = await insertLicense(tx.db, {
          id: randomUUID(),
          practitionerId,
          jurisdiction: value.license_state,
          number: value.license_number,
          issuedOn: value.license_issued,
          expiresOn: value.license_expires,
          status:
            value.license_expires !== null && value.license_expires < today ? "expired" : "active",
          createdAt: at,
          updatedAt: at,
        });
        await audit("license.import", "license", license.id, license);
        importedPractitionerIds.push(practitionerId);
        entityId = license.id;
      } else {
        const value = row.value as CompletionRow;
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
          notes: `Reported by the course provider for ${value.state} license ${value.license_number}; imported from ${input.fileName} (line ${row.line}).`,
          provenance: "provider-reported",
          status: "verified",
          reviewedBy: tx.actor.userId,
          reviewedAt: at,
          reviewReason: "provider-reported completion",
          recordedAt: at,
          recordedBy: tx.actor.userId,
        };
        await insertRecordVersion(tx.db, record);
        await audit("training-record.import", "training-record", record.id, record);
        entityId = record.id;
      }
      await insertImportRow(tx.db, {
        organizationId,
        kind: input.kind,
        rowKey: row.key,
        batchId,
        entityId,
      });
      done += 1;
      if (onProgress && (done % 100 === 0 || done === todo.length)) onProgress(done, todo.length);
    }
    return { ...report, rowsImported: todo.length, applied: true, batchId };
  });
  if (!input.inviteImported) return imported;
  // After the import commits: invitations are emailed, and a failed email undoes no import.
  return {
    ...imported,
    invitations: await inviteImportedPractitioners(ctx, importedPractitionerIds, imported.batchId),
  };
}
