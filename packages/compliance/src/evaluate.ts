import {
  type Dossier,
  type DossierLicense,
  type DossierRecord,
  type IsoDate,
  isCalendarDate,
  isInForce,
  type Requirement,
  type StandardDocument,
  selectVersion,
} from "@dn/schema";
import { addDays } from "./dates.ts";
import { type Item, prepareItems } from "./records.ts";
import {
  evaluateBoardNotification,
  evaluateCeCycle,
  evaluateCredentialCurrent,
  evaluateExam,
  evaluateLicensure,
  evaluateSupervisedSessions,
  evaluateTopics,
  evaluateTrainingHours,
  type Outcome,
  type Pass,
  stateOf,
} from "./requirements.ts";
import type {
  EvaluateOptions,
  Evaluation,
  Gap,
  Lapse,
  RequirementResult,
  StandardRef,
  Verdict,
} from "./types.ts";

export const DEFAULT_HORIZON_DAYS = 60;

/** Thrown when asked to evaluate against a standard that has no version in force on `asOf`. */
export class NoVersionInForceError extends Error {
  constructor(
    readonly standardId: string,
    readonly asOf: IsoDate,
  ) {
    super(`no version of standard ${standardId} is in force on ${asOf}`);
    this.name = "NoVersionInForceError";
  }
}

/** Extra evidence for what-if questions: treated as verified and known. */
export interface Extras {
  records?: readonly DossierRecord[];
  licenses?: readonly DossierLicense[];
}

interface Checked {
  asOf: IsoDate;
  knownAt: string | null;
  knownAtMs: number | null;
  horizonDays: number;
}

function checkOptions(options: EvaluateOptions): Checked {
  if (typeof options.asOf !== "string" || !isCalendarDate(options.asOf)) {
    throw new TypeError(
      `asOf must be a real date written as YYYY-MM-DD, got ${JSON.stringify(options.asOf)}`,
    );
  }
  let knownAtMs: number | null = null;
  if (options.knownAt !== undefined) {
    knownAtMs = Date.parse(options.knownAt);
    if (!/^\d{4}-\d{2}-\d{2}T/.test(options.knownAt) || Number.isNaN(knownAtMs)) {
      throw new TypeError(
        `knownAt must be an ISO timestamp such as 2026-03-01T12:00:00Z, got ${JSON.stringify(options.knownAt)}`,
      );
    }
  }
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isInteger(horizonDays) || horizonDays < 0) {
    throw new TypeError(
      `horizonDays must be a whole number of days, 0 or more, got ${horizonDays}`,
    );
  }
  return { asOf: options.asOf, knownAt: options.knownAt ?? null, knownAtMs, horizonDays };
}

function runRequirement(requirement: Requirement, pass: Pass): Outcome {
  switch (requirement.kind) {
    case "licensure":
      return evaluateLicensure(requirement, pass);
    case "training-hours":
      return evaluateTrainingHours(requirement, pass);
    case "topics":
      return evaluateTopics(requirement, pass);
    case "supervised-sessions":
      return evaluateSupervisedSessions(requirement, pass);
    case "exam":
      return evaluateExam(requirement, pass);
    case "board-notification":
      return evaluateBoardNotification(requirement, pass);
    case "credential-current":
      return evaluateCredentialCurrent(requirement, pass);
    case "ce-cycle":
      return evaluateCeCycle(requirement, pass);
  }
}

/** Evaluates every requirement once; training completion feeds the board-notification deadline. */
function runPass(base: Omit<Pass, "trainingCompletedOn">): Outcome[] {
  const pass: Pass = { ...base, trainingCompletedOn: null };
  const outcomes = new Map<Requirement, Outcome>();
  const training = base.standard.requirements.find(
    (r) => r.kind === "training-hours" && !r.advisory,
  );
  if (training) {
    const outcome = runRequirement(training, pass);
    outcomes.set(training, outcome);
    pass.trainingCompletedOn = outcome.completedOn ?? null;
  } else {
    // Without an hours rule, training is complete with the latest DN course that counts.
    for (const item of base.items) {
      if (item.kind === "dn-course" && !item.blocked && (!item.pending || base.includePending)) {
        pass.trainingCompletedOn = item.completedOn;
      }
    }
  }
  return base.standard.requirements.map((r) => outcomes.get(r) ?? runRequirement(r, pass));
}

function firstTraining(items: readonly Item[]): IsoDate | null {
  for (const item of items) {
    if (item.kind === "dn-course" && !item.blocked) return item.completedOn;
  }
  return null;
}

function standardRef(standard: StandardDocument): StandardRef {
  return {
    id: standard.id,
    version: standard.version,
    title: standard.title,
    kind: standard.kind,
    jurisdiction: standard.jurisdiction,
    status: standard.status,
    draft: standard.draft,
    effectiveFrom: standard.effectiveFrom,
    effectiveTo: standard.effectiveTo,
    confidence: standard.confidence,
    lastVerified: standard.lastVerified,
    citations: standard.citations,
  };
}

/** Picks the version in force when given every version of a standard. */
function resolveStandard(
  standard: StandardDocument | readonly StandardDocument[],
  asOf: IsoDate,
): StandardDocument {
  if (!Array.isArray(standard)) return standard as StandardDocument;
  const versions = standard as readonly StandardDocument[];
  const chosen = selectVersion(versions, asOf);
  if (!chosen) throw new NoVersionInForceError(versions[0]?.id ?? "(none given)", asOf);
  return chosen;
}

