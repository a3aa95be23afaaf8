import { randomUUID } from "node:crypto";
import {
  type Organization,
  type StandardDocument,
  StandardDocumentSchema,
  type User,
} from "@dn/schema";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { migrateDown, migrateToLatest } from "../migrate.ts";
import { migrations } from "../migrations/index.ts";
import { buildClinic, buildOrganization, buildUser } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import { listStandardAssignments } from "./assignments.repo.ts";
import {
  type CustomStandardLifecycle,
  findCustomStandardVersion,
  insertCustomStandardVersion,
  latestCustomStandardVersion,
  listAllCustomStandardVersions,
  listCustomStandardVersions,
  publishCustomStandardVersion,
  updateCustomStandardDraft,
} from "./custom-standards.repo.ts";

const LIFECYCLE_MIGRATION = "2026-12-02T0500-standard-lifecycle";

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

  async function save(
    organizationId: string,
    standard: StandardDocument,
    lifecycle: CustomStandardLifecycle = "published",
  ) {
    const createdAt = `2026-0${standard.version}-01T00:00:00.000Z`;
    return insertCustomStandardVersion(handle.db, {
      id: randomUUID(),
      organizationId,
      standard,
      createdBy: admin.id,
      createdAt,
      lifecycle,
      publishedAt: lifecycle === "published" ? createdAt : null,
      publishedBy: lifecycle === "published" ? admin.id : null,
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

  test("a draft is rewritten in place until it is published; then it never changes", async () => {
    await save(org.id, policy(1, "Draft title"), "draft");
    expect(await updateCustomStandardDraft(handle.db, org.id, policy(1, "Better title"))).toBe(
      true,
    );
    const by = { publishedBy: admin.id, publishedAt: "2026-02-01T00:00:00.000Z" };
    expect(await publishCustomStandardVersion(handle.db, org.id, "acme-dn-policy", 1, by)).toBe(
      true,
    );
    // Published: neither rewritten nor published a second time.
    expect(await updateCustomStandardDraft(handle.db, org.id, policy(1, "Changed"))).toBe(false);
    expect(await publishCustomStandardVersion(handle.db, org.id, "acme-dn-policy", 1, by)).toBe(
      false,
    );
    expect(await findCustomStandardVersion(handle.db, org.id, "acme-dn-policy", 1)).toMatchObject({
      lifecycle: "published",
      publishedAt: "2026-02-01T00:00:00.000Z",
      publishedBy: admin.id,
      standard: { title: "Better title" },
    });
    // Another organization's draft of the same id is not touched.
    await save(other.id, policy(1, "Theirs"), "draft");
    expect(await updateCustomStandardDraft(handle.db, org.id, policy(1, "Again"))).toBe(false);
    expect(
      (await findCustomStandardVersion(handle.db, other.id, "acme-dn-policy", 1))?.lifecycle,
    ).toBe("draft");
  });

  test("the life-cycle migration publishes existing versions and keeps unassigned policies organization-wide", async () => {
    const names = Object.keys(migrations);
    // Revert to just before the life-cycle migration (and whatever sorts after it).
    for (const name of [...names].sort().reverse()) {
      if (name < LIFECYCLE_MIGRATION) break;
      await migrateDown(handle.db);
    }
    const baltimore = await buildClinic(handle.db, { organizationId: org.id });
    const legacy = async (standardId: string, version: number, kind = "clinic-policy") => {
      const document = { ...policy(version), id: standardId, kind };
      await sql`insert into custom_standards (id, organization_id, standard_id, version, document_json, created_by, created_at)
        values (${randomUUID()}, ${org.id}, ${standardId}, ${version}, ${JSON.stringify(document)}, ${admin.id}, ${`2025-0${version}-01T00:00:00.000Z`})`.execute(
        handle.db,
      );
    };
    const assign = async (standardId: string, scope: string, scopeId: string, effect: string) => {
      await sql`insert into standard_assignments (id, organization_id, scope, scope_id, standard_id, effect, reason, created_by, created_at)
        values (${randomUUID()}, ${org.id}, ${scope}, ${scopeId}, ${standardId}, ${effect}, ${null}, ${admin.id}, ${"2025-06-01T00:00:00.000Z"})`.execute(
        handle.db,
      );
    };
    await legacy("acme-everyone-policy", 1);
    await legacy("acme-everyone-policy", 2);
    await legacy("acme-baltimore-policy", 1);
    await assign("acme-baltimore-policy", "clinic", baltimore.id, "include");
    await legacy("acme-exempting-policy", 1);
    await assign("acme-exempting-policy", "clinic", baltimore.id, "exclude");
    await legacy("acme-adopted-policy", 1);
    await assign("acme-adopted-policy", "organization", org.id, "include");
    await legacy("acme-benchmark", 1, "professional-body");

    await migrateToLatest(handle.db);

    const versions = await listAllCustomStandardVersions(handle.db, org.id);
    expect(versions).toHaveLength(6);
    for (const version of versions) {
      expect(version).toMatchObject({
        lifecycle: "published",
        publishedAt: version.createdAt,
        publishedBy: admin.id,
      });
    }
    const organizationWide = (await listStandardAssignments(handle.db, org.id))
      .filter((a) => a.scope === "organization")
      .map((a) => [a.standardId, a.effect, a.createdAt]);
    expect(organizationWide.sort()).toEqual([
      // Added by the migration, dated from the policy's first version: it applied to everyone.
      ["acme-adopted-policy", "include", "2025-06-01T00:00:00.000Z"],
      ["acme-everyone-policy", "include", "2025-01-01T00:00:00.000Z"],
      ["acme-exempting-policy", "include", "2025-01-01T00:00:00.000Z"],
    ]);
    // The Baltimore-only policy stays assigned to Baltimore alone; a professional-body standard gets nothing.

    // And back: the added assignments go, the columns go, the rows stay.
    for (const name of [...names].sort().reverse()) {
      if (name < LIFECYCLE_MIGRATION) break;
      await migrateDown(handle.db);
    }
    const after = await sql<{
      n: number | string;
    }>`select count(*) as n from standard_assignments`.execute(handle.db);
    expect(Number(after.rows[0]?.n)).toBe(3);
    await migrateToLatest(handle.db);
  });
});
