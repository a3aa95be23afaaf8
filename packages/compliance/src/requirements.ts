import type {
  BoardNotificationRequirement,
  CeCycleRequirement,
  CredentialCurrentRequirement,
  DossierLicense,
  ExamRequirement,
  IsoDate,
  LicensureRequirement,
  Profession,
  Requirement,
  StandardDocument,
  SupervisedSessionsRequirement,
  Topic,
  TopicsRequirement,
  TrainingHoursRequirement,
} from "@dn/schema";
import { addDays, addMonths, addYears, daysBetween, monthsBetween, yearsBetween } from "./dates.ts";
import { listTopics, num, plural, round } from "./format.ts";
import type { Item } from "./records.ts";
import type {
  CountedRecord,
  DueBy,
  ExcludedRecord,
  ExclusionReason,
  Measure,
  RequirementResult,
  RequirementState,
  Shortfall,
} from "./types.ts";

/** Everything one evaluation pass needs. The second pass counts pending evidence as verified. */
export interface Pass {
  standard: StandardDocument;
  profession: Profession;
  licenses: readonly DossierLicense[];
  items: readonly Item[];
  asOf: IsoDate;
  includePending: boolean;
  /** The day the training was complete, from the standard's first binding hours requirement. */
  trainingCompletedOn: IsoDate | null;
  /** The first DN course on file (verified or not), for licensure measured before training. */
  firstTrainingOn: IsoDate | null;
}

/** What a requirement evaluator decides; evaluate() adds the requirement's identity. */
export type Outcome = Pick<
  RequirementResult,
  | "met"
  | "provisional"
  | "have"
  | "need"
  | "unit"
  | "measures"
  | "counted"
  | "excluded"
  | "validUntil"
  | "explanation"
  | "gap"
> & {
  /** For training hours: the day all minimums were first met. */
  completedOn?: IsoDate | null;
  /** For a provisional outcome: the first day of the period its deadline (`validUntil`) closes. */
  dueFrom?: IsoDate;
};

// ---------------------------------------------------------------------------------------------
// state: met, not met, or due by a date (on track or behind)

/** "30 more CE hours this cycle", or "proof of training filed with US-AZ" for a one-off. */
function describeShortfall(shortfall: Shortfall, need: number): string {
  const oneOff = need === 1 && shortfall.unit !== "hours" && shortfall.unit !== "sessions";
  return oneOff ? shortfall.label : `${num(shortfall.remaining)} more ${shortfall.label}`;
}

/**
 * The state of an outcome on `asOf`. A provisional outcome (met for now, on condition of
 * finishing by `validUntil`) is due; its pace follows the rule documented on {@link DueBy}:
 * on track when every short measure's remaining amount is at most
 * ceil(need × daysLeft ÷ periodDays), both day counts including their ends.
 */
export function stateOf(
  outcome: Pick<Outcome, "met" | "provisional" | "measures" | "validUntil" | "dueFrom">,
  asOf: IsoDate,
): { state: RequirementState; due: DueBy | null; stateLabel: string } {
  if (!outcome.met) return { state: "not-met", due: null, stateLabel: "Not met" };
  if (!outcome.provisional || outcome.validUntil === null) {
    return { state: "met", due: null, stateLabel: "Met" };
  }
  const by = outcome.validUntil;
  const from = outcome.dueFrom !== undefined && outcome.dueFrom <= asOf ? outcome.dueFrom : asOf;
  const periodDays = daysBetween(from, by) + 1;
  const daysLeft = daysBetween(asOf, by) + 1;
  const short = outcome.measures.filter((m) => m.have < m.need);
  const shortfalls: Shortfall[] = short.map((m) => ({
    label: m.label,
    remaining: round(m.need - m.have),
    unit: m.unit,
    allowance: Math.ceil(round((m.need * daysLeft) / periodDays)),
  }));
  const pace = shortfalls.every((s) => s.remaining <= s.allowance) ? "on-track" : "behind";
  const main = shortfalls[0] ?? {
    label: outcome.measures[0]?.label ?? "",
    remaining: 0,
    unit: outcome.measures[0]?.unit ?? "hours",
    allowance: 0,
  };
  const what = shortfalls
    .map((s, index) => describeShortfall(s, short[index]?.need ?? 0))
    .join(", ");
  const left = plural(daysLeft, "day");
  const behind = shortfalls.filter((s) => s.remaining > s.allowance);
  const paceText =
    pace === "on-track"
      ? `on track: ${what}, ${left} left`
      : `behind: ${what}, ${left} left (at the period's even pace ${behind
          .map((s) => (behind.length > 1 ? `${num(s.allowance)} ${s.label}` : num(s.allowance)))
          .join(", ")} would fit)`;
  return {
    state: pace === "on-track" ? "due-on-track" : "due-behind",
    due: {
      by,
      from,
      periodDays,
      daysLeft,
      remaining: main.remaining,
      unit: main.unit,
      shortfalls,
      pace,
    },
    stateLabel: `Due by ${by}, ${paceText}`,
  };
}

