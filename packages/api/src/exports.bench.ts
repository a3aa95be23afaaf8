/**
 * Memory of a compliance export through the real path (database → planExport → summary CSV):
 * 10,000 vs 100,000 practitioners, each run in its own process on its own SQLite database
 * (bench/export-memory.ts). Prints peak RSS, peak heap, heap retained after full collections at
 * each quarter of the export, and the 100k/10k ratios. Figures only: no assertions.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bench, describe } from "vitest";
import { exportFileName } from "./services/export-jobs.ts";

interface Measurement {
  practitioners: number;
  csvLines: number;
  bytes: number;
  baselineRssMb: number;
  peakRssMb: number;
  peakHeapMb: number;
  maxRssMb: number;
  retainedHeapMb: number[];
  exportSeconds: number;
}

const script = fileURLToPath(new URL("./bench/export-memory.ts", import.meta.url));

function run(args: string[]): string {
  return execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", script, ...args], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    maxBuffer: 1 << 20,
  });
}

/** Seeds a database in one process, then exports it in a fresh one (whose memory is measured). */
function measure(rows: number): Measurement {
  const dir = mkdtempSync(join(tmpdir(), "dn-export-bench-"));
  try {
    const path = join(dir, "bench.sqlite");
    const organizationId = run(["seed", String(rows), path]).trim();
    return JSON.parse(run(["export", path, organizationId])) as Measurement;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const small = measure(10_000);
const large = measure(100_000);
const last = (values: number[]) => values.at(-1) ?? 0;
process.stdout.write(
  [
    "",
    "summary CSV export from the database (planExport, all standards that apply): memory by size",
    "  practitioners  peak RSS    peak heap  retained heap after GC (each quarter)  CSV lines  export s",
    ...[small, large].map(
      (m) =>
        `  ${String(m.practitioners).padEnd(13)}  ${`${m.maxRssMb} MB`.padEnd(10)}  ${`${m.peakHeapMb} MB`.padEnd(9)}  ${m.retainedHeapMb.join(" / ").padEnd(38)}  ${String(m.csvLines).padEnd(9)}  ${m.exportSeconds.toFixed(1)}`,
    ),
    `  ratio 100k/10k: peak RSS x${(large.maxRssMb / small.maxRssMb).toFixed(2)}, peak heap x${(large.peakHeapMb / small.peakHeapMb).toFixed(2)}, retained heap x${(last(large.retainedHeapMb) / (last(small.retainedHeapMb) || 1)).toFixed(2)} for x10 practitioners (budget 300 MB)`,
    "",
  ].join("\n"),
);

describe("export naming", () => {
  bench("exportFileName", () => {
    exportFileName("Harbor Physical Therapy", {
      id: "9e4f5b0a-0a6d-4b9b-8d4a-5dbe9fa0b1c8",
      kind: "bundle",
      scope: { kind: "organization", asOf: "2026-11-01" },
    });
  });
});
