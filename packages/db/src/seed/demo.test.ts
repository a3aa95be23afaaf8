import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { verifyPassword } from "../auth/password.ts";
import type { DbHandle } from "../create-db.ts";
import { countOrganizations, listClinics } from "../repos/organizations.repo.ts";
import { findPractitionerById, listPractitioners } from "../repos/practitioners.repo.ts";
import { listCurrentRecords, listRecordVersions } from "../repos/training-records.repo.ts";
import { findUserCredentialsByEmail, listMembershipsOfUser } from "../repos/users.repo.ts";
import { TEST_NOW } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import { DEMO_PASSWORD, seedDemoIfEmpty } from "./demo.ts";

describe.each(await testDialects())("demo seed on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("seeds the demo organization once, and only on the first run", async () => {
    const summary = await seedDemoIfEmpty(handle.db, new Date(TEST_NOW));
    expect(summary).not.toBeNull();
    expect(summary?.practitioners).toBe(12);
    expect(await seedDemoIfEmpty(handle.db, new Date(TEST_NOW))).toBeNull();
    expect(await countOrganizations(handle.db)).toBe(1);

    const organizationId = summary?.organizationId ?? "";
    const clinics = await listClinics(handle.db, organizationId);
    expect(clinics.map((clinic) => clinic.jurisdiction).sort()).toEqual(["US-FL", "US-MD"]);
    const active = await listPractitioners(handle.db, { organizationId, limit: 50 });
    const all = await listPractitioners(handle.db, {
      organizationId,
      limit: 50,
      includeArchived: true,
    });
    expect(all.items.length - active.items.length).toBe(1);
  });

  test("the demo logins work and pt@dn.demo is Dana Whitfield", async () => {
    await seedDemoIfEmpty(handle.db, new Date(TEST_NOW));
    for (const email of ["admin@dn.demo", "manager@dn.demo", "pt@dn.demo", "auditor@dn.demo"]) {
      const user = await findUserCredentialsByEmail(handle.db, email);
      expect(user && (await verifyPassword(DEMO_PASSWORD, user.passwordHash ?? ""))).toBe(true);
    }
    const pt = await findUserCredentialsByEmail(handle.db, "pt@dn.demo");
    const membership = pt ? (await listMembershipsOfUser(handle.db, pt.id))[0] : undefined;
    const dana = await findPractitionerById(handle.db, membership?.practitionerId ?? "");
    expect(dana?.name).toBe("Dana Whitfield, PT");
  });

  test("records have every status, a correction history, and dates before 2026-11-26", async () => {
    const summary = await seedDemoIfEmpty(handle.db, new Date(TEST_NOW));
    const organizationId = summary?.organizationId ?? "";
    const records = await listCurrentRecords(handle.db, { organizationId, limit: 200 });
    expect(new Set(records.items.map((r) => r.status))).toEqual(
      new Set(["pending", "verified", "rejected", "withdrawn"]),
    );
    expect(new Set(records.items.map((r) => r.kind)).size).toBe(6);
    for (const record of records.items) {
      expect(record.completedOn < "2026-11-26").toBe(true);
      expect(record.recordedAt < "2026-11-26").toBe(true);
    }
    const corrected = records.items.find((r) => r.version === 3);
    expect(corrected).toBeDefined();
    const history = await listRecordVersions(handle.db, corrected?.id ?? "");
    expect(history.map((r) => r.status)).toEqual(["pending", "rejected", "pending"]);
  });
});
