import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { buildOrganization } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import { preparedQuery } from "./prepared.ts";

const organizationsNamed = preparedQuery((db, slot: (name: "name") => never) =>
  db
    .selectFrom("organizations")
    .select(["id", "name", "mfaRequired"])
    .where("name", "=", slot("name"))
    .where("mfaRequired", "=", 0)
    .orderBy("id")
    .limit(5),
);

describe.each(await testDialects())("prepared queries on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  test("one compiled query answers each call with that call's values; constants stay", async () => {
    const harbor = await buildOrganization(handle.db, { name: "Harbor" });
    const ridge = await buildOrganization(handle.db, { name: "Ridge" });
    await buildOrganization(handle.db, { name: "Ridge", mfaRequired: true });

    // camelCase mapping still applies to the rows.
    expect(await organizationsNamed(handle.db, { name: "Harbor" })).toEqual([
      { id: harbor.id, name: "Harbor", mfaRequired: 0 },
    ]);
    expect(await organizationsNamed(handle.db, { name: "Ridge" })).toEqual([
      { id: ridge.id, name: "Ridge", mfaRequired: 0 },
    ]);
    expect(await organizationsNamed(handle.db, { name: "Nowhere" })).toEqual([]);
  });

  test("inside a transaction it reads the transaction's own writes", async () => {
    await handle.db.transaction().execute(async (trx) => {
      const made = await buildOrganization(trx, { name: "Inside" });
      expect(await organizationsNamed(trx, { name: "Inside" })).toEqual([
        { id: made.id, name: "Inside", mfaRequired: 0 },
      ]);
    });
  });
});
