import { createHash } from "node:crypto";
import type { AuditEntity, AuditEvent } from "@dn/schema";
import { sql } from "kysely";
import { toAuditEvent } from "../mappers.ts";
import { isPostgres } from "../migrate.ts";
import { bulkInsert } from "./bulk-insert.ts";
import { decodeCursor, InvalidCursorError, type Page, type PageRequest, toPage } from "./cursor.ts";
import type { Db } from "./types.ts";

/** The `prev_hash` of an organization's first audit row. */
export const AUDIT_GENESIS_HASH = "0".repeat(64);

/**
 * The PostgreSQL advisory-lock namespace (first key of `pg_advisory_xact_lock(int, int)`) under
 * which an organization's audit chain head is locked; the second key is
 * `hashtext(organization_id)`. Fixed: changing it would let old and new writers interleave.
 */
export const AUDIT_CHAIN_LOCK_NAMESPACE = 0x64_6e_61; // "dna"

/** The fields of an audit row that its hash covers, as stored. */
export interface AuditChainFields {
  id: string;
  organizationId: string;
  actorId: string | null;
  at: string;
  action: string;
  entityType: string;
  entityId: string;
  beforeJson: string | null;
  afterJson: string | null;
  seq: number;
  prevHash: string;
}

/**
 * The canonical serialization of an audit row (decision 055): a JSON array, no whitespace, of a
 * version tag and the stored fields in a fixed order. The JSON columns are included as the stored
 * text, not re-serialized.
 */
export function serializeAuditRow(row: AuditChainFields): string {
  return JSON.stringify([
    "dn-audit-v1",
    row.organizationId,
    row.seq,
    row.id,
    row.actorId,
    row.at,
    row.action,
    row.entityType,
    row.entityId,
    row.beforeJson,
    row.afterJson,
    row.prevHash,
  ]);
}

/** Hex SHA-256 of the row's canonical serialization (UTF-8). */
export function hashAuditRow(row: AuditChainFields): string {
  return createHash("sha256").update(serializeAuditRow(row), "utf8").digest("hex");
}

