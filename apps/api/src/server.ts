/**
 * The HTTP host: tRPC at /trpc, GET /health, JSON 404 for anything else, one structured log
 * line per request. It holds no business logic; that lives in @dn/api.
 */
import { randomUUID } from "node:crypto";
import { createServer as createHttpServer, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AccountServices,
  createExportsHttpHandler,
  createFilesHttpHandler,
  createTrpcHttpHandler,
  type FileStore,
  isFilesHttpPath,
  type JobQueue,
  LocalFileStore,
  type TrustedProxies,
} from "@dn/api";
import type { Clock } from "@dn/clock";
import { type DbHandle, pingDb } from "@dn/db";
import type { Logger } from "pino";
import { createApiDocsHandler } from "./api-docs.ts";

export interface CreateServerOptions {
  /** The open database (`createDb()`), already migrated. */
  db: DbHandle;
  logger: Logger;
  /** Where evidence files live (see files-http.ts in @dn/api); default a temp directory. */
  store?: FileStore;
  /** Where finished exports are kept (see exports-http.ts in @dn/api); default a temp directory. */
  exportStorage?: FileStore;
  /** The clock every request is served with: main.ts passes `systemClock`, tests a fixed one. */
  now: Clock;
  /** Mail, the sign-in throttle and the app's URL; default no mail and a private throttle. */
  accounts?: AccountServices;
  /**
   * What `/ready` checks besides the database (file storage, the job queue): each throws when
   * its dependency cannot be reached.
   */
  readiness?: Record<string, () => Promise<void>>;
  /** Where services send background work (exports); without one it waits for the next tick. */
  jobs?: JobQueue;
  /** Peers believed when they report the client's address (DN_TRUSTED_PROXIES; default loopback). */
  trustedProxies?: TrustedProxies;
}

/** How long `/ready` waits for one dependency before calling it unreachable. */
const READY_TIMEOUT_MS = 3000;

function withTimeout(check: () => Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    check(),
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function createServer({
  db,
  logger,
  store,
  exportStorage,
  now,
  accounts,
  readiness = {},
  jobs,
  trustedProxies,
}: CreateServerOptions): Server {
  const trpc = createTrpcHttpHandler({
    db: db.db,
    now,
    accounts,
    jobs,
    trustedProxies,
    basePath: "/trpc/",
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        logger.error({ err: error.cause ?? error, procedure: path }, "procedure failed");
      }
    },
  });

  const files = createFilesHttpHandler({
    db: db.db,
    now,
    store: store ?? new LocalFileStore(join(tmpdir(), "dn-files")),
    onError: (error) => logger.error({ err: error }, "file route failed"),
  });

  const exportsHttp = createExportsHttpHandler({
    db: db.db,
    now,
    storage: exportStorage ?? new LocalFileStore(join(tmpdir(), "dn-exports")),
    jobs,
    onError: (error) => logger.error({ err: error }, "export route failed"),
  });

  const apiDocs = createApiDocsHandler();

  return createHttpServer((req, res) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", "http://localhost");
    res.setHeader("x-request-id", requestId);
    res.on("finish", () => {
      logger.info(
        {
          requestId,
          method: req.method,
          path: url.pathname,
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        "request",
      );
    });

    if (url.pathname === "/trpc" || url.pathname.startsWith("/trpc/")) {
      trpc(req, res);
      return;
    }
    if (exportsHttp(req, res)) return;
    if (apiDocs(req, res)) return;
    if (isFilesHttpPath(url.pathname)) {
      files(req, res);
      return;
    }
    // Liveness: the process answers. It reads nothing, so a slow dependency never restarts it.
    if (url.pathname === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      sendJson(res, 200, { status: "ok" });
      return;
    }
    // Readiness: the database and every dependency in `readiness` answer; 503 names those that don't.
    if (url.pathname === "/ready" && (req.method === "GET" || req.method === "HEAD")) {
      const checks: Record<string, () => Promise<void>> = {
        database: () => pingDb(db.db),
        ...readiness,
      };
      void Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check, READY_TIMEOUT_MS);
            return [name, "ok"] as const;
          } catch (error) {
            logger.error({ err: error, dependency: name }, "readiness check failed");
            return [name, "unreachable"] as const;
          }
        }),
      ).then((results) => {
        const ready = results.every(([, state]) => state === "ok");
        sendJson(res, ready ? 200 : 503, {
          status: ready ? "ready" : "not ready",
          db: db.dialect,
          checks: Object.fromEntries(results),
        });
      });
      return;
    }
    sendJson(res, 404, {
      error: { code: "NOT_FOUND", message: `no route for ${req.method} ${url.pathname}` },
    });
  });
}
