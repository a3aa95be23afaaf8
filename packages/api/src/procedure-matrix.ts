/**
 * Shared by the authorization matrix and the fuzz test: every procedure of the router (walked
 * from `appRouter._def.procedures`, so a new one is never missed), principals of every standing
 * with sessions made on demand, and a row-count snapshot of the tables a call could change.
 */

import { randomUUID } from "node:crypto";
import type { DbHandle } from "@dn/db";
import { insertSession } from "@dn/db";
import { buildClinic, buildUser, TEST_NOW } from "@dn/db/testing";
import type { User } from "@dn/schema";
import { sql } from "kysely";
import { generateSessionToken, hashSessionToken, SESSION_TTL_MS } from "./auth/session.ts";
import { appRouter } from "./root.ts";
import { buildOrgWorld, type OrgWorld } from "./test-support.ts";

export type ProcedureType = "query" | "mutation";

/** Every procedure path with its type, read from the router itself. */
export function routerProcedures(): { path: string; type: ProcedureType }[] {
  const procedures = (
    appRouter._def as unknown as { procedures: Record<string, { _def: { type: string } }> }
  ).procedures;
  return Object.entries(procedures)
    .map(([path, procedure]) => ({ path, type: procedure._def.type as ProcedureType }))
    .filter((p) => p.type === "query" || p.type === "mutation")
    .sort((x, y) => x.path.localeCompare(y.path));
}

export const PRINCIPALS = [
  "admin",
  "manager",
  "clinic-manager",
  "auditor",
  "practitioner",
  "other-organization",
  "anonymous",
] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

export interface MatrixWorld {
  a: OrgWorld;
  b: OrgWorld;
  /** A manager of `a` limited to `a.clinic` (where all of a's staff data lives). */
  clinicManager: User;
  /** A second clinic of `a`, with nobody in it. */
  otherClinic: { id: string };
  userOf(principal: PrincipalName): User | null;
}

/** Two organizations with people in every role, and a clinic-scoped manager in the first. */
export async function buildMatrixWorld(handle: DbHandle): Promise<MatrixWorld> {
  const a = await buildOrgWorld(handle.db, "Harbor");
  const b = await buildOrgWorld(handle.db, "Summit");
  const otherClinic = await buildClinic(handle.db, {
    organizationId: a.organization.id,
    jurisdiction: "US-VA",
  });
  const clinicManager = await buildUser(handle.db, {
    organizationId: a.organization.id,
    role: "manager",
    clinicIds: [a.clinic.id],
  });
  return {
    a,
    b,
    clinicManager,
    otherClinic,
    userOf(principal) {
      switch (principal) {
        case "anonymous":
          return null;
        case "clinic-manager":
          return clinicManager;
        case "other-organization":
          return b.users.admin;
        default:
          return a.users[principal];
      }
    },
  };
}

/** A fresh session for `user` (no password round trip): its id and bearer token. */
export async function sessionFor(
  handle: DbHandle,
  user: User,
): Promise<{ id: string; token: string }> {
  const token = generateSessionToken();
  const id = randomUUID();
  await insertSession(handle.db, {
    id,
    userId: user.id,
    membershipId: user.membershipId,
    tokenHash: hashSessionToken(token),
    createdAt: TEST_NOW,
    expiresAt: new Date(Date.parse(TEST_NOW) + SESSION_TTL_MS).toISOString(),
    lastSeenAt: TEST_NOW,
    userAgent: null,
    clientAddress: null,
    method: "password",
  });
  return { id, token };
}

/** The tables a procedure can change (sessions apart: signing in and out is their job). */
const SNAPSHOT_TABLES = [
  "organizations",
  "clinics",
  "users",
  "memberships",
  "invitations",
  "userTokens",
  "recoveryCodes",
  "oidcProviders",
  "practitioners",
  "licenses",
  "trainingRecords",
  "auditEvents",
  "customStandards",
  "evidenceFiles",
  "standardAssignments",
  "notifications",
  "calendarFeeds",
  "importBatches",
  "importRows",
  "apiTokens",
  "exportJobs",
  "jobs",
  "notificationPreferences",
  "contentAuthors",
  "videos",
  "literatureReferences",
  "standardEvidence",
  "articles",
  "articleRevisions",
  "comments",
  "followUpItems",
  "courses",
] as const;

/** How many rows each table holds, in one round trip. */
export async function snapshotRows(handle: DbHandle): Promise<Record<string, number>> {
  const [first, ...rest] = SNAPSHOT_TABLES.map((table) =>
    handle.db
      .selectFrom(table)
      .select((eb) => [sql<string>`${sql.lit(table)}`.as("table"), eb.fn.countAll().as("count")]),
  );
  // biome-ignore lint/style/noNonNullAssertion: the table list is not empty
  let query = first!;
  for (const next of rest) query = query.unionAll(next as unknown as typeof query);
  const rows = (await query.execute()) as unknown as { table: string; count: number | string }[];
  return Object.fromEntries(rows.map((row) => [row.table, Number(row.count)]));
}

export interface RawReply {
  /** The HTTP status, or 0 when the connection closed without an answer. */
  status: number;
  code: string | null;
  text: string;
}

/** One call over real HTTP: queries GET `?input=`, mutations POST the raw body given. */
export async function callRaw(
  base: string,
  path: string,
  type: ProcedureType,
  body: string | undefined,
  token: string | null,
): Promise<RawReply> {
  const url = new URL(`/trpc/${path}`, base);
  if (type === "query" && body !== undefined) url.searchParams.set("input", body);
  const send = () =>
    fetch(url, {
      method: type === "query" ? "GET" : "POST",
      headers: {
        ...(type === "mutation" ? { "content-type": "application/json" } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: type === "mutation" ? body : undefined,
    });
  let response: Response;
  try {
    // A query once more on a reset: a kept-alive connection the server had just closed (after
    // refusing an earlier request's body, say) is reset when reused; a query that itself breaks
    // the server is refused the same way twice. Mutations are never sent twice.
    response = await send().catch((error: unknown) => {
      const reset = (error as { cause?: { code?: string } }).cause?.code === "ECONNRESET";
      if (!reset || type !== "query") throw error;
      return send();
    });
  } catch (error) {
    // The server hung up before answering (Node does so for a request line over its limit).
    return { status: 0, code: "CONNECTION_CLOSED", text: String((error as Error).cause ?? error) };
  }
  const text = await response.text().catch((error: unknown) => `unreadable: ${String(error)}`);
  let code: string | null = null;
  try {
    const parsed = JSON.parse(text) as { error?: { data?: { code?: string } } };
    code = parsed.error?.data?.code ?? null;
  } catch {
    code = null;
  }
  return { status: response.status, code, text };
}
