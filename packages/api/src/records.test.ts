import { type DbHandle, listAuditEventsForEntity, listRecordsKnownAt } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createCaller } from "./root.ts";
import { actorFromUser } from "./services/context.ts";
import { buildOrgWorld, countRows, expectTrpcError, type OrgWorld } from "./test-support.ts";
import { createContextInner } from "./trpc.ts";

describe.each(await testDialects())("training record versions and audit trail on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  /** A caller whose clock reads `iso`, so versions get known, distinct instants. */
  function at(iso: string, role: "manager" | "practitioner" = "practitioner") {
    return createCaller(
      createContextInner({
        db: handle.db,
        actor: actorFromUser(world.users[role]),
        now: () => new Date(iso),
      }),
    );
  }

  const course = {
    kind: "dn-course" as const,
    title: "Dry Needling Level 1",
    provider: "KinetaCore",
    completedOn: "2026-03-01",
    hours: { theory: 12, practical: 15, online: 0 },
    topics: ["trigger-points" as const, "anatomy" as const],
  };

  test("create, reject, correct (resubmit), verify: four versions, each audited, history intact", async () => {
    const created = await at("2026-04-01T10:00:00.000Z").records.create({
      ...course,
      practitionerId: world.self.id,
    });
    expect(created).toMatchObject({
      version: 1,
      status: "pending",
      provenance: "self-reported",
      recordedBy: world.users.practitioner.id,
      topics: ["anatomy", "trigger-points"],
    });
    await at("2026-04-02T10:00:00.000Z", "manager").records.review({
      id: created.id,
      decision: "reject",
      reason: "Certificate missing",
    });
    await at("2026-04-03T10:00:00.000Z").records.correct({
      ...course,
      id: created.id,
      hours: { theory: 14, practical: 13, online: 0 },
      notes: "Certificate attached",
    });
    const verified = await at("2026-04-04T10:00:00.000Z", "manager").records.review({
      id: created.id,
      decision: "verify",
    });
    expect(verified).toMatchObject({
      version: 4,
      status: "verified",
      reviewedBy: world.users.manager.id,
      reviewedAt: "2026-04-04T10:00:00.000Z",
      hours: { theory: 14, practical: 13, online: 0 },
      notes: "Certificate attached",
    });

    const history = await world.as.auditor.records.history({ id: created.id });
    expect(history.map((v) => [v.version, v.status, v.recordedAt])).toEqual([
      [1, "pending", "2026-04-01T10:00:00.000Z"],
      [2, "rejected", "2026-04-02T10:00:00.000Z"],
      [3, "pending", "2026-04-03T10:00:00.000Z"],
      [4, "verified", "2026-04-04T10:00:00.000Z"],
    ]);
    expect(history[1]?.reviewReason).toBe("Certificate missing");
    expect(history[2]).toMatchObject({
      reviewedBy: null,
      reviewReason: null,
      provenance: "self-reported",
    });

    const audit = await listAuditEventsForEntity(handle.db, "training-record", created.id);
    expect(audit.map((e) => [e.action, e.actorId, e.at])).toEqual([
      ["training-record.create", world.users.practitioner.id, "2026-04-01T10:00:00.000Z"],
      ["training-record.reject", world.users.manager.id, "2026-04-02T10:00:00.000Z"],
      ["training-record.correct", world.users.practitioner.id, "2026-04-03T10:00:00.000Z"],
      ["training-record.verify", world.users.manager.id, "2026-04-04T10:00:00.000Z"],
    ]);
    expect(audit[0]?.before).toBeNull();
    expect(audit[3]?.before).toMatchObject({ version: 3, status: "pending" });
    expect(audit[3]?.after).toMatchObject({ version: 4, status: "verified" });

    // The past stays replayable: what was known on April 2nd at noon is the rejected version.
    const known = await listRecordsKnownAt(handle.db, world.self.id, "2026-04-02T12:00:00.000Z");
    expect(known.find((r) => r.id === created.id)).toMatchObject({
      version: 2,
      status: "rejected",
    });
  });

  test("a manager logging a record for someone vouches for it: manager-verified, verified", async () => {
    const record = await world.as.manager.records.create({
      ...course,
      practitionerId: world.colleague.id,
    });
    expect(record).toMatchObject({
      provenance: "manager-verified",
      status: "verified",
      reviewedBy: world.users.manager.id,
      recordedBy: world.users.manager.id,
    });
  });

  test("fields that do not apply to the kind are not stored", async () => {
    const record = await world.as.practitioner.records.create({
      practitionerId: world.self.id,
      kind: "cpr",
      title: "BLS",
      completedOn: "2026-01-10",
      expiresOn: "2028-01-31",
      hours: { theory: 4, practical: 0, online: 0 },
      count: 3,
    });
    expect(record).toMatchObject({ hours: { theory: 0, practical: 0, online: 0 }, count: null });
  });

  test("a withdrawn record cannot be corrected, withdrawn again or reviewed", async () => {
    const id = world.selfRecord.id;
    await world.as.practitioner.records.withdraw({ id, reason: "Duplicate entry" });
    const before = await countRows(handle);
    const correct = await expectTrpcError(
      world.as.practitioner.records.correct({ ...course, id }),
      "CONFLICT",
    );
    expect(correct.message).toBe("id: a withdrawn record cannot be corrected");
    await expectTrpcError(world.as.practitioner.records.withdraw({ id }), "CONFLICT");
    await expectTrpcError(world.as.manager.records.review({ id, decision: "verify" }), "CONFLICT");
    expect(await countRows(handle)).toEqual(before);
  });

  test("only pending records can be reviewed", async () => {
    const id = world.colleagueRecord.id;
    await world.as.manager.records.review({ id, decision: "verify" });
    const error = await expectTrpcError(
      world.as.admin.records.review({ id, decision: "reject", reason: "Second thoughts" }),
      "CONFLICT",
    );
    expect(error.message).toMatch(/only pending records can be reviewed; this one is verified/);
  });

  test("the review queue lists pending current versions, oldest first, with names", async () => {
    const queue = await world.as.manager.records.reviewQueue({ limit: 1 });
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]?.practitionerName).toMatch(/Harbor/);
    const rest = await world.as.manager.records.reviewQueue({ limit: 1, cursor: queue.nextCursor });
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    await world.as.manager.records.review({ id: world.selfRecord.id, decision: "verify" });
    const after = await world.as.manager.records.reviewQueue({});
    expect(after.items.map((r) => r.id)).toEqual([world.colleagueRecord.id]);
  });

  test("records of an archived practitioner cannot be added or corrected", async () => {
    await world.as.manager.practitioners.archive({ id: world.self.id });
    const error = await expectTrpcError(
      world.as.manager.records.create({ ...course, practitionerId: world.self.id }),
      "CONFLICT",
    );
    expect(error.message).toMatch(/^practitionerId: .* is archived/);
    await expectTrpcError(
      world.as.manager.records.correct({ ...course, id: world.selfRecord.id }),
      "CONFLICT",
    );
  });

  test("lists filter by status and kind", async () => {
    await world.as.manager.records.review({ id: world.selfRecord.id, decision: "verify" });
    const verified = await world.as.manager.records.list({ status: "verified" });
    expect(verified.items.map((r) => r.id)).toEqual([world.selfRecord.id]);
    const exams = await world.as.manager.records.list({ kind: "exam" });
    expect(exams.items).toEqual([]);
  });
});
