/**
 * Malformed input, property-based (fast-check), over real HTTP, against every procedure of the
 * router on each dialect: wrong types, huge strings, NUL bytes, deep nesting, extra and
 * prototype keys, negative numbers, impossible dates, broken JSON. No call may get a 5xx, the
 * server keeps answering, and refused mutations change no row (every table counted before and
 * after each group of concurrent mutations that was refused whole).
 *
 * One server per dialect; callers of every standing (and anonymous) take turns, each with a session
 * made again whenever a call may have ended it (a malformed call to a procedure without input,
 * like `auth.logout`, still runs).
 */

import type { DbHandle } from "@dn/db";
import { createTestDb, testDialects } from "@dn/db/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  buildMatrixWorld,
  callRaw,
  type MatrixWorld,
  PRINCIPALS,
  type ProcedureType,
  routerProcedures,
  sessionFor,
  snapshotRows,
} from "./procedure-matrix.ts";
import { serveTrpc, type TrpcTestServer } from "./test-support.ts";

/** Inputs per dialect: two dialects make 10,000 a run. */
const INPUTS_PER_DIALECT = 5_000;
const BATCH = 25;
const CONCURRENCY = 5;

/** Field names the procedures read, so malformed values reach the field validators. */
const FIELDS = [
  "id",
  "ids",
  "practitionerId",
  "clinicId",
  "clinicIds",
  "recordId",
  "recordIds",
  "organizationId",
  "standardId",
  "email",
  "password",
  "currentPassword",
  "newPassword",
  "name",
  "title",
  "kind",
  "role",
  "status",
  "decision",
  "scope",
  "scopeId",
  "completedOn",
  "issuedOn",
  "expiresOn",
  "asOf",
  "knownAt",
  "dueOn",
  "limit",
  "cursor",
  "version",
  "hours",
  "topics",
  "document",
  "dossier",
  "content",
  "fileName",
  "token",
  "challenge",
  "code",
  "slug",
  "articleSlug",
  "body",
  "url",
  "markdown",
  "blocks",
  "order",
  "label",
  "expiresInDays",
  "jurisdiction",
  "records",
  "licenses",
] as const;

const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "hasOwnProperty"];

const badDate = fc.constantFrom(
  "2026-02-30",
  "2026-13-01",
  "0000-00-00",
  "9999-99-99",
  "-000001-01-01",
  "+275760-09-13",
  "2026-11-27T25:61:00Z",
  "yesterday",
  "1e309",
  "",
);
const hugeString = fc
  .integer({ min: 10_000, max: 300_000 })
  .chain((n) => fc.constantFrom("x", "é", "\u0000", "💉", "<script>").map((c) => c.repeat(n)));
