/**
 * Small builders for dossiers in tests and benchmarks. Every dossier goes through
 * DossierSchema, so a builder cannot produce what an import would refuse.
 */
import {
  type Dossier,
  type DossierLicense,
  type DossierRecordInput,
  DossierSchema,
  type ExamType,
  type Jurisdiction,
  type Profession,
  type ReviewStatus,
  type Topic,
} from "@dn/schema";

let sequence = 0;
function nextId(kind: string): string {
  sequence += 1;
  return `${kind}-${String(sequence).padStart(5, "0")}`;
}

export interface RecordOptions {
  id?: string;
  version?: number;
  status?: ReviewStatus;
  recordedAt?: string;
  title?: string;
}

function base(kind: string, completedOn: string, options: RecordOptions) {
  return {
    id: options.id ?? nextId(kind),
    ...(options.version === undefined ? {} : { version: options.version }),
    title: options.title ?? kind,
    completedOn,
    recordedAt: options.recordedAt ?? `${completedOn}T12:00:00Z`,
    status: options.status ?? "verified",
  };
}

export interface Hours {
  theory?: number;
  practical?: number;
  online?: number;
}

export function course(
  completedOn: string,
  hours: Hours,
  options: RecordOptions & { topics?: Topic[] } = {},
): DossierRecordInput {
  return {
    ...base("dn-course", completedOn, options),
    kind: "dn-course",
    hours: {
      theory: hours.theory ?? 0,
      practical: hours.practical ?? 0,
      online: hours.online ?? 0,
    },
    topics: options.topics ?? [],
  };
}

export function ce(
  completedOn: string,
  hours: Hours,
  options: RecordOptions & { topics?: Topic[] } = {},
): DossierRecordInput {
  return {
    ...base("ce-activity", completedOn, options),
    kind: "ce-activity",
    hours: {
      theory: hours.theory ?? 0,
      practical: hours.practical ?? 0,
      online: hours.online ?? 0,
    },
    topics: options.topics ?? [],
  };
}

export function sessions(
  completedOn: string,
  count: number,
  options: RecordOptions = {},
): DossierRecordInput {
  return {
    ...base("supervised-sessions", completedOn, options),
    kind: "supervised-sessions",
    count,
  };
}

export function exam(
  completedOn: string,
  examType: ExamType,
  passed = true,
  options: RecordOptions = {},
): DossierRecordInput {
  return { ...base("exam", completedOn, options), kind: "exam", examType, passed, topics: [] };
}

export function cpr(
  completedOn: string,
  expiresOn: string,
  options: RecordOptions = {},
): DossierRecordInput {
  return { ...base("cpr", completedOn, options), kind: "cpr", expiresOn };
}

export function notified(
  completedOn: string,
  jurisdiction: Jurisdiction,
  options: RecordOptions = {},
): DossierRecordInput {
  return {
    ...base("board-notification", completedOn, options),
    kind: "board-notification",
    jurisdiction,
  };
}

export function license(
  jurisdiction: Jurisdiction,
  issuedOn: string,
  expiresOn: string | null = "2030-12-31",
  status: DossierLicense["status"] = "active",
): DossierLicense {
  return {
    jurisdiction,
    number: `${jurisdiction.slice(3)}-${issuedOn.slice(0, 4)}`,
    issuedOn,
    expiresOn,
    status,
  };
}

export function dossier(parts: {
  profession?: Profession;
  licenses?: DossierLicense[];
  records?: DossierRecordInput[];
}): Dossier {
  return DossierSchema.parse({
    format: "dn-dossier",
    version: 1,
    practitioner: { id: "prac-1", name: "Dana Whitfield", profession: parts.profession ?? "PT" },
    licenses: parts.licenses ?? [],
    records: parts.records ?? [],
  });
}
