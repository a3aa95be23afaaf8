import { fixedClock } from "@dn/clock";
import { type DbHandle, verifyAuditChain } from "@dn/db";
import { createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { DomainError } from "./errors.ts";
import { verifyAuditTrail } from "./services/audit.service.ts";
import { actorFromUser, type ServiceContext } from "./services/context.ts";
import { buildOrgWorld, type OrgWorld } from "./test-support.ts";
import { createContextInner } from "./trpc.ts";

describe.each(await testDialects())("the audit chain through the services on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("20 parallel audited changes leave a gapless chain that verifies, listed in write order", async () => {
    const before = await verifyAuditChain(handle.db, world.organization.id);
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.as.admin.clinics.create({
          name: `Clinic ${String(i).padStart(2, "0")}`,
          jurisdiction: "US-MD",
          timeZone: "America/New_York",
        }),
      ),
    );
    const rows = await handle.db
      .selectFrom("auditEvents")
      .select(["seq", "entityId"])
      .where("organizationId", "=", world.organization.id)
      .orderBy("seq")
      .execute();
    const already = before.rows;
    expect(rows.map((row) => row.seq)).toEqual(
      Array.from({ length: already + 20 }, (_, i) => i + 1),
    );
    expect(new Set(rows.slice(already).map((row) => row.entityId))).toEqual(
      new Set(created.map((clinic) => clinic.id)),
    );
    expect(await verifyAuditChain(handle.db, world.organization.id)).toMatchObject({
      ok: true,
      rows: already + 20,
    });

    // Every change carries the same instant (a stopped clock): the listing still has one order.
    const page = await world.as.auditor.audit.list({ limit: 20 });
    expect(page.items.map((event) => event.entityId)).toEqual(
      rows
        .slice(already)
        .reverse()
        .map((row) => row.entityId),
    );
  });

  test("verifying the trail needs read:audit and reports a changed row", async () => {
    await world.as.admin.clinics.create({
      name: "Clinic A",
      jurisdiction: "US-MD",
      timeZone: "America/New_York",
    });
    const ctxFor = (user: OrgWorld["users"]["admin"]): ServiceContext => ({
      ...createContextInner({ db: handle.db, now: fixedClock(TEST_NOW) }),
      actor: actorFromUser(user),
    });
    expect(await verifyAuditTrail(ctxFor(world.users.auditor))).toMatchObject({ ok: true });
    await expect(verifyAuditTrail(ctxFor(world.users.practitioner))).rejects.toBeInstanceOf(
      DomainError,
    );
    await handle.db
      .updateTable("auditEvents")
      .set({ beforeJson: "{}" })
      .where("organizationId", "=", world.organization.id)
      .where("seq", "=", 1)
      .execute();
    expect(await verifyAuditTrail(ctxFor(world.users.auditor))).toMatchObject({
      ok: false,
      seq: 1,
      problem: "hash-mismatch",
    });
  });
});
