export { selectVersion } from "@dn/schema";
export {
  type ApplicabilityInput,
  applicableStandardIds,
  applicableStandards,
  ceStandardId,
  dnStandardId,
  uncoveredJurisdictions,
} from "./applicability.ts";
export { addDays, addMonths, addYears, daysBetween, monthsBetween } from "./dates.ts";
export {
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
  type RequirementChange,
  type WhatIf,
  type WhatIfOptions,
  whatIf,
} from "./what-if.ts";
