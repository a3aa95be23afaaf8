/**
 * Export jobs run in the background: the API host starts one ExportWorker per process; it claims
 * queued jobs from the database (so several API instances can share the queue), writes the file
 * to the export storage while hashing it, records progress, and audits completion.
 */
import { createHash } from "node:crypto";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  claimNextExportJob,
  type Db,
  findActiveMember,
  findExportJob,
  listEvidenceOfRecords,
  requeueRunningExportJobs,
  type StoredExportJob,
  updateExportJob,
} from "@dn/db";
import {
  auditReportPdf,
  type BundleEntry,
  bundleEntries,
  detailCsv,
  jsonExport,
  slugify,
  summaryCsv,
  writeBundle,
} from "@dn/exports";
import type { ExportKind, ExportPractitioner } from "@dn/schema";
import type { BlobStore } from "./blob-store.ts";
import { writeAudit } from "./context.ts";
import type { ExportStorage } from "./export-storage.ts";
import { ensureOrganizationKey, planExport } from "./exports.service.ts";

export interface ExportRuntime {
  db: Db;
  storage: ExportStorage;
  now: () => Date;
  /** Where evidence files' bytes live; without one a bundle carries each record's JSON only. */
  blobStore?: BlobStore;
}

const EXTENSIONS: Record<ExportKind, string> = {
  bundle: ".zip",
  json: ".json",
  "csv-summary": "-summary.csv",
  "csv-detail": "-detail.csv",
  "pdf-report": "-report.pdf",
};

/** How many times a kind reads every practitioner (progress counts each read). */
const PASSES: Record<ExportKind, number> = {
  bundle: 5,
  json: 1,
  "csv-summary": 1,
  "csv-detail": 1,
  "pdf-report": 1,
};

export function exportFileName(
  organizationName: string,
  job: Pick<StoredExportJob, "id" | "kind" | "scope">,
): string {
  return `dn-export-${slugify(organizationName)}-${job.scope.asOf}-${job.id.slice(0, 8)}${EXTENSIONS[job.kind]}`;
}

function hashingTransform() {
  const hash = createHash("sha256");
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { transform, result: () => ({ sha256: hash.digest("hex"), size }) };
}

async function* evidenceEntries(
  runtime: ExportRuntime,
  practitioner: ExportPractitioner,
): AsyncGenerator<BundleEntry> {
  for (const record of practitioner.records) {
    yield {
      path: `${record.recordId}.json`,
      open: () => `${JSON.stringify(record, null, 2)}\n`,
    };
  }
  const store = runtime.blobStore;
  if (!store) return;
  const files = await listEvidenceOfRecords(
    runtime.db,
    practitioner.records.map((record) => record.recordId),
  );
  for (const [recordId, entries] of files) {
    for (const file of entries) {
      yield {
        path: `${recordId}/${file.id.slice(0, 8)}-${slugify(file.fileName.replace(/\.[a-z0-9]+$/i, ""))}.${file.mediaType.split("/")[1] === "jpeg" ? "jpg" : file.mediaType.split("/")[1]}`,
        open: () =>
          Readable.from(
            (async function* () {
              const bytes = await store.get(file.sha256);
              if (!bytes) throw new Error(`evidence file ${file.id} has no stored content`);
              yield Buffer.from(bytes);
            })(),
          ),
      };
    }
  }
}

/**
 * Runs one claimed job to the end: done with its file, hash and size, or failed with the
 * reason. Progress is written as practitioners are read (throttled).
 */
