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
  type BlobStore,
  createExportsHttpHandler,
  createFilesHttpHandler,
  createTrpcHttpHandler,
  type ExportStorage,
  isFilesHttpPath,
  LocalDirectoryBlobStore,
  LocalExportStorage,
} from "@dn/api";
import type { Clock } from "@dn/clock";
import { type DbHandle, pingDb } from "@dn/db";
import type { Logger } from "pino";

export interface CreateServerOptions {
  /** The open database (`createDb()`), already migrated. */
  db: DbHandle;
  logger: Logger;
  /** Where evidence files live (see files-http.ts in @dn/api); default a temp directory. */
  store?: BlobStore;
  /** Where finished exports are kept (see exports-http.ts in @dn/api); default a temp directory. */
  exportStorage?: ExportStorage;
  /** The clock every request is served with: main.ts passes `systemClock`, tests a fixed one. */
  now: Clock;
  /** Mail, the sign-in throttle and the app's URL; default no mail and a private throttle. */
  accounts?: AccountServices;
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
}: CreateServerOptions): Server {
  const trpc = createTrpcHttpHandler({
    db: db.db,
    now,
    accounts,
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
    store: store ?? new LocalDirectoryBlobStore(join(tmpdir(), "dn-files")),
    onError: (error) => logger.error({ err: error }, "file route failed"),
  });

  const exportsHttp = createExportsHttpHandler({
    db: db.db,
    now,
    storage: exportStorage ?? new LocalExportStorage(join(tmpdir(), "dn-exports")),
    onError: (error) => logger.error({ err: error }, "export route failed"),
  });

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
    if (isFilesHttpPath(url.pathname)) {
      files(req, res);
      return;
    }
    if (url.pathname === "/health" && (req.method === "GET" || req.method === "HEAD")) {
      pingDb(db.db).then(
        () => sendJson(res, 200, { status: "ok", db: db.dialect }),
        (error: unknown) => {
          logger.error({ err: error }, "health check: database unreachable");
          sendJson(res, 503, { status: "error", db: db.dialect, error: "database unreachable" });
        },
      );
      return;
    }
    sendJson(res, 404, {
      error: { code: "NOT_FOUND", message: `no route for ${req.method} ${url.pathname}` },
    });
  });
}
