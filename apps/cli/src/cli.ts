import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  type Actor,
  actorFromUser,
  asDomainError,
  baseContext,
  dossiersService,
  type ServiceContext,
} from "@dn/api";
import { type Clock, utcDateOf } from "@dn/clock";
import { evaluate, NoVersionInForceError } from "@dn/compliance";
import {
  createDb,
  type DbHandle,
  findActiveMember,
  findClinicById,
  findFirstUserWithRole,
  findPractitionerById,
  findUserCredentialsByEmail,
  listMembershipsOfUser,
  migrateToLatest,
} from "@dn/db";
import {
  type Dossier,
  DossierSchema,
  describeIssues,
  isCalendarDate,
  type StandardDocument,
} from "@dn/schema";
import {
  listStandardIds,
  readStandardFile,
  StandardValidationError,
  standardsInForce,
  standardsPack,
  standardVersions,
} from "@dn/standards";
import { Command, CommanderError } from "commander";
import { registerAuditCommands } from "./audit-commands.ts";
import { registerExportCommands } from "./export-commands.ts";
import { formatEvaluation, formatStandard, formatStandardList } from "./format.ts";
import { registerOrgCommands } from "./org-commands.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Relative paths are resolved against it (pnpm runs scripts from the package folder). */
  cwd: string;
  /** The clock (main.ts passes `systemClock`, tests a fixed one): "today" for defaults, and the
   * `now` every service call gets. The engine itself never reads the clock. */
  now: Clock;
  /** Opens the database for `dn dossier` (default: `createDb()`, from DATABASE_URL or SQLite). */
  openDb?: () => DbHandle;
}

/** Exit codes: 0 qualified/expiring or success, 1 any other verdict or failed check, 2 bad input. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** Bad input from the user: printed as is, exit code 2. */
class InputError extends Error {}

function readText(path: string, what: string, io: CliIo): string {
  try {
    return readFileSync(resolve(io.cwd, path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(
      `${what}: cannot read ${path}${code === "ENOENT" ? " (no such file)" : ` (${code})`}`,
    );
  }
}

function readDossier(path: string, io: CliIo): Dossier {
  return readDossierFile(path, "--dossier", io);
}

function readDossierFile(path: string, what: string, io: CliIo): Dossier {
  const text = readText(path, what, io);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${what}: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = DossierSchema.safeParse(json);
  if (!result.success) {
    const problems = describeIssues(result.error).map((p) => `  ${p.path}: ${p.message}`);
    throw new InputError(`${what}: ${path} is not a valid dossier:\n${problems.join("\n")}`);
  }
  return result.data;
}

function looksLikeFile(value: string): boolean {
  return /\.(ya?ml|json)$/i.test(value) || value.includes("/");
}

/** A pack id gives every version (the engine picks the one in force); a file gives itself. */
function readStandard(idOrFile: string, io: CliIo): StandardDocument | StandardDocument[] {
  if (looksLikeFile(idOrFile)) {
    readText(idOrFile, "--standard", io);
    return readStandardFile(resolve(io.cwd, idOrFile));
  }
  const versions = standardVersions(idOrFile);
  if (versions.length === 0) {
    throw new InputError(
      `--standard: no standard "${idOrFile}" in the pack; \`dn standards list\` shows them, or give a .yaml/.json file`,
    );
  }
  return versions;
}

/** Runs an evaluation; "no version in force" becomes bad input that says when one starts. */
function evaluateOrExplain<T>(run: () => T, standard: StandardDocument | StandardDocument[]): T {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof NoVersionInForceError)) throw error;
    const [earliest] = (Array.isArray(standard) ? standard : [standard])
      .filter((version) => !version.draft && version.effectiveFrom !== null)
      .sort((a, b) => ((a.effectiveFrom as string) < (b.effectiveFrom as string) ? -1 : 1));
    const when = earliest
      ? `its earliest version (v${earliest.version}) is in force from ${earliest.effectiveFrom}`
      : "it has only drafts, which are never in force";
    throw new InputError(`${error.message}; ${when}`);
  }
}

function checkDate(value: string | undefined, option: string): string | undefined {
  if (value !== undefined && !isCalendarDate(value)) {
    throw new InputError(`${option}: "${value}" is not a real date written as YYYY-MM-DD`);
  }
  return value;
}

