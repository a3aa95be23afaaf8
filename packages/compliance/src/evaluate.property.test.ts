import {
  type Dossier,
  type DossierLicense,
  type DossierRecord,
  DossierSchema,
  EXAM_TYPES,
  LICENSE_STATUSES,
  type StandardDocument,
  TOPIC_CODES,
} from "@dn/schema";
import { standardsPack } from "@dn/standards";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { addDays, minDate } from "./dates.ts";
import { evaluate } from "./evaluate.ts";
import type { Evaluation, ExclusionReason } from "./types.ts";
import { whatIf } from "./what-if.ts";

const BASE = "2012-01-01";
const SPAN_DAYS = 365 * 16;
const JURISDICTIONS = [
  ...new Set(standardsPack.map((s) => s.jurisdiction).filter((j) => j !== null)),
] as DossierLicense["jurisdiction"][];

const dateArb = fc.integer({ min: 0, max: SPAN_DAYS }).map((n) => addDays(BASE, n));
const hoursArb = fc.record({
  theory: fc.constantFrom(0, 0, 1.5, 4, 8, 12, 27),
  practical: fc.constantFrom(0, 0, 2, 10, 15, 27, 40),
  online: fc.constantFrom(0, 0, 1, 8, 20, 60),
});
const topicsArb = fc.uniqueArray(fc.constantFrom(...TOPIC_CODES), { maxLength: 5 });
const statusArb = fc.constantFrom(
  "verified",
  "verified",
  "verified",
  "pending",
  "rejected",
  "withdrawn",
) as fc.Arbitrary<DossierRecord["status"]>;

/** A record without its id; the lag is days between completion and recording. */
const recordBodyArb = fc
  .tuple(dateArb, fc.integer({ min: 0, max: 400 }), statusArb)
  .chain(([completedOn, lag, status]) => {
    const common = {
      title: "Generated",
      completedOn,
      recordedAt: `${addDays(completedOn, lag)}T10:00:00.000Z`,
      status,
    };
    return fc.oneof(
      fc
        .record({ hours: hoursArb, topics: topicsArb })
        .map((r) => ({ ...common, kind: "dn-course" as const, ...r })),
      fc
        .record({ hours: hoursArb, topics: topicsArb })
        .map((r) => ({ ...common, kind: "ce-activity" as const, ...r })),
      fc
        .integer({ min: 1, max: 120 })
        .map((count) => ({ ...common, kind: "supervised-sessions" as const, count })),
      fc
        .record({
          examType: fc.constantFrom(...EXAM_TYPES),
          passed: fc.boolean(),
          topics: topicsArb,
        })
        .map((r) => ({ ...common, kind: "exam" as const, ...r })),
      fc.integer({ min: 0, max: 800 }).map((days) => ({
        ...common,
        kind: "cpr" as const,
        expiresOn: addDays(completedOn, days),
      })),
      fc
        .constantFrom(...JURISDICTIONS)
        .map((jurisdiction) => ({ ...common, kind: "board-notification" as const, jurisdiction })),
    );
  });

const licenseArb: fc.Arbitrary<DossierLicense> = fc
  .tuple(
    fc.constantFrom(...JURISDICTIONS),
    dateArb,
    fc.option(fc.integer({ min: 30, max: 3650 }), { nil: null }),
    fc.constantFrom(...LICENSE_STATUSES, "active", "active"),
    fc.integer({ min: 1, max: 9 }),
  )
  .map(([jurisdiction, issuedOn, days, status, n]) => ({
    jurisdiction,
    number: `L-${n}`,
    issuedOn,
    expiresOn: days === null ? null : addDays(issuedOn, days),
    status,
  }));

const dossierArb: fc.Arbitrary<Dossier> = fc
  .record({
    profession: fc.constantFrom("PT", "PT", "PT", "PTA"),
    licenses: fc.array(licenseArb, { maxLength: 3 }),
    records: fc.array(recordBodyArb, { maxLength: 25 }),
  })
  .map(({ profession, licenses, records }) =>
    DossierSchema.parse({
      format: "dn-dossier",
      version: 1,
      practitioner: { id: "p", name: "Generated Practitioner", profession },
      licenses,
      records: records.map((r, i) => ({ ...r, id: `r${String(i).padStart(3, "0")}` })),
    }),
  );

const standardArb = fc.constantFrom(...standardsPack);
const asOfArb = fc.integer({ min: 365 * 4, max: SPAN_DAYS + 365 }).map((n) => addDays(BASE, n));
const knownAtArb = fc.option(
  fc
    .integer({ min: 365 * 4, max: SPAN_DAYS + 365 })
    .map((n) => `${addDays(BASE, n)}T00:00:00.000Z`),
  { nil: undefined },
);

