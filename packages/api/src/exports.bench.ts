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

function run(args: string[], nodeOptions: string[] = []): string {
  return execFileSync(
    process.execPath,
    ["--expose-gc", ...nodeOptions, "--import", "tsx", script, ...args],
    { encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)), maxBuffer: 1 << 20 },
  );
}

/** The V8 old-generation cap of the second run: an export whose live memory grew would fail. */
const CAP_MB = 64;

/**
 * Seeds a database in one process, then exports it in fresh ones (whose memory is measured):
 * once as Node runs by default, once with the heap capped at CAP_MB.
 */
function measure(rows: number): { free: Measurement; capped: Measurement } {
  const dir = mkdtempSync(join(tmpdir(), "dn-export-bench-"));
  try {
    const path = join(dir, "bench.sqlite");
    const organizationId = run(["seed", String(rows), path]).trim();
    return {
      free: JSON.parse(run(["export", path, organizationId])) as Measurement,
      capped: JSON.parse(
        run(["export", path, organizationId], [`--max-old-space-size=${CAP_MB}`]),
      ) as Measurement,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const small = measure(10_000);
const large = measure(100_000);
const last = (values: number[]) => values.at(-1) ?? 0;
const line = (label: string, m: Measurement) =>
  `  ${String(m.practitioners).padEnd(13)}  ${label.padEnd(13)}  ${`${m.maxRssMb} MB`.padEnd(10)}  ${`${m.peakHeapMb} MB`.padEnd(9)}  ${m.retainedHeapMb.join(" / ").padEnd(30)}  ${m.exportSeconds.toFixed(1)}`;
const ratio = (a: Measurement, b: Measurement) =>
  `peak RSS x${(b.maxRssMb / a.maxRssMb).toFixed(2)}, peak heap x${(b.peakHeapMb / a.peakHeapMb).toFixed(2)}, retained heap x${(last(b.retainedHeapMb) / (last(a.retainedHeapMb) || 1)).toFixed(2)}`;
process.stdout.write(
  [
    "",
    "summary CSV export from the database (planExport, all standards that apply): memory by size",
    "  practitioners  heap          peak RSS    peak heap  retained after GC (quarters)    export s",
    line("default", small.free),
    line("default", large.free),
    line(`cap ${CAP_MB} MB`, small.capped),
    line(`cap ${CAP_MB} MB`, large.capped),
    `  100k/10k, default heap: ${ratio(small.free, large.free)} (V8 lets garbage accumulate longer in a longer run)`,
    `  100k/10k, heap capped at ${CAP_MB} MB: ${ratio(small.capped, large.capped)}; budget 300 MB`,
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
