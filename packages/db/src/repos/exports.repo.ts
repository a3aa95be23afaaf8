/** Export jobs, organizations' signing keys and regulators' API tokens. */
import type { ApiToken, ExportJob, ExportKind, ExportScope } from "@dn/schema";
import type { ExpressionBuilder } from "kysely";
import type { ApiTokenRow, Database, ExportJobRow, ExportJobTable } from "../database.ts";
import { afterKey, decodeStringCursor, type Page, type PageRequest, toPage } from "./cursor.ts";
import type { Db } from "./types.ts";

// ---------------------------------------------------------------------------------------------
// Signing keys
// ---------------------------------------------------------------------------------------------

export interface OrganizationKey {
  organizationId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  fingerprint: string;
  createdAt: string;
}

export async function findOrganizationKey(
  db: Db,
  organizationId: string,
): Promise<OrganizationKey | null> {
  const row = await db
    .selectFrom("organizationKeys")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .executeTakeFirst();
  return row ?? null;
}

/** Stores the key unless one exists (a concurrent first export); returns the one stored. */
export async function insertOrganizationKeyIfAbsent(
  db: Db,
  key: OrganizationKey,
): Promise<OrganizationKey> {
  await db
    .insertInto("organizationKeys")
    .values(key)
    .onConflict((oc) => oc.column("organizationId").doNothing())
    .execute();
  const stored = await findOrganizationKey(db, key.organizationId);
  if (!stored) throw new Error(`no signing key stored for organization ${key.organizationId}`);
  return stored;
}

// ---------------------------------------------------------------------------------------------
// Export jobs
// ---------------------------------------------------------------------------------------------

type JobRow = ExportJobRow & { userName: string | null; tokenLabel: string | null };

function toExportJob(row: JobRow): ExportJob & {
  storageKey: string | null;
  apiTokenId: string | null;
  attempts: number;
  runToken: string | null;
} {
  return {
    id: row.id,
    organizationId: row.organizationId,
    kind: row.kind,
    scope: JSON.parse(row.scopeJson) as ExportScope,
    status: row.status,
    progress: Number(row.progress),
    total: row.total === null ? null : Number(row.total),
    createdBy: row.createdBy,
    createdByName: row.userName ?? (row.tokenLabel === null ? null : `token: ${row.tokenLabel}`),
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    fileName: row.fileName,
    sha256: row.sha256,
    size: row.sizeBytes === null ? null : Number(row.sizeBytes),
    error: row.error,
    storageKey: row.storageKey,
    apiTokenId: row.apiTokenId,
    attempts: Number(row.attempts),
    runToken: row.runToken,
  };
}
export type StoredExportJob = ReturnType<typeof toExportJob>;

export interface NewExportJob {
  id: string;
  organizationId: string;
  kind: ExportKind;
  scope: ExportScope;
  createdBy: string | null;
  apiTokenId: string | null;
  createdAt: string;
}

export async function insertExportJob(db: Db, job: NewExportJob): Promise<void> {
  await db
    .insertInto("exportJobs")
    .values({
      id: job.id,
      organizationId: job.organizationId,
      kind: job.kind,
      scopeJson: JSON.stringify(job.scope),
      status: "queued",
      createdBy: job.createdBy,
      apiTokenId: job.apiTokenId,
      createdAt: job.createdAt,
    })
    .execute();
}

function selectJobs(db: Db) {
  return db
    .selectFrom("exportJobs as j")
    .leftJoin("users as u", "u.id", "j.createdBy")
    .leftJoin("apiTokens as t", "t.id", "j.apiTokenId")
    .selectAll("j")
    .select(["u.name as userName", "t.label as tokenLabel"]);
}

export async function findExportJob(db: Db, id: string): Promise<StoredExportJob | null> {
  const row = await selectJobs(db).where("j.id", "=", id).executeTakeFirst();
  return row ? toExportJob(row) : null;
}

export interface ListExportJobsFilter extends PageRequest {
  organizationId: string;
  apiTokenId?: string;
  /** Only the exports this user made. */
  createdBy?: string;
}

/** An organization's exports, newest first. */
export async function listExportJobs(
  db: Db,
  filter: ListExportJobsFilter,
): Promise<Page<StoredExportJob>> {
  let query = selectJobs(db).where("j.organizationId", "=", filter.organizationId);
  if (filter.apiTokenId) query = query.where("j.apiTokenId", "=", filter.apiTokenId);
  if (filter.createdBy) query = query.where("j.createdBy", "=", filter.createdBy);
  if (filter.cursor) {
    const [at, id] = decodeStringCursor(filter.cursor, 2) as [string, string];
    query = query.where(afterKey(["j.createdAt", "j.id"], [at, id], "desc"));
  }
  const rows = await query
    .orderBy("j.createdAt", "desc")
    .orderBy("j.id", "desc")
    .limit(filter.limit + 1)
    .execute();
  return toPage(rows, filter.limit, toExportJob, (row) => [row.createdAt, row.id]);
}

