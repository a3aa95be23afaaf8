/**
 * Export jobs run in the background, as `export.run` jobs on the job queue (jobs/work.ts): a
 * worker claims the export under a lease it renews while it writes the file to the export storage
 * (hashing it), records progress, and audits completion. Only the holder of the current lease may
 * finish the job, so an attempt whose process was presumed dead can never finish it twice.
 */
import { createHash, randomUUID } from "node:crypto";
import { Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  claimExportJob,
  claimNextExportJob,
  type Db,
  findActiveMember,
  findAuditChainHead,
  findExportJob,
  findLatestAuditCheckpoint,
  listEvidenceOfRecords,
  readAuditChain,
  renewExportLease,
  type StoredExportJob,
  updateExportJob,
} from "@dn/db";
import {
  AUDIT_CHECKPOINT_PATH,
  AUDIT_SEGMENT_PATH,
  auditReportPdf,
  auditSegmentLine,
  type BundleEntry,
  bundleEntries,
  detailCsv,
  jsonExport,
  slugify,
  summaryCsv,
  writeBundle,
} from "@dn/exports";
import type { ExportKind, ExportPractitioner } from "@dn/schema";
import { writeAudit } from "./context.ts";
import { ensureOrganizationKey, planExport } from "./exports.service.ts";
import { openContent } from "./storage/content.ts";
import type { FileStore } from "./storage/file-store.ts";

export interface ExportRuntime {
  db: Db;
  /** Where finished export files are written (a local directory or S3). */
  storage: FileStore;
  now: () => Date;
  /** Where evidence files' bytes live; without one a bundle carries each record's JSON only. */
  blobStore?: FileStore;
  /** How long a running export stays its worker's without a heartbeat (default 60 s). */
  leaseMs?: number;
}

export const DEFAULT_EXPORT_LEASE_MS = 60_000;

/** The lease a new attempt takes: running jobs with an older heartbeat are taken over. */
export function newExportLease(runtime: Pick<ExportRuntime, "now" | "leaseMs">) {
  const now = runtime.now();
  return {
    at: now.toISOString(),
    staleBefore: new Date(
      now.getTime() - (runtime.leaseMs ?? DEFAULT_EXPORT_LEASE_MS),
    ).toISOString(),
    runToken: randomUUID(),
  };
}

/** Thrown into a running export whose lease another attempt took over. */
export class ExportLeaseLost extends Error {
  constructor(id: string) {
    super(`export ${id} was taken over by another worker`);
  }
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
              const content = await openContent(store, file.sha256);
              if (!content) throw new Error(`evidence file ${file.id} has no stored content`);
              yield* content;
            })(),
          ),
      };
    }
  }
}

/** Audit entities about the export's scope, by `entityType|entityId` (decision 055). */
function scopeEntities(organizationId: string, exportId: string): Set<string> {
  return new Set([`organization|${organizationId}`, `export|${exportId}`]);
}

function addToScope(scope: Set<string>, practitioner: ExportPractitioner): void {
  scope.add(`practitioner|${practitioner.id}`);
  for (const record of practitioner.records) scope.add(`training-record|${record.recordId}`);
}

/**
 * The bundle's audit segment: the organization's chain from seq 1 to its head now, full rows for
 * the scope and links only for the rest, and the newest signed checkpoint.
 */
