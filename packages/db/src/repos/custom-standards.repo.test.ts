import { randomUUID } from "node:crypto";
import {
  type Organization,
  type StandardDocument,
  StandardDocumentSchema,
  type User,
} from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { buildOrganization, buildUser } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import {
  insertCustomStandardVersion,
  latestCustomStandardVersion,
  listAllCustomStandardVersions,
  listCustomStandardVersions,
} from "./custom-standards.repo.ts";

function policy(version: number, title = "Clinic DN policy"): StandardDocument {
  return StandardDocumentSchema.parse({
    id: "acme-dn-policy",
    version,
    title,
    kind: "clinic-policy",
    authority: "Acme PT",
    status: "permitted",
    effectiveFrom: "2026-01-01",
    citations: [{ text: "Acme PT policy manual § 4" }],
    confidence: "C1",
    lastVerified: "2026-01-01",
    requirements: [
      {
        id: "cpr",
        title: "CPR current",
        citation: { text: "Acme PT policy manual § 4.1" },
        kind: "credential-current",
        credential: "cpr",
      },
    ],
  });
}

describe.each(await testDialects())("custom standards repository on %s", (dialect) => {
  let handle: DbHandle;
  let org: Organization;
  let other: Organization;
  let admin: User;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    org = await buildOrganization(handle.db);
    other = await buildOrganization(handle.db);
    admin = await buildUser(handle.db, { organizationId: org.id, role: "admin" });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  async function save(organizationId: string, standard: StandardDocument) {
    return insertCustomStandardVersion(handle.db, {
      id: randomUUID(),
      organizationId,
      standard,
      createdBy: admin.id,
      createdAt: `2026-0${standard.version}-01T00:00:00.000Z`,
    });
  }

  test("keeps every version, oldest first, with the document as written", async () => {
    await save(org.id, policy(2, "Second"));
    await save(org.id, policy(1, "First"));
    const versions = await listCustomStandardVersions(handle.db, org.id, "acme-dn-policy");
    expect(versions.map((v) => [v.standard.version, v.standard.title])).toEqual([
      [1, "First"],
      [2, "Second"],
    ]);
    expect(versions[0]?.standard).toEqual(policy(1, "First"));
    expect(await latestCustomStandardVersion(handle.db, org.id, "acme-dn-policy")).toBe(2);
  });

  test("refuses a second row for the same version instead of overwriting it", async () => {
    await save(org.id, policy(1, "First"));
    await expect(save(org.id, policy(1, "Overwrite"))).rejects.toThrow();
    const versions = await listCustomStandardVersions(handle.db, org.id, "acme-dn-policy");
    expect(versions.map((v) => v.standard.title)).toEqual(["First"]);
  });

  test("keeps organizations apart", async () => {
    await save(org.id, policy(1));
    expect(await listAllCustomStandardVersions(handle.db, other.id)).toEqual([]);
    expect(await latestCustomStandardVersion(handle.db, other.id, "acme-dn-policy")).toBe(0);
    await save(other.id, policy(1));
    expect(await listAllCustomStandardVersions(handle.db, org.id)).toHaveLength(1);
  });
});
