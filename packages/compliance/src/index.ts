export { isInForce, selectVersion, versionInForce } from "@dn/schema";
export {
  type ApplicabilityInput,
  applicableStandardIds,
  applicableStandards,
  ceStandardId,
  dnStandardId,
  uncoveredJurisdictions,
} from "./applicability.ts";
export {
  addDays,
  addMonths,
  addYears,
  dateOfDayNumber,
  dayNumber,
  daysBetween,
  monthsBetween,
} from "./dates.ts";
export {
  currentVersions,
  type DeadlineOptions,
  type DeadlineSource,
  deadlineBucket,
  upcomingDeadlines,
} from "./deadlines.ts";
export { DEFAULT_HORIZON_DAYS, evaluate, NoVersionInForceError } from "./evaluate.ts";
export { evaluatePortability, type Portability, type PortabilityEntry } from "./portability.ts";
export {
  type DossierPractitionerSource,
  type ToDossierOptions,
  toDossier,
  toDossierLicense,
  toDossierRecord,
} from "./to-dossier.ts";
export * from "./types.ts";
export {
  type HypotheticalRecord,
  type PlannedEffect,
  type RequirementAfter,
  type RequirementChange,
  type RequirementSide,
  sideOf,
  type WhatIf,
  type WhatIfOptions,
  whatIf,
} from "./what-if.ts";
