import {
  type ApplicabilityReason,
  JURISDICTIONS,
  type Jurisdiction,
  type LicenseStatus,
  type StandardApplicability,
} from "@dn/schema";

/** What decides which standards apply to one practitioner. Plain data: no I/O. */
export interface ApplicabilityInput {
  /** Where the practitioner's clinic is; its DN rule applies to anyone needling there. */
  clinicJurisdiction: Jurisdiction | null;
  /** The practitioner's licenses; only active ones bring in their state's rules. */
  licenses: readonly { jurisdiction: Jurisdiction; status: LicenseStatus }[];
  /**
   * Every standard id that can apply: the pack's and the organization's published custom
   * standards. A custom standard that is only a draft is not available, so it applies to nobody.
   */
  available: Iterable<string>;
  /**
   * The organization's own clinic policies (custom standards of kind clinic-policy). A policy
   * never applies by itself: only where it is included (assigned to the practitioner, their
   * clinic, or the whole organization, which is what publishing it organization-wide does).
   * Being named here only makes the reason read "clinic-policy" instead of "assigned".
   */
  clinicPolicyIds?: readonly string[];
  /**
   * Standards assigned to this practitioner (to them, their clinic or the whole organization);
   * applied if available.
   */
  include?: readonly string[];
  /** Standards taken out (e.g. a manager's exemption); wins over every reason. */
  exclude?: readonly string[];
}

/** The DN standard id of a jurisdiction, e.g. `us-md-dn`. */
export function dnStandardId(jurisdiction: Jurisdiction): string {
  return `${jurisdiction.toLowerCase()}-dn`;
}

/** The license-renewal CE standard id of a jurisdiction, e.g. `us-md-pt-ce`. */
export function ceStandardId(jurisdiction: Jurisdiction): string {
  return `${jurisdiction.toLowerCase()}-pt-ce`;
}

const REASON_ORDER: readonly ApplicabilityReason[] = [
  "clinic-jurisdiction",
  "license",
  "license-ce",
  "clinic-policy",
  "assigned",
];

function stateName(jurisdiction: Jurisdiction): string {
  return JURISDICTIONS[jurisdiction] ?? jurisdiction;
}

/**
 * The standards that apply to a practitioner, each with why: the DN rule of the clinic's
 * state (`<jur>-dn`); for each active license, its state's DN rule and its CE renewal rule
 * (`<jur>-pt-ce`); and the assigned ones (an assigned clinic policy gives the reason
 * "clinic-policy"). A clinic policy that is not assigned here does not apply, however many
 * other clinics it is assigned to. Ids that are not available (no such standard, or only a
 * draft) are left out; `exclude` removes any. Sorted by first reason, then id, so the result is
 * stable.
 */
export function applicableStandards(input: ApplicabilityInput): StandardApplicability[] {
  const available = new Set(input.available);
  const excluded = new Set(input.exclude ?? []);
  const found = new Map<string, { reasons: Set<ApplicabilityReason>; why: string[] }>();
  const add = (id: string, reason: ApplicabilityReason, why: string) => {
    if (!available.has(id) || excluded.has(id)) return;
    const entry = found.get(id) ?? { reasons: new Set(), why: [] };
    entry.reasons.add(reason);
    if (!entry.why.includes(why)) entry.why.push(why);
    found.set(id, entry);
  };

  if (input.clinicJurisdiction) {
    add(
      dnStandardId(input.clinicJurisdiction),
      "clinic-jurisdiction",
      `the clinic is in ${stateName(input.clinicJurisdiction)}`,
    );
  }
  const activeStates = [
    ...new Set(input.licenses.filter((l) => l.status === "active").map((l) => l.jurisdiction)),
  ].sort();
  for (const jurisdiction of activeStates) {
    add(
      dnStandardId(jurisdiction),
      "license",
      `holds an active ${stateName(jurisdiction)} license`,
    );
  }
  for (const jurisdiction of activeStates) {
    add(
      ceStandardId(jurisdiction),
      "license-ce",
      `renews an active ${stateName(jurisdiction)} license`,
    );
  }
  const policies = new Set(input.clinicPolicyIds ?? []);
  for (const id of input.include ?? []) {
    if (policies.has(id))
      add(id, "clinic-policy", "a policy of the organization, assigned by a manager");
    else add(id, "assigned", "assigned by the organization");
  }

  const rank = (reasons: Set<ApplicabilityReason>) =>
    Math.min(...[...reasons].map((r) => REASON_ORDER.indexOf(r)));
  return [...found.entries()]
    .map(([standardId, entry]) => ({
      standardId,
      reasons: REASON_ORDER.filter((r) => entry.reasons.has(r)),
      explanation: entry.why.join("; "),
      rank: rank(entry.reasons),
    }))
    .sort((a, b) => a.rank - b.rank || (a.standardId < b.standardId ? -1 : 1))
    .map(({ rank: _rank, ...rest }) => rest);
}

/** The ids of `applicableStandards(input)`, in the same order. */
export function applicableStandardIds(input: ApplicabilityInput): string[] {
  return applicableStandards(input).map((entry) => entry.standardId);
}

/**
 * Jurisdictions (the clinic's and active licenses') for which no DN standard is available:
 * places where the rules are not on file, so nothing can be said about them.
 */
export function uncoveredJurisdictions(input: ApplicabilityInput): Jurisdiction[] {
  const available = new Set(input.available);
  const states = new Set<Jurisdiction>(
    input.licenses.filter((l) => l.status === "active").map((l) => l.jurisdiction),
  );
  if (input.clinicJurisdiction) states.add(input.clinicJurisdiction);
  return [...states].filter((j) => !available.has(dnStandardId(j))).sort();
}
