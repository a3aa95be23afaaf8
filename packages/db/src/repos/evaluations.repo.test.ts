import { randomUUID } from "node:crypto";
import type { Clinic, Organization, Practitioner } from "@dn/schema";
import { CompiledQuery, type RootOperationNode } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { migrateDown, migrateToLatest } from "../migrate.ts";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
} from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import {
  listPractitionersToEvaluate,
  markEvaluationsStale,
  type NewEvaluationState,
  type NewStoredEvaluation,
  saveEvaluations,
} from "./evaluations.repo.ts";
import { insertEvidenceFile } from "./evidence.repo.ts";
import { insertRecordVersion, supersedeRecordVersion } from "./training-records.repo.ts";

describe.each(await testDialects())("the refresh check on %s", (dialect) => {
  let handle: DbHandle;
  let org: Organization;
  let east: Clinic;
  let west: Clinic;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    org = await buildOrganization(handle.db);
    east = await buildClinic(handle.db, { organizationId: org.id });
    west = await buildClinic(handle.db, { organizationId: org.id });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  /** A state computed as of `asOf` that holds until `validUntil`. */
  async function store(
    practitioner: Practitioner,
    asOf: string,
    validUntil: string,
    verdicts: Pick<
      NewStoredEvaluation,
      "standardId" | "standardVersion" | "standardTitle" | "verdict"
    >[] = [],
    active = 1,
    dues: readonly string[] = [],
  ) {
    const state: NewEvaluationState = {
      practitionerId: practitioner.id,
      organizationId: org.id,
      clinicId: practitioner.clinicId,
      active,
      asOf,
      validUntil,
      worst: "qualified",
      worstRank: 4,
      qualified: 1,
      fingerprint: "f",
      deadlinesJson: JSON.stringify(
        dues.map((due) => ({ practitionerId: practitioner.id, kind: "license", due })),
      ),
      firstDue: [...dues].sort()[0] ?? null,
      pendingRecords: 0,
      pendingWithoutEvidence: 0,
      oldestPendingAt: null,
      evaluatedAt: "2026-11-27T09:00:00.000Z",
    };
    const evaluations = verdicts.map((verdict) => ({
      ...verdict,
      practitionerId: practitioner.id,
      organizationId: org.id,
      verdictRank: 4,
      evaluationJson: "{}",
      summaryJson: "{}",
      nextLapse: null,
      asOf,
      validUntil,
      fingerprint: "f",
      evaluatedAt: state.evaluatedAt,
    }));
    // Over the first state a practitioner is inserted with (stale 1).
    await saveEvaluations(handle.db, [{ state, staleSeen: 1, evaluations }]);
  }

  const due = async (clinicDates: { clinicIds: string[]; date: string }[], limit = 50) =>
    (
      await listPractitionersToEvaluate(handle.db, { organizationId: org.id, clinicDates, limit })
    ).map((p) => p.name);

  test("lists exactly those whose stored evaluations do not hold on their clinic's date", async () => {
    const holds = await buildPractitioner(handle.db, { clinicId: east.id, name: "holds" });
    await buildPractitioner(handle.db, { clinicId: east.id, name: "never computed" });
    const marked = await buildPractitioner(handle.db, { clinicId: east.id, name: "marked" });
    const lapsed = await buildPractitioner(handle.db, { clinicId: east.id, name: "lapsed" });
    const later = await buildPractitioner(handle.db, { clinicId: east.id, name: "later" });
    const westHolds = await buildPractitioner(handle.db, { clinicId: west.id, name: "west" });
    await store(holds, "2026-12-01", "2026-12-20");
    await store(marked, "2026-12-01", "2026-12-20");
    await store(lapsed, "2026-12-01", "2026-12-09");
    await store(later, "2026-12-11", "2026-12-20");
    await store(westHolds, "2026-12-01", "2026-12-12");
    await markEvaluationsStale(handle.db, { organizationId: org.id, practitionerIds: [marked.id] });

    const eastOn10th = { clinicIds: [east.id], date: "2026-12-10" };
    expect((await due([eastOn10th])).sort()).toEqual(
      ["lapsed", "later", "marked", "never computed"].sort(),
    );
    // Each clinic on its own date: west's state lapses on the 13th, not on east's 10th.
    expect(await due([eastOn10th, { clinicIds: [west.id], date: "2026-12-10" }])).not.toContain(
      "west",
    );
    expect(await due([eastOn10th, { clinicIds: [west.id], date: "2026-12-13" }])).toContain("west");
    // Only the clinics asked for, and none at all when every state holds.
    expect(await due([{ clinicIds: [west.id], date: "2026-12-10" }])).toEqual([]);
  });

  test("pages by id and finds a new practitioner, inserted with a stale state, however many are stored", async () => {
    const stored: Practitioner[] = [];
    for (let i = 0; i < 5; i += 1) {
      const practitioner = await buildPractitioner(handle.db, { clinicId: east.id });
      await store(practitioner, "2026-12-01", "2026-12-20");
      stored.push(practitioner);
    }
    const dates = [{ clinicIds: [east.id], date: "2026-12-10" }];
    expect(await due(dates)).toEqual([]);
    const newcomer = await buildPractitioner(handle.db, { clinicId: east.id, name: "newcomer" });
    expect(await due(dates)).toEqual(["newcomer"]);
    expect(
      await handle.db
        .selectFrom("evaluationStates")
        .select(["stale", "active"])
        .where("practitionerId", "=", newcomer.id)
        .executeTakeFirst(),
    ).toEqual({ stale: 1, active: 0 });

    await markEvaluationsStale(handle.db, { organizationId: org.id, all: true });
    const ids = [...stored.map((p) => p.id), newcomer.id].sort();
    const first = await listPractitionersToEvaluate(handle.db, {
      organizationId: org.id,
      clinicDates: dates,
      limit: 4,
    });
    const rest = await listPractitionersToEvaluate(handle.db, {
      organizationId: org.id,
      clinicDates: dates,
      limit: 4,
      afterId: first.at(-1)?.id ?? null,
    });
    expect([...first, ...rest].map((p) => p.id)).toEqual(ids);
  });

  test("marking practitioners stale finds them by key and marks none of another organization's", async () => {
    const own = await buildPractitioner(handle.db, { clinicId: east.id });
    const other = await buildOrganization(handle.db);
    const stranger = await buildPractitioner(handle.db, {
      clinicId: (await buildClinic(handle.db, { organizationId: other.id })).id,
    });
    const statements: RootOperationNode[] = [];
    const recording = handle.db.withPlugin({
      transformQuery: ({ node }) => {
        statements.push(node);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    await markEvaluationsStale(recording, {
      organizationId: org.id,
      practitionerIds: [own.id, stranger.id],
    });
    const stale = await handle.db
      .selectFrom("evaluationStates")
      .select(["practitionerId", "stale"])
      .where("practitionerId", "in", [own.id, stranger.id])
      .execute();
    expect(Object.fromEntries(stale.map((row) => [row.practitionerId, row.stale]))).toEqual({
      [own.id]: 2,
      [stranger.id]: 1,
    });
    if (dialect !== "sqlite") return;
    // By the primary key, not by walking the organization's entries of an index.
    const [update] = statements;
    if (!update) throw new Error("no statement");
    const compiled = handle.db.getExecutor().compileQuery(update, { queryId: "plan" });
    const plan = await handle.db.executeQuery<{ detail: string }>(
      CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]),
    );
    expect(plan.rows.map((row) => row.detail)).toEqual([
      expect.stringContaining("(practitioner_id=?)"),
    ]);
  });

  test("a practitioner stored without a state gets a new practitioner's from the migration, and is listed", async () => {
    const stateless = await buildPractitioner(handle.db, { clinicId: west.id, name: "stateless" });
    const stored = await buildPractitioner(handle.db, { clinicId: west.id, name: "stored" });
    await store(stored, "2026-12-01", "2026-12-20");
    while (!(await migrateDown(handle.db)).includes("2026-12-04T0400-a-state-per-practitioner"));
    await handle.db
      .deleteFrom("evaluationStates")
      .where("practitionerId", "=", stateless.id)
      .execute();
    await migrateToLatest(handle.db);
    const states = await handle.db
      .selectFrom("evaluationStates")
      .select(["practitionerId", "stale", "active", "clinicId"])
      .orderBy("practitionerId")
      .execute();
    expect(states).toEqual(
      [
        { practitionerId: stateless.id, stale: 1, active: 0, clinicId: west.id },
        { practitionerId: stored.id, stale: 0, active: 1, clinicId: west.id },
      ].sort((a, b) => (a.practitionerId < b.practitionerId ? -1 : 1)),
    );
    expect(await due([{ clinicIds: [west.id], date: "2026-12-10" }])).toEqual(["stateless"]);
  });

  test("the tallies and each active state's pending records are filled in by their migration", async () => {
    const counted = await buildPractitioner(handle.db, { clinicId: east.id });
    const away = await buildPractitioner(handle.db, { clinicId: west.id });
    const recordedBy = (await buildUser(handle.db, { organizationId: org.id })).id;
    const record = (
      practitionerId: string,
      recordedAt: string,
      status: "pending" | "verified" = "pending",
    ) => buildTrainingRecord(handle.db, { practitionerId, recordedBy, recordedAt, status });
    const oldest = await record(counted.id, "2026-10-01T09:00:00.000Z");
    const withEvidence = await record(counted.id, "2026-11-01T09:00:00.000Z");
    await record(counted.id, "2026-09-01T09:00:00.000Z", "verified");
    // Corrected: its current version is pending, recorded after the first.
    await supersedeRecordVersion(handle.db, oldest.id, 1, "2026-11-02T09:00:00.000Z");
    await insertRecordVersion(handle.db, {
      ...oldest,
      version: 2,
      recordedAt: "2026-11-02T09:00:00.000Z",
    });
    await record(away.id, "2026-08-01T09:00:00.000Z");
    await insertEvidenceFile(handle.db, {
      id: randomUUID(),
      organizationId: org.id,
      practitionerId: counted.id,
      recordId: withEvidence.id,
      sha256: "a".repeat(64),
      mediaType: "application/pdf",
      sizeBytes: 10,
      fileName: "certificate.pdf",
      uploadedBy: recordedBy,
      uploadedAt: "2026-11-01T10:00:00.000Z",
    });
    await store(counted, "2026-12-01", "2026-12-20", [
      {
        standardId: "us-md-dn",
        standardVersion: 2,
        standardTitle: "Maryland",
        verdict: "qualified",
      },
    ]);
    await store(away, "2026-12-01", "2026-12-20", [], 0);
    while (!(await migrateDown(handle.db)).includes("2026-12-04T0300-verdict-tallies"));
    await migrateToLatest(handle.db);

    const states = await handle.db
      .selectFrom("evaluationStates")
      .select(["practitionerId", "pendingRecords", "pendingWithoutEvidence", "oldestPendingAt"])
      .execute();
    expect(states.find((s) => s.practitionerId === counted.id)).toEqual({
      practitionerId: counted.id,
      pendingRecords: 2,
      pendingWithoutEvidence: 1,
      oldestPendingAt: "2026-11-01T09:00:00.000Z",
    });
    expect(states.find((s) => s.practitionerId === away.id)).toMatchObject({
      pendingRecords: 0,
      oldestPendingAt: null,
    });
    const tallies = await handle.db
      .selectFrom("verdictTallies")
      .selectAll()
      .where("organizationId", "=", org.id)
      .orderBy("standardId")
      .execute();
    expect(tallies).toEqual([
      {
        organizationId: org.id,
        clinicId: east.id,
        standardId: "",
        standardVersion: 0,
        verdict: "qualified",
        standardTitle: "",
        count: 1,
        qualified: 1,
        pendingRecords: 2,
        pendingWithoutEvidence: 1,
      },
      {
        organizationId: org.id,
        clinicId: east.id,
        standardId: "us-md-dn",
        standardVersion: 2,
        verdict: "qualified",
        standardTitle: "Maryland",
        count: 1,
        qualified: 0,
        pendingRecords: 0,
        pendingWithoutEvidence: 0,
      },
    ]);
  });

  test("states stored before they named a clinic get their practitioner's from the migration", async () => {
    const east1 = await buildPractitioner(handle.db, { clinicId: east.id });
    const west1 = await buildPractitioner(handle.db, { clinicId: west.id });
    await store(east1, "2026-12-01", "2026-12-20");
    await store(west1, "2026-12-01", "2026-12-20");
    // Back to before the column (and whatever came after it), then forward again.
    while (!(await migrateDown(handle.db)).includes("2026-12-04T0200-state-clinics"));
    await migrateToLatest(handle.db);
    const states = await handle.db
      .selectFrom("evaluationStates")
      .select(["practitionerId", "clinicId"])
      .orderBy("practitionerId")
      .execute();
    expect(states).toEqual(
      [
        { practitionerId: east1.id, clinicId: east.id },
        { practitionerId: west1.id, clinicId: west.id },
      ].sort((a, b) => (a.practitionerId < b.practitionerId ? -1 : 1)),
    );
  });
});
