/**
 * Compliance exports: what an export covers (scope → practitioners and standard versions), the
 * organization's signing key, and the use-cases of the export history (create, list, download).
 * The files themselves are written by export-jobs.ts in the background.
 */
import { randomUUID } from "node:crypto";
import { type Evaluation, evaluate, NoVersionInForceError, toDossier } from "@dn/compliance";
import {
  type Db,
  findClinicById,
  findExportJob,
  findOrganizationById,
  findOrganizationKey,
  findPractitionerById,
  insertExportJob,
  insertOrganizationKeyIfAbsent,
  listCurrentEvaluationsOf,
  listExportJobs as listExportJobRows,
  listLicensesOfPractitioners,
  listPractitioners,
  listRecordVersionsOfPractitioners,
  type OrganizationKey,
  type PractitionerWithClinic,
  type StoredExportJob,
} from "@dn/db";
import {
  type EvaluatedPractitioner,
  generateSigningKeyPair,
  publicKeyFingerprint,
  type SummarizedPractitioner,
  type SummaryEvaluation,
  toExportEvaluation,
  toExportPractitioner,
  toExportStandard,
  toSummaryEvaluation,
} from "@dn/exports";
import {
  type CreateExportInput,
  type Dossier,
  type ExportHeader,
  type ExportJob,
  type ExportPractitioner,
  type ExportScope,
  type Jurisdiction,
  type Page,
  type PageInput,
  type StandardDocument,
  selectVersion,
} from "@dn/schema";
import { can, canAny } from "../auth/permissions.ts";
import { badRequest, forbidden, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext, writeAudit } from "./context.ts";
import { clinicDatesOf, refreshEvaluations } from "./evaluations.ts";
import { describeRole, practitionerResource, requirePermission } from "./guards.ts";
import {
  applicableFor,
  loadOrganizationRules,
  type OrganizationRules,
} from "./staff-compliance.ts";
import type { FileStore } from "./storage/file-store.ts";

// ---------------------------------------------------------------------------------------------
// Signing keys
// ---------------------------------------------------------------------------------------------

/** The organization's Ed25519 key pair, made on first use and kept in the database. */
export async function ensureOrganizationKey(
  db: Db,
  organizationId: string,
  now: Date,
): Promise<OrganizationKey> {
  const existing = await findOrganizationKey(db, organizationId);
  if (existing) return existing;
  const pair = generateSigningKeyPair();
  return insertOrganizationKeyIfAbsent(db, {
    organizationId,
    publicKeyPem: pair.publicKeyPem,
    privateKeyPem: pair.privateKeyPem,
    fingerprint: publicKeyFingerprint(pair.publicKeyPem),
    createdAt: now.toISOString(),
  });
}

/** The actor's organization's bundle-signing public key, for those who read its exports. */
export async function organizationPublicKey(
  ctx: ServiceContext,
): Promise<{ organizationId: string; publicKeyPem: string; fingerprint: string }> {
  requirePermission(ctx, "read:export");
  const key = await ensureOrganizationKey(ctx.db, ctx.actor.organizationId, ctx.now());
  return {
    organizationId: key.organizationId,
    publicKeyPem: key.publicKeyPem,
    fingerprint: key.fingerprint,
  };
}

/** The public key anyone may fetch to check a bundle; null for an unknown organization. */
export async function findPublicExportKey(
  db: Db,
  organizationId: string,
  now: Date,
): Promise<{ publicKeyPem: string; fingerprint: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(organizationId)) return null;
  const organization = await findOrganizationById(db, organizationId);
  if (!organization) return null;
  const key = await ensureOrganizationKey(db, organizationId, now);
  return { publicKeyPem: key.publicKeyPem, fingerprint: key.fingerprint };
}

// ---------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------

/** Who an export is made for: an organization, optionally narrowed to one jurisdiction. */
export interface ExportAudience {
  organizationId: string;
  /** A regulator token's jurisdiction; the scope may not widen it. */
  jurisdiction: Jurisdiction | null;
}

