import { evaluate } from "@dn/compliance";
import { type DbHandle, findPractitionerById, seedDemo } from "@dn/db";
import { createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { loadDossier } from "./services/dossier.service.ts";
import { resolveStandardVersions } from "./services/standard-source.ts";

// The demo is what a new user sees first: it must show the product's range (qualified staff,
// staff with gaps, a PTA who may not needle), not a wall of "not qualified".
describe.each(await testDialects())("demo data verdicts on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("the demo staff show a mix of verdicts against their clinic state's DN rule", async () => {
    await seedDemo(handle.db, new Date(TEST_NOW));
    const rows = await handle.db
      .selectFrom("practitioners")
      .innerJoin("clinics", "clinics.id", "practitioners.clinicId")
      .select(["practitioners.id", "clinics.jurisdiction", "clinics.organizationId"])
      .execute();
    const verdicts = new Map<string, string>();
    for (const row of rows) {
      const practitioner = await findPractitionerById(handle.db, row.id);
      if (!practitioner) throw new Error(`practitioner ${row.id} vanished`);
      const versions = await resolveStandardVersions(
        handle.db,
        row.organizationId,
        `${row.jurisdiction.toLowerCase()}-dn`,
      );
      const evaluation = evaluate(await loadDossier(handle.db, practitioner), versions, {
        asOf: "2026-11-26",
      });
      verdicts.set(practitioner.name, evaluation.status);
    }
    expect(verdicts.get("Marcus Oyelaran, PT")).toBe("qualified");
    expect(verdicts.get("Luis Carvajal, PT")).toBe("qualified");
    expect(verdicts.get("Keisha Morgan, PTA")).toBe("not-permitted");
    expect(verdicts.get("Andre Dupree, PT")).toBe("not-qualified");
  });
});
