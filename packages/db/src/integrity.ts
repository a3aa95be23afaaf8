import { sql } from "kysely";
import type { Db } from "./repos/types.ts";

/**
 * SQLite's `PRAGMA integrity_check`: "ok", or the problems it found joined by "; ". What the
 * crash-safety tests check after every kill (issue 11).
 */
export async function checkSqliteIntegrity(db: Db): Promise<string> {
  // One text column (named integrity_check, or integrityCheck through the camel-case plugin).
  const { rows } = await sql<Record<string, string>>`pragma integrity_check`.execute(db);
  return rows.map((row) => String(Object.values(row)[0])).join("; ");
}
