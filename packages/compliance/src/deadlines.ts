/**
 * What lapses soon: license expiries, CPR cards, CE cycle ends, board-notification deadlines and
 * staged-training completion windows, bucketed 90/60/30/14/7/0 days ahead. Pure: the date is an
 * argument. Requirement deadlines come from the engine (`RequirementResult.validUntil` of a met
 * or provisionally met requirement), so they agree with the verdict shown elsewhere.
 */
import {
  DEADLINE_BUCKETS,
  type Deadline,
  type DeadlineBucket,
  type DeadlineKind,
  type Dossier,
  type IsoDate,
  type RequirementKind,
} from "@dn/schema";
import { daysBetween } from "./dates.ts";
import type { Evaluation } from "./types.ts";

export interface DeadlineSource {
  practitioner: { id: string; name: string };
  dossier: Dossier;
  /** The evaluations of the standards that apply to the practitioner, as of `asOf`. */
  evaluations: readonly Evaluation[];
}

export interface DeadlineOptions {
  asOf: IsoDate;
  /** Only what lapses within this many days (default 90). */
  withinDays?: number;
}

/** The tightest warning bucket for something `daysLeft` days away (0 = due today). */
export function deadlineBucket(daysLeft: number): DeadlineBucket | null {
  if (daysLeft < 0) return null;
  const ascending = [...DEADLINE_BUCKETS].sort((a, b) => a - b);
  return ascending.find((bucket) => daysLeft <= bucket) ?? null;
}

/** CPR is the only credential standards check today (CREDENTIALS in @dn/schema). */
function kindOfRequirement(kind: RequirementKind): DeadlineKind {
  switch (kind) {
    case "licensure":
      return "license";
    case "credential-current":
      return "cpr";
    case "ce-cycle":
      return "ce-cycle";
    case "board-notification":
      return "board-notification";
    default:
      return "completion-window";
  }
}

/** The current version of each record (the highest version of each id). */
export function currentVersions<T extends { id: string; version?: number | undefined }>(
  records: readonly T[],
): T[] {
  const latest = new Map<string, T>();
  for (const record of records) {
    const seen = latest.get(record.id);
    if (!seen || (record.version ?? 0) > (seen.version ?? 0)) latest.set(record.id, record);
  }
  return [...latest.values()];
}

/**
 * Every deadline of the given practitioners falling within `withinDays` of `asOf` (inclusive),
 * soonest first. A license or CPR card that a standard also checks is listed once.
 */
export function upcomingDeadlines(
  sources: readonly DeadlineSource[],
  options: DeadlineOptions,
): Deadline[] {
  const within = options.withinDays ?? 90;
  const result: Deadline[] = [];
  for (const source of sources) {
    const seen = new Set<string>();
    const push = (
      kind: DeadlineKind,
      due: IsoDate,
      title: string,
      standardId: string | null,
      requirementId: string | null,
    ) => {
      const daysLeft = daysBetween(options.asOf, due);
      if (daysLeft < 0 || daysLeft > within) return;
      // Beyond the widest warning bucket a deadline is still listed (a calendar looks a year
      // ahead), with no bucket: no alert is due for it yet.
      const bucket = deadlineBucket(daysLeft);
      const key =
        kind === "license" || kind === "cpr"
          ? `${kind}|${due}`
          : `${kind}|${due}|${standardId}|${requirementId}`;
      if (seen.has(key)) return;
      seen.add(key);
      result.push({
        practitionerId: source.practitioner.id,
        practitionerName: source.practitioner.name,
        kind,
        due,
        daysLeft,
        bucket,
        title,
        standardId,
        requirementId,
      });
    };

    for (const license of source.dossier.licenses) {
      if (license.status !== "active" || !license.expiresOn) continue;
      push(
        "license",
        license.expiresOn,
        `${license.jurisdiction} license ${license.number}`,
        null,
        null,
      );
    }
    const cards = currentVersions(source.dossier.records).filter(
      (record) =>
        record.kind === "cpr" && record.status !== "withdrawn" && record.status !== "rejected",
    );
    const lastCard = cards
      .map((record) => (record.kind === "cpr" ? record.expiresOn : ""))
      .sort()
      .at(-1);
    if (lastCard) push("cpr", lastCard, "CPR certification", null, null);

    for (const evaluation of source.evaluations) {
      for (const requirement of evaluation.requirements) {
        if (!requirement.met || requirement.validUntil === null) continue;
        push(
          kindOfRequirement(requirement.kind),
          requirement.validUntil,
          `${evaluation.standard.title}: ${requirement.title}`,
          evaluation.standard.id,
          requirement.id,
        );
      }
    }
  }
  return result.sort(
    (a, b) =>
      a.daysLeft - b.daysLeft ||
      a.practitionerName.localeCompare(b.practitionerName) ||
      a.title.localeCompare(b.title),
  );
}
