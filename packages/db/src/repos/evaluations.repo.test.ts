import type { Clinic, Organization, Practitioner } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { migrateDown, migrateToLatest } from "../migrate.ts";
import { buildClinic, buildOrganization, buildPractitioner } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import {
  listPractitionersToEvaluate,
  markEvaluationsStale,
  type NewEvaluationState,
  saveEvaluations,
} from "./evaluations.repo.ts";

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
  async function store(practitioner: Practitioner, asOf: string, validUntil: string) {
    const state: NewEvaluationState = {
      practitionerId: practitioner.id,
      organizationId: org.id,
      clinicId: practitioner.clinicId,
      active: 1,
      asOf,
      validUntil,
      worst: "qualified",
      worstRank: 4,
      qualified: 1,
      fingerprint: "f",
      deadlinesJson: "[]",
      firstDue: null,
      evaluatedAt: "2026-11-27T09:00:00.000Z",
    };
    await saveEvaluations(handle.db, [{ state, staleSeen: null, evaluations: [] }]);
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

  test("pages by id and finds a practitioner without a state however many have one", async () => {
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