/** The scope with the audience's jurisdiction applied: a restricted audience cannot widen it. */
export function narrowScope(scope: ExportScope, audience: ExportAudience): ExportScope {
  if (audience.jurisdiction === null) return scope;
  if (scope.jurisdiction !== undefined && scope.jurisdiction !== audience.jurisdiction) {
    throw badRequest(
      `must be ${audience.jurisdiction}, the only one you may see`,
      "scope.jurisdiction",
    );
  }
  return { ...scope, jurisdiction: audience.jurisdiction };
}

function inJurisdiction(standard: StandardDocument, jurisdiction: Jurisdiction | undefined) {
  return jurisdiction === undefined || standard.jurisdiction === jurisdiction;
}

/** Refuses a scope that names things outside the organization or standards not in force. */
export async function validateScope(
  db: Db,
  organizationId: string,
  scope: ExportScope,
): Promise<{ rules: OrganizationRules; scopeLabel: string }> {
  let scopeLabel = "the whole organization";
  if (scope.kind === "practitioner") {
    const practitioner = await findPractitionerById(db, scope.practitionerId);
    if (!practitioner || practitioner.organizationId !== organizationId) {
      throw notFound("practitioner", "scope.practitionerId");
    }
    scopeLabel = `practitioner ${practitioner.name}`;
  } else if (scope.kind === "clinic") {
    const clinic = await findClinicById(db, scope.clinicId);
    if (!clinic || clinic.organizationId !== organizationId) {
      throw notFound("clinic", "scope.clinicId");
    }
    scopeLabel = `clinic ${clinic.name} (${clinic.jurisdiction})`;
  }
  if (scope.jurisdiction) scopeLabel += `, limited to ${scope.jurisdiction}`;
  const rules = await loadOrganizationRules(db, organizationId);
  for (const [index, id] of (scope.standardIds ?? []).entries()) {
    const versions = rules.versions.get(id);
    const field = `scope.standardIds.${index}`;
    if (!versions) throw badRequest(`no standard "${id}" is visible to your organization`, field);
    const inForce = selectVersion(versions, scope.asOf);
    if (!inForce) throw badRequest(`no version of ${id} is in force on ${scope.asOf}`, field);
    if (!inJurisdiction(inForce, scope.jurisdiction)) {
      throw badRequest(`${id} is not a standard of ${scope.jurisdiction}`, field);
    }
  }
  return { rules, scopeLabel };
}

/**
 * Practitioners read per page: one keyset query, then their licenses and records in one each.
 * Small on purpose: better-sqlite3 builds each row as a dictionary-mode object of 26 properties,
 * and a page of 500 (25,000 record rows, mapped twice) alone held about 150 MB (decision 058).
 */
export const EXPORT_PAGE = 100;
/** Practitioners evaluated between two yields to the event loop. */
export const EXPORT_EVALUATION_BATCH = 25;

/** Lets timers and other requests run (setImmediate: after pending I/O callbacks). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function* practitionersInScope(
  db: Db,
  organizationId: string,
  scope: ExportScope,
): AsyncGenerator<PractitionerWithClinic[]> {
  let cursor: string | null = null;
  do {
    const page = await listPractitioners(db, {
      organizationId,
      limit: EXPORT_PAGE,
      cursor,
      ...(scope.kind === "clinic" ? { clinicId: scope.clinicId } : {}),
      ...(scope.kind === "practitioner" ? { practitionerId: scope.practitionerId } : {}),
      ...(scope.jurisdiction ? { jurisdiction: scope.jurisdiction } : {}),
    });
    if (page.items.length > 0) yield page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * The standard ids evaluated for one practitioner: the scope's explicit ids, or every standard
 * that applies (@dn/compliance `applicableStandardIds` through `applicableFor`: the clinic's
 * jurisdiction, active licenses, policies and assignments); kept to those in `inForce`.
 */
