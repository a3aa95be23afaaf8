import pg from "pg";
import { describe, expect, test } from "vitest";
import { listClinics } from "../repos/organizations.repo.ts";
import { buildClinic, buildOrganization } from "./builders.ts";
import { loadTestEnv } from "./env.ts";
import { createTestDb, testDialects } from "./test-db.ts";

const dialects = await testDialects();

async function schemaExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: loadTestEnv().PG_TEST_URL });
  await client.connect();
  try {
    const result = await client.query(
      "select 1 from information_schema.schemata where schema_name = $1",
      [name],
    );
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe("loadTestEnv", () => {
  test("defaults to the local test database and treats CI=false as not CI", () => {
    expect(loadTestEnv({ CI: "false" })).toEqual({
      PG_TEST_URL: "postgres://postgres@127.0.0.1:5432/test",
      CI: false,
      DN_TEST_DIALECTS: null,
    });
    expect(loadTestEnv({ CI: "true", DN_TEST_DIALECTS: "sqlite" })).toMatchObject({
      CI: true,
      DN_TEST_DIALECTS: ["sqlite"],
    });
  });

  test("refuses an unknown dialect, naming the variable", () => {
    expect(() => loadTestEnv({ DN_TEST_DIALECTS: "sqlite,oracle" })).toThrow(/DN_TEST_DIALECTS/);
  });
});

describe("testDialects", () => {
  test("always includes SQLite", () => {
    expect(dialects).toContain("sqlite");
  });
});

describe.runIf(dialects.includes("postgres"))("createTestDb on PostgreSQL", () => {
  test("gives each test database its own schema and drops it on destroy", async () => {
    const first = await createTestDb({ dialect: "postgres" });
    const second = await createTestDb({ dialect: "postgres" });
    try {
      const org = await buildOrganization(first.db);
      await buildClinic(first.db, { organizationId: org.id });
      expect(await listClinics(first.db, org.id)).toHaveLength(1);
      expect(await listClinics(second.db, org.id)).toHaveLength(0);
    } finally {
      await second.destroy();
    }
    let schema = "";
    try {
      const row = await first.db
        .selectNoFrom((eb) => eb.fn<string>("current_schema", []).as("schema"))
        .executeTakeFirstOrThrow();
      schema = row.schema;
      expect(schema).toMatch(/^dn_test_/);
      expect(await schemaExists(schema)).toBe(true);
    } finally {
      await first.destroy();
    }
    expect(await schemaExists(schema)).toBe(false);
  });
});
