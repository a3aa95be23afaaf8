import type {
  Dossier,
  DossierRecord,
  ExamType,
  IsoDate,
  Jurisdiction,
  RecordKind,
  ReviewStatus,
  Topic,
} from "@dn/schema";
import type { ExclusionReason, RecordRef } from "./types.ts";

/** One record as the engine sees it: the version known at `knownAt`, flattened. */
export interface Item {
  ref: RecordRef;
  kind: RecordKind;
  completedOn: IsoDate;
  status: ReviewStatus;
  theory: number;
  practical: number;
  online: number;
  topics: readonly Topic[];
  count: number;
  examType: ExamType | null;
  passed: boolean | null;
  expiresOn: IsoDate | null;
  jurisdiction: Jurisdiction | null;
  /** Set when no requirement may count it (not known yet, not done yet, rejected, withdrawn). */
  blocked: { reason: ExclusionReason; message: string } | null;
  pending: boolean;
}

export interface PrepareOptions {
  asOf: IsoDate;
  knownAtMs: number | null;
  knownAt: string | null;
}

/** Later versions win; without version numbers, the later recording wins. */
function isNewer(a: DossierRecord, aMs: number, b: DossierRecord, bMs: number): boolean {
  const av = a.version ?? 0;
  const bv = b.version ?? 0;
  return av !== bv ? av > bv : aMs > bMs;
}

/**
 * Picks, for each record id, the version known at `knownAt` (the latest recorded by then), and
 * marks what blocks it from counting anywhere. The result is sorted by completion date, id and
 * version, so nothing downstream depends on the order of `dossier.records`.
 */
export function prepareItems(
  records: Dossier["records"],
  hypothetical: readonly DossierRecord[],
  options: PrepareOptions,
): Item[] {
  const known = new Map<string, { record: DossierRecord; ms: number }>();
  const unknown = new Map<string, { record: DossierRecord; ms: number }>();
  for (const record of records) {
    const ms = Date.parse(record.recordedAt);
    if (options.knownAtMs !== null && ms > options.knownAtMs) {
      const current = unknown.get(record.id);
      // Keep the first version recorded: the one that would have been known earliest.
      if (
        !current ||
        ms < current.ms ||
        (ms === current.ms && (record.version ?? 0) < (current.record.version ?? 0))
      ) {
        unknown.set(record.id, { record, ms });
      }
      continue;
    }
    const current = known.get(record.id);
    if (!current || isNewer(record, ms, current.record, current.ms))
      known.set(record.id, { record, ms });
  }

  const items: Item[] = [];
  for (const { record } of known.values()) items.push(finish(record, false, options));
  for (const [id, { record }] of unknown) {
    if (known.has(id)) continue;
    items.push({
      ...finish(record, false, options),
      blocked: {
        reason: "recorded-after-known-at",
        message: `recorded ${record.recordedAt}, after the audit instant ${options.knownAt}`,
      },
      pending: false,
    });
  }
  for (const record of hypothetical) items.push(finish(record, true, options));
  items.sort(compareItems);
  return items;
}

type Blocked = Item["blocked"];

function blockOf(record: DossierRecord, asOf: IsoDate): Blocked {
  if (record.completedOn > asOf) {
    return {
      reason: "completed-after-as-of",
      message: `completed ${record.completedOn}, after the evaluation date ${asOf}`,
    };
  }
  if (record.status === "rejected") {
    return {
      reason: "rejected",
      message: record.reviewReason
        ? `rejected by a reviewer: ${record.reviewReason}`
        : "rejected by a reviewer",
    };
  }
  if (record.status === "withdrawn") {
    return { reason: "withdrawn", message: "withdrawn by the practitioner or a manager" };
  }
  return null;
}

const NO_HOURS = { theory: 0, practical: 0, online: 0 };
const NO_TOPICS: readonly Topic[] = [];

/** Flattens a record into one item, built in a single object literal (one shape, no copies). */
function finish(record: DossierRecord, hypothetical: boolean, options: PrepareOptions): Item {
  const hours =
    record.kind === "dn-course" || record.kind === "ce-activity" ? record.hours : NO_HOURS;
  const blocked = blockOf(record, options.asOf);
  return {
    ref: {
      recordId: record.id,
      version: record.version ?? null,
      kind: record.kind,
      title: record.title,
      completedOn: record.completedOn,
      hypothetical,
    },
    kind: record.kind,
    completedOn: record.completedOn,
    status: record.status,
    theory: hours.theory,
    practical: hours.practical,
    online: hours.online,
    topics:
      record.kind === "dn-course" || record.kind === "ce-activity" || record.kind === "exam"
        ? record.topics
        : NO_TOPICS,
    count: record.kind === "supervised-sessions" ? record.count : 0,
    examType: record.kind === "exam" ? record.examType : null,
    passed: record.kind === "exam" ? record.passed : null,
    expiresOn: record.kind === "cpr" ? record.expiresOn : null,
    jurisdiction: record.kind === "board-notification" ? record.jurisdiction : null,
    blocked,
    pending: blocked === null && record.status === "pending",
  };
}

function compareItems(a: Item, b: Item): number {
  if (a.completedOn !== b.completedOn) return a.completedOn < b.completedOn ? -1 : 1;
  if (a.ref.recordId !== b.ref.recordId) return a.ref.recordId < b.ref.recordId ? -1 : 1;
  return (a.ref.version ?? 0) - (b.ref.version ?? 0);
}
