import type { DbHandle } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  type OrgWorld,
} from "./test-support.ts";

const validRecord = (practitionerId: string) => ({
  practitionerId,
  kind: "cpr" as const,
  title: "BLS Provider",
  provider: "American Heart Association",
  completedOn: "2026-01-10",
  expiresOn: "2028-01-31",
});

describe.each(await testDialects())("authorization on %s", (dialect) => {
  let handle: DbHandle;
  let a: OrgWorld;
  let b: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    a = await buildOrgWorld(handle.db, "Harbor");
    b = await buildOrgWorld(handle.db, "Summit");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("an anonymous caller is UNAUTHORIZED everywhere but login", async () => {
    const anonymous = callerFor(handle.db, null);
    await expectTrpcError(anonymous.auth.me(), "UNAUTHORIZED");
    await expectTrpcError(anonymous.practitioners.list({}), "UNAUTHORIZED");
    await expectTrpcError(anonymous.records.byId({ id: a.selfRecord.id }), "UNAUTHORIZED");
  });

  describe("a practitioner", () => {
    test("reads their own practitioner, licenses and records", async () => {
      const me = a.as.practitioner;
      expect((await me.practitioners.byId({ id: a.self.id })).id).toBe(a.self.id);
      expect((await me.licenses.list({ practitionerId: a.self.id })).map((l) => l.id)).toEqual([
        a.selfLicense.id,
      ]);
      expect((await me.records.byId({ id: a.selfRecord.id })).id).toBe(a.selfRecord.id);
      expect(await me.records.history({ id: a.selfRecord.id })).toHaveLength(1);
    });

    test("sees only themselves in lists", async () => {
      const me = a.as.practitioner;
      const practitioners = await me.practitioners.list({});
      expect(practitioners.items.map((p) => p.id)).toEqual([a.self.id]);
      const records = await me.records.list({});
      expect(records.items.map((r) => r.id)).toEqual([a.selfRecord.id]);
    });

    test("cannot read a colleague's data: NOT_FOUND, as if it did not exist", async () => {
      const me = a.as.practitioner;
      await expectTrpcError(me.practitioners.byId({ id: a.colleague.id }), "NOT_FOUND");
      await expectTrpcError(me.licenses.list({ practitionerId: a.colleague.id }), "NOT_FOUND");
      await expectTrpcError(me.records.byId({ id: a.colleagueRecord.id }), "NOT_FOUND");
      await expectTrpcError(me.records.history({ id: a.colleagueRecord.id }), "NOT_FOUND");
      await expectTrpcError(me.records.list({ practitionerId: a.colleague.id }), "NOT_FOUND");
    });

    test("cannot change a colleague's data, and nothing is written", async () => {
      const me = a.as.practitioner;
      const before = await countRows(handle);
      await expectTrpcError(me.records.create(validRecord(a.colleague.id)), "NOT_FOUND");
      await expectTrpcError(
        me.records.correct({ id: a.colleagueRecord.id, ...validRecord(a.colleague.id) }),
        "NOT_FOUND",
      );
      await expectTrpcError(me.records.withdraw({ id: a.colleagueRecord.id }), "NOT_FOUND");
      expect(await countRows(handle)).toEqual(before);
    });

    test("cannot review, manage practitioners or licenses, or read the audit trail", async () => {
      const me = a.as.practitioner;
      const before = await countRows(handle);
      await expectTrpcError(
        me.records.review({ id: a.selfRecord.id, decision: "verify" }),
        "FORBIDDEN",
      );
      await expectTrpcError(
        me.records.review({ id: a.colleagueRecord.id, decision: "verify" }),
        "FORBIDDEN",
      );
      await expectTrpcError(me.records.reviewQueue({}), "FORBIDDEN");
      await expectTrpcError(
        me.practitioners.update({ id: a.self.id, name: "New Name" }),
        "FORBIDDEN",
      );
      await expectTrpcError(me.practitioners.archive({ id: a.self.id }), "FORBIDDEN");
      await expectTrpcError(
        me.practitioners.create({ clinicId: a.clinic.id, name: "Someone", profession: "PT" }),
        "FORBIDDEN",
      );
      await expectTrpcError(
        me.licenses.create({
          practitionerId: a.self.id,
          jurisdiction: "US-FL",
          number: "PT1",
          issuedOn: "2020-01-01",
          status: "active",
        }),
        "FORBIDDEN",
      );
      await expectTrpcError(me.audit.list({}), "FORBIDDEN");
      expect(await countRows(handle)).toEqual(before);
    });

    test("logs, corrects and withdraws their own records", async () => {
      const me = a.as.practitioner;
      const created = await me.records.create(validRecord(a.self.id));
      expect(created).toMatchObject({ status: "pending", provenance: "self-reported", version: 1 });
      const corrected = await me.records.correct({
        ...validRecord(a.self.id),
        id: created.id,
        title: "BLS",
      });
      expect(corrected).toMatchObject({ version: 2, title: "BLS", status: "pending" });
      const withdrawn = await me.records.withdraw({ id: created.id, reason: "Duplicate" });
      expect(withdrawn).toMatchObject({
        version: 3,
        status: "withdrawn",
        reviewReason: "Duplicate",
      });
    });
  });

  describe("a manager", () => {
    test("cannot reach another organization's data: NOT_FOUND, and nothing is written", async () => {
      const manager = a.as.manager;
      const before = await countRows(handle);
      await expectTrpcError(manager.practitioners.byId({ id: b.self.id }), "NOT_FOUND");
      await expectTrpcError(manager.licenses.list({ practitionerId: b.self.id }), "NOT_FOUND");
      await expectTrpcError(manager.records.byId({ id: b.selfRecord.id }), "NOT_FOUND");
      await expectTrpcError(manager.records.history({ id: b.selfRecord.id }), "NOT_FOUND");
      await expectTrpcError(manager.records.list({ practitionerId: b.self.id }), "NOT_FOUND");
      await expectTrpcError(
        manager.practitioners.update({ id: b.self.id, name: "Taken Over" }),
        "NOT_FOUND",
      );
      await expectTrpcError(manager.practitioners.archive({ id: b.self.id }), "NOT_FOUND");
      await expectTrpcError(
        manager.practitioners.create({ clinicId: b.clinic.id, name: "Spy", profession: "PT" }),
        "NOT_FOUND",
      );
      await expectTrpcError(
        manager.licenses.update({ id: b.selfLicense.id, number: "X1" }),
        "NOT_FOUND",
      );
      await expectTrpcError(manager.records.create(validRecord(b.self.id)), "NOT_FOUND");
      await expectTrpcError(
        manager.records.review({ id: b.selfRecord.id, decision: "verify" }),
        "NOT_FOUND",
      );
      await expectTrpcError(manager.records.withdraw({ id: b.selfRecord.id }), "NOT_FOUND");
      expect(await countRows(handle)).toEqual(before);
    });

    test("lists only their own organization", async () => {
      const manager = a.as.manager;
      const names = (await manager.practitioners.list({})).items.map((p) => p.name);
      expect(names).toEqual(["Harbor Colleague", "Harbor Self"]);
      const clinics = await manager.clinics.list();
      expect(clinics.map((c) => c.id)).toEqual([a.clinic.id]);
      const queue = await manager.records.reviewQueue({});
      expect(queue.items.map((r) => r.id).sort()).toEqual(
        [a.colleagueRecord.id, a.selfRecord.id].sort(),
      );
      const audit = await manager.audit.list({});
      expect(audit.items.every((event) => event.organizationId === a.organization.id)).toBe(true);
    });

    test("reviews records of their organization but never their own", async () => {
      const verified = await a.as.manager.records.review({
        id: a.selfRecord.id,
        decision: "verify",
      });
      expect(verified).toMatchObject({
        status: "verified",
        reviewedBy: a.users.manager.id,
        version: 2,
      });
      // A manager who is also a practitioner cannot review their own record.
      const selfReviewer = callerFor(handle.db, {
        ...a.users.manager,
        practitionerId: a.colleague.id,
      });
      const error = await expectTrpcError(
        selfReviewer.records.review({ id: a.colleagueRecord.id, decision: "verify" }),
        "FORBIDDEN",
      );
      expect(error.message).toMatch(/your own records/);
    });
  });

  describe("an auditor", () => {
    test("reads everything in the organization", async () => {
      const auditor = a.as.auditor;
      expect((await auditor.practitioners.list({})).items).toHaveLength(2);
      expect((await auditor.records.byId({ id: a.colleagueRecord.id })).id).toBe(
        a.colleagueRecord.id,
      );
      expect(await auditor.licenses.list({ practitionerId: a.colleague.id })).toHaveLength(1);
      await auditor.audit.list({});
    });

    test("changes nothing: FORBIDDEN, and no rows are written", async () => {
      const auditor = a.as.auditor;
      const before = await countRows(handle);
      await expectTrpcError(
        auditor.practitioners.update({ id: a.self.id, name: "X" }),
        "FORBIDDEN",
      );
      await expectTrpcError(auditor.practitioners.archive({ id: a.self.id }), "FORBIDDEN");
      await expectTrpcError(auditor.records.create(validRecord(a.self.id)), "FORBIDDEN");
      await expectTrpcError(
        auditor.records.correct({ ...validRecord(a.self.id), id: a.selfRecord.id }),
        "FORBIDDEN",
      );
      await expectTrpcError(auditor.records.withdraw({ id: a.selfRecord.id }), "FORBIDDEN");
      await expectTrpcError(
        auditor.records.review({ id: a.selfRecord.id, decision: "verify" }),
        "FORBIDDEN",
      );
      await expectTrpcError(
        auditor.licenses.update({ id: a.selfLicense.id, status: "expired" }),
        "FORBIDDEN",
      );
      expect(await countRows(handle)).toEqual(before);
    });

    test("cannot reach another organization either", async () => {
      await expectTrpcError(a.as.auditor.practitioners.byId({ id: b.colleague.id }), "NOT_FOUND");
    });
  });

  test("refusals name what the role may not do, from the service's own permission", async () => {
    const cases = [
      [a.as.auditor.alerts.run(), "your role (auditor) may not run the alert job"],
      [
        a.as.practitioner.imports.run({ kind: "roster", fileName: "r.csv", content: "name\n" }),
        "your role (practitioner) may not run imports",
      ],
      [a.as.auditor.apiTokens.list(), "your role (auditor) may not read regulator API tokens"],
      [
        a.as.practitioner.exports.create({
          kind: "json",
          scope: { kind: "practitioner", practitionerId: a.self.id, asOf: "2026-11-27" },
        }),
        "your role (practitioner) may not add exports",
      ],
      [
        a.as.auditor.content.courses.archive({ id: a.self.id }),
        "your role (auditor) may not archive the course catalog",
      ],
      [
        a.as.practitioner.dashboard.summary({}),
        "your role (practitioner) may not read the organization's dashboard",
      ],
      [a.as.auditor.members.list({}), "your role (auditor) may not read memberships"],
      [
        a.as.manager.members.update({ id: a.users.auditor.membershipId, role: "manager" }),
        "your role (manager) may not change memberships",
      ],
      [
        a.as.practitioner.members.deactivate({ id: a.users.auditor.membershipId }),
        "your role (practitioner) may not archive memberships",
      ],
      [a.as.auditor.invitations.list({}), "your role (auditor) may not read invitations"],
      [
        a.as.practitioner.invitations.create({ email: "x@example.test", role: "auditor" }),
        "your role (practitioner) may not add invitations",
      ],
      [
        a.as.manager.sso.providers.list(),
        "your role (manager) may not read single sign-on providers",
      ],
      [
        a.as.manager.organizations.update({ name: "Mine now" }),
        "your role (manager) may not change the organization's settings",
      ],
    ] as const;
    for (const [call, message] of cases) {
      expect((await expectTrpcError(call, "FORBIDDEN")).message).toBe(message);
    }
  });

  test("an admin manages their organization but not another", async () => {
    const admin = a.as.admin;
    const archived = await admin.practitioners.archive({ id: a.colleague.id });
    expect(archived.archivedAt).not.toBeNull();
    await expectTrpcError(admin.practitioners.archive({ id: b.colleague.id }), "NOT_FOUND");
  });
});
