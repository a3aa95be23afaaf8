/**
 * One measurement for csv.bench.ts, run in its own process so peak memory is its own:
 * `tsx csv-memory.ts <rows> <summary|detail>` streams a CSV export of <rows> practitioners (each
 * a real evaluation against the pack's Florida standard) into a byte-counting sink and prints
 * JSON with the peak RSS and heap seen.
 */
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { evaluate } from "@dn/compliance";
import type { Dossier, ExportPractitioner } from "@dn/schema";
import { detailCsv, summaryCsv } from "../csv.ts";
import { toExportPractitioner } from "../model.ts";
import { AS_OF, CLINIC, DOSSIERS, exportHeader, FL_VERSIONS } from "../test-fixtures.ts";

const rows = Number(process.argv[2] ?? "10000");
const kind = process.argv[3] === "detail" ? "detail" : "summary";

let peakRss = 0;
let peakHeap = 0;
function sample(): void {
  const usage = process.memoryUsage();
  peakRss = Math.max(peakRss, usage.rss);
  peakHeap = Math.max(peakHeap, usage.heapUsed);
}
const sampler = setInterval(sample, 5);

/** Heap still reachable after a full collection (run with --expose-gc), at checkpoints. */
const retainedMb: number[] = [];
const collect = (globalThis as { gc?: () => void }).gc;
function checkpoint(): void {
  if (!collect) return;
  collect();
  retainedMb.push(Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10);
}

async function* practitioners(count: number): AsyncGenerator<ExportPractitioner> {
  for (let index = 0; index < count; index += 1) {
    const base = DOSSIERS[index % DOSSIERS.length] as Dossier;
    const dossier: Dossier = {
      ...base,
      practitioner: { ...base.practitioner, id: `p-${index}`, name: `Practitioner ${index}` },
    };
    yield toExportPractitioner({
      dossier,
      clinic: CLINIC,
      evaluations: [evaluate(dossier, FL_VERSIONS, { asOf: AS_OF })],
      asOf: AS_OF,
    });
    if (index % 1000 === 0) sample();
    if (index > 0 && index % Math.max(1, Math.floor(count / 4)) === 0) checkpoint();
  }
}

let bytes = 0;
let lines = 0;
const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines += 1;
    callback();
  },
});

const started = performance.now();
const source = practitioners(rows);
await pipeline(kind === "summary" ? summaryCsv(exportHeader(), source) : detailCsv(source), sink);
sample();
checkpoint();
clearInterval(sampler);
process.stdout.write(
  `${JSON.stringify({
    rows,
    kind,
    csvLines: lines,
    bytes,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    retainedHeapMb: retainedMb,
    seconds: (performance.now() - started) / 1000,
  })}\n`,
);