function standardIdsFor(
  rules: OrganizationRules,
  scope: ExportScope,
  practitioner: PractitionerWithClinic,
  licenses: readonly { jurisdiction: Jurisdiction; status: string }[],
  inForce: ReadonlyMap<string, StandardDocument>,
): string[] {
  const ids =
    scope.standardIds ??
    applicableFor(rules, practitioner, licenses as Parameters<typeof applicableFor>[2]).map(
      (entry) => entry.standardId,
    );
  return ids.filter((id) => inForce.has(id));
}

export interface ExportPlan {
  header: ExportHeader;
  /** Practitioners in scope. */
  count: number;
  /** Reads and evaluates the practitioners one page at a time; callable more than once. */
  practitioners: () => AsyncGenerator<ExportPractitioner>;
  /** The same without licenses and records, from the stored evaluations where they hold. */
  evaluatedPractitioners: (now: Date) => AsyncGenerator<EvaluatedPractitioner>;
  /** Only what the summary CSV prints, from the stored summaries where they hold. */
  summarizedPractitioners: (now: Date) => AsyncGenerator<SummarizedPractitioner>;
}

export interface PlanExportInput {
  exportId: string;
  scope: ExportScope;
  organizationId: string;
  generatedAt: string;
  generatedBy: ExportHeader["generatedBy"];
}

/**
 * Resolves a scope into the header (scope, standard versions and citations) and a re-readable
 * stream of evaluated practitioners. One pass over practitioners and licenses finds the
 * standards that apply; the dossiers are read only while streaming.
 */
