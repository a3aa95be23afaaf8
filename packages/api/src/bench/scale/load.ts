/**
 * The bulk loader of `pnpm bench:scale`: one organization of N practitioners with 50 training
 * records each, written with multi-row INSERTs (compiled once per batch shape, no query builder
 * per row) inside transactions of LOAD_TRANSACTION_ROWS rows, on SQLite or PostgreSQL.
 *
 * The mix is deterministic (a seeded generator) and meant to look like a real organization:
 * clinics in six states with DN and CE rules, 85% PTs and 15% PTAs, 2% archived, licenses
 * active, expired, inactive or suspended with one in five holding a second state's license; per
 * practitioner a few DN courses with topics and hours, CE activities, an exam, CPR and
 * supervised sessions, about 80% verified, 12% pending and 8% rejected, some superseded by a
 * correction (so `knownAt` has history to look at).
 */
import { randomUUID } from "node:crypto";
import { type DbHandle, insertNewEvaluationStates } from "@dn/db";
import { TOPIC_CODES } from "@dn/schema";
import { CompiledQuery, sql } from "kysely";
import { generateSessionToken, hashSessionToken } from "../../auth/session.ts";

/** Placeholders per INSERT statement (SQLite allows 32,766; PostgreSQL 65,535). */
const INSERT_VARIABLES = Number(process.env.DN_BENCH_INSERT_VARIABLES ?? 2_600);
/** Rows per transaction: big enough to amortize the commit, small enough to keep WAL in check. */
const LOAD_TRANSACTION_ROWS = 50_000;

export const RECORDS_PER_PRACTITIONER = 50;

/** The clinics' states: each has a dry-needling standard in the pack, two a CE rule too. */
const CLINIC_STATES = ["US-FL", "US-MD", "US-TX", "US-VA", "US-CO", "US-NC"] as const;
const SECOND_LICENSE_STATES = ["US-MD", "US-VA", "US-TX", "US-AZ", "US-GA", "US-OH"] as const;

export interface ScaleOrganization {
  organizationId: string;
  clinicIds: string[];
  managerUserId: string;
  /** A bearer token of an organization-wide admin session, for the HTTP measurements. */
  token: string;
  practitioners: number;
  licenses: number;
  recordRows: number;
}

/** mulberry32: a small, fast, seeded generator, so every run loads the same organization. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * Ids in ascending order (UUID version 7 layout, a per-load prefix and a counter), so every
 * index of a bulk-loaded table is appended to rather than split at random places: with random
 * UUIDs SQLite spent most of a 100k load rebalancing B-trees.
 */
function sequentialIds(): () => string {
  const prefix = randomUUID().slice(0, 8);
  let n = 0;
  return () => `${prefix}-0000-7000-8000-${(n++).toString(16).padStart(12, "0")}`;
}
let nextId: () => string = randomUUID;

const DAY_MS = 86_400_000;

function dayOffset(base: string, days: number): string {
  return new Date(Date.parse(base.slice(0, 10)) + days * DAY_MS).toISOString().slice(0, 10);
}

type Row = readonly unknown[];

/**
 * Writes rows in multi-row INSERTs of at most INSERT_VARIABLES placeholders, the statement text
 * built once per shape. (One JSON parameter expanded by `json_each` was slower on SQLite: each
 * `value->>i` parses the row's JSON again.)
 */
class BulkWriter {
  private readonly statements = new Map<string, string>();
  constructor(
    private readonly handle: DbHandle,
    private readonly run: (query: CompiledQuery) => Promise<unknown>,
  ) {}

  private statement(table: string, columns: readonly string[], rows: number): string {
    const key = `${table}:${rows}`;
    let text = this.statements.get(key);
    if (!text) {
      const postgres = this.handle.dialect === "postgres";
      let n = 0;
      const tuple = () => `(${columns.map(() => (postgres ? `$${++n}` : "?")).join(",")})`;
      text = `insert into ${table} (${columns.join(",")}) values ${Array.from({ length: rows }, tuple).join(",")}`;
      this.statements.set(key, text);
    }
    return text;
  }

  async insert(table: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
    const perStatement = Math.max(1, Math.floor(INSERT_VARIABLES / columns.length));
    for (let i = 0; i < rows.length; i += perStatement) {
      const slice = rows.slice(i, i + perStatement);
      const parameters: unknown[] = [];
      for (const row of slice) for (const value of row) parameters.push(value);
      await this.run(CompiledQuery.raw(this.statement(table, columns, slice.length), parameters));
    }
  }
}