function permutation<T>(items: readonly T[]): fc.Arbitrary<T[]> {
  return fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });
}

/** The evaluation without the excluded entries of one reason (the ones a property adds). */
function without(evaluation: Evaluation, reason: ExclusionReason): Evaluation {
  return {
    ...evaluation,
    requirements: evaluation.requirements.map((r) => ({
      ...r,
      excluded: r.excluded.filter((e) => e.reason !== reason),
    })),
  };
}

const hoursStandards = standardsPack.filter((s) =>
  s.requirements.some((r) => r.kind === "training-hours"),
);

describe("evaluate: properties", () => {
  test("the verdict does not depend on the order of records or licenses", () => {
    fc.assert(
      fc.property(
        dossierArb.chain((d) =>
          fc.tuple(fc.constant(d), permutation(d.records), permutation(d.licenses)),
        ),
        standardArb,
        asOfArb,
        knownAtArb,
        ([d, records, licenses], standard, asOf, knownAt) => {
          const options = { asOf, ...(knownAt ? { knownAt } : {}) };
          expect(evaluate({ ...d, records, licenses }, standard, options)).toEqual(
            evaluate(d, standard, options),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test("adding a verified face-to-face hour never turns an hours requirement from met to unmet", () => {
    fc.assert(
      fc.property(
        dossierArb,
        fc.constantFrom(...hoursStandards),
        asOfArb,
        fc.integer({ min: 0, max: SPAN_DAYS }),
        fc.constantFrom("theory", "practical"),
        (d, standard, asOf, offset, part) => {
          const completedOn = minDate(addDays(BASE, offset), asOf);
          const extra: DossierRecord = {
            id: "extra-hour",
            kind: "dn-course",
            title: "One more hour",
            completedOn,
            recordedAt: `${completedOn}T10:00:00.000Z`,
            status: "verified",
            hours: {
              theory: part === "theory" ? 1 : 0,
              practical: part === "practical" ? 1 : 0,
              online: 0,
            },
            topics: [],
          };
          const before = evaluate(d, standard, { asOf });
          const after = evaluate({ ...d, records: [...d.records, extra] }, standard, { asOf });
          standard.requirements.forEach((requirement, index) => {
            if (requirement.kind !== "training-hours") return;
            if (before.requirements[index]?.met) expect(after.requirements[index]?.met).toBe(true);
            // Hours only accumulate when no completion window can push older hours out.
            if (requirement.windowMonths !== undefined || requirement.provisional) return;
            after.requirements[index]?.measures.forEach((measure, m) => {
              expect(measure.have).toBeGreaterThanOrEqual(
                before.requirements[index]?.measures[m]?.have ?? 0,
              );
            });
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  test("records and corrections recorded after knownAt never change a past audit", () => {
    fc.assert(
      fc.property(
        dossierArb,
        standardArb,
        asOfArb,
        fc.integer({ min: 365 * 4, max: SPAN_DAYS }),
        fc.array(recordBodyArb, { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(), statusArb), { maxLength: 4 }),
        (d, standard, asOf, knownDay, later, corrections) => {
          const knownAt = `${addDays(BASE, knownDay)}T00:00:00.000Z`;
          const afterKnown = (n: number) => `${addDays(BASE, knownDay + 1 + n)}T00:00:00.000Z`;
          const added: DossierRecord[] = later.map((r, i) => ({
            ...r,
            id: `later-${i}`,
            recordedAt: afterKnown(i),
          }));
          const corrected: DossierRecord[] = d.records.length
            ? corrections.map(([pick, status], i) => {
                const original = d.records[pick % d.records.length] as DossierRecord;
                return { ...original, version: 10 + i, status, recordedAt: afterKnown(i) };
              })
            : [];
          const before = evaluate(d, standard, { asOf, knownAt });
          const after = evaluate(
            { ...d, records: [...d.records, ...added, ...corrected] },
            standard,
            {
              asOf,
              knownAt,
            },
          );
          expect(without(after, "recorded-after-known-at")).toEqual(
            without(before, "recorded-after-known-at"),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test("records completed after asOf never change the verdict", () => {
    fc.assert(
      fc.property(
        dossierArb,
        standardArb,
        asOfArb,
        fc.array(recordBodyArb, { maxLength: 6 }),
        (d, standard, asOf, later) => {
          const future: DossierRecord[] = later.map((r, i) => ({
            ...r,
            id: `future-${i}`,
            completedOn: addDays(asOf, 1 + i),
            ...(r.kind === "cpr" ? { expiresOn: addDays(asOf, 400) } : {}),
          })) as DossierRecord[];
          const before = evaluate(d, standard, { asOf });
          const after = evaluate({ ...d, records: [...d.records, ...future] }, standard, { asOf });
          expect(without(after, "completed-after-as-of")).toEqual(
            without(before, "completed-after-as-of"),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  test("the status agrees with the requirements, in order of precedence", () => {
    fc.assert(
      fc.property(dossierArb, standardArb, asOfArb, knownAtArb, (d, standard, asOf, knownAt) => {
        const result = evaluate(d, standard, { asOf, ...(knownAt ? { knownAt } : {}) });
        const binding = result.requirements.filter((r) => !r.advisory);
        const forbidden =
          standard.status === "prohibited" ||
          standard.status === "pending-rules" ||
          !standard.professions.includes(d.practitioner.profession);
        expect(result.status === "not-permitted").toBe(forbidden);
        if (forbidden) return;
        const blocked = binding.some((r) => !r.metIfPendingVerified);
        const unmet = binding.some((r) => !r.met);
        if (blocked) expect(result.status).toBe("not-qualified");
        else if (unmet) expect(result.status).toBe("pending-verification");
        else expect(["qualified", "expiring"]).toContain(result.status);
        for (const r of result.requirements) if (r.met) expect(r.metIfPendingVerified).toBe(true);
        if (result.status === "expiring") {
          expect((result.nextLapse?.on ?? "9999-12-31") <= addDays(asOf, result.horizonDays)).toBe(
            true,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  test("every requirement's state agrees with met, provisional and its own numbers", () => {
    fc.assert(
      fc.property(dossierArb, standardArb, asOfArb, (d, standard, asOf) => {
        for (const r of evaluate(d, standard, { asOf }).requirements) {
          expect(r.state === "not-met").toBe(!r.met);
          expect(r.state === "met").toBe(r.met && !r.provisional);
          // A met requirement owes nothing, so nothing reads as missing next to "met".
          if (r.state === "met") expect(r.gap).toBeNull();
          if (r.state !== "due-on-track" && r.state !== "due-behind") {
            expect(r.due).toBeNull();
            continue;
          }
          const due = r.due;
          if (!due) throw new Error("a due requirement has a deadline");
          expect(due.by).toBe(r.validUntil);
          expect(due.by >= asOf).toBe(true);
          expect(due.daysLeft).toBeGreaterThanOrEqual(1);
          expect(due.daysLeft).toBeLessThanOrEqual(due.periodDays);
          expect(due.remaining).toBeCloseTo(Math.max(0, r.need - r.have), 6);
          // The pace rule, restated: the rest fits at the period's even pace.
          const fits = r.measures
            .filter((m) => m.have < m.need)
            .every(
              (m) =>
                m.need - m.have <=
                Math.ceil(Math.round(((m.need * due.daysLeft) / due.periodDays) * 1e4) / 1e4) +
                  1e-9,
            );
          expect(r.state).toBe(fits ? "due-on-track" : "due-behind");
          expect(r.stateLabel.startsWith(`Due by ${due.by}, ${fits ? "on track" : "behind"}`)).toBe(
            true,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  test("a day later, a due requirement with the same evidence is never further ahead", () => {
    const ceStandards = standardsPack.filter((s) =>
      s.requirements.some((r) => r.kind === "ce-cycle"),
    );
    fc.assert(
      fc.property(dossierArb, fc.constantFrom(...ceStandards), asOfArb, (d, standard, asOf) => {
        const today = evaluate(d, standard, { asOf }).requirements;
        const tomorrow = evaluate(d, standard, { asOf: addDays(asOf, 1) }).requirements;
        today.forEach((r, index) => {
          const next = tomorrow[index];
          if (r.state !== "due-behind" || !next || next.validUntil !== r.validUntil) return;
          if (next.have !== r.have) return;
          expect(next.state).toBe("due-behind");
        });
      }),
      { numRuns: 200 },
    );
  });

  test("a what-if with nothing hypothetical changes nothing", () => {
    fc.assert(
      fc.property(dossierArb, standardArb, asOfArb, (d, standard: StandardDocument, asOf) => {
        const result = whatIf(d, standard, [], { asOf });
        expect(result.after).toEqual(result.before);
        expect(result.changes).toEqual([]);
        expect(result.before).toEqual(evaluate(d, standard, { asOf }));
      }),
      { numRuns: 100 },
    );
  });
});