function checkInstant(value: string | undefined, option: string): string | undefined {
  if (
    value !== undefined &&
    (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(Date.parse(value)))
  ) {
    throw new InputError(
      `${option}: "${value}" is not an ISO timestamp such as 2026-03-01T12:00:00Z`,
    );
  }
  return value;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Opens the database, migrates it, runs `work`, and always closes it. */
async function withDatabase(io: CliIo, work: (db: DbHandle["db"]) => Promise<void>) {
  const handle = (io.openDb ?? (() => createDb()))();
  try {
    await migrateToLatest(handle.db);
    await work(handle.db);
  } finally {
    await handle.destroy();
  }
}

/**
 * The user the CLI acts as within an organization: `--as <email>`, or else its first admin.
 * Services authorize and audit as that user, exactly as for a signed-in request.
 */
async function contextFor(
  now: Clock,
  db: DbHandle["db"],
  organizationId: string,
  email: string | undefined,
): Promise<ServiceContext> {
  let actor: Actor | null = null;
  if (email) {
    const row = await findUserCredentialsByEmail(db, email);
    const user = row ? await findActiveMember(db, row.id, organizationId) : null;
    if (!user) {
      throw new InputError(`--as: no user ${email} in this organization`);
    }
    actor = actorFromUser(user);
  } else {
    const admin = await findFirstUserWithRole(db, organizationId, "admin");
    if (!admin) throw new InputError("--as: the organization has no admin; name a user with --as");
    actor = actorFromUser(admin);
  }
  return { ...baseContext(db, now), actor };
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const today = () => utcDateOf(io.now());
  const program = new Command("dn")
    .description("Dry-needling qualifications and CE, checked against versioned standards")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();

  program
    .command("evaluate")
    .description("Evaluate a practitioner's dossier against a standard")
    .requiredOption("--standard <id-or-file>", "a standard id from the pack, or a .yaml/.json file")
    .requiredOption("--dossier <file>", "a dn-dossier JSON file")
    .option("--as-of <date>", "evaluate as of this date, YYYY-MM-DD (default: today)")
    .option("--known-at <instant>", "ignore records recorded or corrected after this ISO instant")
    .option("--horizon-days <days>", "days ahead in which a lapse makes a verdict expiring", "60")
    .option("--json", "print the evaluation as JSON")
    .action(
      (options: {
        standard: string;
        dossier: string;
        asOf?: string;
        knownAt?: string;
        horizonDays: string;
        json?: boolean;
      }) => {
        const asOf = checkDate(options.asOf, "--as-of") ?? today();
        const knownAt = checkInstant(options.knownAt, "--known-at");
        const horizonDays = Number(options.horizonDays);
        if (!Number.isInteger(horizonDays) || horizonDays < 0) {
          throw new InputError(
            `--horizon-days: "${options.horizonDays}" is not a whole number of days`,
          );
        }
        const dossier = readDossier(options.dossier, io);
        const standard = readStandard(options.standard, io);
        const evaluation = evaluateOrExplain(
          () =>
            evaluate(dossier, standard, {
              asOf,
              ...(knownAt ? { knownAt } : {}),
              horizonDays,
            }),
          standard,
        );
        io.stdout(options.json ? json(evaluation) : formatEvaluation(evaluation));
        setExit(
          evaluation.status === "qualified" || evaluation.status === "expiring"
            ? EXIT.ok
            : EXIT.failed,
        );
      },
    );

  const standards = program.command("standards").description("The standards pack");
  standards
    .command("list")
    .description("List the standards (every version, or those in force on a date)")
    .option("--as-of <date>", "only the version of each standard in force on this date")
    .option("--json", "print JSON")
    .action((options: { asOf?: string; json?: boolean }) => {
      const asOf = checkDate(options.asOf, "--as-of");
      const list = asOf ? standardsInForce(asOf) : [...standardsPack];
      io.stdout(options.json ? json(list) : formatStandardList(list));
    });
  standards
    .command("show <id>")
    .description("Show every version of one standard with its citations and requirements")
    .option("--json", "print JSON")
    .action((id: string, options: { json?: boolean }) => {
      const versions = standardVersions(id);
      if (versions.length === 0) {
        throw new InputError(
          `no standard "${id}" in the pack; known ids: ${listStandardIds().join(", ")}`,
        );
      }
      io.stdout(options.json ? json(versions) : formatStandard(versions));
    });
  standards
    .command("validate <files...>")
    .description("Check standard documents (YAML or JSON); each problem names its field")
    .action((files: string[]) => {
      let bad = 0;
      for (const file of files) {
        try {
          readText(file, "validate", io);
          const standard = readStandardFile(resolve(io.cwd, file));
          io.stdout(
            `ok ${file}: ${standard.id} v${standard.version}, ${standard.requirements.length} requirements\n`,
          );
        } catch (error) {
          bad += 1;
          io.stderr(`${(error as Error).message}\n`);
        }
      }
      if (bad > 0) setExit(EXIT.badInput);
    });

  const dossier = program
    .command("dossier")
    .description("Dossiers (dn-dossier JSON) in and out of the database named by DATABASE_URL");
  dossier
    .command("export")
    .description("Write one practitioner as a dn-dossier JSON document")
    .requiredOption("--practitioner <id>", "the practitioner's id")
    .option("--out <file>", "write to this file instead of standard output")
    .option("--as <email>", "act as this user (default: the organization's first admin)")
    .action((options: { practitioner: string; out?: string; as?: string }) =>
      withDatabase(io, async (db) => {
        const practitioner = await findPractitionerById(db, options.practitioner);
        if (!practitioner) {
          throw new InputError(`--practitioner: no practitioner with id ${options.practitioner}`);
        }
        const ctx = await contextFor(io.now, db, practitioner.organizationId, options.as);
        const exported = await dossiersService.exportDossier(ctx, practitioner.id);
        if (options.out) {
          writeFileSync(resolve(io.cwd, options.out), json(exported));
          io.stdout(
            `wrote ${practitioner.name}: ${exported.licenses.length} licenses, ${exported.records.length} record versions to ${options.out}\n`,
          );
        } else {
          io.stdout(json(exported));
        }
      }),
    );
  dossier
    .command("import <file>")
    .description("Create a practitioner, their licenses and records from a dn-dossier file")
    .requiredOption("--clinic <id>", "the clinic the practitioner joins")
    .option("--as <email>", "act as this user (default: the organization's first admin)")
    .action((file: string, options: { clinic: string; as?: string }) =>
      withDatabase(io, async (db) => {
        const parsed = readDossierFile(file, "import", io);
        const clinic = await findClinicById(db, options.clinic);
        if (!clinic) throw new InputError(`--clinic: no clinic with id ${options.clinic}`);
        const ctx = await contextFor(io.now, db, clinic.organizationId, options.as);
        const result = await dossiersService.importDossier(ctx, {
          clinicId: clinic.id,
          dossier: parsed,
        });
        io.stdout(
          `imported ${result.practitioner.name} as practitioner ${result.practitioner.id} in ${clinic.name}: ${result.licenses} licenses, ${result.records} records (${result.recordVersions} versions)\n`,
        );
      }),
    );

  registerExportCommands(program, {
    io,
    withDatabase: (work) => withDatabase(io, work),
    contextFor: async (db, email) => contextFor(io.now, db, await organizationOf(db, email), email),
    setExit,
    inputError: (message) => new InputError(message),
    today,
  });
  registerOrgCommands(program, {
    io,
    withDatabase: (work) => withDatabase(io, work),
    inputError: (message) => new InputError(message),
  });
  registerAuditCommands(program, {
    io,
    withDatabase: (work) => withDatabase(io, work),
    contextFor: async (db, email) => contextFor(io.now, db, await organizationOf(db, email), email),
    setExit,
    inputError: (message) => new InputError(message),
  });
  return program;
}

/** The organization of `email`, or the only organization when none is named. */
async function organizationOf(db: DbHandle["db"], email: string | undefined): Promise<string> {
  if (email) {
    const row = await findUserCredentialsByEmail(db, email);
    if (!row) throw new InputError(`--as: no user ${email}`);
    const active = (await listMembershipsOfUser(db, row.id)).filter((m) => m.status === "active");
    const only = active.length === 1 ? active[0] : undefined;
    if (!only) {
      throw new InputError(
        active.length === 0
          ? `--as: ${email} is not an active member of any organization`
          : `--as: ${email} belongs to ${active.length} organizations; the CLI acts in one, so use a user of that organization only`,
      );
    }
    return only.organizationId;
  }
  const organizations = await db.selectFrom("organizations").select("id").limit(2).execute();
  if (organizations.length !== 1) {
    throw new InputError(
      "--as: name a user with --as <email> (there is not exactly one organization)",
    );
  }
  return (organizations[0] as { id: string }).id;
}

/** Runs one command line and returns its exit code; never calls process.exit. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors (already printed by commander) are bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (
      error instanceof InputError ||
      error instanceof StandardValidationError ||
      error instanceof NoVersionInForceError ||
      error instanceof TypeError
    ) {
      io.stderr(`dn: ${error.message}\n`);
      return EXIT.badInput;
    }
    const domain = asDomainError(error);
    if (domain) {
      io.stderr(`dn: ${domain.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
