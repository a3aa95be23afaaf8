/**
 * Test arrangement shared by the API suites: two organizations with people in every role, and
 * callers acting as each of them through `createCaller`. Real databases only (createTestDb).
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Clock, fixedClock } from "@dn/clock";
import type { Db, DbHandle } from "@dn/db";
import {
  buildClinic,
  buildLicense,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  TEST_NOW,
} from "@dn/db/testing";
import type {
  Clinic,
  License,
  Organization,
  Practitioner,
  Role,
  SignedIn,
  TrainingRecord,
  User,
} from "@dn/schema";
import { TRPCError } from "@trpc/server";
import { expect } from "vitest";
import { DomainError } from "./errors.ts";
import { createTrpcHttpHandler } from "./http.ts";
import type { JobQueue } from "./jobs/queue.ts";
import { createCaller } from "./root.ts";
import { type AccountServices, actorFromUser, localAccountServices } from "./services/context.ts";
import { createContextInner } from "./trpc.ts";

export type Caller = ReturnType<typeof createCaller>;

export interface OrgWorld {
  organization: Organization;
  clinic: Clinic;
  users: Record<Role, User>;
  /** The practitioner the `practitioner` user is. */
  self: Practitioner;
  /** A colleague in the same organization. */
  colleague: Practitioner;
  selfLicense: License;
  colleagueLicense: License;
  selfRecord: TrainingRecord;
  colleagueRecord: TrainingRecord;
  as: Record<Role, Caller>;
}

/** A caller acting as `user` (null: anonymous) with a clock stopped at `now` (default TEST_NOW). */
export function callerFor(db: Db, user: User | null, now: string = TEST_NOW): Caller {
  return createCaller(
    createContextInner({ db, actor: user ? actorFromUser(user) : null, now: fixedClock(now) }),
  );
}

/** A caller whose context has a job queue (exports are sent to it, dead jobs read from it). */
export function callerWithJobs(db: Db, user: User, jobs: JobQueue, now: string = TEST_NOW): Caller {
  return createCaller(
    createContextInner({ db, actor: actorFromUser(user), now: fixedClock(now), jobs }),
  );
}

/** One organization with a clinic, two practitioners, their licenses and records, and a user per role. */
export async function buildOrgWorld(db: Db, name: string): Promise<OrgWorld> {
  const organization = await buildOrganization(db, { name });
  const clinic = await buildClinic(db, { organizationId: organization.id, jurisdiction: "US-MD" });
  const self = await buildPractitioner(db, { clinicId: clinic.id, name: `${name} Self` });
  const colleague = await buildPractitioner(db, { clinicId: clinic.id, name: `${name} Colleague` });
  const users = {} as Record<Role, User>;
  for (const role of ["admin", "manager", "auditor"] as const) {
    users[role] = await buildUser(db, { organizationId: organization.id, role });
  }
  users.practitioner = await buildUser(db, {
    organizationId: organization.id,
    role: "practitioner",
    practitionerId: self.id,
  });
  const selfLicense = await buildLicense(db, { practitionerId: self.id });
  const colleagueLicense = await buildLicense(db, { practitionerId: colleague.id });
  const selfRecord = await buildTrainingRecord(db, {
    practitionerId: self.id,
    recordedBy: users.practitioner.id,
  });
  const colleagueRecord = await buildTrainingRecord(db, {
    practitionerId: colleague.id,
    recordedBy: users.manager.id,
  });
  const as = {
    admin: callerFor(db, users.admin),
    manager: callerFor(db, users.manager),
    practitioner: callerFor(db, users.practitioner),
    auditor: callerFor(db, users.auditor),
  };
  return {
    organization,
    clinic,
    users,
    self,
    colleague,
    selfLicense,
    colleagueLicense,
    selfRecord,
    colleagueRecord,
    as,
  };
}

export interface TrpcTestServer {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  close(): Promise<void>;
}

/**
 * The tRPC HTTP handler on a real server at a free port, its clock stopped at TEST_NOW (or
 * `now`), with the account services given (default: no mail, a throttle of its own).
 */
export async function serveTrpc(
  db: Db,
  options: { now?: Clock; accounts?: AccountServices } = {},
): Promise<TrpcTestServer> {
  const server = createServer(
    createTrpcHttpHandler({
      db,
      now: options.now ?? fixedClock(TEST_NOW),
      accounts: options.accounts ?? localAccountServices(),
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** How many rows each table holds: tests compare before and after a refused call. */
export async function countRows(handle: DbHandle): Promise<Record<string, number>> {
  const tables = [
    "practitioners",
    "licenses",
    "trainingRecords",
    "auditEvents",
    "sessions",
    "clinics",
    "users",
  ] as const;
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await handle.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as("count"))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.count);
  }
  return counts;
}

/** Awaits `promise`, expects a TRPCError with `code`, and returns it. */
export async function expectTrpcError(
  promise: Promise<unknown>,
  code: TRPCError["code"],
): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error, `expected a ${code} error`).toBeInstanceOf(TRPCError);
  expect((error as TRPCError).code).toBe(code);
  return error as TRPCError;
}

/** The input fields a BAD_REQUEST names, as dotted paths: zod's issues, or a service's field. */
export function fieldsNamed(error: TRPCError): string[] {
  if (error.cause instanceof DomainError) return error.cause.field ? [error.cause.field] : [];
  const cause = error.cause as { issues?: { path: PropertyKey[] }[] } | undefined;
  return (cause?.issues ?? []).map((issue) => issue.path.map(String).join("."));
}

/** Signs in with a password and insists no second factor was asked for. */
export async function signInWithPassword(
  db: Db,
  email: string,
  password: string,
  now: string = TEST_NOW,
): Promise<SignedIn> {
  const result = await callerFor(db, null, now).auth.login({ email, password });
  if (result.status !== "signed-in") throw new Error(`${email} was asked for a second factor`);
  return result;
}

export interface TrpcHttpReply {
  status: number;
  /** `result.data` of a success. */
  data: unknown;
  /** The error's code (`UNAUTHORIZED`, ...), message and field errors, for a failure. */
  error: { code: string; message: string; fieldErrors: Record<string, string[]> } | null;
}

/**
 * Calls procedures over real HTTP as a browser-less client would: mutations POST their input as
 * JSON, queries GET it in `?input=`; `token` goes in `Authorization: Bearer`.
 */
export function trpcOverHttp(base: string, headers: Record<string, string> = {}) {
  async function call(
    method: "GET" | "POST",
    path: string,
    input: unknown,
    token?: string,
  ): Promise<TrpcHttpReply> {
    const url = new URL(`/trpc/${path}`, base);
    if (method === "GET" && input !== undefined)
      url.searchParams.set("input", JSON.stringify(input));
    const response = await fetch(url, {
      method,
      headers: {
        ...headers,
        ...(method === "POST" ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: method === "POST" && input !== undefined ? JSON.stringify(input) : undefined,
    });
    const body = (await response.json()) as {
      result?: { data: unknown };
      error?: {
        message: string;
        data?: { code?: string; zodError?: { fieldErrors?: Record<string, string[]> } | null };
      };
    };
    return {
      status: response.status,
      data: body.result?.data,
      error: body.error
        ? {
            code: body.error.data?.code ?? "",
            message: body.error.message,
            fieldErrors: body.error.data?.zodError?.fieldErrors ?? {},
          }
        : null,
    };
  }
  return {
    query: (path: string, input?: unknown, token?: string) => call("GET", path, input, token),
    mutation: (path: string, input?: unknown, token?: string) => call("POST", path, input, token),
  };
}
