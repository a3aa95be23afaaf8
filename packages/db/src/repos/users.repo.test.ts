import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import { buildOrganization, buildUser, TEST_NOW } from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import { insertAuditEvent } from "./audit.repo.ts";
import { findAuditChainHead } from "./audit-checkpoints.repo.ts";
import { findLiveSession, insertSession } from "./users.repo.ts";

describe.each(await testDialects())("findLiveSession on %s", (dialect) => {
  let handle: DbHandle;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  async function signedIn() {
    const organization = await buildOrganization(handle.db);
    const user = await buildUser(handle.db, { organizationId: organization.id });
    const tokenHash = randomUUID();
    await insertSession(handle.db, {
      id: randomUUID(),
      userId: user.id,
      membershipId: user.membershipId,
      tokenHash,
      createdAt: TEST_NOW,
      expiresAt: "2026-12-27T09:00:00.000Z",
      lastSeenAt: null,
      userAgent: null,
      clientAddress: null,
      method: "password",
    });
    return { organization, user, tokenHash };
  }

  const audit = (organizationId: string) =>
    insertAuditEvent(handle.db, {
      id: randomUUID(),
      organizationId,
      actorId: null,
      at: TEST_NOW,
      action: "update",
      entityType: "practitioner",
      entityId: randomUUID(),
      before: null,
      after: { n: 1 },
    });

  test("carries the hash of its organization's newest audit row, read in the same query", async () => {
    const { organization, user, tokenHash } = await signedIn();
    const other = await buildOrganization(handle.db);
    const before = await findLiveSession(handle.db, tokenHash, TEST_NOW);
    expect(before?.user.id).toBe(user.id);
    expect(before?.auditHead).toBeNull();

    await audit(organization.id);
    await audit(organization.id);
    const head = await findAuditChainHead(handle.db, organization.id);
    expect(head?.seq).toBe(2);
    expect((await findLiveSession(handle.db, tokenHash, TEST_NOW))?.auditHead).toBe(head?.hash);

    // Another organization's rows move its own chain, not this one's.
    await audit(other.id);
    expect((await findLiveSession(handle.db, tokenHash, TEST_NOW))?.auditHead).toBe(head?.hash);
  });

  test("finds nothing for an expired session", async () => {
    const { tokenHash } = await signedIn();
    expect(await findLiveSession(handle.db, tokenHash, "2026-12-27T09:00:00.000Z")).toBeNull();
  });
});
