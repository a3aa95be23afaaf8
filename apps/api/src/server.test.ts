import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import type { AppRouter } from "@dn/api";
import { fixedClock } from "@dn/clock";
import type { DbHandle } from "@dn/db";
import {
  buildClinic,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  createTestDb,
  TEST_NOW,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import type { Practitioner, TrainingRecord, User } from "@dn/schema";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { loadApiEnv } from "./env.ts";
import { createServer } from "./server.ts";

function client(baseUrl: string, token: string | null = null) {
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${baseUrl}/trpc`,
        headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
      }),
    ],
  });
}

async function expectClientError(promise: Promise<unknown>, code: string, httpStatus: number) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const data = (error as TRPCClientError<AppRouter>).data;
  expect(data?.code).toBe(code);
  expect(data?.httpStatus).toBe(httpStatus);
  return error as TRPCClientError<AppRouter>;
}

describe("loadApiEnv", () => {
  test("defaults to 127.0.0.1:3001 at info level", () => {
    expect(loadApiEnv({})).toEqual({
      DN_API_PORT: 3001,
      DN_API_HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      DN_MAIL_FROM: "dn <no-reply@dn.local>",
      DN_APP_URL: "http://localhost:3000",
      DN_RUN_WORKERS: true,
      DN_JOB_LEASE_SECONDS: 60,
      DN_JOB_POLL_MS: 1000,
      NODE_ENV: "development",
    });
  });

  test("workers can be turned off per process; a lease below 3 s is refused by name", () => {
    expect(loadApiEnv({ DN_RUN_WORKERS: "false" }).DN_RUN_WORKERS).toBe(false);
    expect(() => loadApiEnv({ DN_RUN_WORKERS: "no" })).toThrow(
      /DN_RUN_WORKERS must be true or false/,
    );
    expect(() => loadApiEnv({ DN_JOB_LEASE_SECONDS: "1" })).toThrow(
      /DN_JOB_LEASE_SECONDS must be at least 3/,
    );
  });

  test("links in emails point at DN_APP_URL, without a trailing slash; only http(s)", () => {
    expect(loadApiEnv({ DN_APP_URL: "https://dn.example.org/" }).DN_APP_URL).toBe(
      "https://dn.example.org",
    );
    expect(() => loadApiEnv({ DN_APP_URL: "javascript:alert(1)" })).toThrow(/DN_APP_URL/);
  });

  test("refuses a bad port, naming the variable", () => {
    expect(() => loadApiEnv({ DN_API_PORT: "http" })).toThrow(/DN_API_PORT must be a port number/);
    expect(() => loadApiEnv({ DN_API_PORT: "70000" })).toThrow(
      /DN_API_PORT must be between 0 and 65535/,
    );
  });
});

describe.each(await testDialects())("the API server over HTTP on %s", (dialect) => {
  let handle: DbHandle;
  let server: ReturnType<typeof createServer>;
  let baseUrl: string;
  let logLines: Record<string, unknown>[];
  let users: { manager: User; pt: User; otherManager: User };
  let dana: Practitioner;
  let colleague: Practitioner;
  let colleagueRecord: TrainingRecord;

  beforeEach(async () => {
    handle = await createTestDb({ dialect, file: true });
    const org = await buildOrganization(handle.db, { name: "Harbor Physical Therapy Group" });
    const clinic = await buildClinic(handle.db, { organizationId: org.id, jurisdiction: "US-MD" });
    dana = await buildPractitioner(handle.db, { clinicId: clinic.id, name: "Dana Whitfield, PT" });
    colleague = await buildPractitioner(handle.db, {
      clinicId: clinic.id,
      name: "Marcus Oyelaran, PT",
    });
    const other = await buildOrganization(handle.db, { name: "Summit Rehab" });
    await buildClinic(handle.db, { organizationId: other.id, jurisdiction: "US-FL" });
    users = {
      manager: await buildUser(handle.db, { organizationId: org.id, role: "manager" }),
      pt: await buildUser(handle.db, {
        organizationId: org.id,
        role: "practitioner",
        practitionerId: dana.id,
      }),
      otherManager: await buildUser(handle.db, { organizationId: other.id, role: "manager" }),
    };
    colleagueRecord = await buildTrainingRecord(handle.db, {
      practitionerId: colleague.id,
      recordedBy: users.manager.id,
    });

    logLines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    server = createServer({
      db: handle,
      logger: pino({ level: "info" }, sink),
      now: fixedClock(TEST_NOW),
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    await handle.destroy();
  });

  async function loginAs(user: User) {
    const session = await client(baseUrl).auth.login.mutate({
      email: user.email,
      password: TEST_PASSWORD,
    });
    if (session.status !== "signed-in") throw new Error("no second factor was expected");
    return client(baseUrl, session.token);
  }

  test("GET /health answers while the process lives; GET /ready checks the database and names the dialect", async () => {
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      db: dialect,
      checks: { database: "ok" },
    });
  });

  test("GET /ready is 503 naming each dependency that does not answer, and the process stays up", async () => {
    const probe = createServer({
      db: handle,
      logger: pino({ level: "silent" }),
      now: fixedClock(TEST_NOW),
      readiness: {
        storage: async () => {},
        queue: async () => {
          throw new Error("connection refused");
        },
      },
    });
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({
        status: "not ready",
        db: dialect,
        checks: { database: "ok", storage: "ok", queue: "unreachable" },
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => probe.close(resolve));
    }
  });

  test("an unknown path is a JSON 404", async () => {
    const response = await fetch(`${baseUrl}/nope`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(await response.json()).toEqual({
      error: { code: "NOT_FOUND", message: "no route for GET /nope" },
    });
  });

  test("each request is logged as one structured line", async () => {
    await fetch(`${baseUrl}/health`);
    const line = logLines.find((entry) => entry.msg === "request" && entry.path === "/health");
    expect(line).toMatchObject({ method: "GET", status: 200, level: 30 });
    expect(typeof line?.durationMs).toBe("number");
    expect(typeof line?.requestId).toBe("string");
  });

  test("login returns a session whose bearer token authenticates later calls", async () => {
    const api = await loginAs(users.pt);
    const me = await api.auth.me.query();
    expect(me.user.id).toBe(users.pt.id);
    expect(me.practitioner?.name).toBe("Dana Whitfield, PT");
    await expectClientError(client(baseUrl).auth.me.query(), "UNAUTHORIZED", 401);
    await expectClientError(
      client(baseUrl).auth.login.mutate({ email: users.pt.email, password: "wrong-password" }),
      "UNAUTHORIZED",
      401,
    );
  });

  test("a practitioner cannot read or change another practitioner's data", async () => {
    const api = await loginAs(users.pt);
    await expectClientError(api.practitioners.byId.query({ id: colleague.id }), "NOT_FOUND", 404);
    await expectClientError(api.records.byId.query({ id: colleagueRecord.id }), "NOT_FOUND", 404);
    await expectClientError(
      api.records.create.mutate({
        practitionerId: colleague.id,
        kind: "cpr",
        title: "BLS",
        completedOn: "2026-01-10",
        expiresOn: "2028-01-31",
      }),
      "NOT_FOUND",
      404,
    );
    await expectClientError(
      api.records.withdraw.mutate({ id: colleagueRecord.id }),
      "NOT_FOUND",
      404,
    );
    await expectClientError(
      api.records.review.mutate({ id: colleagueRecord.id, decision: "verify" }),
      "FORBIDDEN",
      403,
    );
    const history = await (await loginAs(users.manager)).records.history.query({
      id: colleagueRecord.id,
    });
    expect(history).toHaveLength(1);
  });

  test("a manager cannot reach another organization's data", async () => {
    const api = await loginAs(users.otherManager);
    await expectClientError(api.practitioners.byId.query({ id: dana.id }), "NOT_FOUND", 404);
    await expectClientError(
      api.practitioners.update.mutate({ id: dana.id, name: "Taken Over" }),
      "NOT_FOUND",
      404,
    );
    await expectClientError(
      api.records.review.mutate({ id: colleagueRecord.id, decision: "verify" }),
      "NOT_FOUND",
      404,
    );
    expect((await api.practitioners.list.query({})).items).toEqual([]);
  });

  test("bad input is a 400 whose field errors name the fields", async () => {
    const api = await loginAs(users.manager);
    const error = await expectClientError(
      api.records.create.mutate({
        practitionerId: dana.id,
        kind: "dn-course",
        title: "",
        completedOn: "2026-03-01",
        hours: { theory: -2, practical: 10, online: 0 },
      }),
      "BAD_REQUEST",
      400,
    );
    expect(error.data?.zodError?.fieldErrors).toEqual({
      title: ["must not be empty"],
      "hours.theory": ["must not be negative"],
    });
    expect(error.message).toBe(
      "Invalid input: title: must not be empty; hours.theory: must not be negative",
    );

    const session = await client(baseUrl).auth.login.mutate({
      email: users.manager.email,
      password: TEST_PASSWORD,
    });
    if (session.status !== "signed-in") throw new Error("no second factor was expected");
    const raw = await fetch(`${baseUrl}/trpc/practitioners.create`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ clinicId: "not-a-uuid", name: "X", profession: "PT" }),
    });
    expect(raw.status).toBe(400);
    const body = (await raw.json()) as {
      error: { data: { zodError: { fieldErrors: Record<string, string[]> } } };
    };
    expect(body.error.data.zodError.fieldErrors).toEqual({ clinicId: ["must be a UUID"] });
  });
});
