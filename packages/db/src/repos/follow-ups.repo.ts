/**
 * The open follow-ups a manager's dashboard lists (adverse events owed by someone, by a date).
 * Inserting, finding and resolving items is in content.repo.ts, beside the comments they
 * come from.
 */
import type { Db } from "./types.ts";

export interface OpenFollowUpRow {
  id: string;
  kind: "adverse-event";
  summary: string;
  ownerId: string;
  ownerName: string;
  dueOn: string;
  createdAt: string;
  articleTitle: string;
}

/**
 * The organization's open follow-ups, soonest due first (then oldest), at most `limit`, with
 * how many are open and how many are overdue on `asOf`.
 */
export async function listOpenFollowUps(
  db: Db,
  organizationId: string,
  options: { asOf: string; limit: number },
): Promise<{ total: number; overdue: number; items: OpenFollowUpRow[] }> {
  const open = db
    .selectFrom("followUpItems as f")
    .where("f.organizationId", "=", organizationId)
    .where("f.status", "=", "open");
  const [rows, counts] = await Promise.all([
    open
      .innerJoin("articles as a", "a.id", "f.articleId")
      .leftJoin("users as o", "o.id", "f.ownerId")
      .select([
        "f.id",
        "f.summary",
        "f.ownerId",
        "f.createdBy",
        "f.dueOn",
        "f.createdAt",
        "o.name as ownerName",
        "a.title as articleTitle",
      ])
      .orderBy("f.dueOn")
      .orderBy("f.createdAt")
      .orderBy("f.id")
      .limit(options.limit)
      .execute(),
    open
      .select((eb) => [
        eb.fn.countAll().as("total"),
        eb.fn.count("f.id").filterWhere("f.dueOn", "<", options.asOf).as("overdue"),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(counts.total),
    overdue: Number(counts.overdue),
    items: rows.map((row) => ({
      id: row.id,
      kind: "adverse-event",
      summary: row.summary,
      ownerId: row.ownerId ?? row.createdBy,
      ownerName: row.ownerName ?? "",
      dueOn: row.dueOn ?? row.createdAt.slice(0, 10),
      createdAt: row.createdAt,
      articleTitle: row.articleTitle,
    })),
  };
}