const nulString = fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`);
const weirdNumber = fc.oneof(
  fc.integer({ min: -2_147_483_648, max: -1 }),
  fc.constantFrom(-0, 1e308, -1e308, 2 ** 53 + 1, 0.5, -0.000001),
  fc.double({ noNaN: true }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  nulString,
  badDate,
  weirdNumber,
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.constantFrom("' OR 1=1 --", "../../etc/passwd", "javascript:alert(1)", "%00", "\\u0000"),
);

/** A value nested `depth` levels deep, in arrays or objects. */
const deep = fc.tuple(fc.integer({ min: 20, max: 3_000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = "bottom";
  for (let i = 0; i < depth; i += 1) value = arrays ? [value] : { id: value };
  return value;
});

const prototypePolluter = fc
  .tuple(fc.constantFrom(...PROTOTYPE_KEYS), fc.constantFrom(...FIELDS), scalar)
  .map(([key, field, value]) => {
    // JSON.parse makes `__proto__` an own key, as a hostile client would send it.
    return JSON.parse(`{"${key}":{"${field}":${JSON.stringify(value)},"polluted":true}}`);
  });

/** An object with the procedures' field names, holding values of the wrong kind, plus extras. */
const wrongFields = fc
  .dictionary(
    fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 })),
    fc.oneof(scalar, fc.array(scalar, { maxLength: 5 }), fc.dictionary(fc.string(), scalar)),
    { maxKeys: 8 },
  )
  .map((fields) => ({ ...fields, extraKey: "unexpected" }));

/** A malformed body: the JSON text a call carries, or raw bytes that are no JSON at all. */
const malformedBody: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 5, arbitrary: wrongFields.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: scalar.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 10 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: hugeString.map((s) => JSON.stringify({ id: s, name: s })) },
  { weight: 1, arbitrary: deep.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: prototypePolluter.map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "{",
      "{'id': 1}",
      '{"id":',
      "[".repeat(5_000),
      "NaN",
      "undefined",
      "\u0000",
      '{"id":"\\ud800"}',
      '{"a":1,"a":2}',
      "",
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

interface Sent {
  path: string;
  type: ProcedureType;
  principal: (typeof PRINCIPALS)[number];
  body: string | undefined;
}

describe.each(await testDialects())("malformed input on %s", (dialect) => {
  let handle: DbHandle;
  let server: TrpcTestServer;
  let w: MatrixWorld;
  beforeAll(async () => {
    handle = await createTestDb({ dialect });
    w = await buildMatrixWorld(handle);
    server = await serveTrpc(handle.db);
  });
  afterAll(async () => {
    await server?.close();
    await handle?.destroy();
  });

  test(`${INPUTS_PER_DIALECT} malformed calls: no 5xx, still answering, no row changed by a refusal`, async () => {
    const procedures = routerProcedures();
    const sentCall = fc.record({
      procedure: fc.constantFrom(...procedures),
      principal: fc.constantFrom(...PRINCIPALS),
      body: malformedBody,
    });
    const calls: Sent[] = fc
      .sample(sentCall, { numRuns: INPUTS_PER_DIALECT, seed: fuzzSeed() })
      .map(({ procedure, principal, body }) => ({ ...procedure, principal, body }));

    const serverErrors: string[] = [];
    const changedByRefusals: string[] = [];
    let accepted = 0;
    let closed = 0;
    let checkedRefusals = 0;
    // One session per principal, made again after a call that may have ended it: signing in
    // for every call would be a database write each.
    const tokens = new Map<string, string>();
    const send = async (call: Sent) => {
      const user = w.userOf(call.principal);
      let token: string | null = null;
      if (user) {
        token = tokens.get(call.principal) ?? (await sessionFor(handle, user)).token;
        tokens.set(call.principal, token);
      }
      const reply = await callRaw(server.base, call.path, call.type, call.body, token);
      // A call that may have ended the session (logging out, with any input) gets a new one next.
      if (reply.code === "UNAUTHORIZED" || reply.status < 400) tokens.delete(call.principal);
      if (reply.status >= 500) {
        serverErrors.push(
          `${call.path} as ${call.principal}: ${reply.status} ${reply.text.slice(0, 300)} <- ${String(call.body).slice(0, 200)}`,
        );
      }
      if (reply.status === 0) {
        // Only a request too large for Node's parser (a URL over its header limit) may be cut
        // off; anything else hanging up is a crash of the request.
        const urlLength = call.type === "query" ? encodeURIComponent(call.body ?? "").length : 0;
        closed += 1;
        if (urlLength < 16 * 1024) {
          serverErrors.push(`${call.path} as ${call.principal}: connection closed (${reply.text})`);
        }
      } else if (reply.status < 400) {
        accepted += 1;
      }
      return reply;
    };
    for (let start = 0; start < calls.length; start += BATCH) {
      const batch = calls.slice(start, start + BATCH);
      // Queries a few at a time; mutations one by one, each refusal checked against the rows.
      const queries = batch.filter((call) => call.type === "query");
      for (let i = 0; i < queries.length; i += CONCURRENCY) {
        await Promise.all(queries.slice(i, i + CONCURRENCY).map(send));
      }
      // Mutations a few at a time, the rows counted around each group: a group that was refused
      // whole must have changed nothing.
      const mutations = batch.filter((call) => call.type === "mutation");
      for (let i = 0; i < mutations.length; i += CONCURRENCY) {
        const group = mutations.slice(i, i + CONCURRENCY);
        const before = await snapshotRows(handle);
        const replies = await Promise.all(group.map(send));
        if (replies.every((reply) => reply.status >= 400)) {
          checkedRefusals += group.length;
          const after = await snapshotRows(handle);
          if (JSON.stringify(after) !== JSON.stringify(before)) {
            changedByRefusals.push(
              `${group.map((c) => `${c.path} as ${c.principal}`).join(", ")}: ${JSON.stringify(diff(before, after))}`,
            );
          }
        }
      }
    }
    const health = await callRaw(server.base, "setup.status", "query", undefined, null);
    process.stdout.write(
      `fuzz on ${dialect}: ${calls.length} malformed inputs over ${procedures.length} procedures, ${serverErrors.length} 5xx, ${accepted} accepted (procedures without input, or keys stripped), ${closed} cut off as too long a URL, ${checkedRefusals} refused mutations checked for changed rows, ${changedByRefusals.length} refused batches that changed rows\n`,
    );
    expect(serverErrors.slice(0, 20)).toEqual([]);
    expect(changedByRefusals.slice(0, 20)).toEqual([]);
    expect(health.status).toBe(200);
  }, 420_000);
});

/** Set to a printed seed to replay a failing run. */
const REPLAY_SEED: number | null = null;

/** A new seed each run (printed), unless one is being replayed. */
function fuzzSeed(): number {
  const seed = REPLAY_SEED ?? Math.floor(Math.random() * 2 ** 31);
  process.stdout.write(`fuzz seed ${seed} (replay: set REPLAY_SEED = ${seed} in fuzz.test.ts)\n`);
  return seed;
}

function diff(before: Record<string, number>, after: Record<string, number>) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((table) => after[table] !== before[table])
      .map((table) => [table, `${before[table]} -> ${after[table]}`]),
  );
}
