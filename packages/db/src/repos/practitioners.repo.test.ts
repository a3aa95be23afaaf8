import type { Clinic, Organization, Practitioner } from "@dn/schema";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { DbHandle } from "../create-db.ts";
import {
  buildClinic,
  buildLicense,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  TEST_NOW,
} from "../testing/builders.ts";
import { createTestDb, testDialects } from "../testing/test-db.ts";
import { InvalidCursorError } from "./cursor.ts";
import { listLicensesOfPractitioners } from "./licenses.repo.ts";
import {
  findPractitionerById,
  type ListPractitionersFilter,
  listPractitioners,
  updatePractitioner,
} from "./practitioners.repo.ts";
import { countPendingRecords } from "./training-records.repo.ts";

describe.each(await testDialects())("practitioners repository on %s", (dialect) => {
  let handle: DbHandle;
  let org: Organization;
  let baltimore: Clinic;
  let tampa: Clinic;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    org = await buildOrganization(handle.db);
    baltimore = await buildClinic(handle.db, { organizationId: org.id, jurisdiction: "US-MD" });
    tampa = await buildClinic(handle.db, { organizationId: org.id, jurisdiction: "US-FL" });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  async function names(filter: Omit<ListPractitionersFilter, "organizationId" | "limit">) {
    const page = await listPractitioners(handle.db, {
      organizationId: org.id,
      limit: 50,
      ...filter,
    });
    return page.items.map((item) => item.name);
  }

  test("finds a practitioner by id, or null", async () => {
    const built = await buildPractitioner(handle.db, { clinicId: baltimore.id });
    expect(await findPractitionerById(handle.db, built.id)).toEqual(built);
    expect(await findPractitionerById(handle.db, crypto.randomUUID())).toBeNull();
  });

  test("pages through practitioners by name then id with a cursor, missing none", async () => {
    const built: Practitioner[] = [];
    for (const name of ["Eve", "Alice", "Carol", "Bob", "Dave", "Alice", "Frank"]) {
      built.push(await buildPractitioner(handle.db, { clinicId: baltimore.id, name }));
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listPractitioners(handle.db, { organizationId: org.id, limit: 3, cursor });
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    const expected = [...built]
      .sort((a, b) => (a.name === b.name ? (a.id < b.id ? -1 : 1) : a.name < b.name ? -1 : 1))
      .map((p) => p.id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  test("the last full page has no next cursor", async () => {
    for (const name of ["A", "B"])
      await buildPractitioner(handle.db, { clinicId: baltimore.id, name });
    const page = await listPractitioners(handle.db, { organizationId: org.id, limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).toBeNull();
  });

  test("searches name and email case-insensitively, treating % and _ literally", async () => {
    await buildPractitioner(handle.db, {
      clinicId: baltimore.id,
      name: "Dana Whitfield, PT",
      email: "dw@harbor.example",
    });
    await buildPractitioner(handle.db, {
      clinicId: baltimore.id,
      name: "Marcus Oyelaran",
      email: "marcus@DANA-corp.example",
    });
    await buildPractitioner(handle.db, {
      clinicId: baltimore.id,
      name: "Grace 100% Liu",
      email: null,
    });
    expect(await names({ search: "dAnA" })).toEqual(["Dana Whitfield, PT", "Marcus Oyelaran"]);
    expect(await names({ search: "WHITFIELD" })).toEqual(["Dana Whitfield, PT"]);
    expect(await names({ search: "100%" })).toEqual(["Grace 100% Liu"]);
    expect(await names({ search: "_" })).toEqual([]);
  });

  test("filters by clinic", async () => {
    await buildPractitioner(handle.db, { clinicId: baltimore.id, name: "In Baltimore" });
    await buildPractitioner(handle.db, { clinicId: tampa.id, name: "In Tampa" });
    expect(await names({ clinicId: tampa.id })).toEqual(["In Tampa"]);
  });

  test("filters by jurisdiction: a license held there or a clinic there", async () => {
    await buildPractitioner(handle.db, { clinicId: baltimore.id, name: "MD clinic only" });
    const licensed = await buildPractitioner(handle.db, {
      clinicId: baltimore.id,
      name: "MD clinic, FL license",
    });
    await buildLicense(handle.db, { practitionerId: licensed.id, jurisdiction: "US-FL" });
    await buildLicense(handle.db, { practitionerId: licensed.id, jurisdiction: "US-NY" });
    await buildPractitioner(handle.db, { clinicId: tampa.id, name: "FL clinic" });
    expect(await names({ jurisdiction: "US-FL" })).toEqual(["FL clinic", "MD clinic, FL license"]);
    expect(await names({ jurisdiction: "US-MD" })).toEqual([
      "MD clinic only",
      "MD clinic, FL license",
    ]);
    expect(await names({ jurisdiction: "US-TX" })).toEqual([]);
  });

  test("leaves out archived practitioners unless asked, and other organizations always", async () => {
    await buildPractitioner(handle.db, { clinicId: baltimore.id, name: "Current" });
    const archived = await buildPractitioner(handle.db, {
      clinicId: baltimore.id,
      name: "Archived",
    });
    await updatePractitioner(handle.db, archived.id, { archivedAt: TEST_NOW });
    const other = await buildOrganization(handle.db);
    const otherClinic = await buildClinic(handle.db, { organizationId: other.id });
    await buildPractitioner(handle.db, { clinicId: otherClinic.id, name: "Elsewhere" });
    expect(await names({})).toEqual(["Current"]);
    expect(await names({ includeArchived: true })).toEqual(["Archived", "Current"]);
  });

  test("includes the clinic of each practitioner", async () => {
    await buildPractitioner(handle.db, { clinicId: tampa.id });
    const page = await listPractitioners(handle.db, { organizationId: org.id, limit: 5 });
    expect(page.items[0]?.clinic).toEqual({
      id: tampa.id,
      name: tampa.name,
      jurisdiction: "US-FL",
    });
  });

  test("refuses a tampered cursor", async () => {
    await expect(
      listPractitioners(handle.db, { organizationId: org.id, limit: 5, cursor: "not-a-cursor" }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });

  test("groups licenses and pending counts by practitioner", async () => {
    const user = await buildUser(handle.db, { organizationId: org.id });
    const a = await buildPractitioner(handle.db, { clinicId: baltimore.id });
    const b = await buildPractitioner(handle.db, { clinicId: baltimore.id });
    await buildLicense(handle.db, { practitionerId: a.id, jurisdiction: "US-MD" });
    await buildLicense(handle.db, { practitionerId: a.id, jurisdiction: "US-FL" });
    await buildTrainingRecord(handle.db, { practitionerId: a.id, recordedBy: user.id });
    await buildTrainingRecord(handle.db, { practitionerId: a.id, recordedBy: user.id });
    await buildTrainingRecord(handle.db, {
      practitionerId: a.id,
      recordedBy: user.id,
      status: "verified",
    });
    const licenses = await listLicensesOfPractitioners(handle.db, [a.id, b.id]);
    expect(licenses.get(a.id)?.map((license) => license.jurisdiction)).toEqual(["US-FL", "US-MD"]);
    expect(licenses.get(b.id)).toEqual([]);
    const pending = await countPendingRecords(handle.db, [a.id, b.id]);
    expect(pending.get(a.id)).toBe(2);
    expect(pending.get(b.id)).toBe(0);
    expect(typeof pending.get(a.id)).toBe("number");
  });
});
