import type { ImportBatchRow } from "../database.ts";
import { bulkInsert } from "./bulk-insert.ts";
import { chunksOf, type Db } from "./types.ts";

/** Which of `keys` were imported already (idempotency keys of earlier runs). */
export async function findImportedRowKeys(
  db: Db,
  organizationId: string,
  kind: string,
  keys: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (const chunk of chunksOf(keys)) {
    const rows = await db
      .selectFrom("importRows")
      .select("rowKey")
      .where("organizationId", "=", organizationId)
      .where("kind", "=", kind)
      .where("rowKey", "in", chunk)
      .execute();
    for (const row of rows) found.add(row.rowKey);
  }
  return found;
}

export async function insertImportBatch(db: Db, batch: ImportBatchRow): Promise<void> {
  await db.insertInto("importBatches").values(batch).execute();
}

export async function insertImportRow(
  db: Db,
  row: { organizationId: string; kind: string; rowKey: string; batchId: string; entityId: string },
): Promise<void> {
  await db.insertInto("importRows").values(row).execute();
}

export interface NewImportRow {
  organizationId: string;
  kind: string;
  rowKey: string;
  batchId: string;
  entityId: string;
}

/** Several idempotency keys in multi-row inserts (a bulk import's batch). */
export async function insertImportRows(db: Db, rows: readonly NewImportRow[]): Promise<void> {
  await bulkInsert(db, "importRows", rows as unknown as Record<string, unknown>[]);
}

export async function listImportBatches(db: Db, organizationId: string): Promise<ImportBatchRow[]> {
  return db
    .selectFrom("importBatches")
    .selectAll()
    .where("organizationId", "=", organizationId)
    .orderBy("importedAt", "desc")
    .limit(50)
    .execute();
}
