import type { Dossier, DossierLicense, DossierRecord, StandardDocument } from "@dn/schema";
import { evaluateWith } from "./evaluate.ts";
import type { EvaluateOptions, Evaluation, Verdict } from "./types.ts";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A record the practitioner is considering ("if I take this 27-hour in-person course"). It is
 * treated as verified and known; `completedOn` defaults to the evaluation date.
 */
export type HypotheticalRecord = DistributiveOmit<
  DossierRecord,
  "id" | "version" | "recordedAt" | "status" | "completedOn" | "provenance" | "reviewReason"
> & { id?: string; completedOn?: string };

export interface WhatIfOptions extends EvaluateOptions {
  /** Licenses the practitioner is considering, e.g. one in the state they may move to. */
  hypotheticalLicenses?: readonly DossierLicense[];
}

export interface RequirementChange {
  requirementId: string;
  title: string;
  before: { met: boolean; have: number; need: number };
  after: { met: boolean; have: number; need: number };
}

export interface WhatIf {
  before: Evaluation;
  after: Evaluation;
  statusChanged: boolean;
  changes: RequirementChange[];
  /** e.g. "Not qualified → Qualified". */
  summary: string;
}

const LABELS: Record<Verdict, string> = {
  "not-permitted": "not permitted",
  "not-qualified": "not qualified",
  "pending-verification": "pending verification",
  expiring: "expiring",
  qualified: "qualified",
};

/** Evaluates the dossier as it is and with hypothetical records (and licenses) added. */
export function whatIf(
  dossier: Dossier,
  standard: StandardDocument | readonly StandardDocument[],
  hypotheticalRecords: readonly HypotheticalRecord[],
  options: WhatIfOptions,
): WhatIf {
  const { hypotheticalLicenses, ...evaluateOptions } = options;
  const records = hypotheticalRecords.map(
    (record, index) =>
      ({
        ...record,
        id: record.id ?? `hypothetical-${index + 1}`,
        completedOn: record.completedOn ?? options.asOf,
        recordedAt: "1970-01-01T00:00:00.000Z",
        status: "verified",
        provenance: "self-reported",
      }) as DossierRecord,
  );
  const before = evaluateWith(dossier, standard, evaluateOptions);
  const after = evaluateWith(dossier, standard, evaluateOptions, {
    records,
    licenses: hypotheticalLicenses ?? [],
  });
  const changes: RequirementChange[] = [];
  after.requirements.forEach((r, index) => {
    const previous = before.requirements[index];
    if (!previous || (previous.met === r.met && previous.have === r.have)) return;
    changes.push({
      requirementId: r.id,
      title: r.title,
      before: { met: previous.met, have: previous.have, need: previous.need },
      after: { met: r.met, have: r.have, need: r.need },
    });
  });
  const statusChanged = before.status !== after.status;
  return {
    before,
    after,
    statusChanged,
    changes,
    summary: statusChanged
      ? `${LABELS[before.status]} → ${LABELS[after.status]}: ${after.summary}`
      : `still ${LABELS[after.status]}: ${after.summary}`,
  };
}
