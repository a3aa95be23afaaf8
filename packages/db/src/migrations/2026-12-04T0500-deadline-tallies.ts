/**
 * How many deadlines the active practitioners' states list per clinic and due date
 * (`deadline_tallies`), kept with the verdict tallies by `saveEvaluations` and a practitioner's
 * move, so a dashboard counts what lapses in its next 30 days from at most 31 rows per clinic
 * instead of reading and parsing every deadline list in that window (decision 058, seventh pass).
 * Backfilled from the states' deadline lists, read in pages.
 * Frozen: `Kysely<any>` and literal names only. Runs unchanged on SQLite and PostgreSQL.
 */
import type { Kysely } from "kysely";

const PAGE = 1_000;

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("deadline_tallies")
    .addColumn("organization_id", "text", (c) => c.notNull())
    .addColumn("clinic_id", "text", (c) => c.notNull())
    .addColumn("due", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("deadline_tallies_pkey", ["organization_id", "clinic_id", "due"])
    .execute();
  const counts = new Map<
    string,
    { organization_id: string; clinic_id: string; due: string; count: number }
  >();
  let after = "";
  for (;;) {
    const states: {
      practitioner_id: string;
      organization_id: string;
      clinic_id: string;
      deadlines_json: string;
    }[] = await db
      .selectFrom("evaluation_states")
      .select(["practitioner_id", "organization_id", "clinic_id", "deadlines_json"])
      .where("active", "=", 1)
      .where("first_due", "is not", null)
      .where("practitioner_id", ">", after)
      .orderBy("practitioner_id")
      .limit(PAGE)
      .execute();
    for (const state of states) {
      for (const deadline of JSON.parse(state.deadlines_json) as { due: string }[]) {
        const key = `${state.organization_id}|${state.clinic_id}|${deadline.due}`;
        const row = counts.get(key);
        if (row) row.count += 1;
        else {
          counts.set(key, {
            organization_id: state.organization_id,
            clinic_id: state.clinic_id,
            due: deadline.due,
            count: 1,
          });
        }
      }
    }
    if (states.length < PAGE) break;
    after = states[states.length - 1]?.practitioner_id ?? after;
  }
  const rows = [...counts.values()];
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto("deadline_tallies")
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("deadline_tallies").execute();
}
