/**
 * Clinic scope over real HTTP: a manager limited to clinic A lists, reads, changes and reviews
 * only clinic A's staff and records; clinic B's are NOT_FOUND, as another organization's are,
 * and nothing is written. A manager of the whole organization sees both clinics.
 */
import type { DbHandle } from "@dn/db";
import {
  buildClinic,
  buildLicense,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  createTestDb,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import type { Clinic, License, Practitioner, TrainingRecord } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  countRows,
  serveTrpc,
  signInWithPassword,
  type TrpcHttpReply,
  type TrpcTestServer,
  trpcOverHttp,
} from "./test-support.ts";

const ROSTER_HEADER =
  "name,email,profession,clinic,license_state,license_number,license_issued,license_expires";

interface Side {
  clinic: Clinic;
  practitioner: Practitioner;
  license: License;
  record: TrainingRecord;
}

function ids(items: { id: string }[]): string[] {
  return items.map((item) => item.id).sort();
}

function expectCode(reply: TrpcHttpReply, code: string, status: number): void {
  expect(reply.error?.code, JSON.stringify(reply.error)).toBe(code);
  expect(reply.status).toBe(status);
}

function expectOk(reply: TrpcHttpReply): void {
  expect(reply.error, JSON.stringify(reply.error)).toBeNull();
  expect(reply.status).toBe(200);
}