export async function planExport(db: Db, input: PlanExportInput): Promise<ExportPlan> {
  const { scope, organizationId } = input;
  const organization = await findOrganizationById(db, organizationId);
  if (!organization) throw notFound("organization", null);
  const { rules, scopeLabel } = await validateScope(db, organizationId, scope);

  // Every standard in force on asOf (and of the audience's jurisdiction).
  const inForce = new Map<string, StandardDocument>();
  for (const [id, versions] of rules.versions) {
    const version = selectVersion(versions, scope.asOf);
    if (version && inJurisdiction(version, scope.jurisdiction)) inForce.set(id, version);
  }
  const applied = new Set<string>();
  let count = 0;
  for await (const page of practitionersInScope(db, organizationId, scope)) {
    if (count > 0) await yieldToEventLoop();
    const licenses = await listLicensesOfPractitioners(
      db,
      page.map((p) => p.id),
    );
    for (const practitioner of page) {
      count += 1;
      for (const id of standardIdsFor(
        rules,
        scope,
        practitioner,
        licenses.get(practitioner.id) ?? [],
        inForce,
      )) {
        applied.add(id);
      }
    }
  }
  for (const id of scope.standardIds ?? []) applied.add(id);
  const appliedStandards = [...applied]
    .sort()
    .map((id) => inForce.get(id))
    .filter((standard): standard is StandardDocument => standard !== undefined);
  const appliedIds = new Map(appliedStandards.map((s) => [s.id, s]));

  const header: ExportHeader = {
    format: "dn-compliance-export",
    version: 1,
    exportId: input.exportId,
    generatedAt: input.generatedAt,
    generatedBy: input.generatedBy,
    organization: { id: organization.id, name: organization.name },
    scope,
    scopeLabel,
    standards: appliedStandards.map(toExportStandard),
  };

  /** The answers of the standards in scope for one practitioner, evaluated now. */
  function evaluateLive(practitioner: PractitionerWithClinic, dossier: Dossier): Evaluation[] {
    const evaluations: Evaluation[] = [];
    for (const id of standardIdsFor(rules, scope, practitioner, dossier.licenses, appliedIds)) {
      const versions = rules.versions.get(id) ?? [];
      try {
        evaluations.push(
          evaluate(dossier, versions, {
            asOf: scope.asOf,
            ...(scope.knownAt ? { knownAt: scope.knownAt } : {}),
          }),
        );
      } catch (error) {
        if (!(error instanceof NoVersionInForceError)) throw error;
      }
    }
    return evaluations;
  }

  /**
   * One ordered pass (decision 058): practitioners by name in keyset pages of EXPORT_PAGE, each
   * page's licenses and record versions in one query each (never a query per practitioner),
   * evaluated EXPORT_EVALUATION_BATCH at a time with a yield to the event loop in between, so
   * an export of 100,000 practitioners holds memory for one page and never starves requests.
   */
  async function* practitioners(): AsyncGenerator<ExportPractitioner> {
    let sinceYield = 0;
    for await (const page of practitionersInScope(db, organizationId, scope)) {
      const ids = page.map((p) => p.id);
      const [licenses, records] = await Promise.all([
        listLicensesOfPractitioners(db, ids),
        listRecordVersionsOfPractitioners(db, ids),
      ]);
      for (const practitioner of page) {
        if (++sinceYield > EXPORT_EVALUATION_BATCH) {
          sinceYield = 1;
          await yieldToEventLoop();
        }
        const dossier = toDossier(
          practitioner,
          licenses.get(practitioner.id) ?? [],
          records.get(practitioner.id) ?? [],
        );
        yield toExportPractitioner({
          // An export limited to one jurisdiction shows that jurisdiction's licenses only: a
          // regulator of one state never learns license numbers held in another.
          dossier: scope.jurisdiction
            ? {
                ...dossier,
                licenses: dossier.licenses.filter((l) => l.jurisdiction === scope.jurisdiction),
              }
            : dossier,
          clinic: practitioner.clinic,
          evaluations: evaluateLive(practitioner, dossier),
          asOf: scope.asOf,
          knownAt: scope.knownAt ?? null,
        });
      }
    }
  }

  /**
   * The practitioners in scope with their answers, without licenses and records (what the CSV
   * files hold), read from the stored evaluations (decision 057) wherever they hold: an export
   * as of a clinic's today, not as known at an earlier instant and not of hand-picked standards.
   * Those are brought up to date first; anyone whose stored answers do not hold (a mark that came
   * in since, another date) is evaluated live, so the file is the same either way. `column` names
   * the stored JSON to read: the whole answer, or only what the summary CSV prints.
   */
  async function* answeredPractitioners(
    now: Date,
    column: "evaluationJson" | "summaryJson",
  ): AsyncGenerator<{
    practitioner: PractitionerWithClinic;
    /** The stored JSON of each answer, parsed; null when they were evaluated live instead. */
    stored: unknown[] | null;
    live: Evaluation[];
  }> {
    const today = { at: now };
    const storedClinics =
      scope.knownAt || scope.standardIds
        ? []
        : (clinicDatesOf(rules, today).find((group) => group.date === scope.asOf)?.clinicIds ?? []);
    if (storedClinics.length > 0) {
      await refreshEvaluations(db, rules, { today, clinics: storedClinics, now });
    }
    const fromStore = new Set(storedClinics);
    let sinceYield = 0;
    for await (const page of practitionersInScope(db, organizationId, scope)) {
      const ids = page.map((p) => p.id);
      const [licenses, stored] = await Promise.all([
        listLicensesOfPractitioners(db, ids),
        listCurrentEvaluationsOf(
          db,
          page.filter((p) => fromStore.has(p.clinicId)).map((p) => p.id),
          scope.asOf,
          column,
        ),
      ]);
      const answers = new Map<string, unknown[]>();
      const live: PractitionerWithClinic[] = [];
      for (const practitioner of page) {
        const own = stored.get(practitioner.id);
        const wanted = standardIdsFor(
          rules,
          scope,
          practitioner,
          licenses.get(practitioner.id) ?? [],
          appliedIds,
        );
        const rows = wanted.map((id) => own?.get(id));
        if (
          own &&
          rows.every(
            (row, i) => row?.standardVersion === appliedIds.get(wanted[i] as string)?.version,
          )
        ) {
          answers.set(
            practitioner.id,
            rows.map((row) => JSON.parse((row as { json: string }).json)),
          );
        } else live.push(practitioner);
      }
      const records =
        live.length > 0
          ? await listRecordVersionsOfPractitioners(
              db,
              live.map((p) => p.id),
            )
          : new Map();
      for (const practitioner of page) {
        if (++sinceYield > EXPORT_EVALUATION_BATCH) {
          sinceYield = 1;
          await yieldToEventLoop();
        }
        const answer = answers.get(practitioner.id);
        if (answer) {
          yield { practitioner, stored: answer, live: [] };
          continue;
        }
        const dossier = toDossier(
          practitioner,
          licenses.get(practitioner.id) ?? [],
          records.get(practitioner.id) ?? [],
        );
        yield { practitioner, stored: null, live: evaluateLive(practitioner, dossier) };
      }
    }
  }

  const who = (practitioner: PractitionerWithClinic) => ({
    id: practitioner.id,
    name: practitioner.name,
    profession: practitioner.profession,
    clinic: practitioner.clinic ? { ...practitioner.clinic } : null,
  });

  async function* evaluatedPractitioners(now: Date): AsyncGenerator<EvaluatedPractitioner> {
    for await (const { practitioner, stored, live } of answeredPractitioners(
      now,
      "evaluationJson",
    )) {
      const evaluations = (stored as Evaluation[] | null) ?? live;
      yield { ...who(practitioner), evaluations: evaluations.map(toExportEvaluation) };
    }
  }

  async function* summarizedPractitioners(now: Date): AsyncGenerator<SummarizedPractitioner> {
    for await (const { practitioner, stored, live } of answeredPractitioners(now, "summaryJson")) {
      yield {
        ...who(practitioner),
        evaluations:
          (stored as SummaryEvaluation[] | null) ??
          live.map((evaluation) => toSummaryEvaluation(toExportEvaluation(evaluation))),
      };
    }
  }

  return { header, count, practitioners, evaluatedPractitioners, summarizedPractitioners };
}