// Built as literals rather than spreads: these run once per record per requirement.
function exclude(item: Item, reason: ExclusionReason, message: string): ExcludedRecord {
  const ref = item.ref;
  return {
    recordId: ref.recordId,
    version: ref.version,
    kind: ref.kind,
    title: ref.title,
    completedOn: ref.completedOn,
    hypothetical: ref.hypothetical,
    reason,
    message,
  };
}

function count(item: Item, amount: number, note: string | null = null): CountedRecord {
  const ref = item.ref;
  return {
    recordId: ref.recordId,
    version: ref.version,
    kind: ref.kind,
    title: ref.title,
    completedOn: ref.completedOn,
    hypothetical: ref.hypothetical,
    amount: round(amount),
    note,
  };
}

/** Blocks shared by every requirement: not known yet, not done yet, rejected, withdrawn, pending. */
function gate(item: Item, requirement: Requirement, pass: Pass): ExcludedRecord | null {
  if (item.blocked) return exclude(item, item.blocked.reason, item.blocked.message);
  if (item.pending && requirement.verifiedOnly && !pass.includePending) {
    return exclude(item, "not-verified", "awaiting verification: only verified evidence counts");
  }
  return null;
}

function doNotCount(hours: number, what: string): string {
  return `${plural(hours, what)} ${hours === 1 ? "does" : "do"} not count`;
}

function primary(measures: Measure[]): Measure {
  const first = measures.find((m) => m.have < m.need) ?? measures[0];
  if (!first) throw new Error("a requirement has at least one measure");
  return first;
}

function measured(measures: Measure[]): Pick<Outcome, "have" | "need" | "unit" | "measures"> {
  const main = primary(measures);
  return { have: main.have, need: main.need, unit: main.unit, measures };
}

function describeMeasures(measures: Measure[]): string {
  return measures.map((m) => `${num(m.have)} of ${num(m.need)} ${m.label}`).join("; ");
}

// ---------------------------------------------------------------------------------------------
// licensure

function isActiveOn(license: DossierLicense, date: IsoDate): boolean {
  // "expired" is the status a license reaches with time: it was active until its expiry date.
  // Inactive, suspended and revoked licenses carry no dates, so they never count as active.
  return (
    (license.status === "active" || license.status === "expired") &&
    license.issuedOn <= date &&
    (!license.expiresOn || license.expiresOn >= date)
  );
}