describe.each(await testDialects())("clinic scope over HTTP on %s", (dialect) => {
  let handle: DbHandle;
  let server: TrpcTestServer;
  let api: ReturnType<typeof trpcOverHttp>;
  let a: Side;
  let b: Side;
  /** A manager limited to clinic A, and one of the whole organization: their session tokens. */
  let scoped: string;
  let unscoped: string;

  async function side(organizationId: string, name: string, recordedBy: string): Promise<Side> {
    const clinic = await buildClinic(handle.db, { organizationId, name: `${name} Clinic` });
    const practitioner = await buildPractitioner(handle.db, {
      clinicId: clinic.id,
      name: `${name} Practitioner`,
    });
    // Lapses within 90 days of TEST_NOW (2026-11-27): a deadline for each side.
    const license = await buildLicense(handle.db, {
      practitionerId: practitioner.id,
      expiresOn: "2027-01-15",
    });
    const record = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy,
    });
    return { clinic, practitioner, license, record };
  }

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    const manager = await buildUser(handle.db, { organizationId: organization.id });
    a = await side(organization.id, "Alpha", manager.id);
    b = await side(organization.id, "Beta", manager.id);
    const clinicManager = await buildUser(handle.db, {
      organizationId: organization.id,
      role: "manager",
      clinicIds: [a.clinic.id],
    });
    server = await serveTrpc(handle.db);
    api = trpcOverHttp(server.base);
    scoped = (await signInWithPassword(handle.db, clinicManager.email, TEST_PASSWORD)).token;
    unscoped = (await signInWithPassword(handle.db, manager.email, TEST_PASSWORD)).token;
  });

  afterEach(async () => {
    await server.close();
    await handle.destroy();
  });

  test("auth.me names the clinic-bound permissions at clinic level", async () => {
    const me = await api.query("auth.me", undefined, scoped);
    expectOk(me);
    const { permissions, user } = me.data as {
      permissions: string[];
      user: { clinicIds: string[] };
    };
    expect(user.clinicIds).toEqual([a.clinic.id]);
    expect(permissions).toContain("read:practitioner:clinic");
    expect(permissions).toContain("review:training-record:clinic");
    expect(permissions).not.toContain("read:practitioner:any");
    expect(permissions).not.toContain("read:audit:any");
    const full = (await api.query("auth.me", undefined, unscoped)).data as {
      permissions: string[];
    };
    expect(full.permissions).toContain("read:practitioner:any");
  });

  test("lists hold clinic A's practitioners and records only; the organization's manager sees both", async () => {
    const practitioners = await api.query("practitioners.list", {}, scoped);
    expectOk(practitioners);
    expect(ids((practitioners.data as { items: Practitioner[] }).items)).toEqual([
      a.practitioner.id,
    ]);
    const records = await api.query("records.list", {}, scoped);
    expect(ids((records.data as { items: TrainingRecord[] }).items)).toEqual([a.record.id]);
    const queue = await api.query("records.reviewQueue", {}, scoped);
    expect(ids((queue.data as { items: TrainingRecord[] }).items)).toEqual([a.record.id]);
    const deadlines = await api.query("alerts.deadlines", {}, scoped);
    expectOk(deadlines);
    expect([
      ...new Set((deadlines.data as { practitionerId: string }[]).map((d) => d.practitionerId)),
    ]).toEqual([a.practitioner.id]);

    const all = await api.query("practitioners.list", {}, unscoped);
    expect(ids((all.data as { items: Practitioner[] }).items)).toEqual(
      [a.practitioner.id, b.practitioner.id].sort(),
    );
    const allQueue = await api.query("records.reviewQueue", {}, unscoped);
    expect(ids((allQueue.data as { items: TrainingRecord[] }).items)).toEqual(
      [a.record.id, b.record.id].sort(),
    );
    const allDeadlines = (await api.query("alerts.deadlines", {}, unscoped)).data as {
      practitionerId: string;
    }[];
    expect([...new Set(allDeadlines.map((d) => d.practitionerId))].sort()).toEqual(
      [a.practitioner.id, b.practitioner.id].sort(),
    );
  });

  test("clinic A's practitioner, licenses, records and evidence are readable", async () => {
    expectOk(await api.query("practitioners.byId", { id: a.practitioner.id }, scoped));
    expectOk(await api.query("licenses.list", { practitionerId: a.practitioner.id }, scoped));
    expectOk(await api.query("records.byId", { id: a.record.id }, scoped));
    expectOk(await api.query("evidence.list", { recordId: a.record.id }, scoped));
    expectOk(await api.query("compliance.overview", { practitionerId: a.practitioner.id }, scoped));
  });

  test("clinic B's practitioner, licenses, records and evidence are NOT_FOUND", async () => {
    for (const [path, input] of [
      ["practitioners.byId", { id: b.practitioner.id }],
      ["licenses.list", { practitionerId: b.practitioner.id }],
      ["records.byId", { id: b.record.id }],
      ["records.history", { id: b.record.id }],
      ["records.list", { practitionerId: b.practitioner.id }],
      ["evidence.list", { recordId: b.record.id }],
      ["compliance.overview", { practitionerId: b.practitioner.id }],
      ["dossiers.export", { practitionerId: b.practitioner.id }],
      ["dashboard.summary", { clinicId: b.clinic.id }],
    ] as const) {
      const reply = await api.query(path, input, scoped);
      expectCode(reply, "NOT_FOUND", 404);
    }
    // The organization's manager reads them.
    expectOk(await api.query("practitioners.byId", { id: b.practitioner.id }, unscoped));
    expectOk(await api.query("records.byId", { id: b.record.id }, unscoped));
  });

  test("clinic A's staff and records change and are reviewed", async () => {
    const renamed = await api.mutation(
      "practitioners.update",
      { id: a.practitioner.id, name: "Alpha Renamed" },
      scoped,
    );
    expectOk(renamed);
    expect((renamed.data as Practitioner).name).toBe("Alpha Renamed");
    const reviewed = await api.mutation(
      "records.review",
      { id: a.record.id, decision: "verify" },
      scoped,
    );
    expectOk(reviewed);
    expect((reviewed.data as TrainingRecord).status).toBe("verified");
    const added = await api.mutation(
      "practitioners.create",
      { clinicId: a.clinic.id, name: "New Alpha", profession: "PT" },
      scoped,
    );
    expectOk(added);
    const logged = await api.mutation(
      "records.create",
      {
        practitionerId: a.practitioner.id,
        kind: "cpr",
        title: "BLS Provider",
        provider: "American Heart Association",
        completedOn: "2026-01-10",
        expiresOn: "2028-01-31",
      },
      scoped,
    );
    expectOk(logged);
    expect((logged.data as TrainingRecord).status).toBe("verified");
  });

  test("clinic B's staff and records cannot be changed, moved into or reviewed: NOT_FOUND, nothing written", async () => {
    const before = await countRows(handle);
    for (const [path, input, field] of [
      ["practitioners.update", { id: b.practitioner.id, name: "Taken Over" }, null],
      ["practitioners.archive", { id: b.practitioner.id }, null],
      [
        "practitioners.create",
        { clinicId: b.clinic.id, name: "Spy", profession: "PT" },
        "clinicId",
      ],
      ["practitioners.update", { id: a.practitioner.id, clinicId: b.clinic.id }, "clinicId"],
      ["licenses.update", { id: b.license.id, number: "X1" }, null],
      [
        "licenses.create",
        {
          practitionerId: b.practitioner.id,
          jurisdiction: "US-FL",
          number: "PT1",
          issuedOn: "2020-01-01",
          status: "active",
        },
        "practitionerId",
      ],
      ["records.review", { id: b.record.id, decision: "verify" }, null],
      ["records.withdraw", { id: b.record.id }, null],
      [
        "records.create",
        {
          practitionerId: b.practitioner.id,
          kind: "cpr",
          title: "BLS Provider",
          provider: "American Heart Association",
          completedOn: "2026-01-10",
          expiresOn: "2028-01-31",
        },
        "practitionerId",
      ],
      [
        "assignments.add",
        { scope: "clinic", scopeId: b.clinic.id, standardId: "us-md-dn", effect: "include" },
        "scopeId",
      ],
    ] as const) {
      const reply = await api.mutation(path, input, scoped);
      expectCode(reply, "NOT_FOUND", 404);
      if (field) expect(Object.keys(reply.error?.fieldErrors ?? {})).toEqual([field]);
    }
    expect(await countRows(handle)).toEqual(before);
  });

  test("dashboards and the matrix count clinic A only", async () => {
    const summary = await api.query("dashboard.summary", {}, scoped);
    expectOk(summary);
    const dashboard = summary.data as {
      practitionerCount: number;
      byClinic: { clinicId: string }[];
      unverified: { pendingRecords: number };
    };
    expect(dashboard.practitionerCount).toBe(1);
    expect(dashboard.byClinic.map((c) => c.clinicId)).toEqual([a.clinic.id]);
    expect(dashboard.unverified.pendingRecords).toBe(1);
    const matrix = (await api.query("dashboard.matrix", {}, scoped)).data as {
      rows: { practitionerId: string }[];
    };
    expect(matrix.rows.map((row) => row.practitionerId)).toEqual([a.practitioner.id]);

    const whole = (await api.query("dashboard.summary", {}, unscoped)).data as {
      practitionerCount: number;
    };
    expect(whole.practitionerCount).toBe(2);
  });

  test("exports stay within clinic A; organization-wide tools are refused", async () => {
    const asOf = "2026-11-27";
    expectOk(
      await api.mutation(
        "exports.create",
        { kind: "json", scope: { kind: "clinic", clinicId: a.clinic.id, asOf } },
        scoped,
      ),
    );
    expectCode(
      await api.mutation(
        "exports.create",
        { kind: "json", scope: { kind: "clinic", clinicId: b.clinic.id, asOf } },
        scoped,
      ),
      "NOT_FOUND",
      404,
    );
    expectCode(
      await api.mutation(
        "exports.create",
        { kind: "json", scope: { kind: "practitioner", practitionerId: b.practitioner.id, asOf } },
        scoped,
      ),
      "NOT_FOUND",
      404,
    );
    const whole = await api.mutation(
      "exports.create",
      { kind: "json", scope: { kind: "organization", asOf } },
      scoped,
    );
    expectCode(whole, "FORBIDDEN", 403);
    expect(whole.error?.message).toMatch(/manager of one clinic/);
    // The organization's manager's export of clinic B is not listed for the clinic manager.
    const other = await api.mutation(
      "exports.create",
      { kind: "json", scope: { kind: "clinic", clinicId: b.clinic.id, asOf } },
      unscoped,
    );
    expectOk(other);
    const listed = (await api.query("exports.list", {}, scoped)).data as {
      items: { scope: { kind: string; clinicId?: string } }[];
    };
    expect(listed.items.map((job) => job.scope.clinicId)).toEqual([a.clinic.id]);
    expectCode(
      await api.query("exports.byId", { id: (other.data as { id: string }).id }, scoped),
      "NOT_FOUND",
      404,
    );

    for (const [path, input] of [
      ["apiTokens.create", { label: "Board", expiresInDays: 30 }],
      ["alerts.run", undefined],
    ] as const) {
      expectCode(await api.mutation(path, input, scoped), "FORBIDDEN", 403);
    }
    expectCode(await api.query("audit.list", {}, scoped), "FORBIDDEN", 403);
  });

  test("an import refuses the rows of another clinic and of its staff", async () => {
    const content = [
      ROSTER_HEADER,
      `New Alpha,new.alpha@example.test,PT,${a.clinic.name},US-MD,MD200001,2020-01-01,2028-01-01`,
      `New Beta,new.beta@example.test,PT,${b.clinic.name},US-MD,MD200002,2020-01-01,2028-01-01`,
      `Beta Again,${b.practitioner.email},PT,${a.clinic.name},US-MD,MD200003,2020-01-01,2028-01-01`,
    ].join("\n");
    const reply = await api.mutation(
      "imports.run",
      { kind: "roster", fileName: "roster.csv", content, onlyValid: true },
      scoped,
    );
    expectOk(reply);
    const report = reply.data as {
      rowsImported: number;
      problems: { line: number; field: string | null; reason: string }[];
    };
    expect(report.rowsImported).toBe(1);
    expect(report.problems).toEqual([
      {
        line: 3,
        field: "clinic",
        reason: `clinic names a clinic you do not manage ("${b.clinic.name}")`,
      },
      {
        line: 4,
        field: "email",
        reason: "email belongs to a practitioner of a clinic you do not manage",
      },
    ]);
    const licensesOfB = await api.query(
      "licenses.list",
      { practitionerId: b.practitioner.id },
      unscoped,
    );
    expect((licensesOfB.data as License[]).map((l) => l.id)).toEqual([b.license.id]);
  });
});
