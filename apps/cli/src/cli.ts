import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { evaluate, NoVersionInForceError } from "@dn/compliance";
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
import { formatEvaluation, formatStandard, formatStandardList } from "./format.ts";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Relative paths are resolved against it (pnpm runs scripts from the package folder). */
  cwd: string;
  /** Today, for defaults; the engine itself never reads the clock. */
  today?: () => string;
}

/** Exit codes: 0 qualified/expiring or success, 1 any other verdict or failed check, 2 bad input. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** Bad input from the user: printed as is, exit code 2. */
class InputError extends Error {}

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

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
  const text = readText(path, "--dossier", io);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`--dossier: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = DossierSchema.safeParse(json);
  if (!result.success) {
    const problems = describeIssues(result.error).map((p) => `  ${p.path}: ${p.message}`);
    throw new InputError(`--dossier: ${path} is not a valid dossier:\n${problems.join("\n")}`);
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

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const today = io.today ?? todayUtc;
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
        const evaluation = evaluate(dossier, standard, {
          asOf,
          ...(knownAt ? { knownAt } : {}),
          horizonDays,
        });
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

  return program;
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
    throw error;
  }
}
