import type {
  Dossier,
  DossierLicense,
  DossierRecord,
  License,
  Practitioner,
  TrainingRecord,
} from "@dn/schema";

/** Only the practitioner fields a dossier carries. */
export type DossierPractitionerSource = Pick<Practitioner, "id" | "name" | "profession">;

export interface ToDossierOptions {
  /** Stamped as `exportedAt` when given (the engine has no clock). */
  exportedAt?: string;
}

export function toDossierLicense(license: License): DossierLicense {
  return {
    jurisdiction: license.jurisdiction,
    number: license.number,
    issuedOn: license.issuedOn,
    expiresOn: license.expiresOn,
    status: license.status,
  };
}

/**
 * One training-record version as a dossier entry: the fields every record has, plus only the
 * fields that apply to its kind.
 */
export function toDossierRecord(record: TrainingRecord): DossierRecord {
  // Built by assignment in the dossier's key order: spreading a shared base (and an optional
  // reviewReason) into each kind's literal took V8's slow copying path, the largest single cost
  // of reading records for a re-evaluation (decision 058).
  const entry: Record<string, unknown> = {
    id: record.id,
    version: record.version,
    title: record.title,
    provider: record.provider,
    completedOn: record.completedOn,
    recordedAt: record.recordedAt,
    status: record.status,
    provenance: record.provenance,
  };
  if (record.reviewReason !== null) entry.reviewReason = record.reviewReason;
  entry.kind = record.kind;
  switch (record.kind) {
    case "dn-course":
    case "ce-activity":
      entry.hours = {
        theory: record.hours.theory,
        practical: record.hours.practical,
        online: record.hours.online,
      };
      entry.topics = [...record.topics];
      break;
    case "supervised-sessions":
      entry.count = record.count ?? missing(record, "count");
      break;
    case "exam":
      entry.examType = record.examType ?? missing(record, "examType");
      entry.passed = record.passed ?? missing(record, "passed");
      entry.topics = [...record.topics];
      break;
    case "cpr":
      entry.expiresOn = record.expiresOn ?? missing(record, "expiresOn");
      break;
    case "board-notification":
      entry.jurisdiction = record.jurisdiction ?? missing(record, "jurisdiction");
      break;
    default:
      record.kind satisfies never;
  }
  return entry as unknown as DossierRecord;
}

function missing(record: TrainingRecord, field: string): never {
  throw new Error(
    `training record ${record.id} v${record.version} (${record.kind}) has no ${field}: it cannot be exported`,
  );
}

/**
 * Builds a dn-dossier v1 document from schema types. Pass every version of each record (not
 * only the current ones) so that `knownAt` audits can be reproduced from the dossier alone.
 * Records are written in a stable order (completion date, id, version).
 */
export function toDossier(
  practitioner: DossierPractitionerSource,
  licenses: readonly License[],
  records: readonly TrainingRecord[],
  options: ToDossierOptions = {},
): Dossier {
  const sortedRecords = [...records].sort(
    (a, b) => compare(a.completedOn, b.completedOn) || compare(a.id, b.id) || a.version - b.version,
  );
  const sortedLicenses = [...licenses].sort(
    (a, b) => compare(a.jurisdiction, b.jurisdiction) || compare(a.issuedOn, b.issuedOn),
  );
  return {
    format: "dn-dossier",
    version: 1,
    ...(options.exportedAt ? { exportedAt: options.exportedAt } : {}),
    practitioner: {
      id: practitioner.id,
      name: practitioner.name,
      profession: practitioner.profession,
    },
    licenses: sortedLicenses.map(toDossierLicense),
    records: sortedRecords.map(toDossierRecord),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
