/**
 * `dn import roster|completions <file.csv>`, `dn import template roster|completions`, `dn alerts run|digest` and `dn audit verify`: thin
 * shells over the import, deadline and audit services, acting (and audited) as a user of the
 * organization.
 */
import { createReadStream, statSync } from "node:fs";
import { resolve } from "node:path";
import {
  auditCheckpointsService,
  auditService,
  createSmtpMailer,
  deadlinesService,
  importService,
  importTemplates,
  type ServiceContext,
} from "@dn/api";
import type { DbHandle } from "@dn/db";
import { IMPORT_KINDS, ImportKindSchema, type ImportReport } from "@dn/schema";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { loadMailEnv } from "./env.ts";

type Db = DbHandle["db"];

export interface AuditCommandDeps {
  io: { stdout: (text: string) => void; stderr: (text: string) => void; cwd: string };
  withDatabase: (work: (db: Db) => Promise<void>) => Promise<void>;
  /** The context acting as `email` (or the only organization's first admin). */
  contextFor: (db: Db, email: string | undefined) => Promise<ServiceContext>;
  setExit: (code: number) => void;
  inputError: (message: string) => Error;
}

export function formatImportReport(report: ImportReport, file: string, onlyValid = false): string {
  const lines = [
    `${file}: ${report.rowsTotal} rows, ${report.rowsValid} valid, ${report.rowsInvalid} invalid, ${report.rowsAlready} already imported`,
  ];
  for (const problem of report.problems) lines.push(`  line ${problem.line}: ${problem.reason}`);
  if (report.applied) {
    lines.push(`imported ${report.rowsImported} rows (batch ${report.batchId})`);
  } else if (report.rowsInvalid > 0 && !onlyValid) {
    lines.push(
      "nothing imported: fix the rows above, or run again with --only-valid to import only the valid rows",
    );
  } else if (report.rowsAlready === report.rowsValid) {
    lines.push("nothing new to import: every valid row was imported before");
  } else {
    lines.push("checked only (--dry-run): nothing imported");
  }
  return `${lines.join("\n")}\n`;
}

