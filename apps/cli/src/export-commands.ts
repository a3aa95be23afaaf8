/**
 * `dn verify <bundle.zip>`: checks a signed export bundle offline (every hash, the signature)
 * and names what is wrong. `dn export`: makes a compliance export as a user of the organization,
 * as the API's background job does (queued, audited, kept in the history), with a progress bar.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import {
  createStorage,
  exportsService,
  loadStorageEnv,
  newExportLease,
  runExportJob,
  type ServiceContext,
  type Storage,
  type StorageSettings,
} from "@dn/api";
import { claimExportJob, type DbHandle, findExportJob } from "@dn/db";
import { type VerifyResult, verifyBundleFile } from "@dn/exports";
import { EXPORT_KINDS, type ExportKind, type ExportScope, ExportScopeSchema } from "@dn/schema";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";

type Db = DbHandle["db"];

export interface ExportCommandDeps {
  io: { stdout: (text: string) => void; stderr: (text: string) => void; cwd: string };
  withDatabase: (work: (db: Db) => Promise<void>) => Promise<void>;
  contextFor: (db: Db, email: string | undefined) => Promise<ServiceContext>;
  setExit: (code: number) => void;
  inputError: (message: string) => Error;
  today: () => string;
  /** Show a progress bar on standard error (default: when it is a terminal). */
  progress?: boolean;
  /** Where files are kept (default: from the environment, as the API reads it). */
  storageSettings?: () => StorageSettings;
}

export function formatVerifyResult(file: string, result: VerifyResult): string {
  if (result.ok) {
    const key =
      result.keySource === "supplied"
        ? "the public key supplied"
        : "the public key inside the bundle (pass --public-key <file> with the organization's key, from /.well-known/dn-export-key/<organizationId>, to rule out a re-signed bundle)";
    return `ok ${file}: ${result.verifiedFiles} files match manifest.json; the signature is valid under ${key} (fingerprint ${result.keyFingerprint})\n`;
  }
  const lines = [`FAILED ${file}: ${result.problems.length} problem(s)`];
  for (const problem of result.problems) lines.push(`  ${problem.kind}: ${problem.message}`);
  return `${lines.join("\n")}\n`;
}

function parseScope(
  options: {
    scope: string;
    asOf?: string;
    knownAt?: string;
    standard?: string[];
    jurisdiction?: string;
  },
  deps: ExportCommandDeps,
): ExportScope {
  const [kind, id] = options.scope.split(":", 2);
  const common = {
    asOf: options.asOf ?? deps.today(),
    ...(options.knownAt ? { knownAt: options.knownAt } : {}),
    ...(options.standard && options.standard.length > 0 ? { standardIds: options.standard } : {}),
    ...(options.jurisdiction ? { jurisdiction: options.jurisdiction } : {}),
  };
  const candidate =
    kind === "practitioner"
      ? { kind, practitionerId: id, ...common }
      : kind === "clinic"
        ? { kind, clinicId: id, ...common }
        : kind === "organization"
          ? { kind, ...common }
          : null;
  if (!candidate || (kind !== "organization" && !id)) {
    throw deps.inputError(
      `--scope: "${options.scope}" is not organization, clinic:<id> or practitioner:<id>`,
    );
  }
  const parsed = ExportScopeSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? "scope");
    const option =
      {
        asOf: "--as-of",
        knownAt: "--known-at",
        standardIds: "--standard",
        jurisdiction: "--jurisdiction",
      }[field] ?? "--scope";
    throw deps.inputError(`${option}: ${issue?.message ?? "is invalid"}`);
  }
  return parsed.data;
}