// ---------------------------------------------------------------------------------------------
// Use-cases: the export history
// ---------------------------------------------------------------------------------------------

/** Public view of a stored job. */
export function toExportJobView(job: StoredExportJob): ExportJob {
  const { storageKey: _key, apiTokenId: _token, ...view } = job;
  return view;
}

/**
 * Refuses a scope the actor may not export: another clinic's practitioner or clinic is NOT_FOUND,
 * the whole organization FORBIDDEN to a manager limited to clinics (it spans other clinics).
 */
async function requireExportableScope(ctx: ServiceContext, scope: ExportScope): Promise<void> {
  const organizationId = ctx.actor.organizationId;
  if (scope.kind === "practitioner") {
    const practitioner = await findPractitionerById(ctx.db, scope.practitionerId);
    if (!practitioner || !can(ctx.actor, "create:export", practitionerResource(practitioner))) {
      throw notFound("practitioner", "scope.practitionerId");
    }
  } else if (scope.kind === "clinic") {
    if (!can(ctx.actor, "create:export", { organizationId, clinicId: scope.clinicId })) {
      throw notFound("clinic", "scope.clinicId");
    }
  } else if (!can(ctx.actor, "create:export", { organizationId })) {
    throw forbidden(
      `your role (${describeRole(ctx.actor)}) may not export the whole organization: choose one of your clinics or one of their practitioners`,
    );
  }
}

/**
 * Whose exports the actor sees: the organization's, or (a manager limited to clinics) the ones
 * they made, each of which was checked to lie within their clinics when it was made.
 */
function exportsCreatedBy(ctx: ServiceContext): string | undefined {
  return canAny(ctx.actor, "read:export") ? undefined : ctx.actor.userId;
}