/**
 * Which jobs a worker may take: queued ones, and running ones whose lease (heartbeat) is older
 * than `staleBefore`, because the process running them died.
 */
function claimable(staleBefore: string) {
  return (eb: ExpressionBuilder<Database, "exportJobs">) =>
    eb.or([
      eb("status", "=", "queued"),
      eb.and([eb("status", "=", "running"), eb("heartbeatAt", "<", staleBefore)]),
    ]);
}

export interface ExportLease {
  /** Now. */
  at: string;
  /** A running job whose heartbeat is older than this is taken over. */
  staleBefore: string;
  /** The new attempt's token: only its holder renews the lease or finishes the job. */
  runToken: string;
}

/** Takes one job for running under a new lease; null when it is done, failed or still leased. */
export async function claimExportJob(
  db: Db,
  id: string,
  lease: ExportLease,
): Promise<StoredExportJob | null> {
  const claimed = await db
    .updateTable("exportJobs")
    .set((eb) => ({
      status: "running",
      startedAt: lease.at,
      heartbeatAt: lease.at,
      runToken: lease.runToken,
      progress: 0,
      attempts: eb("attempts", "+", 1),
    }))
    .where("id", "=", id)
    .where(claimable(lease.staleBefore))
    .executeTakeFirst();
  return Number(claimed.numUpdatedRows) === 1 ? findExportJob(db, id) : null;
}

/** Takes the oldest claimable job; null when none (or other workers took them). */
export async function claimNextExportJob(
  db: Db,
  lease: ExportLease,
): Promise<StoredExportJob | null> {
  for (;;) {
    const next = await db
      .selectFrom("exportJobs")
      .select("id")
      .where(claimable(lease.staleBefore))
      .orderBy("createdAt")
      .orderBy("id")
      .executeTakeFirst();
    if (!next) return null;
    const claimed = await claimExportJob(db, next.id, lease);
    if (claimed) return claimed;
  }
}

/** Renews the lease of a running attempt; false when another attempt took the job over. */
export async function renewExportLease(
  db: Db,
  id: string,
  runToken: string,
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable("exportJobs")
    .set({ heartbeatAt: at })
    .where("id", "=", id)
    .where("runToken", "=", runToken)
    .where("status", "=", "running")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateExportJob(
  db: Db,
  id: string,
  changes: Partial<
    Pick<
      ExportJobTable,
      | "status"
      | "total"
      | "finishedAt"
      | "fileName"
      | "storageKey"
      | "sha256"
      | "sizeBytes"
      | "error"
    > & { progress: number }
  >,
  /** Only while this attempt holds the lease; the answer says whether the row changed. */
  runToken?: string,
): Promise<boolean> {
  let query = db.updateTable("exportJobs").set(changes).where("id", "=", id);
  if (runToken !== undefined) query = query.where("runToken", "=", runToken);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Jobs that need a worker: queued before `queuedBefore` (their queue message may be lost) or
 * running with a heartbeat older than `staleBefore` (their process died). Oldest first.
 */
export async function listExportJobsNeedingWorker(
  db: Db,
  filter: { queuedBefore: string; staleBefore: string; limit: number },
): Promise<string[]> {
  const rows = await db
    .selectFrom("exportJobs")
    .select("id")
    .where((eb) =>
      eb.or([
        eb.and([eb("status", "=", "queued"), eb("createdAt", "<", filter.queuedBefore)]),
        eb.and([eb("status", "=", "running"), eb("heartbeatAt", "<", filter.staleBefore)]),
      ]),
    )
    .orderBy("createdAt")
    .limit(filter.limit)
    .execute();
  return rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------
// API tokens
// ---------------------------------------------------------------------------------------------

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    organizationId: row.organizationId,
    label: row.label,
    jurisdiction: row.jurisdiction as ApiToken["jurisdiction"],
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

export async function insertApiToken(db: Db, token: ApiToken, tokenHash: string): Promise<void> {
  await db
    .insertInto("apiTokens")
    .values({ ...token, tokenHash })
    .execute();
}

export async function findApiToken(db: Db, id: string): Promise<ApiToken | null> {
  const row = await db.selectFrom("apiTokens").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toApiToken(row) : null;
}

export async function findApiTokenByHash(db: Db, tokenHash: string): Promise<ApiToken | null> {
  const row = await db
    .selectFrom("apiTokens")
    .selectAll()
    .where("tokenHash", "=", tokenHash)
    .executeTakeFirst();
  return row ? toApiToken(row) : null;
}

export async function listApiTokens(db: Db, organizationId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom("apiTokens")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("createdAt", "desc")
    .orderBy("id", "desc")
    .execute();
  return rows.map(toApiToken);
}

export async function updateApiToken(
  db: Db,
  id: string,
  changes: { revokedAt?: string; lastUsedAt?: string },
): Promise<void> {
  await db.updateTable("apiTokens").set(changes).where("id", "=", id).execute();
}

// ---------------------------------------------------------------------------------------------
// Reading many dossiers at once
// ---------------------------------------------------------------------------------------------
