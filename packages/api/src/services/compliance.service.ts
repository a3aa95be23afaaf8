/**
 * Compliance questions about one practitioner: a verdict against one standard, against every
 * applicable standard (the overview), against every state's DN rule (portability), and with
 * hypothetical records added (what-if). Read-only: a practitioner asks about themself, managers,
 * auditors and admins about anyone in their organization. The engine (@dn/compliance) does the
 * work; this layer loads the dossier and the standards, and applies `knownAt` to both.
 */
import {
  type Evaluation,
  evaluate,
  evaluatePortability,
  type HypotheticalRecord,
  NoVersionInForceError,
  uncoveredJurisdictions,
  whatIf,
} from "@dn/compliance";
import { findClinicById, findStoredEvaluation, listLicenses } from "@dn/db";
import {
  type ApplicableStandardDetail,
  type ComplianceOverview,
  type EvaluateComplianceInput,
  type EvaluationView,
  type License,
  type PortabilityView,
  type Practitioner,
  type PractitionerComplianceInput,
  type StandardDocument,
  type StandardVersionEntry,
  selectVersion,
  type WhatIfParsed,
  type WhatIfView,
} from "@dn/schema";
import { badRequest, notFound } from "../errors.ts";
import type { ServiceContext } from "./context.ts";
import { loadDossier } from "./dossier.service.ts";
import { requirePractitioner } from "./guards.ts";
import { applicableFor, loadOrganizationRules } from "./staff-compliance.ts";
import {
  listVisibleStandardVersions,
  resolveStandardVersionEntries,
  standardVersionsKnownAt,
} from "./standard-source.ts";
import { groupVersions, todayOf } from "./standards.service.ts";

// The engine's answer is exactly what the API declares it returns (checked by the compiler).
const asView = (evaluation: Evaluation): EvaluationView => evaluation;

/** The practitioner, if the actor may read their compliance (their training records). */
function requireSubject(ctx: ServiceContext, practitionerId: string): Promise<Practitioner> {
  return requirePractitioner(ctx, practitionerId, "read", "training-record", "practitionerId");
}

function whenOf(ctx: ServiceContext, input: PractitionerComplianceInput) {
  return {
    asOf: input.asOf ?? todayOf(ctx),
    ...(input.knownAt ? { knownAt: input.knownAt } : {}),
    ...(input.horizonDays !== undefined ? { horizonDays: input.horizonDays } : {}),
  };
}

function documentsOf(entries: readonly StandardVersionEntry[]): StandardDocument[] {
  return entries.map((entry) => entry.standard);
}

/**
 * One practitioner against one standard, as of a date and (optionally) as known at an instant.
 * Today's answer comes from the stored evaluation when it is current; any other date, a
 * `knownAt` audit or a horizon of one's own is evaluated live (a fixed number of queries).
 */
export async function evaluateCompliance(
  ctx: ServiceContext,
  input: EvaluateComplianceInput,
): Promise<EvaluationView> {
  const practitioner = await requireSubject(ctx, input.practitionerId);
  const when = whenOf(ctx, input);
  if (input.knownAt === undefined && input.horizonDays === undefined) {
    // Today's answer is stored: reuse it when nothing it depends on changed since (one query).
    const stored = await findStoredEvaluation(ctx.db, practitioner.id, input.standardId);
    if (stored && stored.stale === 0 && stored.asOf === when.asOf) {
      return JSON.parse(stored.evaluationJson) as EvaluationView;
    }
  }
  const entries = await resolveStandardVersionEntries(
    ctx.db,
    ctx.actor.organizationId,
    input.standardId,
  );
  if (entries.length === 0) throw notFound("standard", "standardId");
  const known = standardVersionsKnownAt(entries, when.knownAt);
  if (known.length === 0) {
    throw badRequest(`${input.standardId} was not yet saved at ${when.knownAt}`, "knownAt");
  }
  const dossier = await loadDossier(ctx.db, practitioner);
  try {
    return asView(evaluate(dossier, documentsOf(known), when));
  } catch (error) {
    if (error instanceof NoVersionInForceError) {
      throw badRequest(`no version of ${input.standardId} is in force on ${when.asOf}`, "asOf");
    }
    throw error;
  }
}

interface Applicability {
  practitioner: Practitioner;
  applicable: ApplicableStandardDetail[];
  uncovered: ComplianceOverview["uncovered"];
  /** Every visible version, by standard id (oldest first). */
  versions: Map<string, StandardVersionEntry[]>;
  licenses: License[];
}

async function loadApplicability(
  ctx: ServiceContext,
  practitionerId: string,
): Promise<Applicability> {
  const practitioner = await requireSubject(ctx, practitionerId);
  const [rules, licenses, clinic, entries] = await Promise.all([
    loadOrganizationRules(ctx.db, ctx.actor.organizationId),
    listLicenses(ctx.db, practitioner.id),
    findClinicById(ctx.db, practitioner.clinicId),
    listVisibleStandardVersions(ctx.db, ctx.actor.organizationId),
  ]);
  const versions = groupVersions(entries);
  const applicable = applicableFor(rules, practitioner, licenses).flatMap((entry) => {
    const group = versions.get(entry.standardId) ?? [];
    // Described by its latest adopted version: a draft's title ("... proposal") is not the rule.
    const latest = group.filter((v) => !v.standard.draft).at(-1) ?? group.at(-1);
    if (!latest) return [];
    return [
      {
        ...entry,
        source: latest.source,
        title: latest.standard.title,
        kind: latest.standard.kind,
        jurisdiction: latest.standard.jurisdiction,
      },
    ];
  });
  const uncovered = uncoveredJurisdictions({
    clinicJurisdiction: clinic?.jurisdiction ?? null,
    licenses,
    available: versions.keys(),
  });
  return { practitioner, applicable, uncovered, versions, licenses };
}

