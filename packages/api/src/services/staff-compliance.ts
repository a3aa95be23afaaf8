/**
 * Evaluating many practitioners at once for the manager's views (deadlines, dashboard, matrix):
 * which standards apply to each (@dn/compliance `applicableStandards`, fed with the clinic's
 * jurisdiction, active licenses, the organization's policies and managers' assignments), then
 * `evaluate` for each, as of a date. Authorization is the callers' job.
 */
import {
  applicableStandards,
  type Evaluation,
  evaluate,
  NoVersionInForceError,
  toDossier,
} from "@dn/compliance";
import {
  type Db,
  listClinics,
  listLicensesOfPractitioners,
  listRecordVersionsOfPractitioners,
  type listStaffOfOrganization,
  listStandardAssignments,
} from "@dn/db";
import type {
  Clinic,
  Dossier,
  License,
  StandardApplicability,
  StandardAssignment,
  StandardDocument,
} from "@dn/schema";
import { listVisibleStandardVersions } from "./standard-source.ts";

export type StaffMember = Awaited<ReturnType<typeof listStaffOfOrganization>>[number];

/** What applicability needs about an organization, loaded once per request. */
export interface OrganizationRules {
  organizationId: string;
  clinics: Map<string, Clinic>;
  assignments: StandardAssignment[];
  /** Every visible standard's versions, by id. */
  versions: Map<string, StandardDocument[]>;
  /** The organization's own clinic policies (custom standards of kind clinic-policy). */
  policyIds: string[];
}

export async function loadOrganizationRules(
  db: Db,
  organizationId: string,
): Promise<OrganizationRules> {
  const [clinics, assignments, entries] = await Promise.all([
    listClinics(db, organizationId),
    listStandardAssignments(db, organizationId),
    listVisibleStandardVersions(db, organizationId),
  ]);
  const versions = new Map<string, StandardDocument[]>();
  const policyIds = new Set<string>();
  for (const entry of entries) {
    const id = entry.standard.id;
    versions.set(id, [...(versions.get(id) ?? []), entry.standard]);
    if (entry.source === "custom" && entry.standard.kind === "clinic-policy") policyIds.add(id);
  }
  for (const list of versions.values()) list.sort((a, b) => a.version - b.version);
  return {
    organizationId,
    clinics: new Map(clinics.map((clinic) => [clinic.id, clinic])),
    assignments,
    versions,
    policyIds: [...policyIds].sort(),
  };
}

/** The assignments that reach a practitioner: the organization's, their clinic's and their own. */
export function assignmentsFor(
  rules: OrganizationRules,
  practitioner: { id: string; clinicId: string },
): StandardAssignment[] {
  return rules.assignments.filter(
    (a) =>
      (a.scope === "organization" && a.scopeId === rules.organizationId) ||
      (a.scope === "clinic" && a.scopeId === practitioner.clinicId) ||
      (a.scope === "practitioner" && a.scopeId === practitioner.id),
  );
}

/** The standards that apply to one practitioner, with why. */
export function applicableFor(
  rules: OrganizationRules,
  practitioner: { id: string; clinicId: string; profession: string },
  licenses: readonly Pick<License, "jurisdiction" | "status">[],
): StandardApplicability[] {
  const reaching = assignmentsFor(rules, practitioner);
  const applicable = applicableStandards({
    clinicJurisdiction: rules.clinics.get(practitioner.clinicId)?.jurisdiction ?? null,
    licenses,
    available: rules.versions.keys(),
    clinicPolicyIds: rules.policyIds,
    include: reaching.filter((a) => a.effect === "include").map((a) => a.standardId),
    exclude: reaching.filter((a) => a.effect === "exclude").map((a) => a.standardId),
  });
  // A standard written for other professions (e.g. PT only) does not apply to a PTA.
  return applicable.filter((entry) => {
    const latest = rules.versions.get(entry.standardId)?.at(-1);
    return latest?.professions.includes(practitioner.profession as "PT") ?? false;
  });
}

export function standardTitle(rules: OrganizationRules, standardId: string): string {
  return rules.versions.get(standardId)?.at(-1)?.title ?? standardId;
}

export interface StaffEvaluation {
  practitioner: StaffMember;
  clinic: Clinic | null;
  dossier: Dossier;
  applicable: StandardApplicability[];
  /** By standard id; a standard with no version in force on the date is left out. */
  evaluations: Map<string, Evaluation>;
}

/** Evaluates `staff` against their applicable standards on each of `dates`. */
export async function evaluateStaff(
  db: Db,
  rules: OrganizationRules,
  staff: readonly StaffMember[],
  dates: readonly { asOf: string; knownAt?: string }[],
): Promise<Map<string, StaffEvaluation[]>> {
  const ids = staff.map((p) => p.id);
  const [licenses, records] = await Promise.all([
    listLicensesOfPractitioners(db, ids),
    listRecordVersionsOfPractitioners(db, ids),
  ]);
  // The same dossier loadDossier builds, for every practitioner in two queries.
  const dossiers = new Map<string, Dossier>(
    staff.map((p) => [p.id, toDossier(p, licenses.get(p.id) ?? [], records.get(p.id) ?? [])]),
  );
  const result = new Map<string, StaffEvaluation[]>();
  for (const date of dates) {
    const list: StaffEvaluation[] = [];
    for (const practitioner of staff) {
      const applicable = applicableFor(rules, practitioner, licenses.get(practitioner.id) ?? []);
      const dossier = dossiers.get(practitioner.id) as Dossier;
      const evaluations = new Map<string, Evaluation>();
      for (const entry of applicable) {
        const versions = rules.versions.get(entry.standardId) ?? [];
        try {
          evaluations.set(
            entry.standardId,
            evaluate(dossier, versions, { asOf: date.asOf, knownAt: date.knownAt }),
          );
        } catch (error) {
          if (!(error instanceof NoVersionInForceError)) throw error;
        }
      }
      list.push({
        practitioner,
        clinic: rules.clinics.get(practitioner.clinicId) ?? null,
        dossier,
        applicable,
        evaluations,
      });
    }
    result.set(date.asOf, list);
  }
  return result;
}

/** The staff member's overall verdict: the worst over the standards that apply. */
export const VERDICT_RANK = [
  "not-permitted",
  "not-qualified",
  "pending-verification",
  "expiring",
  "qualified",
] as const;

export function worstVerdict(evaluations: Iterable<Evaluation>): Evaluation["status"] | null {
  let worst: Evaluation["status"] | null = null;
  for (const evaluation of evaluations) {
    if (worst === null || VERDICT_RANK.indexOf(evaluation.status) < VERDICT_RANK.indexOf(worst)) {
      worst = evaluation.status;
    }
  }
  return worst;
}

/** Active on `asOf`: on staff by then and not archived by then. */
export function activeOn(practitioner: StaffMember, asOf: string): boolean {
  return (
    practitioner.createdAt.slice(0, 10) <= asOf &&
    (practitioner.archivedAt === null || practitioner.archivedAt.slice(0, 10) > asOf)
  );
}
