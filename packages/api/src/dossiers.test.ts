import { type DbHandle, listAuditEventsForEntity, listRecordVersions } from "@dn/db";
import { buildClinic, buildTrainingRecord, createTestDb, testDialects } from "@dn/db/testing";
import { type Dossier, DossierSchema } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
} from "./test-support.ts";

describe.each(await testDialects())("dossier export and import on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let other: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    other = await buildOrgWorld(handle.db, "Elsewhere");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("export gives a valid dossier with every version of every record", async () => {
    const manager = callerFor(handle.db, world.users.manager, "2030-01-01T10:00:00.000Z");
    await manager.records.review({ id: world.selfRecord.id, decision: "verify" });
    const dossier = await world.as.practitioner.dossiers.export({ practitionerId: world.self.id });
    expect(DossierSchema.parse(dossier)).toEqual(dossier);
    expect(dossier.practitioner).toEqual({
      id: world.self.id,
      name: world.self.name,
      profession: "PT",
    });
    expect(dossier.licenses).toHaveLength(1);
    expect(dossier.records.map((r) => [r.id, r.version, r.status])).toEqual([
      [world.selfRecord.id, 1, "pending"],
      [world.selfRecord.id, 2, "verified"],
    ]);
  });

  test("import creates the practitioner, licenses and record history, and evaluates the same", async () => {
    await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.manager.id,
      kind: "supervised-sessions",
      hours: { theory: 0, practical: 0, online: 0 },
      topics: [],
      title: "Supervised sessions",
      count: 12,
      status: "verified",
      recordedAt: "2025-06-01T00:00:00.000Z",
    });
    const manager = callerFor(handle.db, world.users.manager, "2030-01-01T10:00:00.000Z");
    await manager.records.review({ id: world.selfRecord.id, decision: "verify" });
    const exported = await manager.dossiers.export({ practitionerId: world.self.id });

    const result = await manager.dossiers.import({
      clinicId: world.clinic.id,
      dossier: exported,
    });
    expect(result).toMatchObject({ licenses: 1, records: 2, recordVersions: 3 });
    expect(result.practitioner).toMatchObject({
      name: world.self.name,
      clinicId: world.clinic.id,
      organizationId: world.organization.id,
    });
    expect(result.practitioner.id).not.toBe(world.self.id);

    const reexported = await world.as.manager.dossiers.export({
      practitionerId: result.practitioner.id,
    });
    const shape = (d: Dossier) =>
      d.records
        .map(({ id: _id, ...rest }) => rest)
        .sort((a, b) =>
          `${a.completedOn}${a.title}${a.version}` < `${b.completedOn}${b.title}${b.version}`
            ? -1
            : 1,
        );
    expect(shape(reexported)).toEqual(shape(exported));
    expect(reexported.licenses).toEqual(exported.licenses);

    // The history is whole: the earlier version is superseded, the later is current.
    const imported = reexported.records.find((r) => r.version === 2);
    const versions = await listRecordVersions(handle.db, imported?.id ?? "");
    expect(versions.map((v) => v.status)).toEqual(["pending", "verified"]);

    for (const asOf of ["2026-06-01", "2026-12-01"]) {
      for (const knownAt of [undefined, "2029-06-01T00:00:00.000Z"]) {
        const question = { standardId: "us-md-dn", asOf, knownAt };
        const a = await world.as.manager.compliance.evaluate({
          ...question,
          practitionerId: world.self.id,
        });
        const b = await world.as.manager.compliance.evaluate({
          ...question,
          practitionerId: result.practitioner.id,
        });
        expect(b.status).toBe(a.status);
        expect(b.requirements.map((r) => [r.id, r.met, r.have])).toEqual(
          a.requirements.map((r) => [r.id, r.met, r.have]),
        );
      }
    }

    const audit = await listAuditEventsForEntity(handle.db, "practitioner", result.practitioner.id);
    expect(audit.map((e) => e.action)).toEqual(["practitioner.import"]);
    expect(audit[0]?.actorId).toBe(world.users.manager.id);
  });

  test("an invalid dossier is refused with the path named, and nothing is written", async () => {
    const exported = await world.as.manager.dossiers.export({ practitionerId: world.self.id });
    const before = await countRows(handle);

    const malformed = await expectTrpcError(
      world.as.manager.dossiers.import({
        clinicId: world.clinic.id,
        dossier: {
          ...exported,
          records: [{ ...exported.records[0], hours: { theory: -1 }, colour: "red" }],
        } as unknown as Dossier,
      }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(malformed)).toEqual(
      expect.arrayContaining(["dossier.records.0.hours.theory", "dossier.records.0"]),
    );

    const gap = await expectTrpcError(
      world.as.manager.dossiers.import({
        clinicId: world.clinic.id,
        dossier: {
          ...exported,
          records: [{ ...(exported.records[0] as Dossier["records"][0]), version: 2 }],
        },
      }),
      "BAD_REQUEST",
    );
    expect(gap.message).toMatch(/^dossier\.records\.0\.version: record .* has versions 2/);

    const future = await expectTrpcError(
      world.as.manager.dossiers.import({
        clinicId: world.clinic.id,
        dossier: {
          ...exported,
          records: [
            {
              ...(exported.records[0] as Dossier["records"][0]),
              recordedAt: "2999-01-01T00:00:00Z",
            },
          ],
        },
      }),
      "BAD_REQUEST",
    );
    expect(future.message).toMatch(/^dossier\.records\.0\.recordedAt: is in the future/);

    const license = exported.licenses[0] as Dossier["licenses"][0];
    const twice = await expectTrpcError(
      world.as.manager.dossiers.import({
        clinicId: world.clinic.id,
        dossier: { ...exported, licenses: [license, license] },
      }),
      "BAD_REQUEST",
    );
    expect(twice.message).toMatch(/^dossier\.licenses\.1\.number:/);
    expect(await countRows(handle)).toEqual(before);
  });

  test("export follows record access; import is for managers and admins of the clinic's organization", async () => {
    await expectTrpcError(
      world.as.practitioner.dossiers.export({ practitionerId: world.colleague.id }),
      "NOT_FOUND",
    );
    await expectTrpcError(
      other.as.admin.dossiers.export({ practitionerId: world.self.id }),
      "NOT_FOUND",
    );
    const exported = await world.as.auditor.dossiers.export({ practitionerId: world.self.id });
    await expectTrpcError(
      world.as.practitioner.dossiers.import({ clinicId: world.clinic.id, dossier: exported }),
      "FORBIDDEN",
    );
    await expectTrpcError(
      world.as.auditor.dossiers.import({ clinicId: world.clinic.id, dossier: exported }),
      "FORBIDDEN",
    );
    const elsewhere = await expectTrpcError(
      other.as.admin.dossiers.import({ clinicId: world.clinic.id, dossier: exported }),
      "NOT_FOUND",
    );
    expect(elsewhere.message).toMatch(/^clinicId:/);
  });

  test("nobody is imported into an archived clinic: CONFLICT on clinicId, and nothing is written", async () => {
    const closed = await buildClinic(handle.db, {
      organizationId: world.organization.id,
      name: "Old Town",
      archivedAt: "2026-01-01T00:00:00.000Z",
    });
    const exported = await world.as.manager.dossiers.export({ practitionerId: world.self.id });
    const before = await countRows(handle);
    const refused = await expectTrpcError(
      world.as.admin.dossiers.import({ clinicId: closed.id, dossier: exported }),
      "CONFLICT",
    );
    expect(fieldsNamed(refused)).toEqual(["clinicId"]);
    expect(refused.message).toBe("clinicId: Old Town is archived: choose an open clinic");
    expect(await countRows(handle)).toEqual(before);
  });
});