/** Orders licenses: the longest-lasting first (no expiry beats any), then a fixed tie-break. */
function compareLicenses(a: DossierLicense, b: DossierLicense): number {
  const ea = a.expiresOn ?? "9999-12-31";
  const eb = b.expiresOn ?? "9999-12-31";
  if (ea !== eb) return ea > eb ? -1 : 1;
  const ka = `${a.jurisdiction} ${a.number} ${a.issuedOn} ${a.status}`;
  const kb = `${b.jurisdiction} ${b.number} ${b.issuedOn} ${b.status}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The license in force on `date` that lasts longest. */
function bestActiveLicense(
  licenses: readonly DossierLicense[],
  date: IsoDate,
  jurisdiction: string | null,
): DossierLicense | undefined {
  let best: DossierLicense | undefined;
  for (const license of licenses) {
    if (jurisdiction !== null && license.jurisdiction !== jurisdiction) continue;
    if (!isActiveOn(license, date)) continue;
    if (!best || compareLicenses(license, best) < 0) best = license;
  }
  return best;
}

function earliestIssued(licenses: readonly DossierLicense[], onOrBefore: IsoDate): IsoDate | null {
  let earliest: IsoDate | null = null;
  for (const license of licenses) {
    if (license.issuedOn <= onOrBefore && (earliest === null || license.issuedOn < earliest)) {
      earliest = license.issuedOn;
    }
  }
  return earliest;
}

export function evaluateLicensure(requirement: LicensureRequirement, pass: Pass): Outcome {
  const where = requirement.licenseIn === "jurisdiction" ? pass.standard.jurisdiction : null;
  const license = bestActiveLicense(pass.licenses, pass.asOf, where);
  const measures: Measure[] = [
    {
      label: where ? `active ${where} license` : "active license",
      have: license ? 1 : 0,
      need: 1,
      unit: "licenses",
    },
  ];
  const sentences: string[] = [];
  const gaps: string[] = [];
  if (license) {
    sentences.push(
      `Active ${license.jurisdiction} license ${license.number}${license.expiresOn ? ` (expires ${license.expiresOn})` : ""}`,
    );
  } else {
    sentences.push(`No active license${where ? ` in ${where}` : ""} on ${pass.asOf}`);
    gaps.push(`an active license${where ? ` in ${where}` : ""}`);
  }

  let yearsMet = true;
  if (requirement.minYears > 0) {
    const beforeTraining = requirement.yearsMeasuredAt === "first-training";
    const measureOn =
      beforeTraining && pass.firstTrainingOn !== null && pass.firstTrainingOn < pass.asOf
        ? pass.firstTrainingOn
        : pass.asOf;
    const since = earliestIssued(pass.licenses, measureOn);
    const years = since === null ? 0 : yearsBetween(since, measureOn);
    const reachedOn = since === null ? null : addYears(since, requirement.minYears);
    yearsMet = reachedOn !== null && reachedOn <= measureOn;
    measures.push({
      label: beforeTraining ? "years licensed before the first DN training" : "years licensed",
      have: yearsMet
        ? Math.max(years, requirement.minYears)
        : Math.min(years, requirement.minYears),
      need: requirement.minYears,
      unit: "years",
    });
    const when =
      beforeTraining && pass.firstTrainingOn !== null
        ? `before the first DN course on ${pass.firstTrainingOn}`
        : `on ${measureOn}`;
    if (since === null) {
      sentences.push(`no license issued ${when}`);
      gaps.push(`${plural(requirement.minYears, "year")} of licensure`);
    } else {
      sentences.push(
        `licensed since ${since}: ${plural(years, "year")} ${when} (${num(requirement.minYears)} required)`,
      );
      if (!yearsMet) {
        gaps.push(
          beforeTraining && pass.firstTrainingOn !== null
            ? `${plural(requirement.minYears, "year")} of licensure before starting DN training (the first course came ${num(years)} years after licensure)`
            : `${plural(requirement.minYears, "year")} of licensure (reached on ${reachedOn})`,
        );
      }
    }
  }
  const met = license !== undefined && yearsMet;
  return {
    met,
    provisional: false,
    ...measured(measures),
    counted: [],
    excluded: [],
    validUntil: met && license?.expiresOn ? license.expiresOn : null,
    explanation: `${sentences.join("; ")}.`,
    gap: gaps.length ? `needs ${gaps.join(" and ")}` : null,
  };
}

// ---------------------------------------------------------------------------------------------
// training hours

interface Candidate {
  item: Item;
  theory: number;
  practical: number;
  online: number;
  droppedOnline: number;
}

interface Sums {
  theory: number;
  practical: number;
  online: number;
  faceToFace: number;
  total: number;
}

interface Window {
  from: number;
  to: number;
  start: IsoDate;
  end: IsoDate | null;
}

export function evaluateTrainingHours(requirement: TrainingHoursRequirement, pass: Pass): Outcome {
  const excluded: ExcludedRecord[] = [];
  const candidates: Candidate[] = [];
  let droppedOnline = 0;
  let pendingHours = 0;
  for (const item of pass.items) {
    if (!requirement.recordKinds.includes(item.kind as "dn-course" | "ce-activity")) continue;
    const blocked = gate(item, requirement, pass);
    if (blocked) {
      if (blocked.reason === "not-verified")
        pendingHours += item.theory + item.practical + item.online;
      excluded.push(blocked);
      continue;
    }
    const online = requirement.onlineCounts ? item.online : 0;
    const dropped = requirement.onlineCounts ? 0 : item.online;
    droppedOnline += dropped;
    if (item.theory + item.practical + online <= 0) {
      if (dropped > 0) {
        excluded.push(
          exclude(
            item,
            "online",
            `${doNotCount(dropped, "online hour")}: this standard requires face-to-face`,
          ),
        );
      }
      continue;
    }
    candidates.push({
      item,
      theory: item.theory,
      practical: item.practical,
      online,
      droppedOnline: dropped,
    });
  }

  const n = candidates.length;
  const prefix = { theory: [0], practical: [0], online: [0] };
  for (const [index, c] of candidates.entries()) {
    prefix.theory.push((prefix.theory[index] ?? 0) + c.theory);
    prefix.practical.push((prefix.practical[index] ?? 0) + c.practical);
    prefix.online.push((prefix.online[index] ?? 0) + c.online);
  }
  const at = (values: number[], index: number) => values[index] ?? 0;
  const sums = (from: number, to: number): Sums => {
    const theory = round(at(prefix.theory, to) - at(prefix.theory, from));
    const practical = round(at(prefix.practical, to) - at(prefix.practical, from));
    const online = round(at(prefix.online, to) - at(prefix.online, from));
    const onlineCounted =
      requirement.maxOnline === undefined ? online : Math.min(online, requirement.maxOnline);
    const faceToFace = round(theory + practical);
    return { theory, practical, online, faceToFace, total: round(faceToFace + onlineCounted) };
  };
  const fullyMet = (s: Sums) =>
    s.total >= requirement.minTotal &&
    (requirement.minFaceToFace === undefined || s.faceToFace >= requirement.minFaceToFace) &&
    (requirement.minPractical === undefined || s.practical >= requirement.minPractical) &&
    (requirement.minTheory === undefined || s.theory >= requirement.minTheory);
  const dateOf = (index: number) => candidates[index]?.item.completedOn ?? pass.asOf;

  // Candidate windows: one per distinct course date (or one covering everything).
  const windows: Window[] = [];
  if (n > 0 && requirement.windowMonths === undefined) {
    windows.push({ from: 0, to: n, start: dateOf(0), end: null });
  } else if (requirement.windowMonths !== undefined) {
    let to = 0;
    for (let from = 0; from < n; from++) {
      if (from > 0 && dateOf(from) === dateOf(from - 1)) continue;
      const end = addMonths(dateOf(from), requirement.windowMonths);
      if (to < from) to = from;
      while (to < n && dateOf(to) <= end) to++;
      windows.push({ from, to, start: dateOf(from), end });
    }
  }

  let chosen: Window | undefined = windows.find((w) => fullyMet(sums(w.from, w.to)));
  const met = chosen !== undefined;
  let provisionalUntil: IsoDate | null = null;
  const provisional = requirement.provisional;
  if (!chosen && provisional) {
    for (let from = 0; from < n; from++) {
      if (from > 0 && dateOf(from) === dateOf(from - 1)) continue;
      const deadline = addMonths(dateOf(from), provisional.completeWithinMonths);
      if (pass.asOf > deadline) continue;
      const window = windows.find((w) => w.from === from);
      const to = requirement.windowMonths === undefined ? n : (window?.to ?? n);
      const s = sums(from, to);
      if (
        s.total >= provisional.minHours &&
        (provisional.minTheory === undefined || s.theory >= provisional.minTheory) &&
        (provisional.minPractical === undefined || s.practical >= provisional.minPractical)
      ) {
        provisionalUntil = deadline;
        chosen = { from, to, start: dateOf(from), end: window?.end ?? null };
      }
    }
  }
  if (!chosen && windows.length > 0) {
    const open = windows.find((w) => w.end === null || w.end >= pass.asOf);
    chosen =
      open ??
      windows.reduce((best, w) =>
        sums(w.from, w.to).total > sums(best.from, best.to).total ? w : best,
      );
  }

  const s = chosen ? sums(chosen.from, chosen.to) : sums(0, 0);
  const counted: CountedRecord[] = [];
  let outsideHours = 0;
  let onlineLeft = requirement.maxOnline ?? Number.POSITIVE_INFINITY;
  let overCap = 0;
  let completedOn: IsoDate | null = null;
  let running = { theory: 0, practical: 0, online: 0 };
  for (const [index, c] of candidates.entries()) {
    const inside = chosen !== undefined && index >= chosen.from && index < chosen.to;
    if (!inside) {
      outsideHours += c.theory + c.practical + c.online;
      const range = chosen?.end ? `${chosen.start} to ${chosen.end}` : `from ${chosen?.start}`;
      const period =
        provisionalUntil !== null && requirement.windowMonths === undefined
          ? `before the provisional period that began ${chosen?.start}`
          : `outside the ${requirement.windowMonths}-month window ${range}`;
      excluded.push(
        exclude(c.item, "outside-window", `completed ${c.item.completedOn}, ${period}`),
      );
      continue;
    }
    const onlineUsed = Math.min(c.online, onlineLeft);
    onlineLeft -= onlineUsed;
    overCap += c.online - onlineUsed;
    const notes: string[] = [];
    if (c.droppedOnline > 0)
      notes.push(`${doNotCount(c.droppedOnline, "online hour")}: face-to-face required`);
    if (onlineUsed < c.online) {
      notes.push(
        `${plural(round(c.online - onlineUsed), "online hour")} over the cap of ${num(requirement.maxOnline ?? 0)}`,
      );
    }
    counted.push(
      count(c.item, c.theory + c.practical + onlineUsed, notes.length ? notes.join("; ") : null),
    );
    if (met && completedOn === null) {
      running = {
        theory: running.theory + c.theory,
        practical: running.practical + c.practical,
        online: running.online + c.online,
      };
      const onlineCounted =
        requirement.maxOnline === undefined
          ? running.online
          : Math.min(running.online, requirement.maxOnline);
      const faceToFace = round(running.theory + running.practical);
      if (
        fullyMet({
          theory: round(running.theory),
          practical: round(running.practical),
          online: round(running.online),
          faceToFace,
          total: round(faceToFace + onlineCounted),
        })
      ) {
        completedOn = c.item.completedOn;
      }
    }
  }

  const measures: Measure[] = [
    {
      label: requirement.onlineCounts ? "hours in total" : "face-to-face hours",
      have: s.total,
      need: requirement.minTotal,
      unit: "hours",
    },
  ];
  if (requirement.minFaceToFace !== undefined && requirement.onlineCounts) {
    measures.push({
      label: "face-to-face hours",
      have: s.faceToFace,
      need: requirement.minFaceToFace,
      unit: "hours",
    });
  }
  if (requirement.minTheory !== undefined) {
    measures.push({
      label: "theory hours",
      have: s.theory,
      need: requirement.minTheory,
      unit: "hours",
    });
  }
  if (requirement.minPractical !== undefined) {
    measures.push({
      label: "practical hours",
      have: s.practical,
      need: requirement.minPractical,
      unit: "hours",
    });
  }

  const parts = [describeMeasures(measures)];
  if (droppedOnline > 0) {
    parts.push(
      `${doNotCount(round(droppedOnline), "online hour")}: this standard requires face-to-face`,
    );
  }
  if (overCap > 0)
    parts.push(
      `${plural(round(overCap), "online hour")} over the cap of ${num(requirement.maxOnline ?? 0)}`,
    );
  if (outsideHours > 0) {
    parts.push(
      requirement.windowMonths !== undefined
        ? `${plural(round(outsideHours), "hour")} fall outside the ${requirement.windowMonths}-month completion window`
        : `${plural(round(outsideHours), "hour")} came before the provisional period`,
    );
  }
  if (pendingHours > 0) parts.push(`${plural(round(pendingHours), "hour")} await verification`);
  if (met && chosen && requirement.windowMonths !== undefined && completedOn) {
    parts.push(
      `completed within ${requirement.windowMonths} months (${chosen.start} to ${completedOn})`,
    );
  }
  if (provisionalUntil) parts.push(`may needle while completing the rest by ${provisionalUntil}`);

  let gap: string | null = null;
  if (!met) {
    const missing = measures
      .filter((m) => m.have < m.need)
      .map((m) => `${num(round(m.need - m.have))} more ${m.label}`);
    const deadline =
      provisionalUntil ?? (chosen?.end && chosen.end >= pass.asOf ? chosen.end : null);
    gap = `${missing.join(", ")}${deadline ? ` by ${deadline}` : ""}`;
  }

  return {
    met: met || provisionalUntil !== null,
    provisional: !met && provisionalUntil !== null,
    ...measured(measures),
    counted,
    excluded,
    validUntil: provisionalUntil,
    explanation: `${parts.join("; ")}.`,
    gap,
    completedOn,
    ...(provisionalUntil !== null && chosen ? { dueFrom: chosen.start } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// topics

const TOPIC_RECORD_KINDS = new Set(["dn-course", "ce-activity", "exam"]);

export function evaluateTopics(requirement: TopicsRequirement, pass: Pass): Outcome {
  const needed = new Set<Topic>(requirement.topics);
  const latest = new Map<Topic, IsoDate>();
  const counted: CountedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  for (const item of pass.items) {
    // An exam only speaks to topics when it lists some.
    if (!TOPIC_RECORD_KINDS.has(item.kind) || (item.kind === "exam" && item.topics.length === 0))
      continue;
    const relevant = item.topics.filter((topic) => needed.has(topic));
    const blocked = gate(item, requirement, pass);
    if (blocked) {
      if (relevant.length > 0) excluded.push(blocked);
      continue;
    }
    if (relevant.length === 0) {
      excluded.push(exclude(item, "topic-not-covered", "covers none of the required topics"));
      continue;
    }
    if (!requirement.onlineCounts && item.theory + item.practical === 0 && item.online > 0) {
      excluded.push(
        exclude(
          item,
          "online",
          "online only: this standard requires the topics to be taught face-to-face",
        ),
      );
      continue;
    }
    if (
      requirement.withinMonths !== undefined &&
      pass.asOf > addMonths(item.completedOn, requirement.withinMonths)
    ) {
      excluded.push(
        exclude(
          item,
          "outside-window",
          `completed ${item.completedOn}, more than ${requirement.withinMonths} months before ${pass.asOf}`,
        ),
      );
      continue;
    }
    counted.push(count(item, relevant.length, listTopics(relevant)));
    for (const topic of relevant) {
      const previous = latest.get(topic);
      if (!previous || item.completedOn > previous) latest.set(topic, item.completedOn);
    }
  }
  const missing = requirement.topics.filter((topic) => !latest.has(topic));
  const met = missing.length === 0;
  let validUntil: IsoDate | null = null;
  if (met && requirement.withinMonths !== undefined) {
    for (const date of latest.values()) {
      const until = addMonths(date, requirement.withinMonths);
      if (validUntil === null || until < validUntil) validUntil = until;
    }
  }
  const measures: Measure[] = [
    {
      label: "required topics covered",
      have: latest.size,
      need: requirement.topics.length,
      unit: "topics",
    },
  ];
  const recency = requirement.withinMonths
    ? ` within the last ${requirement.withinMonths} months`
    : "";
  return {
    met,
    provisional: false,
    ...measured(measures),
    counted,
    excluded,
    validUntil,
    explanation: `Covers ${latest.size} of ${requirement.topics.length} required topics${recency}${met ? "" : `; missing: ${listTopics(missing)}`}.`,
    gap: met ? null : `training covering ${listTopics(missing)}${recency}`,
  };
}

// ---------------------------------------------------------------------------------------------
// supervised sessions

export function evaluateSupervisedSessions(
  requirement: SupervisedSessionsRequirement,
  pass: Pass,
): Outcome {
  const counted: CountedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  let have = 0;
  let pending = 0;
  for (const item of pass.items) {
    if (item.kind !== "supervised-sessions") continue;
    const blocked = gate(item, requirement, pass);
    if (blocked) {
      if (blocked.reason === "not-verified") pending += item.count;
      excluded.push(blocked);
      continue;
    }
    have += item.count;
    counted.push(count(item, item.count));
  }
  const met = have >= requirement.minSessions;
  const measures: Measure[] = [
    { label: "supervised sessions", have, need: requirement.minSessions, unit: "sessions" },
  ];
  const pendingNote = pending > 0 ? `; ${plural(pending, "session")} await verification` : "";
  return {
    met,
    provisional: false,
    ...measured(measures),
    counted,
    excluded,
    validUntil: null,
    explanation: `${describeMeasures(measures)}${pendingNote}.`,
    gap: met ? null : `${num(requirement.minSessions - have)} more supervised sessions`,
  };
}

// ---------------------------------------------------------------------------------------------
// exam

const EXAM_LABELS = {
  written: "written exam",
  practical: "practical exam",
  "written-and-practical": "written and practical exam",
} as const;

export function evaluateExam(requirement: ExamRequirement, pass: Pass): Outcome {
  const needWritten = requirement.examType !== "practical";
  const needPractical = requirement.examType !== "written";
  let haveWritten = false;
  let havePractical = false;
  const counted: CountedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  for (const item of pass.items) {
    if (item.kind !== "exam") continue;
    const blocked = gate(item, requirement, pass);
    if (blocked) {
      excluded.push(blocked);
      continue;
    }
    if (item.passed !== true) {
      excluded.push(exclude(item, "not-passed", "the exam was not passed"));
      continue;
    }
    const written = item.examType === "written" || item.examType === "written-and-practical";
    const practical = item.examType === "practical" || item.examType === "written-and-practical";
    if (!((needWritten && written) || (needPractical && practical))) {
      excluded.push(
        exclude(
          item,
          "wrong-exam-type",
          `a ${EXAM_LABELS[item.examType ?? "written"]}; this standard needs a ${EXAM_LABELS[requirement.examType]}`,
        ),
      );
      continue;
    }
    haveWritten ||= written;
    havePractical ||= practical;
    counted.push(count(item, 1));
  }
  const need = (needWritten ? 1 : 0) + (needPractical ? 1 : 0);
  const have = (needWritten && haveWritten ? 1 : 0) + (needPractical && havePractical ? 1 : 0);
  const missing = [
    needWritten && !haveWritten ? "written" : null,
    needPractical && !havePractical ? "practical" : null,
  ].filter((part) => part !== null);
  const met = missing.length === 0;
  return {
    met,
    provisional: false,
    ...measured([{ label: "exam parts passed", have, need, unit: "exams" }]),
    counted,
    excluded,
    validUntil: null,
    explanation: met
      ? `Passed the ${EXAM_LABELS[requirement.examType]}.`
      : `No passed ${missing.join(" and ")} exam on file.`,
    gap: met ? null : `a passed ${missing.join(" and ")} exam`,
  };
}

// ---------------------------------------------------------------------------------------------
// board notification

const ACTION_LABELS = {
  register: "registration",
  "submit-proof": "proof of training",
  acknowledge: "signed acknowledgement",
  attest: "attestation",
} as const;

export function evaluateBoardNotification(
  requirement: BoardNotificationRequirement,
  pass: Pass,
): Outcome {
  const board = pass.standard.jurisdiction;
  const what = ACTION_LABELS[requirement.action];
  const counted: CountedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  let filedOn: IsoDate | null = null;
  for (const item of pass.items) {
    if (item.kind !== "board-notification") continue;
    const blocked = gate(item, requirement, pass);
    if (blocked) {
      if (item.jurisdiction === board) excluded.push(blocked);
      continue;
    }
    if (item.jurisdiction !== board) {
      excluded.push(
        exclude(item, "other-jurisdiction", `filed with ${item.jurisdiction}, not ${board}`),
      );
      continue;
    }
    counted.push(count(item, 1));
    if (filedOn === null || item.completedOn < filedOn) filedOn = item.completedOn;
  }
  const measures: Measure[] = [
    { label: `${what} filed with ${board}`, have: filedOn ? 1 : 0, need: 1, unit: "filings" },
  ];
  const base = { provisional: false, ...measured(measures), counted, excluded, validUntil: null };
  if (requirement.due === "before-first-use") {
    return filedOn
      ? {
          ...base,
          met: true,
          explanation: `${capitalize(what)} filed with ${board} on ${filedOn}.`,
          gap: null,
        }
      : {
          ...base,
          met: false,
          explanation: `No ${what} filed with ${board}: it is required before needling.`,
          gap: `${what} filed with ${board} before needling`,
        };
  }
  const days = requirement.withinDays ?? 0;
  const trained = pass.trainingCompletedOn;
  const deadline = trained ? addDays(trained, days) : null;
  if (filedOn) {
    const late = deadline !== null && filedOn > deadline;
    return {
      ...base,
      met: true,
      explanation: `${capitalize(what)} filed with ${board} on ${filedOn}${late ? `, after the ${days}-day deadline of ${deadline}` : ""}.`,
      gap: null,
    };
  }
  if (deadline !== null && pass.asOf <= deadline) {
    return {
      ...base,
      met: true,
      provisional: true,
      validUntil: deadline,
      ...(trained ? { dueFrom: trained } : {}),
      explanation: `Training completed ${trained}; ${what} is due with ${board} by ${deadline}.`,
      gap: `${what} filed with ${board} by ${deadline}`,
    };
  }
  return {
    ...base,
    met: false,
    explanation:
      deadline === null
        ? `No ${what} filed with ${board}; it is due within ${days} days of completing training.`
        : `No ${what} filed with ${board}; it was due by ${deadline}, ${days} days after training was completed on ${trained}.`,
    gap: `${what} filed with ${board}`,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------------------------------------
// credential current

const CREDENTIAL_LABELS = { cpr: "CPR certification" } as const;

export function evaluateCredentialCurrent(
  requirement: CredentialCurrentRequirement,
  pass: Pass,
): Outcome {
  const label = CREDENTIAL_LABELS[requirement.credential];
  const counted: CountedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  let validUntil: IsoDate | null = null;
  for (const item of pass.items) {
    if (item.kind !== requirement.credential) continue;
    const blocked = gate(item, requirement, pass);
    if (blocked) {
      excluded.push(blocked);
      continue;
    }
    const expiresOn = item.expiresOn ?? item.completedOn;
    if (expiresOn < pass.asOf) {
      excluded.push(exclude(item, "expired", `expired on ${expiresOn}`));
      continue;
    }
    counted.push(count(item, 1, `valid until ${expiresOn}`));
    if (validUntil === null || expiresOn > validUntil) validUntil = expiresOn;
  }
  const met = validUntil !== null;
  return {
    met,
    provisional: false,
    ...measured([{ label: `current ${label}`, have: met ? 1 : 0, need: 1, unit: "credentials" }]),
    counted,
    excluded,
    validUntil,
    explanation: met
      ? `${capitalize(label)} current until ${validUntil}.`
      : `No current ${label} on ${pass.asOf}.`,
    gap: met ? null : `a current ${label}`,
  };
}

// ---------------------------------------------------------------------------------------------
// CE per renewal cycle

function cycleFor(
  requirement: CeCycleRequirement,
  pass: Pass,
): { start: IsoDate; end: IsoDate; license: DossierLicense | undefined } | { problem: string } {
  const board = pass.standard.jurisdiction;
  const held = pass.licenses.filter((l) => l.jurisdiction === board && l.issuedOn <= pass.asOf);
  const license =
    bestActiveLicense(held, pass.asOf, board) ??
    held.reduce<DossierLicense | undefined>(
      (latest, l) => (!latest || compareLicenses(l, latest) < 0 ? l : latest),
      undefined,
    );
  if (requirement.anchor.type === "license-expiry") {
    if (!license)
      return { problem: `no ${board} license on file, so there is no renewal cycle to check` };
    if (!license.expiresOn) {
      return {
        problem: `${board} license ${license.number} has no expiry date, so the renewal cycle cannot be placed`,
      };
    }
    const end = license.expiresOn;
    return { start: addDays(addMonths(end, -requirement.cycleMonths), 1), end, license };
  }
  const { startMonth, startDay, startYear } = requirement.anchor;
  const anchor = `${String(startYear ?? 2000).padStart(4, "0")}-${String(startMonth).padStart(2, "0")}-${String(startDay).padStart(2, "0")}`;
  const cycles = Math.floor(monthsBetween(anchor, pass.asOf) / requirement.cycleMonths);
  const start = addMonths(anchor, cycles * requirement.cycleMonths);
  return { start, end: addDays(addMonths(start, requirement.cycleMonths), -1), license };
}

export function evaluateCeCycle(requirement: CeCycleRequirement, pass: Pass): Outcome {
  const need = requirement.hoursByProfession?.[pass.profession] ?? requirement.hoursPerCycle;
  const cycle = cycleFor(requirement, pass);
  if ("problem" in cycle) {
    return {
      met: false,
      provisional: false,
      ...measured([{ label: "CE hours this cycle", have: 0, need, unit: "hours" }]),
      counted: [],
      excluded: [],
      validUntil: null,
      explanation: `Cannot check CE: ${cycle.problem}.`,
      gap: `a ${pass.standard.jurisdiction} license with an expiry date`,
    };
  }
  const { start, end } = cycle;
  const board = pass.standard.jurisdiction;
  const firstIssued = earliestIssued(
    pass.licenses.filter((l) => l.jurisdiction === board),
    pass.asOf,
  );
  const counted: CountedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  let raw = 0;
  let online = 0;
  let pendingHours = 0;
  const byCategory = new Map<string, number>();
  for (const item of pass.items) {
    if (!requirement.recordKinds.includes(item.kind as "dn-course" | "ce-activity")) continue;
    const blocked = gate(item, requirement, pass);
    if (blocked) {
      if (blocked.reason === "not-verified")
        pendingHours += item.theory + item.practical + item.online;
      excluded.push(blocked);
      continue;
    }
    if (item.completedOn < start || item.completedOn > end) {
      excluded.push(
        exclude(
          item,
          "outside-window",
          `completed ${item.completedOn}, outside the renewal cycle ${start} to ${end}`,
        ),
      );
      continue;
    }
    const hours = item.theory + item.practical + item.online;
    raw += hours;
    online += item.online;
    const categories = requirement.categories.filter((c) =>
      item.topics.some((t) => c.topics.includes(t)),
    );
    for (const category of categories)
      byCategory.set(category.id, (byCategory.get(category.id) ?? 0) + hours);
    counted.push(
      count(item, hours, categories.length ? categories.map((c) => c.title).join(", ") : null),
    );
  }
  // Caps are applied independently: the excess over each cap is taken off the total.
  let excess = 0;
  const capNotes: string[] = [];
  if (requirement.maxOnline !== undefined && online > requirement.maxOnline) {
    excess += online - requirement.maxOnline;
    capNotes.push(
      `${plural(round(online - requirement.maxOnline), "online hour")} over the cap of ${num(requirement.maxOnline)}`,
    );
  }
  const measures: Measure[] = [];
  for (const category of requirement.categories) {
    const hours = byCategory.get(category.id) ?? 0;
    if (category.maxHours !== undefined && hours > category.maxHours) {
      excess += hours - category.maxHours;
      capNotes.push(
        `${plural(round(hours - category.maxHours), "hour")} of ${category.title} over the cap of ${num(category.maxHours)}`,
      );
    }
    if (category.minHours !== undefined) {
      measures.push({
        label: `${category.title} hours`,
        have: round(Math.min(hours, category.maxHours ?? hours)),
        need: category.minHours,
        unit: "hours",
      });
    }
  }
  const total = round(Math.max(0, raw - excess));
  measures.unshift({ label: "CE hours this cycle", have: total, need, unit: "hours" });
  const complete = measures.every((m) => m.have >= m.need);
  const exempt = requirement.firstRenewalExempt && firstIssued !== null && firstIssued >= start;
  const cycleText = `cycle ${start} to ${end}`;
  const notes = [
    ...capNotes,
    ...(pendingHours > 0 ? [`${plural(round(pendingHours), "hour")} await verification`] : []),
  ];
  const tail = notes.length ? `; ${notes.join("; ")}` : "";
  if (exempt) {
    return {
      met: true,
      provisional: false,
      ...measured(measures.map((m) => ({ ...m, need: 0 }))),
      counted,
      excluded,
      validUntil: null,
      explanation: `First renewal after licensure on ${firstIssued}: no CE due (${cycleText})${tail}.`,
      gap: null,
    };
  }
  const shortfall = measures
    .filter((m) => m.have < m.need)
    .map((m) => `${num(round(m.need - m.have))} more ${m.label}`);
  if (complete) {
    return {
      met: true,
      provisional: false,
      ...measured(measures),
      counted,
      excluded,
      validUntil: null,
      explanation: `${describeMeasures(measures)} (${cycleText})${tail}.`,
      gap: null,
    };
  }
  if (pass.asOf <= end) {
    return {
      met: true,
      provisional: true,
      ...measured(measures),
      counted,
      excluded,
      validUntil: end,
      dueFrom: start,
      explanation: `${describeMeasures(measures)} so far (${cycleText}); the rest is due by ${end}${tail}.`,
      gap: `${shortfall.join(", ")} by ${end}`,
    };
  }
  return {
    met: false,
    provisional: false,
    ...measured(measures),
    counted,
    excluded,
    validUntil: null,
    explanation: `${describeMeasures(measures)} (${cycleText}): the cycle ended short${tail}.`,
    gap: `${shortfall.join(", ")} for the ${cycleText}`,
  };
}
