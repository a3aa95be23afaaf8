/**
 * `dn org create`: a new organization with its first clinic and admin, for scripted installs. The
 * same use-case as the admin app's set-up page, but trusted: it may add an organization to an
 * installation that already has some. The password never appears on the command line (where
 * `ps` and shell history would keep it): it is read from a file or from DN_ADMIN_PASSWORD.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { asDomainError, baseContext, organizationsService } from "@dn/api";
import type { DbHandle } from "@dn/db";
import { CreateOrganizationInputSchema, describeIssues } from "@dn/schema";
import type { Command } from "commander";
import { loadAdminPassword } from "./env.ts";

type Db = DbHandle["db"];

export interface OrgCommandDeps {
  io: { stdout: (text: string) => void; cwd: string; now: () => Date };
  withDatabase: (work: (db: Db) => Promise<void>) => Promise<void>;
  inputError: (message: string) => Error;
}

const PASSWORD_SOURCE = "--admin-password-file (or DN_ADMIN_PASSWORD)";

/** Where each input field comes from on the command line, for messages. */
const OPTION_OF_FIELD: Record<string, string> = {
  organizationName: "--name",
  "clinic.name": "--clinic-name",
  "clinic.jurisdiction": "--jurisdiction",
  "clinic.timeZone": "--time-zone",
  "admin.name": "--admin-name",
  "admin.email": "--admin-email",
  "admin.password": PASSWORD_SOURCE,
};

interface CreateOptions {
  name: string;
  clinicName: string;
  jurisdiction: string;
  timeZone: string;
  adminEmail: string;
  adminName: string;
  adminPasswordFile?: string;
  json?: boolean;
}

/** The password from the file (one trailing newline dropped), else from the environment. */
function readPassword(options: CreateOptions, deps: OrgCommandDeps): string {
  if (options.adminPasswordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(resolve(deps.io.cwd, options.adminPasswordFile), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw deps.inputError(
        `--admin-password-file: cannot read ${options.adminPasswordFile}${code === "ENOENT" ? " (no such file)" : ` (${code})`}`,
      );
    }
    return text.replace(/\r?\n$/, "");
  }
  const fromEnv = loadAdminPassword();
  if (fromEnv === undefined) {
    throw deps.inputError(
      "--admin-password-file: give the admin's password in a file, or set DN_ADMIN_PASSWORD",
    );
  }
  return fromEnv;
}

export function registerOrgCommands(program: Command, deps: OrgCommandDeps): void {
  const org = program.command("org").description("Organizations of this installation");
  org
    .command("create")
    .description("Create an organization with its first clinic and admin (scripted installs)")
    .requiredOption("--name <name>", "the organization's name")
    .requiredOption("--clinic-name <name>", "the first clinic's name")
    .requiredOption("--jurisdiction <code>", "the first clinic's state, e.g. US-MD")
    .requiredOption(
      "--time-zone <zone>",
      "the first clinic's IANA time zone, e.g. America/New_York",
    )
    .requiredOption("--admin-email <email>", "the first admin's email (their sign-in)")
    .requiredOption("--admin-name <name>", "the first admin's name")
    .option(
      "--admin-password-file <file>",
      "a file holding the admin's password (default: the DN_ADMIN_PASSWORD variable)",
    )
    .option("--json", "print the new ids as JSON")
    .action((options: CreateOptions) => {
      const parsed = CreateOrganizationInputSchema.safeParse({
        organizationName: options.name,
        clinic: {
          name: options.clinicName,
          jurisdiction: options.jurisdiction,
          timeZone: options.timeZone,
        },
        admin: {
          name: options.adminName,
          email: options.adminEmail,
          password: readPassword(options, deps),
        },
      });
      if (!parsed.success) {
        const problems = describeIssues(parsed.error).map(
          (p) => `  ${OPTION_OF_FIELD[p.path] ?? p.path}: ${p.message}`,
        );
        throw deps.inputError(`org create: the input is not valid:\n${problems.join("\n")}`);
      }
      return deps.withDatabase(async (db) => {
        let created: Awaited<ReturnType<typeof organizationsService.createOrganization>>;
        try {
          created = await organizationsService.createOrganization(
            baseContext(db, deps.io.now),
            parsed.data,
            { onlyIfFirst: false, source: "cli" },
          );
        } catch (error) {
          const domain = asDomainError(error);
          if (!domain?.field) throw error;
          throw deps.inputError(
            `${OPTION_OF_FIELD[domain.field] ?? domain.field}: ${domain.problem}`,
          );
        }
        const { organization, clinic, admin } = created;
        deps.io.stdout(
          options.json
            ? `${JSON.stringify(
                { organizationId: organization.id, clinicId: clinic.id, adminUserId: admin.id },
                null,
                2,
              )}\n`
            : `created organization ${organization.name} (${organization.id}) with clinic ${clinic.name} (${clinic.timeZone}) and admin ${admin.email}\n`,
        );
      });
    });
}