function notPermittedReason(standard: StandardDocument, dossier: Dossier): string | null {
  const where = standard.jurisdiction ?? standard.authority;
  if (standard.status === "prohibited") {
    return `${where} does not permit ${dossier.practitioner.profession}s to perform dry needling`;
  }
  if (standard.status === "pending-rules") {
    return `${where} has authorized dry needling but it is not permitted until the board adopts rules`;
  }
  if (!standard.professions.includes(dossier.practitioner.profession)) {
    return `this standard applies to ${standard.professions.join(", ")}, not ${dossier.practitioner.profession}`;
  }
  return null;
}

/** Shared by evaluate() and whatIf(): `extras` are hypothetical, verified, known evidence. */
export function evaluateWith(
  dossier: Dossier,
  standardOrVersions: StandardDocument | readonly StandardDocument[],
  options: EvaluateOptions,
  extras: Extras = {},
): Evaluation {
  const checked = checkOptions(options);
  const standard = resolveStandard(standardOrVersions, checked.asOf);
  const items = prepareItems(dossier.records, extras.records ?? [], checked);
  const licenses = [...dossier.licenses, ...(extras.licenses ?? [])];
  const base = {
    standard,
    profession: dossier.practitioner.profession,
    licenses,
    items,
    asOf: checked.asOf,
    firstTrainingOn: firstTraining(items),
  };
  const actual = runPass({ ...base, includePending: false });
  const hasPending = items.some((item) => item.pending && !item.blocked);
  const ifVerified = hasPending ? runPass({ ...base, includePending: true }) : actual;

  const requirements: RequirementResult[] = standard.requirements.map((requirement, index) => {
    const outcome = actual[index] as Outcome;
    const { completedOn: _completedOn, dueFrom: _dueFrom, ...rest } = outcome;
    return {
      id: requirement.id,
      title: requirement.title,
      kind: requirement.kind,
      citation: requirement.citation,
      confidence: requirement.confidence ?? standard.confidence,
      advisory: requirement.advisory,
      ...rest,
      metIfPendingVerified: outcome.met || (ifVerified[index]?.met ?? false),
      ...stateOf(outcome, checked.asOf),
    };
  });

  const binding = requirements.filter((r) => !r.advisory);
  let nextLapse: Lapse | null = null;
  for (const r of binding) {
    if (!r.met || r.validUntil === null) continue;
    const on = addDays(r.validUntil, 1);
    if (
      !nextLapse ||
      on < nextLapse.on ||
      (on === nextLapse.on && r.id < nextLapse.requirementId)
    ) {
      nextLapse = { on, requirementId: r.id, title: r.title };
    }
  }

  const notPermitted = notPermittedReason(standard, dossier);
  const unmet = binding.filter((r) => !r.met);
  const blocking = unmet.filter((r) => !r.metIfPendingVerified);
  let status: Verdict;
  let summary: string;
  if (notPermitted) {
    status = "not-permitted";
    summary = `Not permitted: ${notPermitted}.`;
  } else if (blocking.length > 0) {
    status = "not-qualified";
    summary = `Not qualified: ${blocking.length} of ${binding.length} requirements not met (${blocking.map((r) => r.title).join("; ")}).`;
  } else if (unmet.length > 0) {
    const pendingCount = new Set(
      unmet.flatMap((r) =>
        r.excluded.filter((e) => e.reason === "not-verified").map((e) => e.recordId),
      ),
    ).size;
    status = "pending-verification";
    summary = `Pending verification: qualified once ${pendingCount === 1 ? "1 pending record is" : `${pendingCount} pending records are`} verified (${unmet.map((r) => r.title).join("; ")}).`;
  } else if (nextLapse && nextLapse.on <= addDays(checked.asOf, checked.horizonDays)) {
    status = "expiring";
    summary = `Expiring: qualified, but ${nextLapse.title} lapses on ${nextLapse.on}.`;
  } else {
    status = "qualified";
    summary = nextLapse
      ? `Qualified until ${addDays(nextLapse.on, -1)} (${nextLapse.title}).`
      : "Qualified.";
  }

  const gaps: Gap[] = requirements
    .filter((r) => r.gap !== null && (!r.met || r.provisional))
    .map((r) => ({
      requirementId: r.id,
      advisory: r.advisory,
      message:
        !r.met && r.metIfPendingVerified
          ? `${r.gap} (covered once pending records are verified)`
          : (r.gap as string),
    }));

  const warnings: string[] = [];
  if (standard.draft) {
    warnings.push(
      `${standard.id} v${standard.version} is a draft (a proposal), not a rule in force.`,
    );
  } else if (!isInForce(standard, checked.asOf)) {
    warnings.push(
      `${standard.id} v${standard.version} was not in force on ${checked.asOf} (in force ${standard.effectiveFrom} to ${standard.effectiveTo ?? "now"}).`,
    );
  }
  if (standard.status === "silent") {
    warnings.push(
      "The board has no rule on dry needling; only the listed requirements were checked.",
    );
  }
  if (requirements.some((r) => r.advisory && !r.met)) {
    warnings.push(
      "Some advisory requirements are not met; they are shown but do not change the verdict.",
    );
  }

  return {
    standard: standardRef(standard),
    practitioner: { id: dossier.practitioner.id, name: dossier.practitioner.name },
    asOf: checked.asOf,
    knownAt: checked.knownAt,
    horizonDays: checked.horizonDays,
    status,
    summary,
    requirements,
    nextLapse,
    gaps,
    warnings,
  };
}

/**
 * Evaluates one practitioner's dossier against a standard as of a date. Pass one version, or
 * every version of the standard to use the one in force on `asOf`. Pure: no clock, no I/O; the
 * result does not depend on the order of records.
 */
export function evaluate(
  dossier: Dossier,
  standard: StandardDocument | readonly StandardDocument[],
  options: EvaluateOptions,
): Evaluation {
  return evaluateWith(dossier, standard, options);
}
