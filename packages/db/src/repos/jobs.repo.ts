/**
 * The embedded job queue's table and daily run claims
 * (docs/decisions/060-background-jobs.md). Every claim is one conditional UPDATE, so two workers
 * never take the same job, on SQLite and PostgreSQL alike.
 */
import { sql } from "kysely";
import type { Db } from "./types.ts";

export interface EmbeddedJob {
  id: string;
  queue: string;
  data: unknown;
  attempts: number;
  retryLimit: number;
  createdAt: string;
}

export interface NewEmbeddedJob {
  id: string;
  queue: string;
  data: unknown;
  retryLimit: number;
  singletonKey: string | null;
  runAfter: string;
  createdAt: string;
}

/** Queues a job; false when one with the same singleton key is already waiting. */
export async function insertEmbeddedJob(db: Db, job: NewEmbeddedJob): Promise<boolean> {
  const result = await db
    .insertInto("jobs")
    .values({
      id: job.id,
      queue: job.queue,
      dataJson: JSON.stringify(job.data),
      state: "created",
      retryLimit: job.retryLimit,
      singletonKey: job.singletonKey,
      runAfter: job.runAfter,
      createdAt: job.createdAt,
    })
    .onConflict((oc) =>
      // The partial index's own predicate, as literal SQL (SQLite matches it textually).
      oc
        .columns(["queue", "singletonKey"])
        .where(sql<boolean>`state = 'created' and singleton_key is not null`)
        .doNothing(),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/**
 * Takes the next job of `queue` that is due, or whose lease ran out (its worker died), and
 * leases it until `leaseUntil`. Null when there is none or another worker took it first.
 */
export async function claimEmbeddedJob(
  db: Db,
  queue: string,
  at: string,
  leaseUntil: string,
): Promise<EmbeddedJob | null> {
  for (let tries = 0; tries < 5; tries++) {
    const next = await db
      .selectFrom("jobs")
      .select("id")
      .where("queue", "=", queue)
      .where((eb) =>
        eb.or([
          eb.and([eb("state", "=", "created"), eb("runAfter", "<=", at)]),
          eb.and([eb("state", "=", "active"), eb("leaseUntil", "<", at)]),
        ]),
      )
      .orderBy("runAfter")
      .orderBy("createdAt")
      .limit(1)
      .executeTakeFirst();
    if (!next) return null;
    const claimed = await db
      .updateTable("jobs")
      .set((eb) => ({
        state: "active",
        leaseUntil,
        attempts: eb("attempts", "+", 1),
      }))
      .where("id", "=", next.id)
      .where((eb) =>
        eb.or([
          eb.and([eb("state", "=", "created"), eb("runAfter", "<=", at)]),
          eb.and([eb("state", "=", "active"), eb("leaseUntil", "<", at)]),
        ]),
      )
      .returningAll()
      .executeTakeFirst();
    if (claimed) {
      return {
        id: claimed.id,
        queue: claimed.queue,
        data: JSON.parse(claimed.dataJson) as unknown,
        attempts: Number(claimed.attempts),
        retryLimit: Number(claimed.retryLimit),
        createdAt: claimed.createdAt,
      };
    }
  }
  return null;
}

/** Extends a running job's lease; false when the job is no longer this worker's. */
export async function renewEmbeddedJobLease(
  db: Db,
  id: string,
  attempts: number,
  leaseUntil: string,
): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({ leaseUntil })
    .where("id", "=", id)
    .where("state", "=", "active")
    .where("attempts", "=", attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function completeEmbeddedJob(
  db: Db,
  id: string,
  attempts: number,
  at: string,
): Promise<void> {
  await db
    .updateTable("jobs")
    .set({ state: "completed", finishedAt: at, leaseUntil: null })
    .where("id", "=", id)
    .where("state", "=", "active")
    .where("attempts", "=", attempts)
    .execute();
}

/** Records a failed attempt: back in the queue at `retryAt`, or dead when null. */
export async function failEmbeddedJob(
  db: Db,
  id: string,
  attempts: number,
  error: string,
  at: string,
  retryAt: string | null,
): Promise<void> {
  await db
    .updateTable("jobs")
    .set(
      retryAt
        ? { state: "created", runAfter: retryAt, leaseUntil: null, lastError: error }
        : { state: "failed", finishedAt: at, leaseUntil: null, lastError: error },
    )
    .where("id", "=", id)
    .where("state", "=", "active")
    .where("attempts", "=", attempts)
    .execute();
}

/**
 * Jobs whose lease ran out more times than they may be retried: their worker died on every
 * attempt. They become dead instead of being taken again.
 */
export async function failExhaustedEmbeddedJobs(db: Db, at: string): Promise<number> {
  const result = await db
    .updateTable("jobs")
    .set({
      state: "failed",
      finishedAt: at,
      leaseUntil: null,
      lastError: sql<string>`coalesce(last_error, 'the worker stopped during every attempt')`,
    })
    .where("state", "=", "active")
    .where("leaseUntil", "<", at)
    .where((eb) => eb("attempts", ">", eb.ref("retryLimit")))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listDeadEmbeddedJobs(db: Db, limit: number) {
  const rows = await db
    .selectFrom("jobs")
    .selectAll()
    .where("state", "=", "failed")
    .orderBy("finishedAt", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    queue: row.queue,
    data: JSON.parse(row.dataJson) as unknown,
    attempts: Number(row.attempts),
    error: row.lastError,
    createdAt: row.createdAt,
    failedAt: row.finishedAt,
  }));
}

/** A dead job back in its queue with a fresh set of attempts; false when not dead. */
export async function retryDeadEmbeddedJob(db: Db, id: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable("jobs")
    .set({ state: "created", attempts: 0, runAfter: at, finishedAt: null })
    .where("id", "=", id)
    .where("state", "=", "failed")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes finished jobs older than `before` (the queue keeps a week of history). */
export async function purgeFinishedEmbeddedJobs(db: Db, before: string): Promise<number> {
  const result = await db
    .deleteFrom("jobs")
    .where("state", "=", "completed")
    .where("finishedAt", "<", before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---------------------------------------------------------------------------------------------
// Daily runs
// ---------------------------------------------------------------------------------------------

/** Claims one daily run; true only for the first caller, whichever instance it is. */
export async function claimScheduledRun(
  db: Db,
  run: { kind: string; organizationId: string; timeZone: string; localDate: string; at: string },
): Promise<boolean> {
  const result = await db
    .insertInto("scheduledRuns")
    .values({
      kind: run.kind,
      organizationId: run.organizationId,
      timeZone: run.timeZone,
      localDate: run.localDate,
      createdAt: run.at,
    })
    .onConflict((oc) => oc.columns(["kind", "organizationId", "timeZone", "localDate"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Each active member's time zone: their practitioner's clinic, else their first clinic's, else the organization's first clinic's, else UTC. */
export async function listMemberTimeZones(
  db: Db,
  organizationId: string,
): Promise<Map<string, string>> {
  const clinics = await db
    .selectFrom("clinics")
    .select(["id", "timeZone"])
    .where("organizationId", "=", organizationId)
    .orderBy("createdAt")
    .orderBy("id")
    .execute();
  const zoneOf = new Map(clinics.map((clinic) => [clinic.id, clinic.timeZone]));
  const fallback = clinics[0]?.timeZone ?? "UTC";
  const members = await db
    .selectFrom("memberships as m")
    .leftJoin("practitioners as p", "p.id", "m.practitionerId")
    .select(["m.userId", "m.clinicIdsJson", "p.clinicId"])
    .where("m.organizationId", "=", organizationId)
    .where("m.status", "=", "active")
    .execute();
  const zones = new Map<string, string>();
  for (const member of members) {
    const scoped = member.clinicIdsJson ? (JSON.parse(member.clinicIdsJson) as string[]) : [];
    const clinicId = member.clinicId ?? scoped[0] ?? null;
    zones.set(member.userId, (clinicId && zoneOf.get(clinicId)) || fallback);
  }
  return zones;
}

/** The time zones an organization's open clinics are in (UTC when it has none). */
export async function listOrganizationTimeZones(
  db: Db,
): Promise<{ organizationId: string; timeZone: string }[]> {
  const rows = await db
    .selectFrom("organizations as o")
    .leftJoin("clinics as c", (join) =>
      join.onRef("c.organizationId", "=", "o.id").on("c.archivedAt", "is", null),
    )
    .select(["o.id as organizationId", "c.timeZone"])
    .distinct()
    .execute();
  return rows.map((row) => ({
    organizationId: row.organizationId,
    timeZone: row.timeZone ?? "UTC",
  }));
}
