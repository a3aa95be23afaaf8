import { sql } from "kysely";
import pg from "pg";
import { describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { listClinics } from "../repos/organizations.repo.ts";
import { buildClinic, buildOrganization } from "./builders.ts";
import { loadTestEnv } from "./env.ts";
import { builtInTheFuture, createTestDb, testDialects } from "./test-db.ts";

const dialects = await testDialects();

async function withAdmin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: loadTestEnv().PG_TEST_URL });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (client) => {
    const result = await client.query("select 1 from pg_database where datname = $1", [name]);
    return result.rowCount === 1;
  });
}

async function currentDatabase(handle: DbHandle): Promise<string> {
  const row = await handle.db
    .selectNoFrom((eb) => eb.fn<string>("current_database", []).as("name"))
    .executeTakeFirstOrThrow();
  return row.name;
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
  test("includes SQLite unless DN_TEST_DIALECTS leaves it out", () => {
    const wanted = loadTestEnv().DN_TEST_DIALECTS ?? ["sqlite", "postgres"];
    expect(dialects.includes("sqlite")).toBe(wanted.includes("sqlite"));
  });
});

describe.each(dialects)("createTestDb on %s", (dialect) => {
  test("each test database is its own migrated copy: what one writes the other never sees", async () => {
    const first = await createTestDb({ dialect });
    const second = await createTestDb({ dialect });
    try {
      const org = await buildOrganization(first.db);
      await buildClinic(first.db, { organizationId: org.id });
      expect(await listClinics(first.db, org.id)).toHaveLength(1);
      expect(await listClinics(second.db, org.id)).toHaveLength(0);
      const third = await createTestDb({ dialect });
      expect(await listClinics(third.db, org.id)).toHaveLength(0);
      await third.destroy();
    } finally {
      await first.destroy();
      await second.destroy();
    }
  });

  test("a file-backed SQLite copy or a PostgreSQL copy accepts writes after the template is reused", async () => {
    const handle = await createTestDb({ dialect, file: true });
    try {
      const org = await buildOrganization(handle.db, { name: "Copied" });
      const clinic = await buildClinic(handle.db, { organizationId: org.id });
      expect((await listClinics(handle.db, org.id)).map((c) => c.id)).toEqual([clinic.id]);
    } finally {
      await handle.destroy();
    }
  });
});

describe.runIf(dialects.includes("postgres"))("createTestDb on PostgreSQL", () => {
  test("copies a template named after the migrations, and drops the copy on destroy", async () => {
    const handle = await createTestDb({ dialect: "postgres" });
    const name = await currentDatabase(handle);
    expect(name).toMatch(/^dn_t_[0-9a-f]{16}$/);
    expect(await databaseExists(name)).toBe(true);
    const templates = await withAdmin(async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "select datname from pg_database where datname like 'dn_tpl_%' and datname not like '%_building_%'",
      );
      return rows.map((row) => row.datname);
    });
    expect(templates.some((t) => /^dn_tpl_[0-9a-f]{16}$/.test(t))).toBe(true);
    await handle.destroy();
    expect(await databaseExists(name)).toBe(false);
  });

  test("a database whose migrations were recorded ahead of the server's clock is told apart (such a template is rebuilt)", async () => {
    const handle = await createTestDb({ dialect: "postgres" });
    const name = await currentDatabase(handle);
    const url = loadTestEnv().PG_TEST_URL;
    expect(await builtInTheFuture(url, name)).toBe(false);
    // What a run under faketime +400d leaves behind: migrations recorded a year ahead.
    await sql`update kysely_migration set timestamp = '2099-01-01T00:00:00.000Z'
      where name = (select max(name) from kysely_migration)`.execute(handle.db);
    expect(await builtInTheFuture(url, name)).toBe(true);
    await handle.destroy();
  });

  test("a connection a test left open does not keep its database from being dropped", async () => {
    const handle = await createTestDb({ dialect: "postgres" });
    const name = await currentDatabase(handle);
    const url = new URL(loadTestEnv().PG_TEST_URL);
    url.pathname = `/${name}`;
    const straggler = new pg.Client({ connectionString: url.toString() });
    straggler.on("error", () => {});
    await straggler.connect();
    await handle.destroy();
    expect(await databaseExists(name)).toBe(false);
    await straggler.end().catch(() => {});
  });
});
