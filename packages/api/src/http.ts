/** The tRPC HTTP handler for a Node server: resolves the bearer token, serves the AppRouter. */

import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Clock } from "@dn/clock";
import type { Db } from "@dn/db";
import type { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { AnswerCache, cachedProcedureOf } from "./answer-cache.ts";
import { bearerToken } from "./auth/session.ts";
import { clientAddressOf, type TrustedProxies } from "./client-address.ts";
import type { JobQueue } from "./jobs/queue.ts";
import { appRouter } from "./root.ts";
import { resolveSessionWithHead } from "./services/auth.service.ts";
import type { AccountServices, Actor } from "./services/context.ts";
import { createContextFromRequest, createContextInner } from "./trpc.ts";

/** The largest request body for any procedure: far above any form, far below harm. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** File imports carry the whole file (a CSV of up to 50 MB of text, JSON-escaped; a dossier). */
export const MAX_IMPORT_BODY_BYTES = 60 * 1024 * 1024;
/** The most calls one batched request may carry (the admin app does not batch at all). */
export const MAX_BATCH_SIZE = 10;

/** Procedures whose input is a whole uploaded file: only managers and admins may call them. */
const LARGE_BODY_PROCEDURES = new Set(["imports.run", "dossiers.import"]);

export interface TrpcHttpHandlerOptions {
  db: Db;
  /** The path the router is served at (default `/trpc/`). */
  basePath?: string;
  /** Called for every error; hosts log INTERNAL_SERVER_ERRORs here. */
  onError?: (details: { error: TRPCError; path: string | undefined; req: IncomingMessage }) => void;
  /** The clock every request's context gets (hosts pass `systemClock`). */
  now: Clock;
  /** Mail, the shared sign-in throttle and the app's URL; one set per process. */
  accounts?: AccountServices;
  /** The job queue services send background work to. */
  jobs?: JobQueue;
  /** Peers believed when they report the client's address (DN_TRUSTED_PROXIES; default loopback). */
  trustedProxies?: TrustedProxies;
}

export function createTrpcHttpHandler(options: TrpcHttpHandlerOptions): RequestListener {
  const basePath = options.basePath ?? "/trpc/";
  const answers = new AnswerCache();
  // The actor the answer cache resolved for a request, reused by tRPC's context on a miss.
  const actors = new WeakMap<IncomingMessage, Promise<Actor | null>>();
  const handlerWith = (maxBodySize: number) =>
    createHTTPHandler({
      router: appRouter,
      basePath,
      maxBodySize,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req }) =>
        createContextFromRequest({
          db: options.db,
          authorization: req.headers.authorization,
          now: options.now,
          accounts: options.accounts,
          jobs: options.jobs,
          clientAddress: clientAddressOf(req, options.trustedProxies),
          userAgent: req.headers["user-agent"] ?? null,
          actor: actors.get(req),
        }),
      onError: options.onError
        ? ({ error, path, req }) => options.onError?.({ error, path, req })
        : undefined,
    });
  const small = handlerWith(MAX_BODY_BYTES);
  const large = handlerWith(MAX_IMPORT_BODY_BYTES);

  return (req, res) => {
    const procedures = proceduresOf(req.url ?? "", basePath);
    const limit =
      procedures.length > 0 && procedures.every((p) => LARGE_BODY_PROCEDURES.has(p))
        ? MAX_IMPORT_BODY_BYTES
        : MAX_BODY_BYTES;
    // A declared length over the limit is refused before a byte of the body is read; a body
    // without one is counted as it streams and cut off at the limit by the adapter.
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) return refuseTooLarge(res, limit);
    const handler = limit === MAX_BODY_BYTES ? small : large;
    const procedure = cachedProcedureOf(req, basePath);
    const token = bearerToken(req.headers.authorization);
    if (!procedure || !token) return handler(req, res);
    const found = resolveSessionWithHead(
      createContextInner({ db: options.db, now: options.now, accounts: options.accounts }),
      token,
    );
    actors.set(
      req,
      found.then((session) => session?.actor ?? null),
    );
    const search = (req.url ?? "").slice(basePath.length + procedure.length);
    void found
      .then(
        (session) => {
          const key =
            session &&
            answers.keyOf(options.now, procedure, search, session.actor, session.auditHead);
          if (!key) return void handler(req, res);
          return answers.serve(key, procedure, res, () => void handler(req, res));
        },
        // The lookup failed (the database, say): tRPC answers, and reports it, as usual.
        () => handler(req, res),
      )
      .catch(() => {
        // Nothing above throws but a broken response; it must not end the process.
        if (!res.headersSent) res.writeHead(500).end();
      });
  };
}

/** The procedure names a tRPC URL calls (`/trpc/a.b,c.d?batch=1` → ["a.b", "c.d"]). */
function proceduresOf(url: string, basePath: string): string[] {
  const path = url.split("?")[0] ?? "";
  const at = path.indexOf(basePath);
  if (at === -1) return [];
  try {
    return decodeURIComponent(path.slice(at + basePath.length))
      .split(",")
      .filter(Boolean);
  } catch {
    return []; // a malformed escape: tRPC answers it as an unknown procedure
  }
}

function refuseTooLarge(res: ServerResponse, limit: number): void {
  const body = JSON.stringify({
    error: {
      code: -32600,
      message: `the request body is larger than ${Math.round(limit / 1024)} KB`,
      data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 },
    },
  });
  // The body is not read: close the connection after answering rather than drain it.
  res.writeHead(413, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  res.end(body);
}