async function lockAuditChain(trx: Db, organizationId: string): Promise<void> {
  if (isPostgres(trx)) {
    // Held to the end of the caller's transaction: a second writer for this organization waits
    // here and then reads the head the first one committed.
    await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_CHAIN_LOCK_NAMESPACE)}, hashtext(${organizationId}))`.execute(
      trx,
    );
  }
}

/**
 * Appends several events of one organization to its chain in order, as `insertAuditEvent` would
 * one after another: the lock is taken and the head read once, the links are computed in memory
 * and written in multi-row inserts. Must run inside a transaction (a bulk import's).
 */
export async function insertAuditEvents(
  trx: Db,
  organizationId: string,
  events: readonly AuditEvent[],
): Promise<void> {
  if (events.length === 0) return;
  if (!trx.isTransaction) throw new Error("insertAuditEvents must run inside a transaction");
  await lockAuditChain(trx, organizationId);
  const head = await trx
    .selectFrom("auditEvents")
    .select(["seq", "hash"])
    .where("organizationId", "=", organizationId)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? AUDIT_GENESIS_HASH;
  const rows = events.map((event) => {
    if (event.organizationId !== organizationId) {
      throw new Error(`audit event ${event.id} belongs to another organization`);
    }
    seq += 1;
    const fields: AuditChainFields = {
      id: event.id,
      organizationId,
      actorId: event.actorId,
      at: event.at,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      beforeJson: event.before === null ? null : JSON.stringify(event.before),
      afterJson: event.after === null ? null : JSON.stringify(event.after),
      seq,
      prevHash,
    };
    prevHash = hashAuditRow(fields);
    return { ...fields, hash: prevHash };
  });
  await bulkInsert(trx, "auditEvents", rows);
}

async function appendAuditRow(trx: Db, event: AuditEvent): Promise<void> {
  await lockAuditChain(trx, event.organizationId);
  const head = await trx
    .selectFrom("auditEvents")
    .select(["seq", "hash"])
    .where("organizationId", "=", event.organizationId)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const fields: AuditChainFields = {
    id: event.id,
    organizationId: event.organizationId,
    actorId: event.actorId,
    at: event.at,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    beforeJson: event.before === null ? null : JSON.stringify(event.before),
    afterJson: event.after === null ? null : JSON.stringify(event.after),
    seq: (head?.seq ?? 0) + 1,
    prevHash: head?.hash ?? AUDIT_GENESIS_HASH,
  };
  await trx
    .insertInto("auditEvents")
    .values({ ...fields, hash: hashAuditRow(fields) })
    .execute();
}

/**
 * Appends an event to its organization's hash chain (next `seq`, the head's hash as `prev_hash`,
 * its own `hash`), in the caller's transaction, or in a transaction of its own when called
 * outside one: the head read and the insert never straddle another writer. On PostgreSQL an
 * advisory lock per organization serializes writers; SQLite transactions begin immediate, so
 * they already hold the write lock.
 */
export async function insertAuditEvent(db: Db, event: AuditEvent): Promise<AuditEvent> {
  if (db.isTransaction) await appendAuditRow(db, event);
  else await db.transaction().execute((trx) => appendAuditRow(trx, event));
  return event;
}

export type AuditChainProblem = "seq-gap" | "prev-hash-mismatch" | "hash-mismatch";

export type AuditChainVerification =
  | { ok: true; rows: number; head: { seq: number; hash: string } | null }
  | {
      ok: false;
      /** Rows verified intact before the break. */
      rows: number;
      /** The first broken position: the first missing seq for a gap, else the row's seq. */
      seq: number;
      /** The row found at the break (for a gap, the row after the missing ones). */
      id: string;
      problem: AuditChainProblem;
      message: string;
    };

/**
 * Recomputes an organization's audit chain in seq order, `batchSize` rows at a time, and reports
 * the first break: a seq gap (rows deleted), a prev_hash that is not the previous row's hash (a
 * row inserted or reordered), or a hash that does not match the row (a row changed). Deleting the
 * newest rows leaves a shorter valid chain: compare `head` with one recorded elsewhere.
 */
export async function verifyAuditChain(
  db: Db,
  organizationId: string,
  { batchSize = 500 }: { batchSize?: number } = {},
): Promise<AuditChainVerification> {
  let expectedSeq = 1;
  let prevHash = AUDIT_GENESIS_HASH;
  let lastSeq: number | null = null;
  for (;;) {
    let query = db
      .selectFrom("auditEvents")
      .selectAll()
      .where("organizationId", "=", organizationId);
    if (lastSeq !== null) query = query.where("seq", ">", lastSeq);
    const rows = await query.orderBy("seq").limit(batchSize).execute();
    for (const row of rows) {
      const verified = expectedSeq - 1;
      const broken = (problem: AuditChainProblem, seq: number, message: string) =>
        ({ ok: false, rows: verified, seq, id: row.id, problem, message }) as const;
      if (row.seq < expectedSeq) {
        return broken(
          "prev-hash-mismatch",
          row.seq,
          `row ${row.id} has seq ${row.seq}, out of sequence: a row was inserted`,
        );
      }
      if (row.seq !== expectedSeq) {
        const missing =
          row.seq === expectedSeq + 1 ? `${expectedSeq}` : `${expectedSeq}-${row.seq - 1}`;
        return broken(
          "seq-gap",
          expectedSeq,
          `seq ${missing} missing before row ${row.id} (seq ${row.seq}): rows deleted`,
        );
      }
      if (row.prevHash !== prevHash) {
        return broken(
          "prev-hash-mismatch",
          row.seq,
          `row ${row.id} (seq ${row.seq}) does not follow the previous row: a row was inserted or reordered`,
        );
      }
      if (hashAuditRow(row) !== row.hash) {
        return broken(
          "hash-mismatch",
          row.seq,
          `row ${row.id} (seq ${row.seq}) does not match its hash: the row was changed`,
        );
      }
      prevHash = row.hash;
      expectedSeq += 1;
      lastSeq = row.seq;
    }
    if (rows.length < batchSize) break;
  }
  const rows = expectedSeq - 1;
  return { ok: true, rows, head: rows === 0 ? null : { seq: rows, hash: prevHash } };
}

export interface ListAuditEventsFilter extends PageRequest {
  organizationId: string;
  entityType?: AuditEntity;
  entityId?: string;
}

/** An organization's audit trail, newest first (by chain position, so same-instant rows too). */
export async function listAuditEvents(
  db: Db,
  filter: ListAuditEventsFilter,
): Promise<Page<AuditEvent>> {
  let query = db
    .selectFrom("auditEvents")
    .selectAll()
    .where("organizationId", "=", filter.organizationId);
  if (filter.entityType) query = query.where("entityType", "=", filter.entityType);
  if (filter.entityId) query = query.where("entityId", "=", filter.entityId);
  if (filter.cursor) {
    const [seq] = decodeCursor(filter.cursor, 1);
    if (typeof seq !== "number" || !Number.isSafeInteger(seq)) throw new InvalidCursorError();
    query = query.where("seq", "<", seq);
  }
  const rows = await query
    .orderBy("seq", "desc")
    .limit(filter.limit + 1)
    .execute();
  return toPage(rows, filter.limit, toAuditEvent, (row) => [row.seq]);
}

/** Every audit event about one entity, oldest first (in chain order). */
export async function listAuditEventsForEntity(
  db: Db,
  entityType: AuditEntity,
  entityId: string,
): Promise<AuditEvent[]> {
  const rows = await db
    .selectFrom("auditEvents")
    .selectAll()
    .where("entityType", "=", entityType)
    .where("entityId", "=", entityId)
    .orderBy("organizationId")
    .orderBy("seq")
    .execute();
  return rows.map(toAuditEvent);
}

export async function countAuditEvents(db: Db, organizationId?: string): Promise<number> {
  let query = db.selectFrom("auditEvents").select((eb) => eb.fn.countAll().as("count"));
  if (organizationId) query = query.where("organizationId", "=", organizationId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}
