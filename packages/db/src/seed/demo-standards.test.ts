import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { listAuditEventsForEntity } from "../repos/audit.repo.ts";
import { listAllCustomStandardVersions } from "../repos/custom-standards.repo.ts";
import { TEST_NOW } from "../testing/builders.ts";
import { createTestDb } from "../testing/test-db.ts";
import { seedDemo } from "./demo.ts";

describe("the demo clinic policy", () => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect: "sqlite" });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("is a custom standard with two audited versions that do not overlap", async () => {
    const { organizationId } = await seedDemo(handle.db, new Date(TEST_NOW));
    const versions = await listAllCustomStandardVersions(handle.db, organizationId);
    expect(
      versions.map((v) => [
        v.standard.id,
        v.standard.version,
        v.standard.effectiveFrom,
        v.standard.effectiveTo,
      ]),
    ).toEqual([
      ["harbor-clinic-safety-policy", 1, "2025-01-01", "2025-12-31"],
      ["harbor-clinic-safety-policy", 2, "2026-01-01", null],
    ]);
    const audit = await listAuditEventsForEntity(
      handle.db,
      "standard",
      "harbor-clinic-safety-policy",
    );
    expect(audit.map((e) => e.action)).toEqual(["standard.create", "standard.update"]);
  });
});
