/**
 * The one file that calls initTRPC. Three parts:
 *   1. CONTEXT: what every procedure gets: `{ db, actor, now }`. The inner part needs no request
 *      (tests, the CLI); the outer part reads the bearer token from an HTTP request.
 *   2. INITIALIZATION: the tRPC instance, and the error formatter that attaches field errors.
 *   3. PROCEDURES: the base procedures, which only authenticate (`publicProcedure`: anyone;
 *      `authedProcedure`: a signed-in user), and domain-error mapping. Authorization is the
 *      services' job, through `can` (auth/permissions.ts) and the guards (services/guards.ts).
 */

import type { Clock } from "@dn/clock";
import type { Db } from "@dn/db";
import { initTRPC, TRPCError } from "@trpc/server";
import { bearerToken } from "./auth/session.ts";
import { asDomainError, badRequest, type DomainError } from "./errors.ts";
import type { JobQueue } from "./jobs/queue.ts";
import { resolveSession } from "./services/auth.service.ts";
import {
  type AccountServices,
  type Actor,
  localAccountServices,
  type RequestOrigin,
  type ServiceContext,
} from "./services/context.ts";

// ---------------------------------------------------------------------------------------------
// 1. CONTEXT
// ---------------------------------------------------------------------------------------------

export interface Context {
  db: Db;
  /** The signed-in user, or null for anonymous calls (only `auth.login` accepts those). */
  actor: Actor | null;
  now: Clock;
  /** Mail, sign-in throttling and the app's URL, as the host set them up. */
  accounts: AccountServices;
  /** Where an HTTP request came from (see client-address.ts); nulls for in-process callers. */
  origin: RequestOrigin;
  /** The installation's job queue, when the host has one. */
  jobs?: JobQueue;
}

export interface CreateContextInnerOptions {
  db: Db;
  actor?: Actor | null;
  /** The clock: hosts pass `systemClock`, tests a fixed one. */
  now: Clock;
  /** Default: no mail and a throttle of this context's own (in-process callers, tests). */
  accounts?: AccountServices;
  origin?: RequestOrigin;
  jobs?: JobQueue;
}

/** The context without a request: for `createCaller` in tests and in-process callers. */
export function createContextInner(options: CreateContextInnerOptions): Context {
  return {
    db: options.db,
    actor: options.actor ?? null,
    now: options.now,
    accounts: options.accounts ?? localAccountServices(),
    origin: options.origin ?? { clientAddress: null, userAgent: null },
    ...(options.jobs ? { jobs: options.jobs } : {}),
  };
}

export interface CreateContextFromRequestOptions {
  db: Db;
  /** The request's Authorization header value. */
  authorization: string | null | undefined;
  now: Clock;
  accounts?: AccountServices;
  jobs?: JobQueue;
  clientAddress?: string | null;
  userAgent?: string | null;
  /** The token's actor when the host already resolved it for this request (the answer cache). */
  actor?: Promise<Actor | null>;
}

/** The context for an HTTP request: resolves `Authorization: Bearer <token>` to an actor. */
export async function createContextFromRequest(
  options: CreateContextFromRequestOptions,
): Promise<Context> {
  const inner = createContextInner({
    db: options.db,
    now: options.now,
    accounts: options.accounts,
    jobs: options.jobs,
    origin: {
      clientAddress: options.clientAddress ?? null,
      // Shown in the user's list of sessions; cut so a huge header cannot bloat the table.
      userAgent: options.userAgent ? options.userAgent.slice(0, 300) : null,
    },
  });
  if (options.actor) return { ...inner, actor: await options.actor };
  const token = bearerToken(options.authorization);
  if (!token) return inner;
  return { ...inner, actor: await resolveSession(inner, token) };
}

// ---------------------------------------------------------------------------------------------
// 2. INITIALIZATION
// ---------------------------------------------------------------------------------------------

/** Field errors in the shape of zod's `flatten()`, with paths joined by ".". */
export interface FieldErrors {
  formErrors: string[];
  fieldErrors: Record<string, string[]>;
}