export function registerExportCommands(program: Command, deps: ExportCommandDeps): void {
  const { io } = deps;

  program
    .command("verify <bundle>")
    .description("Check a signed export bundle: every file's SHA-256 and the manifest's signature")
    .option(
      "--public-key <file>",
      "the organization's public key (PEM) to check the signature with",
    )
    .option("--json", "print the result as JSON")
    .action(async (bundle: string, options: { publicKey?: string; json?: boolean }) => {
      const path = resolve(io.cwd, bundle);
      if (!existsSync(path)) throw deps.inputError(`verify: cannot read ${bundle} (no such file)`);
      let publicKeyPem: string | undefined;
      if (options.publicKey) {
        const keyPath = resolve(io.cwd, options.publicKey);
        if (!existsSync(keyPath)) {
          throw deps.inputError(`--public-key: cannot read ${options.publicKey} (no such file)`);
        }
        publicKeyPem = readFileSync(keyPath, "utf8");
      }
      const result = await verifyBundleFile(path, publicKeyPem ? { publicKeyPem } : {});
      if (options.json) {
        io.stdout(
          `${JSON.stringify({ ok: result.ok, problems: result.problems, verifiedFiles: result.verifiedFiles, keySource: result.keySource, keyFingerprint: result.keyFingerprint }, null, 2)}\n`,
        );
      } else if (result.ok) {
        io.stdout(formatVerifyResult(bundle, result));
      } else {
        io.stderr(formatVerifyResult(bundle, result));
      }
      if (!result.ok) deps.setExit(1);
    });

  program
    .command("exports")
    .description("The export history: who exported what, when, with the file's SHA-256")
    .option("--as <email>", "act as this user (default: the only organization's first admin)")
    .option("--limit <n>", "how many, newest first", "25")
    .option("--json", "print JSON")
    .action((options: { as?: string; limit: string; json?: boolean }) =>
      deps.withDatabase(async (db) => {
        const limit = Number(options.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
          throw deps.inputError(`--limit: "${options.limit}" is not a whole number from 1 to 200`);
        }
        const ctx = await deps.contextFor(db, options.as);
        const page = await exportsService.listExports(ctx, { limit });
        if (options.json) {
          io.stdout(`${JSON.stringify(page.items, null, 2)}\n`);
          return;
        }
        if (page.items.length === 0) io.stdout("no exports yet\n");
        for (const job of page.items) {
          io.stdout(
            `${job.createdAt}  ${job.createdByName ?? "?"}  ${job.kind}  ${job.scope.kind} as of ${job.scope.asOf}  ${job.status}${job.status === "running" || job.status === "queued" ? ` ${job.progress}/${job.total ?? "?"}` : ""}  ${job.sha256 ?? ""}  ${job.id}\n`,
          );
        }
      }),
    );

  program
    .command("export")
    .description(
      "Export compliance for a regulator: bundle (signed ZIP), json, csv-summary, csv-detail or pdf-report",
    )
    .option("--kind <kind>", `one of ${EXPORT_KINDS.join(", ")}`, "bundle")
    .option("--scope <scope>", "organization, clinic:<id> or practitioner:<id>", "organization")
    .option("--standard <id...>", "standards to evaluate (default: all that apply)")
    .option("--as-of <date>", "the date compliance is stated for, YYYY-MM-DD (default: today)")
    .option("--known-at <instant>", "only records recorded by this ISO instant")
    .option(
      "--jurisdiction <code>",
      "only practitioners and standards of this jurisdiction, e.g. US-FL",
    )
    .requiredOption("--out <file>", "where to write the export")
    .option("--as <email>", "act as this user (default: the only organization's first admin)")
    .option(
      "--exports-dir <dir>",
      "with local storage: where the export history keeps files (default DN_EXPORTS_DIR or <repo>/data/exports)",
    )
    .option(
      "--files-dir <dir>",
      "with local storage: where certificates are stored (default DN_FILES_DIR or <repo>/data/files)",
    )
    .action(
      (options: {
        kind: string;
        scope: string;
        standard?: string[];
        asOf?: string;
        knownAt?: string;
        jurisdiction?: string;
        out: string;
        as?: string;
        exportsDir?: string;
        filesDir?: string;
      }) =>
        deps.withDatabase(async (db) => {
          if (!(EXPORT_KINDS as readonly string[]).includes(options.kind)) {
            throw deps.inputError(
              `--kind: "${options.kind}" is not one of ${EXPORT_KINDS.join(", ")}`,
            );
          }
          const scope = parseScope(options, deps);
          const ctx = await deps.contextFor(db, options.as);
          // The same stores as the API (DN_STORAGE, DN_FILES_DIR, DN_S3_*), so the export is in
          // the shared history and a bundle carries the certificates uploaded through the API.
          let settings: StorageSettings;
          try {
            settings = (deps.storageSettings ?? (() => loadStorageEnv()))();
          } catch (error) {
            throw deps.inputError((error as Error).message);
          }
          if (options.exportsDir || options.filesDir) {
            if (settings.driver !== "local") {
              throw deps.inputError(
                `${options.exportsDir ? "--exports-dir" : "--files-dir"}: files are in S3 (DN_STORAGE=s3), not in a directory`,
              );
            }
            settings = {
              ...settings,
              exportsDir: options.exportsDir ?? settings.exportsDir,
              filesDir: options.filesDir ?? settings.filesDir,
            };
          }
          const stores = createStorage(settings, { cwd: io.cwd });
          try {
            await exportWith(db, ctx, stores, scope, options);
          } finally {
            stores.close();
          }
        }),
    );

  async function exportWith(
    db: Db,
    ctx: ServiceContext,
    stores: Storage,
    scope: ExportScope,
    options: { kind: string; out: string },
  ): Promise<void> {
    const queued = await exportsService.createExport(ctx, {
      kind: options.kind as ExportKind,
      scope,
    });
    const showBar = deps.progress ?? Boolean(process.stderr.isTTY);
    const bar = new SingleBar({
      format: `exporting ${queued.kind} [{bar}] {percentage}% | {value}/{total} practitioner passes`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: false,
    });
    let started = false;
    const onProgress = (value: number, total: number) => {
      if (!showBar) return;
      if (!started) {
        bar.start(total, value);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(value);
      }
    };
    // Run it here unless an API worker sharing the database took it first; then follow it.
    const claimed = await claimExportJob(db, queued.id, newExportLease({ now: ctx.now }));
    let job = claimed
      ? await runExportJob(
          { db, storage: stores.exports, blobStore: stores.files, now: ctx.now },
          claimed,
          onProgress,
        )
      : await findExportJob(db, queued.id);
    while (job && (job.status === "queued" || job.status === "running")) {
      onProgress(job.progress, job.total ?? 0);
      await new Promise((done) => setTimeout(done, 250));
      job = await findExportJob(db, queued.id);
    }
    if (started) bar.stop();
    if (job?.status !== "done" || !job.storageKey) {
      io.stderr(`dn: the export failed: ${job?.error ?? "unknown error"}\n`);
      deps.setExit(1);
      return;
    }
    const out = resolve(io.cwd, options.out);
    mkdirSync(dirname(out), { recursive: true });
    const file = await stores.exports.read(job.storageKey);
    if (!file) {
      io.stderr(`dn: the export's file is missing from ${stores.exports.location}\n`);
      deps.setExit(1);
      return;
    }
    // Streamed to a temporary file beside --out, renamed once whole.
    const partial = `${out}.partial`;
    try {
      await pipeline(file, createWriteStream(partial));
      renameSync(partial, out);
    } catch (error) {
      rmSync(partial, { force: true });
      throw error;
    }
    io.stdout(
      `wrote ${options.out}: ${job.kind} export ${job.id} (${job.size} bytes, SHA-256 ${job.sha256})\n`,
    );
  }
}