/** Queues an export of `input.scope` for the background worker; audited. */
export async function createExport(
  ctx: ServiceContext,
  input: CreateExportInput,
  audience: { apiTokenId: string | null; jurisdiction: Jurisdiction | null } = {
    apiTokenId: null,
    jurisdiction: null,
  },
): Promise<ExportJob> {
  requirePermission(ctx, "create:export");
  const scope = narrowScope(input.scope, {
    organizationId: ctx.actor.organizationId,
    jurisdiction: audience.jurisdiction,
  });
  await requireExportableScope(ctx, scope);
  await validateScope(ctx.db, ctx.actor.organizationId, scope);
  const id = randomUUID();
  const at = ctx.now().toISOString();
  await inTransaction(ctx, async (tx) => {
    await insertExportJob(tx.db, {
      id,
      organizationId: ctx.actor.organizationId,
      kind: input.kind,
      scope,
      createdBy: audience.apiTokenId ? null : ctx.actor.userId,
      apiTokenId: audience.apiTokenId,
      createdAt: at,
    });
    const entry = {
      action: "export.create",
      entityType: "export" as const,
      entityId: id,
      before: null,
      after: { kind: input.kind, scope, apiTokenId: audience.apiTokenId },
    };
    if (audience.apiTokenId) {
      await writeAudit(
        tx.db,
        { organizationId: ctx.actor.organizationId, actorId: null },
        at,
        entry,
      );
    } else {
      await auditByActor(tx.db, tx, at, entry);
    }
  });
  // Wake a worker now. Should the message be lost, the scheduler tick queues it again.
  await ctx.jobs
    ?.send("export.run", { exportId: id }, { singletonKey: id })
    .catch((error: unknown) => ctx.accounts.reportError(error, "queueing an export"));
  const job = await findExportJob(ctx.db, id);
  if (!job) throw notFound("export");
  return toExportJobView(job);
}

/** The organization's export history, newest first. */
export async function listExports(
  ctx: ServiceContext,
  input: PageInput,
  apiTokenId?: string,
): Promise<Page<ExportJob>> {
  requirePermission(ctx, "read:export");
  const page = await listExportJobRows(ctx.db, {
    organizationId: ctx.actor.organizationId,
    cursor: input.cursor ?? null,
    limit: input.limit,
    ...(apiTokenId ? { apiTokenId } : {}),
    createdBy: exportsCreatedBy(ctx),
  });
  return { items: page.items.map(toExportJobView), nextCursor: page.nextCursor };
}

async function requireExportJob(
  ctx: ServiceContext,
  id: string,
  apiTokenId?: string,
): Promise<StoredExportJob> {
  requirePermission(ctx, "read:export");
  const job = await findExportJob(ctx.db, id);
  const createdBy = exportsCreatedBy(ctx);
  if (
    !job ||
    job.organizationId !== ctx.actor.organizationId ||
    (apiTokenId !== undefined && job.apiTokenId !== apiTokenId) ||
    (createdBy !== undefined && job.createdBy !== createdBy)
  ) {
    throw notFound("export");
  }
  return job;
}

export async function getExport(
  ctx: ServiceContext,
  id: string,
  apiTokenId?: string,
): Promise<ExportJob> {
  return toExportJobView(await requireExportJob(ctx, id, apiTokenId));
}

export interface ExportDownload {
  job: ExportJob;
  fileName: string;
  sha256: string;
  size: number;
  /** A stream of the file, or null when it is missing from the store. */
  open: () => ReturnType<FileStore["read"]>;
}

/** A finished export's file, for downloading again; the download is audited. */
export async function downloadExport(
  ctx: ServiceContext,
  storage: FileStore,
  id: string,
  apiTokenId?: string,
): Promise<ExportDownload> {
  const job = await requireExportJob(ctx, id, apiTokenId);
  if (job.status !== "done" || !job.storageKey || !job.fileName || !job.sha256) {
    throw badRequest(`the export is ${job.status}; it can be downloaded once done`, "id");
  }
  if (!(await storage.exists(job.storageKey))) throw notFound("export file");
  const at = ctx.now().toISOString();
  await writeAudit(
    ctx.db,
    { organizationId: ctx.actor.organizationId, actorId: apiTokenId ? null : ctx.actor.userId },
    at,
    {
      action: "export.download",
      entityType: "export",
      entityId: job.id,
      before: null,
      after: { sha256: job.sha256, apiTokenId: apiTokenId ?? null },
    },
  );
  const key = job.storageKey;
  return {
    job: toExportJobView(job),
    fileName: job.fileName,
    sha256: job.sha256,
    size: job.size ?? 0,
    open: () => storage.read(key),
  };
}