type PathSegment = PropertyKey | { key: PropertyKey };
interface IssueLike {
  message: string;
  path?: readonly PathSegment[];
}

function hasIssues(value: unknown): value is { issues: readonly IssueLike[] } {
  return (
    typeof value === "object" &&
    value !== null &&
    "issues" in value &&
    Array.isArray((value as { issues: unknown }).issues)
  );
}

function pathOf(issue: IssueLike): string {
  return (issue.path ?? [])
    .map((segment) =>
      String(typeof segment === "object" && segment !== null ? segment.key : segment),
    )
    .join(".");
}

export function flattenIssues(issues: readonly IssueLike[]): FieldErrors {
  const flat: FieldErrors = { formErrors: [], fieldErrors: {} };
  for (const issue of issues) {
    const path = pathOf(issue);
    if (path === "") {
      flat.formErrors.push(issue.message);
    } else {
      const messages = flat.fieldErrors[path] ?? [];
      messages.push(issue.message);
      flat.fieldErrors[path] = messages;
    }
  }
  return flat;
}

function describeIssues(issues: readonly IssueLike[]): string {
  return issues
    .map((issue) => {
      const path = pathOf(issue);
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    if (error.code === "BAD_REQUEST" && hasIssues(cause)) {
      return {
        ...shape,
        message: `Invalid input: ${describeIssues(cause.issues)}`,
        data: {
          ...shape.data,
          zodError: flattenIssues(cause.issues),
          field: null as string | null,
        },
      };
    }
    const domain = asDomainError(cause);
    const zodError: FieldErrors | null = domain?.field
      ? { formErrors: [], fieldErrors: { [domain.field]: [domain.problem] } }
      : null;
    return { ...shape, data: { ...shape.data, zodError, field: domain?.field ?? null } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// ---------------------------------------------------------------------------------------------
// 3. PROCEDURES
// ---------------------------------------------------------------------------------------------

function toTrpcError(domain: DomainError): TRPCError {
  return new TRPCError({ code: domain.code, message: domain.message, cause: domain });
}

/** Turns a DomainError thrown by a service into the matching tRPC error: the one mapping. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const domain = asDomainError(result.error.cause);
    if (domain) throw toTrpcError(domain);
  }
  return result;
});

/**
 * The dotted path of the first string in `value` holding a NUL character, or null. PostgreSQL
 * cannot store NUL in text, and no real input has one: it is refused as bad input everywhere.
 */
export function pathOfNulCharacter(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path.join(".") : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = pathOfNulCharacter(item, [...path, String(index)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key].join(".");
      const found = pathOfNulCharacter(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

const refuseNulCharacters = t.middleware(async ({ getRawInput, next }) => {
  const field = pathOfNulCharacter(await getRawInput());
  if (field !== null) throw badRequest("must not contain a NUL character (\\u0000)", field || null);
  return next();
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(mapDomainErrors).use(refuseNulCharacters);

/** What an admin or manager who must still enrol a second factor may call. */
const OPEN_BEFORE_SECOND_FACTOR = /^(auth|account)\./;

/**
 * A signed-in user of any role; narrows `ctx` to a ServiceContext. What they may do there is
 * decided by the service each procedure calls, never here.
 */
export const authedProcedure = publicProcedure.use(({ ctx, next, path }) => {
  if (!ctx.actor) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: "sign in first: the session is missing or expired",
    });
  }
  if (ctx.actor.mustEnrolSecondFactor && !OPEN_BEFORE_SECOND_FACTOR.test(path)) {
    throw new TRPCError({
      code: "FORBIDDEN",
      message:
        "your organization requires two-factor authentication: set it up under Account first",
    });
  }
  const serviceContext: ServiceContext = {
    db: ctx.db,
    actor: ctx.actor,
    now: ctx.now,
    accounts: ctx.accounts,
    origin: ctx.origin,
    ...(ctx.jobs ? { jobs: ctx.jobs } : {}),
  };
  return next({ ctx: serviceContext });
});