const PRACTITIONER_COLUMNS = [
  "id",
  "organization_id",
  "clinic_id",
  "name",
  "email",
  "profession",
  "archived_at",
  "created_at",
  "updated_at",
] as const;
const LICENSE_COLUMNS = [
  "id",
  "practitioner_id",
  "jurisdiction",
  "number",
  "issued_on",
  "expires_on",
  "status",
  "created_at",
  "updated_at",
] as const;
const RECORD_COLUMNS = [
  "id",
  "record_id",
  "version",
  "practitioner_id",
  "kind",
  "title",
  "provider",
  "completed_on",
  "hours_theory",
  "hours_practical",
  "hours_online",
  "topics_json",
  "session_count",
  "exam_type",
  "passed",
  "expires_on",
  "jurisdiction",
  "notes",
  "provenance",
  "status",
  "reviewed_by",
  "reviewed_at",
  "review_reason",
  "recorded_at",
  "recorded_by",
  "superseded_at",
] as const;

/** The rows of one practitioner: the practitioner, 1-2 licenses, 50 record versions. */
function practitionerRows(
  index: number,
  random: () => number,
  context: {
    organizationId: string;
    clinics: { id: string; jurisdiction: string }[];
    managerUserId: string;
    today: string;
  },
): { practitioner: Row; licenses: Row[]; records: Row[] } {
  const { organizationId, clinics, managerUserId, today } = context;
  const id = nextId();
  const clinic = clinics[index % clinics.length] as { id: string; jurisdiction: string };
  const createdAt = `${dayOffset(today, -3650 + Math.floor(random() * 3000))}T09:00:00.000Z`;
  const archived =
    random() < 0.02 ? `${dayOffset(today, -Math.floor(random() * 300))}T17:00:00.000Z` : null;
  const profession = random() < 0.85 ? "PT" : "PTA";
  const practitioner: Row = [
    id,
    organizationId,
    clinic.id,
    `Practitioner ${pad(index, 6)}`,
    `pt${pad(index, 6)}@bench.example`,
    profession,
    archived,
    createdAt,
    createdAt,
  ];

  const licenseStatus = () => {
    const r = random();
    return r < 0.85 ? "active" : r < 0.92 ? "expired" : r < 0.97 ? "inactive" : "suspended";
  };
  const licenses: Row[] = [];
  const addLicense = (jurisdiction: string) => {
    const status = licenseStatus();
    const issued = dayOffset(today, -4000 + Math.floor(random() * 3000));
    const expires =
      status === "expired"
        ? dayOffset(today, -Math.floor(random() * 400) - 1)
        : dayOffset(today, 30 + Math.floor(random() * 700));
    licenses.push([
      nextId(),
      id,
      jurisdiction,
      `${jurisdiction.slice(3)}${pad(index, 7)}${licenses.length}`,
      issued,
      expires,
      status,
      createdAt,
      createdAt,
    ]);
  };
  addLicense(clinic.jurisdiction);
  if (random() < 0.2) {
    const other = SECOND_LICENSE_STATES[
      Math.floor(random() * SECOND_LICENSE_STATES.length)
    ] as string;
    if (other !== clinic.jurisdiction) addLicense(other);
  }

  const records: Row[] = [];
  const status = () => {
    const r = random();
    return r < 0.8 ? "verified" : r < 0.92 ? "pending" : "rejected";
  };
  const topics = (count: number) => {
    const picked = new Set<string>();
    while (picked.size < count)
      picked.add(TOPIC_CODES[Math.floor(random() * TOPIC_CODES.length)] as string);
    return JSON.stringify([...picked].sort());
  };
  for (let r = 0; r < RECORDS_PER_PRACTITIONER; r += 1) {
    const k =
      r < 4
        ? "dn-course"
        : r < 44
          ? "ce-activity"
          : r < 46
            ? "exam"
            : r < 48
              ? "cpr"
              : "supervised-sessions";
    const completedOn = dayOffset(today, -Math.floor(random() * 2190) - 1);
    const recordedAt = `${dayOffset(completedOn, Math.floor(random() * 20))}T12:00:00.000Z`;
    const review = status();
    const reviewed = review === "pending" ? null : `${dayOffset(completedOn, 25)}T15:00:00.000Z`;
    const recordId = nextId();
    const theory =
      k === "dn-course"
        ? 8 + Math.floor(random() * 30)
        : k === "ce-activity"
          ? 1 + Math.floor(random() * 4)
          : 0;
    const practical = k === "dn-course" ? 8 + Math.floor(random() * 30) : 0;
    const online = k === "ce-activity" && random() < 0.4 ? 1 : 0;
    const row = (version: number, supersededAt: string | null, hoursTheory: number): Row => [
      nextId(),
      recordId,
      version,
      id,
      k,
      `${k} ${r}`,
      k === "cpr" ? "American Heart Association" : "Bench Institute",
      completedOn,
      hoursTheory,
      practical,
      online,
      k === "dn-course" ? topics(3 + Math.floor(random() * 6)) : "[]",
      k === "supervised-sessions" ? 10 + Math.floor(random() * 40) : null,
      k === "exam" ? "written-and-practical" : null,
      k === "exam" ? (random() < 0.9 ? 1 : 0) : null,
      k === "cpr" ? dayOffset(completedOn, 730) : null,
      null,
      null,
      random() < 0.3 ? "provider-reported" : "self-reported",
      version === 1 && supersededAt !== null ? "pending" : review,
      reviewed && supersededAt === null ? managerUserId : null,
      supersededAt === null ? reviewed : null,
      review === "rejected" && supersededAt === null ? "certificate does not match" : null,
      version === 1 ? recordedAt : (reviewed ?? recordedAt),
      managerUserId,
      supersededAt,
    ];
    // One record in twenty-five was corrected: its first version is superseded by the second.
    if (r % 25 === 7 && reviewed) {
      records.push(row(1, reviewed, Math.max(0, theory - 1)));
      records.push(row(2, null, theory));
    } else {
      records.push(row(1, null, theory));
    }
  }
  return { practitioner, licenses, records };
}

