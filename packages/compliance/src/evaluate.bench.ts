import { findStandard } from "@dn/standards";
import { bench, describe } from "vitest";
import { addDays } from "./dates.ts";
import { evaluate } from "./evaluate.ts";
import { ce, course, cpr, dossier, exam, license, notified, sessions } from "./test-builders.ts";

/** One practitioner with 200 records of every kind, spread over ten years, some pending. */
function twoHundredRecords() {
  const records = [];
  for (let i = 0; i < 200; i++) {
    const on = addDays("2016-01-01", i * 18);
    const status = i % 7 === 0 ? "pending" : i % 13 === 0 ? "rejected" : "verified";
    switch (i % 6) {
      case 0:
        records.push(
          course(
            on,
            { theory: 4, practical: 6, online: 2 },
            { status, topics: ["anatomy", "bloodborne-pathogens"] },
          ),
        );
        break;
      case 1:
        records.push(ce(on, { theory: 2, online: 1 }, { status, topics: ["ethics"] }));
        break;
      case 2:
        records.push(sessions(on, 5, { status }));
        break;
      case 3:
        records.push(exam(on, "written-and-practical", i % 4 !== 0, { status }));
        break;
      case 4:
        records.push(cpr(on, addDays(on, 730), { status }));
        break;
      default:
        records.push(notified(on, "US-CO", { status }));
    }
  }
  return dossier({ licenses: [license("US-CO", "2012-01-01", "2027-12-31")], records });
}

const d = twoHundredRecords();
const colorado = findStandard("us-co-dn", "2026-06-01");
const harbor = findStandard("harbor-pt-dn-policy", "2026-06-01");
if (!colorado || !harbor) throw new Error("standards missing from the pack");

/**
 * The table vitest prints has no median, which the issue asks for: each benchmark times its own
 * calls and, when its measured run ends (tinybench's teardown), prints the median per call.
 */
function timed(name: string, run: () => void) {
  const times: number[] = [];
  const fn = () => {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  };
  const teardown = (_task: unknown, mode?: string) => {
    if (mode === "warmup") {
      times.length = 0;
      return;
    }
    process.stdout.write(
      `\n  median ${median(times).toFixed(3)} ms per evaluation over ${times.length} calls: ${name}\n`,
    );
    times.length = 0;
  };
  return [name, fn, { teardown }] as const;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

describe("evaluate one practitioner with 200 records", () => {
  bench(
    ...timed("against us-co-dn v2 (windowed hours, staged use)", () => {
      evaluate(d, colorado, { asOf: "2026-06-01" });
    }),
  );
  bench(
    ...timed("against harbor-pt-dn-policy (six requirements)", () => {
      evaluate(d, harbor, { asOf: "2026-06-01", knownAt: "2026-01-01T00:00:00Z" });
    }),
  );
});
