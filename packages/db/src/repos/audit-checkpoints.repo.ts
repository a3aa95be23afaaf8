/** Signed checkpoints of an organization's audit chain (decision 055), and chain reads for them. */
import type { Selectable } from "kysely";
import type { AuditCheckpointTable, AuditEventTable } from "../database.ts";
import { preparedQuery } from "./prepared.ts";
import type { Db } from "./types.ts";

export type AuditCheckpoint = Selectable<AuditCheckpointTable>;
export type AuditChainRow = Selectable<AuditEventTable>;

/** Compiled once: the answer cache reads the head on every request it serves (decision 061). */
const chainHeadQuery = preparedQuery((db, slot: (name: "organizationId") => never) =>
  db
    .selectFrom("auditEvents")
    .select(["seq", "hash"])
    .where("organizationId", "=", slot("organizationId"))
    .orderBy("seq", "desc")
    .limit(1),
);

/** The chain head (highest seq) of an organization, or null when it has no audit rows. */
export async function findAuditChainHead(
  db: Db,
  organizationId: string,
): Promise<{ seq: number; hash: string } | null> {
  const [head] = await chainHeadQuery(db, { organizationId });
  return head ?? null;
}

/** Records a checkpoint; a second one for the same head is ignored (returns false). */
export async function insertAuditCheckpoint(db: Db, checkpoint: AuditCheckpoint): Promise<boolean> {
  const result = await db
    .insertInto("auditCheckpoints")
    .values(checkpoint)
    .onConflict((oc) => oc.columns(["organizationId", "seq"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Every checkpoint of an organization, oldest first. */
export async function listAuditCheckpoints(
  db: Db,
  organizationId: string,
): Promise<AuditCheckpoint[]> {
  return db
    .selectFrom("auditCheckpoints")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("seq")
    .execute();
}

/** The organization's newest checkpoint, or null. */
export async function findLatestAuditCheckpoint(
  db: Db,
  organizationId: string,
): Promise<AuditCheckpoint | null> {
  const row = await db
    .selectFrom("auditCheckpoints")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

/** The `hash` of each chain row at the given positions (absent positions are left out). */
export async function findAuditHashesAtSeqs(
  db: Db,
  organizationId: string,
  seqs: readonly number[],
): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  for (let i = 0; i < seqs.length; i += 500) {
    const rows = await db
      .selectFrom("auditEvents")
      .select(["seq", "hash"])
      .where("organizationId", "=", organizationId)
      .where("seq", "in", seqs.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.seq, row.hash);
  }
  return found;
}

/** The organization's chain rows with `afterSeq < seq <= throughSeq`, in order, a page at a time. */
export async function* readAuditChain(
  db: Db,
  organizationId: string,
  throughSeq: number,
  { batchSize = 500 }: { batchSize?: number } = {},
): AsyncGenerator<AuditChainRow> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom("auditEvents")
      .selectAll()
      .where("organizationId", "=", organizationId)
      .where("seq", ">", after)
      .where("seq", "<=", throughSeq)
      .orderBy("seq")
      .limit(batchSize)
      .execute();
    yield* rows;
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return;
    after = last.seq;
  }
}