export function registerAuditCommands(program: Command, deps: AuditCommandDeps): void {
  const { io } = deps;
  const imports = program
    .command("import")
    .description("Bulk import from CSV: a staff roster or provider-reported completions");
  imports
    .command("template <kind>")
    .description(
      `Print the CSV template of ${IMPORT_KINDS.join(" or ")}: the header and one example row`,
    )
    .action((kind: string) => {
      const parsed = ImportKindSchema.safeParse(kind);
      if (!parsed.success) {
        throw deps.inputError(
          `template: unknown kind ${JSON.stringify(kind)}: use ${IMPORT_KINDS.join(" or ")}`,
        );
      }
      io.stdout(importTemplates.importTemplateCsv(parsed.data));
    });
  for (const kind of IMPORT_KINDS) {
    imports
      .command(`${kind} <file>`)
      .description(
        `${kind === "roster" ? "Staff roster" : "Provider completions"} CSV: ${importTemplates.IMPORT_COLUMNS[kind].join(",")} (dn import template ${kind} prints an example)`,
      )
      .option("--only-valid", "import the valid rows even if some rows are invalid")
      .option("--dry-run", "validate and report only; write nothing")
      .option("--as <email>", "act as this user (default: the only organization's first admin)")
      .option("--json", "print the report as JSON")
      .action(
        (
          file: string,
          options: { onlyValid?: boolean; dryRun?: boolean; as?: string; json?: boolean },
        ) =>
          deps.withDatabase(async (db) => {
            // The file is streamed (twice: check, then import), never read whole (decision 058).
            const path = resolve(io.cwd, file);
            try {
              if (!statSync(path).isFile()) throw Object.assign(new Error(), { code: "EISDIR" });
            } catch (error) {
              throw deps.inputError(
                `${kind}: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`,
              );
            }
            const ctx = await deps.contextFor(db, options.as);
            const bar = new SingleBar({
              format: "importing [{bar}] {percentage}% | {value}/{total} rows",
              stream: process.stderr,
              hideCursor: true,
            });
            let started = false;
            const report = await importService.importCsv(
              ctx,
              {
                kind,
                fileName: file.split("/").at(-1) ?? file,
                dryRun: options.dryRun ?? false,
                onlyValid: options.onlyValid ?? false,
              },
              () => createReadStream(path, { highWaterMark: 256 * 1024 }),
              (done, total) => {
                if (!started) {
                  bar.start(total, 0);
                  started = true;
                }
                bar.update(done);
              },
            );
            if (started) bar.stop();
            io.stdout(
              options.json
                ? `${JSON.stringify(report, null, 2)}\n`
                : formatImportReport(report, file, options.onlyValid),
            );
            if (report.rowsInvalid > 0 && !report.applied && !options.onlyValid) deps.setExit(1);
          }),
      );
  }

  const alerts = program
    .command("alerts")
    .description("Deadline alerts: the inbox and email digests");
  alerts
    .command("run")
    .description("Raise today's deadline alerts in everyone's inbox (once per warning bucket)")
    .option("--as <email>", "act as this manager (default: the only organization's first admin)")
    .action((options: { as?: string }) =>
      deps.withDatabase(async (db) => {
        const ctx = await deps.contextFor(db, options.as);
        const { created } = await deadlinesService.runAlerts(ctx);
        io.stdout(`raised ${created} new alert${created === 1 ? "" : "s"}\n`);
      }),
    );
  alerts
    .command("digest")
    .description(
      "Email each user a digest of what lapses in the next 90 days (DN_SMTP_URL, DN_MAIL_FROM)",
    )
    .option("--as <email>", "the organization of this user (default: the only organization)")
    .option("--as-of <date>", "as of this date, YYYY-MM-DD (default: today)")
    .action((options: { as?: string; asOf?: string }) =>
      deps.withDatabase(async (db) => {
        const env = loadMailEnv();
        if (!env.DN_SMTP_URL)
          throw deps.inputError("digest: set DN_SMTP_URL, e.g. smtp://127.0.0.1:25");
        const ctx = await deps.contextFor(db, options.as);
        const mailer = createSmtpMailer({ url: env.DN_SMTP_URL, from: env.DN_MAIL_FROM });
        try {
          const sent = await deadlinesService.sendDigests(
            db,
            mailer,
            ctx.actor.organizationId,
            options.asOf ?? ctx.now().toISOString().slice(0, 10),
            { at: ctx.now().toISOString() },
          );
          io.stdout(`sent ${sent.length} digest${sent.length === 1 ? "" : "s"}\n`);
        } finally {
          mailer.close();
        }
      }),
    );

  const audit = program.command("audit").description("The audit trail");
  audit
    .command("checkpoint")
    .description(
      "Sign the organization's audit chain head with its export key and record it (the scheduler does this daily)",
    )
    .option("--as <email>", "act as this user (default: the only organization's first admin)")
    .action((options: { as?: string }) =>
      deps.withDatabase(async (db) => {
        const ctx = await deps.contextFor(db, options.as);
        const checkpoint = await auditCheckpointsService.createAuditCheckpoint(ctx);
        io.stdout(
          checkpoint
            ? `checkpoint: seq ${checkpoint.seq}, hash ${checkpoint.hash}, signed ${checkpoint.signedAt} by key ${checkpoint.keyFingerprint}\n`
            : "nothing to checkpoint: the audit trail is empty\n",
        );
      }),
    );
  audit
    .command("verify")
    .description(
      "Recompute the organization's audit hash chain and check its signed checkpoints; exit 1 naming the first changed, deleted or inserted row",
    )
    .option("--as <email>", "act as this user (default: the only organization's first admin)")
    .action((options: { as?: string }) =>
      deps.withDatabase(async (db) => {
        const ctx = await deps.contextFor(db, options.as);
        const result = await auditService.verifyAuditTrail(ctx);
        if (result.ok) {
          io.stdout(
            `audit trail intact: ${result.rows} rows, ${result.checkpoints} signed checkpoint${result.checkpoints === 1 ? "" : "s"} match\n`,
          );
          if (result.head) io.stdout(`head: seq ${result.head.seq}, hash ${result.head.hash}\n`);
        } else {
          io.stdout(
            `audit trail broken at seq ${result.seq} (${result.problem}): ${result.message}; ${result.rows} rows intact before it\n`,
          );
          deps.setExit(1);
        }
      }),
    );
}