/** The standards that apply to a practitioner, with why each applies. */
export async function listApplicableStandards(
  ctx: ServiceContext,
  practitionerId: string,
): Promise<ApplicableStandardDetail[]> {
  return (await loadApplicability(ctx, practitionerId)).applicable;
}

/** A practitioner against every standard that applies to them: the compliance page. */
export async function complianceOverview(
  ctx: ServiceContext,
  input: PractitionerComplianceInput,
): Promise<ComplianceOverview> {
  const { practitioner, applicable, uncovered, versions, licenses } = await loadApplicability(
    ctx,
    input.practitionerId,
  );
  const when = whenOf(ctx, input);
  const dossier = await loadDossier(ctx.db, practitioner, { licenses });
  const standards = applicable.map((entry) => {
    const known = documentsOf(
      standardVersionsKnownAt(versions.get(entry.standardId) ?? [], when.knownAt),
    );
    if (!selectVersion(known, when.asOf)) {
      return {
        ...entry,
        evaluation: null,
        notInForceReason: `no version of ${entry.title} is in force on ${when.asOf}`,
      };
    }
    return { ...entry, evaluation: asView(evaluate(dossier, known, when)), notInForceReason: null };
  });
  return {
    practitioner: {
      id: practitioner.id,
      name: practitioner.name,
      profession: practitioner.profession,
    },
    asOf: when.asOf,
    knownAt: when.knownAt ?? null,
    standards,
    uncovered,
  };
}

/** True for a state board's dry-needling rule (`<jurisdiction>-dn`). */
function isStateDnStandard(standard: StandardDocument): boolean {
  return (
    standard.kind === "state-board" &&
    standard.jurisdiction !== null &&
    standard.id === `${standard.jurisdiction.toLowerCase()}-dn`
  );
}

/** One practitioner against every state's DN rule at once: where could they needle? */
export async function portability(
  ctx: ServiceContext,
  input: PractitionerComplianceInput,
): Promise<PortabilityView> {
  const practitioner = await requireSubject(ctx, input.practitionerId);
  const when = whenOf(ctx, input);
  const entries = standardVersionsKnownAt(
    await listVisibleStandardVersions(ctx.db, ctx.actor.organizationId),
    when.knownAt,
  ).filter((entry) => isStateDnStandard(entry.standard));
  const dossier = await loadDossier(ctx.db, practitioner);
  const result = evaluatePortability(dossier, documentsOf(entries), when);
  return {
    practitioner: { id: practitioner.id, name: practitioner.name },
    asOf: result.asOf,
    knownAt: result.knownAt,
    entries: result.entries.map((entry) => ({
      standardId: entry.standardId,
      version: entry.version,
      jurisdiction: entry.jurisdiction,
      title: entry.title,
      status: entry.status,
      standardStatus: entry.evaluation.standard.status,
      summary: entry.summary,
      line: entry.line,
      gaps: entry.gaps,
      nextLapse: entry.evaluation.nextLapse,
      requirementsMet: entry.evaluation.requirements.filter((r) => r.met).length,
      requirementCount: entry.evaluation.requirements.length,
    })),
    notInForce: result.notInForce,
    counts: result.counts,
  };
}

/** Strips what only a real entry has; the engine treats the rest as verified, known evidence. */
function toHypothetical(record: WhatIfParsed["records"][number]): HypotheticalRecord {
  const {
    id: _id,
    version: _version,
    recordedAt: _recordedAt,
    status: _status,
    provenance: _provenance,
    reviewReason: _reviewReason,
    ...rest
  } = record;
  return rest as HypotheticalRecord;
}

/**
 * "If I took this course / logged these sessions / passed this exam": each standard's verdict
 * before and after, and which requirements change. Default standards: those that apply.
 */
export async function whatIfCompliance(
  ctx: ServiceContext,
  input: WhatIfParsed,
): Promise<WhatIfView> {
  const { practitioner, applicable, versions, licenses } = await loadApplicability(
    ctx,
    input.practitionerId,
  );
  const when = whenOf(ctx, input);
  const ids = input.standardIds ?? applicable.map((entry) => entry.standardId);
  ids.forEach((id, index) => {
    if (!versions.has(id)) throw notFound("standard", `standardIds.${index}`);
  });
  const dossier = await loadDossier(ctx.db, practitioner, { licenses });
  const records = input.records.map(toHypothetical);
  const results: WhatIfView["results"] = [];
  const notInForce: string[] = [];
  for (const id of [...new Set(ids)]) {
    const known = documentsOf(standardVersionsKnownAt(versions.get(id) ?? [], when.knownAt));
    const version = selectVersion(known, when.asOf);
    if (!version) {
      notInForce.push(id);
      continue;
    }
    const answer = whatIf(dossier, version, records, {
      ...when,
      hypotheticalLicenses: input.licenses,
    });
    results.push({
      standardId: id,
      version: version.version,
      title: version.title,
      jurisdiction: version.jurisdiction,
      before: answer.before.status,
      after: answer.after.status,
      statusChanged: answer.statusChanged,
      changes: answer.changes,
      summary: answer.summary,
      gapsAfter: answer.after.gaps.filter((gap) => !gap.advisory).map((gap) => gap.message),
      qualifiesAfter: answer.qualifiesAfter,
      requirementsAfter: answer.requirementsAfter,
    });
  }
  return { asOf: when.asOf, knownAt: when.knownAt ?? null, results, notInForce };
}
