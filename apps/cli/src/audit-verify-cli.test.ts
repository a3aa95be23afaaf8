import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import { createDb, type DbHandle, insertAuditEvent, migrateToLatest } from "@dn/db";
import { buildOrganization, buildUser, createTestDb, TEST_NOW, testDialects } from "@dn/db/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "./cli.ts";

describe.each(await testDialects())("dn audit verify and checkpoint on %s", (dialect) => {
  let dir: string;
  let open: () => DbHandle;
  let handle: DbHandle;
  let organizationId: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "dn-cli-audit-"));
    if (dialect === "sqlite") {
      const path = join(dir, "dn.sqlite");
      open = () => createDb({ sqlitePath: path });
      handle = open();
      await migrateToLatest(handle.db);
    } else {
      handle = await createTestDb({ dialect });
      const url = (handle as { url?: string }).url ?? "";
      open = () => createDb({ databaseUrl: url });
    }
    const organization = await buildOrganization(handle.db, { name: "Harbor" });
    organizationId = organization.id;
    await buildUser(handle.db, {
      organizationId: organization.id,
      role: "admin",
      email: "admin@example.test",
    });
    await buildUser(handle.db, {
      organizationId: organization.id,
      role: "practitioner",
      email: "pat@example.test",
    });
  });
  afterEach(async () => {
    await handle.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  async function writeAudit(count: number) {
    for (let n = 1; n <= count; n++) {
      await insertAuditEvent(handle.db, {
        id: randomUUID(),
        organizationId,
        actorId: null,
        at: TEST_NOW,
        action: "clinic.create",
        entityType: "clinic",
        entityId: `clinic-${n}`,
        before: null,
        after: { name: `Clinic ${n}` },
      });
    }
  }

  async function dn(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runCli(argv, {
      stdout: (text) => {
        stdout += text;
      },
      stderr: (text) => {
        stderr += text;
      },
      cwd: dir,
      now: fixedClock(TEST_NOW),
      openDb: open,
    });
    return { code, stdout, stderr };
  }

  it("reports an intact trail, then names the first changed row and exits 1", async () => {
    await writeAudit(3);
    const intact = await dn("audit", "verify", "--as", "admin@example.test");
    expect(intact.stderr).toBe("");
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain("audit trail intact: 3 rows");

    await handle.db
      .updateTable("auditEvents")
      .set({ afterJson: '{"name":"Elsewhere"}' })
      .where("seq", "=", 2)
      .execute();
    const broken = await dn("audit", "verify");
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/audit trail broken at seq 2 \(hash-mismatch\).*changed/);
  });

  it("reports a deleted row as a gap", async () => {
    await writeAudit(3);
    await handle.db.deleteFrom("auditEvents").where("seq", "=", 1).execute();
    const broken = await dn("audit", "verify");
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain("audit trail broken at seq 1 (seq-gap)");
  });

  it("refuses a user who may not read the audit trail", async () => {
    const refused = await dn("audit", "verify", "--as", "pat@example.test");
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).not.toContain("intact");
  });

  it("signs the head; verify then catches the newest rows deleted, which the chain alone cannot", async () => {
    const empty = await dn("audit", "checkpoint");
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("nothing to checkpoint");
    await writeAudit(3);
    const made = await dn("audit", "checkpoint", "--as", "admin@example.test");
    expect(made.stderr).toBe("");
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/^checkpoint: seq 3, hash [0-9a-f]{64}, signed /);
    const intact = await dn("audit", "verify");
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain("audit trail intact: 3 rows, 1 signed checkpoint match");

    await handle.db.deleteFrom("auditEvents").where("seq", "=", 3).execute();
    const truncated = await dn("audit", "verify");
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toContain(
      "audit trail broken at seq 3 (checkpoint-truncated): checkpoint at seq 3",
    );
  });

  it("refuses a user who may not read the audit trail, and signs nothing", async () => {
    await writeAudit(1);
    const refused = await dn("audit", "checkpoint", "--as", "pat@example.test");
    expect(refused.code).not.toBe(0);
    expect(await handle.db.selectFrom("auditCheckpoints").selectAll().execute()).toEqual([]);
  });
});