async function* auditEntries(
  runtime: ExportRuntime,
  organizationId: string,
  scope: ReadonlySet<string>,
): AsyncGenerator<BundleEntry> {
  const head = await findAuditChainHead(runtime.db, organizationId);
  const through = head?.seq ?? 0;
  yield {
    path: AUDIT_SEGMENT_PATH,
    open: () =>
      Readable.from(
        (async function* () {
          for await (const row of readAuditChain(runtime.db, organizationId, through)) {
            yield auditSegmentLine(
              scope.has(`${row.entityType}|${row.entityId}`)
                ? {
                    seq: row.seq,
                    id: row.id,
                    actorId: row.actorId,
                    at: row.at,
                    action: row.action,
                    entityType: row.entityType,
                    entityId: row.entityId,
                    beforeJson: row.beforeJson,
                    afterJson: row.afterJson,
                    prevHash: row.prevHash,
                    hash: row.hash,
                  }
                : { seq: row.seq, prevHash: row.prevHash, hash: row.hash },
            );
          }
        })(),
      ),
  };
  const checkpoint = await findLatestAuditCheckpoint(runtime.db, organizationId);
  if (checkpoint) {
    yield { path: AUDIT_CHECKPOINT_PATH, open: () => `${JSON.stringify(checkpoint, null, 2)}\n` };
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
  /** A failure leaves the job queued for this retry instead of failed (the queue retries it). */
  retry?: { attempt: number; of: number },
): Promise<StoredExportJob> {
  const { db } = runtime;
  const token = job.runToken;
  if (!token || job.status !== "running") throw new Error(`export ${job.id} is not claimed`);
  // The file being written, once it is opened: a failure must close it and remove what was written.
  let output: { key: string; hasher: Writable; written: Promise<unknown> } | null = null;
  // The lease is renewed while the file is written; losing it stops this attempt.
  const leaseMs = runtime.leaseMs ?? DEFAULT_EXPORT_LEASE_MS;
  let lost = false;
  const heartbeat = setInterval(() => {
    void renewExportLease(db, job.id, token, runtime.now().toISOString()).then(
      (held) => {
        if (held || lost) return;
        lost = true;
        output?.hasher.destroy(new ExportLeaseLost(job.id));
      },
      () => {
        // A failed renewal is retried at the next beat; the lease outlasts two missed beats.
      },
    );
  }, leaseMs / 3);
  heartbeat.unref();
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
    if (!(await updateExportJob(db, job.id, { total, progress: 0 }, token)))
      throw new ExportLeaseLost(job.id);
    onProgress?.(0, total);

    let progress = 0;
    let written = 0;
    const counted = async function* <T>(source: AsyncIterable<T>): AsyncGenerator<T> {
      for await (const practitioner of source) {
        yield practitioner;
        progress += 1;
        onProgress?.(progress, total);
        if (progress - written >= 25 || progress === total) {
          written = progress;
          await updateExportJob(db, job.id, { progress }, token);
        }
      }
    };
    const everyPractitioner = () => counted(plan.practitioners());

    const fileName = exportFileName(plan.header.organization.name, job);
    // Each attempt writes its own file: a presumed-dead attempt still writing cannot clobber it.
    const storageKey = `${job.organizationId}/${job.id}/${job.attempts}/${fileName}`;
    const hasher = hashingTransform();
    // The store reads what the hasher passes on; the file shows under its key only once complete.
    const hashedOut = runtime.storage.write(storageKey, hasher.transform);
    hashedOut.catch(() => {}); // awaited below; a failure also ends the writers (no hang)
    output = { key: storageKey, hasher: hasher.transform, written: hashedOut };
    switch (job.kind) {
      case "bundle": {
        const key = await ensureOrganizationKey(db, job.organizationId, runtime.now());
        const scope = scopeEntities(job.organizationId, job.id);
        await writeBundle(
          bundleEntries(plan.header, everyPractitioner, {
            evidenceFiles: (practitioner) => {
              addToScope(scope, practitioner);
              return evidenceEntries(runtime, practitioner);
            },
            auditEntries: () => auditEntries(runtime, job.organizationId, scope),
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
        await pipeline(jsonExport(plan.header, everyPractitioner()), hasher.transform);
        break;
      case "csv-summary":
        // The CSV files hold answers only: read from the stored evaluations where they hold.
        await pipeline(
          summaryCsv(plan.header, counted(plan.summarizedPractitioners(runtime.now()))),
          hasher.transform,
        );
        break;
      case "csv-detail":
        await pipeline(
          detailCsv(counted(plan.evaluatedPractitioners(runtime.now()))),
          hasher.transform,
        );
        break;
      case "pdf-report":
        await pipeline(auditReportPdf(plan.header, everyPractitioner()), hasher.transform);
        break;
    }
    await hashedOut;
    const { sha256, size } = hasher.result();
    const finishedAt = runtime.now().toISOString();
    await db.transaction().execute(async (trx) => {
      const finished = await updateExportJob(
        trx,
        job.id,
        {
          status: "done",
          progress: total,
          finishedAt,
          fileName,
          storageKey,
          sha256,
          sizeBytes: size,
          error: null,
        },
        token,
      );
      if (!finished) throw new ExportLeaseLost(job.id);
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
    clearInterval(heartbeat);
    const message = error instanceof Error ? error.message : String(error);
    if (output) {
      // End the file's write with the error (its rejection is this one, already handled here):
      // the store keeps nothing of it, and an earlier attempt's file under the key is removed,
      // so nothing half-written is ever offered.
      output.hasher.destroy(error instanceof Error ? error : new Error(message));
      await output.written.catch(() => {});
      await runtime.storage.remove(output.key).catch(() => {});
    }
    // Another attempt owns the job now: this one changes nothing more.
    if (!(error instanceof ExportLeaseLost)) {
      const retrying = retry !== undefined && retry.attempt < retry.of;
      await updateExportJob(
        db,
        job.id,
        retrying
          ? {
              status: "queued",
              progress: 0,
              error: `attempt ${retry.attempt} of ${retry.of} failed (retrying): ${message}`.slice(
                0,
                1000,
              ),
            }
          : {
              status: "failed",
              finishedAt: runtime.now().toISOString(),
              error: message.slice(0, 1000),
            },
        token,
      );
    }
  } finally {
    clearInterval(heartbeat);
  }
  const finished = await findExportJob(db, job.id);
  if (!finished) throw new Error(`export job ${job.id} vanished`);
  return finished;
}

/**
 * Claims and runs export jobs in this process until none is left: what the CLI and tests use to
 * run exports now. Hosts run them as `export.run` jobs instead (jobs/work.ts).
 */
export class ExportWorker {
  constructor(private readonly runtime: ExportRuntime) {}

  /** Runs every claimable job, then resolves with how many ran. */
  async runPending(): Promise<number> {
    let ran = 0;
    for (;;) {
      const job = await claimNextExportJob(this.runtime.db, newExportLease(this.runtime));
      if (!job) return ran;
      await runExportJob(this.runtime, job);
      ran += 1;
    }
  }
}

/**
 * Runs one export as the queue's attempt `attempt` of `of`: claims it (a job done, failed or
 * leased by a live worker is left alone) and runs it. Throws when the attempt failed, so the
 * queue retries it (the export stays queued) or, after the last, keeps it as dead.
 */
export async function runExportAttempt(
  runtime: ExportRuntime,
  exportId: string,
  attempt: { attempt: number; of: number },
): Promise<StoredExportJob | null> {
  const claimed = await claimExportJob(runtime.db, exportId, newExportLease(runtime));
  if (!claimed) return null;
  const finished = await runExportJob(runtime, claimed, undefined, attempt);
  if (finished.status !== "done" && finished.runToken === claimed.runToken)
    throw new Error(finished.error ?? `export ${exportId} failed`);
  return finished;
}