export async function runExportJob(
  runtime: ExportRuntime,
  job: StoredExportJob,
  onProgress?: (progress: number, total: number) => void,
): Promise<StoredExportJob> {
  const { db } = runtime;
  // The file being written, once it is opened: a failure must close it and remove what was written.
  let output: { key: string; hasher: Writable; written: Promise<void> } | null = null;
  try {
    const creator = job.createdBy
      ? await findActiveMember(db, job.createdBy, job.organizationId)
      : null;
    const plan = await planExport(db, {
      exportId: job.id,
      scope: job.scope,
      organizationId: job.organizationId,
      generatedAt: job.createdAt,
      generatedBy: creator
        ? { userId: creator.id, name: creator.name, role: creator.role }
        : { userId: null, name: job.createdByName ?? "API token", role: "auditor" },
    });
    const total = plan.count * PASSES[job.kind];
    await updateExportJob(db, job.id, { total, progress: 0 });
    onProgress?.(0, total);

    let progress = 0;
    let written = 0;
    const counted = async function* (): AsyncGenerator<ExportPractitioner> {
      for await (const practitioner of plan.practitioners()) {
        yield practitioner;
        progress += 1;
        onProgress?.(progress, total);
        if (progress - written >= 25 || progress === total) {
          written = progress;
          await updateExportJob(db, job.id, { progress });
        }
      }
    };

    const fileName = exportFileName(plan.header.organization.name, job);
    const storageKey = `${job.organizationId}/${job.id}/${fileName}`;
    const hasher = hashingTransform();
    const out: Writable = runtime.storage.write(storageKey);
    const hashedOut = pipeline(hasher.transform, out);
    output = { key: storageKey, hasher: hasher.transform, written: hashedOut };
    switch (job.kind) {
      case "bundle": {
        const key = await ensureOrganizationKey(db, job.organizationId, runtime.now());
        await writeBundle(
          bundleEntries(plan.header, counted, {
            evidenceFiles: (practitioner) => evidenceEntries(runtime, practitioner),
          }),
          hasher.transform,
          {
            exportId: job.id,
            organizationId: job.organizationId,
            createdAt: job.createdAt,
            signer: { privateKeyPem: key.privateKeyPem, publicKeyPem: key.publicKeyPem },
          },
        );
        break;
      }
      case "json":
        await pipeline(jsonExport(plan.header, counted()), hasher.transform);
        break;
      case "csv-summary":
        await pipeline(summaryCsv(plan.header, counted()), hasher.transform);
        break;
      case "csv-detail":
        await pipeline(detailCsv(counted()), hasher.transform);
        break;
      case "pdf-report":
        await pipeline(auditReportPdf(plan.header, counted()), hasher.transform);
        break;
    }
    await hashedOut;
    const { sha256, size } = hasher.result();
    const finishedAt = runtime.now().toISOString();
    await db.transaction().execute(async (trx) => {
      await updateExportJob(trx, job.id, {
        status: "done",
        progress: total,
        finishedAt,
        fileName,
        storageKey,
        sha256,
        sizeBytes: size,
      });
      await writeAudit(
        trx,
        { organizationId: job.organizationId, actorId: job.createdBy },
        finishedAt,
        {
          action: "export.complete",
          entityType: "export",
          entityId: job.id,
          before: null,
          after: { kind: job.kind, fileName, sha256, size, practitioners: plan.count },
        },
      );
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (output) {
      // End the file's pipeline with the error (its rejection is this one, already handled
      // here) and remove the partial file, so nothing half-written is ever offered.
      output.hasher.destroy(error instanceof Error ? error : new Error(message));
      await output.written.catch(() => {});
      await runtime.storage.remove(output.key).catch(() => {});
    }
    await updateExportJob(db, job.id, {
      status: "failed",
      finishedAt: runtime.now().toISOString(),
      error: message.slice(0, 1000),
    });
  }
  const finished = await findExportJob(db, job.id);
  if (!finished) throw new Error(`export job ${job.id} vanished`);
  return finished;
}

export interface ExportWorkerOptions {
  /** How often to look for queued jobs when idle (ms). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/** Claims and runs queued export jobs one at a time, in this process. */
export class ExportWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly runtime: ExportRuntime,
    private readonly options: ExportWorkerOptions = {},
  ) {}

  /** Runs every queued job, then resolves with how many ran. */
  async runPending(): Promise<number> {
    let ran = 0;
    for (;;) {
      const job = await claimNextExportJob(this.runtime.db, this.runtime.now().toISOString());
      if (!job) return ran;
      await runExportJob(this.runtime, job);
      ran += 1;
    }
  }

  /** Puts jobs a stopped process left running back in the queue, then polls. */
  async start(): Promise<void> {
    await requeueRunningExportJobs(this.runtime.db);
    this.stopped = false;
    this.schedule(0);
  }

  /** Wakes the worker now (e.g. right after a job is queued). */
  poke(): void {
    if (!this.stopped && !this.running) this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.runPending()
        .then(
          () => undefined,
          (error: unknown) => this.options.onError?.(error),
        )
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.schedule(this.options.pollMs ?? 1000);
        });
    }, delay);
    this.timer.unref();
  }

  /** Stops polling and waits for the job in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
