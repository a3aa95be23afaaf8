import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import {
  buildClinic,
  buildLicense,
  buildPractitioner,
  buildTrainingRecord,
  createTestDb,
  testDialects,
} from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
} from "./test-support.ts";

describe.each(await testDialects())("practitioners and licenses on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("the list carries clinic, licenses and the count of records awaiting review", async () => {
    await buildLicense(handle.db, { practitionerId: world.self.id, jurisdiction: "US-FL" });
    await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.practitioner.id,
    });
    const page = await world.as.manager.practitioners.list({ search: "self" });
    expect(page.items).toHaveLength(1);
    const [item] = page.items;
    expect(item?.clinic).toEqual({
      id: world.clinic.id,
      name: world.clinic.name,
      jurisdiction: "US-MD",
    });
    expect(item?.licenses.map((l) => l.jurisdiction)).toEqual(["US-FL", "US-MD"]);
    expect(item?.pendingRecordCount).toBe(2);
  });

  test("filters by jurisdiction through licenses", async () => {
    await buildLicense(handle.db, { practitionerId: world.colleague.id, jurisdiction: "US-FL" });
    const page = await world.as.manager.practitioners.list({ jurisdiction: "US-FL" });
    expect(page.items.map((p) => p.id)).toEqual([world.colleague.id]);
  });

  test("create, update and archive are each audited with before and after", async () => {
    // Distinct clocks keep the audit order unambiguous.
    const manager = world.as.manager;
    const at = (iso: string) => callerFor(handle.db, world.users.manager, iso);
    const created = await at("2026-05-01T09:00:00.000Z").practitioners.create({
      clinicId: world.clinic.id,
      name: "Priya Raman, PT",
      email: "Priya.Raman@Harbor.example",
      profession: "PT",
    });
    expect(created).toMatchObject({ email: "priya.raman@harbor.example", archivedAt: null });
    const updated = await at("2026-05-02T09:00:00.000Z").practitioners.update({
      id: created.id,
      profession: "PTA",
      email: null,
    });
    expect(updated).toMatchObject({ profession: "PTA", email: null, name: "Priya Raman, PT" });
    const archived = await at("2026-05-03T09:00:00.000Z").practitioners.archive({ id: created.id });
    expect(archived.archivedAt).not.toBeNull();
    await expectTrpcError(manager.practitioners.archive({ id: created.id }), "CONFLICT");

    const audit = await listAuditEventsForEntity(handle.db, "practitioner", created.id);
    expect(audit.map((e) => e.action)).toEqual([
      "practitioner.create",
      "practitioner.update",
      "practitioner.archive",
    ]);
    expect(audit.every((e) => e.actorId === world.users.manager.id)).toBe(true);
    expect(audit[1]?.before).toMatchObject({ profession: "PT" });
    expect(audit[1]?.after).toMatchObject({ profession: "PTA" });

    const listed = await manager.practitioners.list({});
    expect(listed.items.map((p) => p.id)).not.toContain(created.id);
    const withArchived = await manager.practitioners.list({ includeArchived: true });
    expect(withArchived.items.map((p) => p.id)).toContain(created.id);
  });

  test("nobody is added to or moved into an archived clinic: CONFLICT on clinicId, nothing written", async () => {
    const closed = await buildClinic(handle.db, {
      organizationId: world.organization.id,
      name: "Old Town",
      archivedAt: "2026-01-01T00:00:00.000Z",
    });
    const before = await countRows(handle);
    const refusals = [
      world.as.manager.practitioners.create({
        clinicId: closed.id,
        name: "Priya Raman, PT",
        email: null,
        profession: "PT",
      }),
      world.as.admin.practitioners.update({ id: world.self.id, clinicId: closed.id }),
    ];
    for (const call of refusals) {
      const error = await expectTrpcError(call, "CONFLICT");
      expect(fieldsNamed(error)).toEqual(["clinicId"]);
      expect(error.message).toBe("clinicId: Old Town is archived: choose an open clinic");
    }
    expect(await countRows(handle)).toEqual(before);

    // An open clinic takes them.
    const uptown = await buildClinic(handle.db, { organizationId: world.organization.id });
    const moved = await world.as.manager.practitioners.update({
      id: world.self.id,
      clinicId: uptown.id,
    });
    expect(moved.clinicId).toBe(uptown.id);
    // Someone left at an archived clinic (data from before the rule) is edited in place: naming
    // the clinic they are at is no move.
    const stranded = await buildPractitioner(handle.db, { clinicId: closed.id });
    const renamed = await world.as.manager.practitioners.update({
      id: stranded.id,
      clinicId: closed.id,
      name: "Renamed in place",
    });
    expect(renamed).toMatchObject({ clinicId: closed.id, name: "Renamed in place" });
  });

  test("an update that changes nothing writes nothing", async () => {
    const before = await countRows(handle);
    const same = await world.as.manager.practitioners.update({ id: world.self.id });
    expect(same).toEqual(world.self);
    expect(await countRows(handle)).toEqual(before);
  });

  test("licenses are created and updated with an audit row, and duplicates conflict on number", async () => {
    const manager = world.as.manager;
    const license = await manager.licenses.create({
      practitionerId: world.self.id,
      jurisdiction: "US-FL",
      number: "PT31877",
      issuedOn: "2015-09-30",
      expiresOn: "2027-11-30",
      status: "active",
    });
    // A minute later: audit rows are ordered by their instant.
    const aMinuteLater = callerFor(handle.db, world.users.manager, "2026-11-27T09:01:00.000Z");
    const updated = await aMinuteLater.licenses.update({
      id: license.id,
      status: "inactive",
      expiresOn: null,
    });
    expect(updated).toMatchObject({ status: "inactive", expiresOn: null, number: "PT31877" });

    const before = await countRows(handle);
    const duplicate = await expectTrpcError(
      manager.licenses.create({
        practitionerId: world.self.id,
        jurisdiction: "US-FL",
        number: "PT31877",
        issuedOn: "2016-01-01",
        status: "active",
      }),
      "CONFLICT",
    );
    expect(duplicate.message).toMatch(/^number: /);
    expect(await countRows(handle)).toEqual(before);

    const audit = await listAuditEventsForEntity(handle.db, "license", license.id);
    expect(audit.map((e) => e.action)).toEqual(["license.create", "license.update"]);
  });

  test("an auditor reads the audit trail newest first, paged", async () => {
    const manager = world.users.manager;
    await callerFor(handle.db, manager, "2026-05-01T09:00:00.000Z").practitioners.update({
      id: world.self.id,
      name: "Renamed",
    });
    await callerFor(handle.db, manager, "2026-05-02T09:00:00.000Z").practitioners.update({
      id: world.self.id,
      name: "Renamed Again",
    });
    const first = await world.as.auditor.audit.list({ limit: 1, entityType: "practitioner" });
    expect(first.items[0]?.after).toMatchObject({ name: "Renamed Again" });
    const second = await world.as.auditor.audit.list({
      limit: 1,
      entityType: "practitioner",
      cursor: first.nextCursor,
    });
    expect(second.items[0]?.after).toMatchObject({ name: "Renamed" });
    expect(second.nextCursor).toBeNull();
  });
});
