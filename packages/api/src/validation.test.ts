import type { DbHandle } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import { getTRPCErrorShape } from "@trpc/server";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { appRouter } from "./root.ts";
import {
  buildOrgWorld,
  callerFor,
  countRows,
  expectTrpcError,
  fieldsNamed,
  type OrgWorld,
} from "./test-support.ts";

/** Ten days after TEST_NOW, the instant the callers' clocks are stopped at. */
const FUTURE = "2026-12-07";

describe.each(await testDialects())("bad input on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const course = () => ({
    practitionerId: world.self.id,
    kind: "dn-course" as const,
    title: "Dry Needling Level 1",
    completedOn: "2026-03-01",
    hours: { theory: 12, practical: 15, online: 0 },
  });

  const cases: [string, () => Record<string, unknown>, string][] = [
    ["a wrong type", () => ({ ...course(), title: 42 }), "title"],
    ["a missing field", () => ({ ...course(), title: undefined }), "title"],
    [
      "negative hours",
      () => ({ ...course(), hours: { theory: -3, practical: 15, online: 0 } }),
      "hours.theory",
    ],
    [
      "a completion date in the future",
      () => ({ ...course(), completedOn: FUTURE }),
      "completedOn",
    ],
    ["an impossible date", () => ({ ...course(), completedOn: "2026-02-30" }), "completedOn"],
    [
      "an unknown jurisdiction code",
      () => ({ ...course(), kind: "board-notification", jurisdiction: "US-XX" }),
      "jurisdiction",
    ],
    ["an oversized string", () => ({ ...course(), title: "x".repeat(201) }), "title"],
    [
      "a course with no hours",
      () => ({ ...course(), hours: { theory: 0, practical: 0, online: 0 } }),
      "hours",
    ],
    [
      "an exam without a result",
      () => ({ ...course(), kind: "exam", examType: "written" }),
      "passed",
    ],
    [
      "a practitioner id that is not a UUID",
      () => ({ ...course(), practitionerId: "nope" }),
      "practitionerId",
    ],
  ];

  test.each(cases)(
    "creating a record with %s is refused, naming %s, and writes nothing",
    async (_, input, field) => {
      const before = await countRows(handle);
      const error = await expectTrpcError(
        world.as.manager.records.create(input() as never),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(error)).toContain(field);
      expect(await countRows(handle)).toEqual(before);
    },
  );

  test("a completion date one day ahead (a time zone east of UTC) is accepted, two days ahead is not", async () => {
    const tomorrow = await world.as.manager.records.create({
      ...course(),
      completedOn: "2026-11-28",
    });
    expect(tomorrow.completedOn).toBe("2026-11-28");
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.manager.records.correct({ ...course(), id: tomorrow.id, completedOn: "2026-11-29" }),
      "BAD_REQUEST",
    );
    expect(error.message).toBe("completedOn: must not be in the future");
    expect(await countRows(handle)).toEqual(before);
  });

  test("a 100 KB title is refused on the field with its limit, never stored cut short", async () => {
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.manager.records.create({ ...course(), title: "x".repeat(100 * 1024) }),
      "BAD_REQUEST",
    );
    const issues = (error.cause as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
    expect(issues?.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["title", "must be at most 200 characters"],
    ]);
    expect(await countRows(handle)).toEqual(before);
  });

  test("a NUL character in any string is a field error, never a database error, and writes nothing", async () => {
    const before = await countRows(handle);
    const inTitle = await expectTrpcError(
      world.as.manager.records.create({ ...course(), title: "Dry\u0000Needling" }),
      "BAD_REQUEST",
    );
    expect(inTitle.message).toBe("title: must not contain a NUL character (\\u0000)");
    const nested = await expectTrpcError(
      world.as.manager.records.create({ ...course(), topics: ["anatomy", "x\u0000"] } as never),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(nested)).toEqual(["topics.1"]);
    const anonymous = await expectTrpcError(
      callerFor(handle.db, null).auth.login({ email: "a@b.test", password: "p\u0000" }),
      "BAD_REQUEST",
    );
    expect(fieldsNamed(anonymous)).toEqual(["password"]);
    expect(await countRows(handle)).toEqual(before);
  });

  test("the error shape carries field errors with dotted paths and a message naming them", async () => {
    const error = await expectTrpcError(
      world.as.manager.records.create({
        ...course(),
        hours: { theory: -1, practical: 5, online: 0 },
      }),
      "BAD_REQUEST",
    );
    const shape = getTRPCErrorShape({
      config: appRouter._def._config,
      error,
      type: "mutation",
      path: "records.create",
      input: undefined,
      ctx: undefined,
    });
    expect(shape.data.zodError?.fieldErrors).toEqual({ "hours.theory": ["must not be negative"] });
    expect(shape.message).toBe("Invalid input: hours.theory: must not be negative");
  });

  test("a domain refusal names its field in the error shape", async () => {
    const error = await expectTrpcError(
      world.as.manager.practitioners.create({
        clinicId: crypto.randomUUID(),
        name: "New Person",
        profession: "PT",
      }),
      "NOT_FOUND",
    );
    const shape = getTRPCErrorShape({
      config: appRouter._def._config,
      error,
      type: "mutation",
      path: "practitioners.create",
      input: undefined,
      ctx: undefined,
    });
    expect(shape.message).toBe("clinicId: no clinic with this id");
    expect(shape.data.field).toBe("clinicId");
    expect(shape.data.zodError?.fieldErrors).toEqual({ clinicId: ["no clinic with this id"] });
  });

  test("other procedures refuse bad input by field and write nothing", async () => {
    const manager = world.as.manager;
    const before = await countRows(handle);
    const checks: [Promise<unknown>, string][] = [
      [
        manager.practitioners.create({ clinicId: world.clinic.id, name: "", profession: "PT" }),
        "name",
      ],
      [
        manager.practitioners.create({
          clinicId: world.clinic.id,
          name: "A",
          profession: "MD" as never,
        }),
        "profession",
      ],
      [manager.practitioners.update({ id: world.self.id, email: "not-an-email" }), "email"],
      [
        manager.licenses.create({
          practitionerId: world.self.id,
          jurisdiction: "XX" as never,
          number: "PT1",
          issuedOn: "2020-01-01",
          status: "active",
        }),
        "jurisdiction",
      ],
      [
        manager.licenses.create({
          practitionerId: world.self.id,
          jurisdiction: "US-FL",
          number: "PT1",
          issuedOn: "2020-01-01",
          expiresOn: "2019-01-01",
          status: "active",
        }),
        "expiresOn",
      ],
      [manager.records.review({ id: world.selfRecord.id, decision: "reject" }), "reason"],
      [manager.practitioners.list({ limit: 0 }), "limit"],
      [manager.practitioners.list({ search: "x".repeat(201) }), "search"],
    ];
    for (const [call, field] of checks) {
      const error = await expectTrpcError(call, "BAD_REQUEST");
      expect(fieldsNamed(error)).toContain(field);
    }
    expect(await countRows(handle)).toEqual(before);
  });

  test("a license whose update would end before it began is refused on expiresOn", async () => {
    const before = await countRows(handle);
    const error = await expectTrpcError(
      world.as.manager.licenses.update({ id: world.selfLicense.id, expiresOn: "2000-01-01" }),
      "BAD_REQUEST",
    );
    expect(error.message).toMatch(/^expiresOn: must not be before the issue date/);
    expect(await countRows(handle)).toEqual(before);
  });

  test("a tampered cursor is refused on cursor", async () => {
    const error = await expectTrpcError(
      world.as.manager.practitioners.list({ cursor: "garbage" }),
      "BAD_REQUEST",
    );
    expect(error.message).toMatch(/^cursor: /);
  });
});