/**
 * Creates one organization of `size` practitioners (and a signed-in admin) in an empty, migrated
 * database. `today` is the date the records are spread back from.
 */
export async function loadScaleOrganization(
  handle: DbHandle,
  size: number,
  today: string,
  now: Date,
  onProgress?: (done: number) => void,
): Promise<ScaleOrganization> {
  const db = handle.db;
  const at = now.toISOString();
  const organizationId = randomUUID();
  const managerUserId = randomUUID();
  const membershipId = randomUUID();
  const clinics = CLINIC_STATES.map((jurisdiction, i) => ({
    id: randomUUID(),
    organizationId,
    name: `Bench ${jurisdiction.slice(3)} clinic ${i + 1}`,
    jurisdiction,
    archivedAt: null,
    createdAt: at,
  }));
  await db
    .insertInto("organizations")
    .values({ id: organizationId, name: `Bench ${size}`, createdAt: at })
    .execute();
  await db.insertInto("clinics").values(clinics).execute();
  await db
    .insertInto("users")
    .values({
      id: managerUserId,
      email: `admin-${organizationId.slice(0, 8)}@bench.example`,
      name: "Bench Admin",
      passwordHash: null,
      createdAt: at,
    })
    .execute();
  await db
    .insertInto("memberships")
    .values({
      id: membershipId,
      userId: managerUserId,
      organizationId,
      role: "admin",
      practitionerId: null,
      clinicIdsJson: null,
      status: "active",
      createdAt: at,
      deactivatedAt: null,
    })
    .execute();
  const token = generateSessionToken();
  await db
    .insertInto("sessions")
    .values({
      id: randomUUID(),
      userId: managerUserId,
      membershipId,
      tokenHash: hashSessionToken(token),
      createdAt: at,
      expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
      lastSeenAt: null,
      userAgent: "bench",
      clientAddress: null,
      method: "password",
    })
    .execute();

  // The load is a fixture, not data to keep through a power cut: no fsync per commit.
  if (handle.dialect === "sqlite") await sql`pragma synchronous = off`.execute(db);
  nextId = sequentialIds();
  const random = seeded(size);
  const context = { organizationId, clinics, managerUserId, today };
  let licenses = 0;
  let recordRows = 0;
  const perTransaction = Math.max(
    1,
    Math.floor(LOAD_TRANSACTION_ROWS / (RECORDS_PER_PRACTITIONER + 3)),
  );
  for (let start = 0; start < size; start += perTransaction) {
    const end = Math.min(size, start + perTransaction);
    const practitioners: Row[] = [];
    const licenseRows: Row[] = [];
    const records: Row[] = [];
    for (let i = start; i < end; i += 1) {
      const rows = practitionerRows(i, random, context);
      practitioners.push(rows.practitioner);
      licenseRows.push(...rows.licenses);
      records.push(...rows.records);
    }
    await db.transaction().execute(async (trx) => {
      const writer = new BulkWriter(handle, (query) => trx.executeQuery(query));
      await writer.insert("practitioners", PRACTITIONER_COLUMNS, practitioners);
      // The first state every practitioner is inserted with (stale: computed by the next refresh).
      await insertNewEvaluationStates(
        trx,
        practitioners.map((row) => ({
          id: row[PRACTITIONER_COLUMNS.indexOf("id")] as string,
          organizationId: row[PRACTITIONER_COLUMNS.indexOf("organization_id")] as string,
          clinicId: row[PRACTITIONER_COLUMNS.indexOf("clinic_id")] as string,
        })),
      );
      await writer.insert("licenses", LICENSE_COLUMNS, licenseRows);
      await writer.insert("training_records", RECORD_COLUMNS, records);
    });
    licenses += licenseRows.length;
    recordRows += records.length;
    onProgress?.(end);
  }
  if (handle.dialect === "sqlite") await sql`pragma synchronous = full`.execute(db);
  return {
    organizationId,
    clinicIds: clinics.map((c) => c.id),
    managerUserId,
    token,
    practitioners: size,
    licenses,
    recordRows,
  };
}
