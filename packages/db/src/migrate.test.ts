import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "./create-db.ts";
import { migrateDown, migrateToLatest } from "./migrate.ts";
import { migrations } from "./migrations/index.ts";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
} from "./testing/builders.ts";
import { createTestDb, testDialects } from "./testing/test-db.ts";

const TABLES = [
  "audit_events",
  "calendar_feeds",
  "clinics",
  "custom_standards",
  "evidence_files",
  "import_batches",
  "import_rows",
  "invitations",
  "licenses",
  "memberships",
  "notifications",
  "oidc_providers",
  "oidc_sign_ins",
  "organizations",
  "practitioners",
  "recovery_codes",
  "sessions",
  "standard_assignments",
  "training_records",
  "user_identities",
  "user_tokens",
  "users",
];

/** Our tables in the database's working schema (PostgreSQL introspection lists every schema). */
async function ourTables(handle: DbHandle): Promise<string[]> {
  let schema: string | undefined;
  if (handle.dialect === "postgres") {
    const row = await handle.db
      .selectNoFrom((eb) => eb.fn<string>("current_schema", []).as("schema"))
      .executeTakeFirstOrThrow();
    schema = row.schema;
  }
  const tables = await handle.db.introspection.getTables();
  return tables
    .filter((table) => table.schema === schema && TABLES.includes(table.name))
    .map((table) => table.name)
    .sort();
}

describe.each(await testDialects())("migrations on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("create every table", async () => {
    expect(await ourTables(handle)).toEqual(TABLES);
  });

  test("running them again applies nothing", async () => {
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });

  test("can be reverted and re-applied", async () => {
    const names = Object.keys(migrations);
    for (const name of [...names].reverse()) {
      expect(await migrateDown(handle.db)).toEqual([name]);
    }
    expect(await ourTables(handle)).toEqual([]);
    expect(await migrateToLatest(handle.db)).toEqual(Object.keys(migrations));
  });

  test("a user email is unique", async () => {
    const organization = await buildOrganization(handle.db);
    await buildUser(handle.db, { organizationId: organization.id, email: "same@example.test" });
    await expect(
      buildUser(handle.db, { organizationId: organization.id, email: "same@example.test" }),
    ).rejects.toThrow();
  });

  test("foreign keys are enforced", async () => {
    await expect(buildClinic(handle.db, { organizationId: randomUUID() })).rejects.toThrow();
  });

  test("a record cannot have two rows for one version, nor two current versions", async () => {
    const organization = await buildOrganization(handle.db);
    const clinic = await buildClinic(handle.db, { organizationId: organization.id });
    const practitioner = await buildPractitioner(handle.db, { clinicId: clinic.id });
    const user = await buildUser(handle.db, { organizationId: organization.id });
    const record = await buildTrainingRecord(handle.db, {
      practitionerId: practitioner.id,
      recordedBy: user.id,
    });
    await expect(
      buildTrainingRecord(handle.db, {
        id: record.id,
        version: 1,
        practitionerId: practitioner.id,
        recordedBy: user.id,
      }),
    ).rejects.toThrow();
    await expect(
      buildTrainingRecord(handle.db, {
        id: record.id,
        version: 2,
        practitionerId: practitioner.id,
        recordedBy: user.id,
      }),
    ).rejects.toThrow();
  });

  test("check constraints refuse negative hours and unknown statuses", async () => {
    const organization = await buildOrganization(handle.db);
    const clinic = await buildClinic(handle.db, { organizationId: organization.id });
    const practitioner = await buildPractitioner(handle.db, { clinicId: clinic.id });
    const user = await buildUser(handle.db, { organizationId: organization.id });
    const base = { practitionerId: practitioner.id, recordedBy: user.id };
    await expect(
      buildTrainingRecord(handle.db, { ...base, hours: { theory: -1, practical: 0, online: 0 } }),
    ).rejects.toThrow();
    await expect(
      sql`update training_records set status = 'approved'`.execute(handle.db),
    ).resolves.toBeDefined();
    await buildTrainingRecord(handle.db, base);
    await expect(
      sql`update training_records set status = 'approved'`.execute(handle.db),
    ).rejects.toThrow();
  });
});
