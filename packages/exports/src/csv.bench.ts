/**
 * Memory of a streamed CSV export: 10,000 vs 100,000 practitioner rows, each measured in its own
 * process (bench/csv-memory.ts). Prints peak RSS, peak heap and the heap retained after full
 * collections at each quarter of the run, and the 100k/10k ratios. Figures only: no assertions.
 */
import { execFileSync } from "node:child_process";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { bench, describe } from "vitest";
import { summaryCsv } from "./csv.ts";
import { exportHeader, exportPractitioners } from "./test-fixtures.ts";

interface Measurement {
  rows: number;
  csvLines: number;
  bytes: number;
  peakRssMb: number;
  peakHeapMb: number;
  maxRssMb: number;
  retainedHeapMb: number[];
  seconds: number;
}

const script = fileURLToPath(new URL("./bench/csv-memory.ts", import.meta.url));

function measure(rows: number): Measurement {
  const output = execFileSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", script, String(rows), "summary"],
    { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) },
  );
  return JSON.parse(output) as Measurement;
}

const small = measure(10_000);
const large = measure(100_000);
const mb = (value: number) => `${value.toFixed(1)} MB`;
process.stdout.write(
  [
    "",
    "streamed summary CSV export: peak memory by row count (each in its own process)",
    "  rows      peak RSS   peak heap  retained heap after GC (each quarter)   CSV size",
    ...[small, large].map(
      (m) =>
        `  ${String(m.rows).padEnd(8)}  ${mb(m.maxRssMb).padEnd(9)}  ${mb(m.peakHeapMb).padEnd(9)}  ${m.retainedHeapMb
          .map((v) => `${v}`)
          .join(" / ")
          .padEnd(38)}  ${mb(m.bytes / 2 ** 20)}`,
    ),
    `  ratio 100k/10k: peak RSS x${(large.maxRssMb / small.maxRssMb).toFixed(2)}, retained heap x${((large.retainedHeapMb.at(-1) ?? 0) / (small.retainedHeapMb.at(-1) ?? 1)).toFixed(2)} for x10 rows (budget: 300 MB)`,
    "",
  ].join("\n"),
);

const practitioners = exportPractitioners();
const header = exportHeader();
async function* many(count: number) {
  for (let index = 0; index < count; index += 1) yield practitioners[index % practitioners.length];
}

describe("CSV export throughput", () => {
  bench("summary CSV, 1,000 practitioners", async () => {
    await pipeline(
      summaryCsv(header, many(1000) as AsyncIterable<never>),
      new Writable({ write: (_chunk, _encoding, callback) => callback() }),
    );
  });
});
