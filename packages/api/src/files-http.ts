/**
 * Plain HTTP routes beside tRPC, for what JSON carries badly: evidence uploads and downloads
 * (raw bytes) and the per-user iCalendar feed. Same Bearer session as tRPC; the same services.
 *
 *   POST /files/records/:recordId   body = the file's bytes; header `x-file-name` (URI-encoded)
 *   GET  /files/:fileId             the file, authorized like its record
 *   GET  /calendar/:token.ics       the user's deadlines as iCalendar (token from calendar.createFeed)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import type { Clock } from "@dn/clock";
import type { Db } from "@dn/db";
import { MAX_EVIDENCE_BYTES } from "@dn/schema";
import { bearerToken } from "./auth/session.ts";
import { asDomainError, type DomainError } from "./errors.ts";
import { resolveSession } from "./services/auth.service.ts";
import { baseContext, type ServiceContext } from "./services/context.ts";
import { calendarFeedFor } from "./services/deadlines.service.ts";
import { readEvidence, uploadEvidence } from "./services/evidence.service.ts";
import type { FileStore } from "./services/storage/file-store.ts";

export interface FilesHttpHandlerOptions {
  db: Db;
  /** Where evidence files' bytes live (content-addressed keys, see services/storage/content.ts). */
  store: FileStore;
  now: Clock;
  onError?: (error: unknown) => void;
}

const STATUS: Partial<Record<DomainError["code"], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  field: string | null = null,
): void {
  sendJson(res, status, { error: { code, message, field } });
}

class TooLarge extends Error {}

/** Reads the body, giving up (without buffering the rest) once it passes `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    req.on("error", reject);
  });
}

function decodeName(header: string | string[] | undefined): string {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A file name safe for a Content-Disposition header (ASCII fallback plus RFC 5987 form). */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `inline; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const UPLOAD = /^\/files\/records\/([0-9a-f-]{36})\/?$/i;
const DOWNLOAD = /^\/files\/([0-9a-f-]{36})\/?$/i;
const CALENDAR = /^\/calendar\/([A-Za-z0-9_-]{20,100})\.ics$/;

/** True when this handler serves `pathname`. */
export function isFilesHttpPath(pathname: string): boolean {
  return pathname.startsWith("/files/") || pathname.startsWith("/calendar/");
}

export function createFilesHttpHandler(options: FilesHttpHandlerOptions) {
  const { now } = options;

  async function contextFor(req: IncomingMessage): Promise<ServiceContext | null> {
    const token = bearerToken(req.headers.authorization);
    if (!token) return null;
    const actor = await resolveSession(baseContext(options.db, now), token);
    // An admin who must still enrol a second factor gets nothing but their account pages.
    return actor && !actor.mustEnrolSecondFactor
      ? { ...baseContext(options.db, now), actor }
      : null;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const calendar = CALENDAR.exec(url.pathname);
    if (calendar && (req.method === "GET" || req.method === "HEAD")) {
      const feed = await calendarFeedFor(baseContext(options.db, now), calendar[1] as string);
      if (feed === null) {
        sendError(res, 404, "NOT_FOUND", "no calendar feed with this token");
        return;
      }
      res.writeHead(200, {
        "content-type": "text/calendar; charset=utf-8",
        "content-length": Buffer.byteLength(feed),
        "cache-control": "private, max-age=300",
      });
      res.end(req.method === "HEAD" ? undefined : feed);
      return;
    }

    const upload = UPLOAD.exec(url.pathname);
    const download = DOWNLOAD.exec(url.pathname);
    if (!(upload && req.method === "POST") && !(download && req.method === "GET")) {
      sendError(res, 404, "NOT_FOUND", `no route for ${req.method} ${url.pathname}`);
      return;
    }
    const ctx = await contextFor(req);
    if (!ctx) {
      req.resume();
      sendError(res, 401, "UNAUTHORIZED", "sign in first: the session is missing or expired");
      return;
    }
    if (upload) {
      let bytes: Uint8Array;
      try {
        bytes = await readBody(req, MAX_EVIDENCE_BYTES);
      } catch (error) {
        if (error instanceof TooLarge) {
          sendError(res, 413, "PAYLOAD_TOO_LARGE", "file: the file is larger than 10 MB", "file");
          return;
        }
        throw error;
      }
      const file = await uploadEvidence(ctx, options.store, {
        recordId: upload[1] as string,
        fileName: decodeName(req.headers["x-file-name"]) || "certificate",
        bytes,
      });
      sendJson(res, 201, file);
      return;
    }
    const { file, content } = await readEvidence(
      ctx,
      options.store,
      (download as RegExpExecArray)[1] as string,
    );
    res.writeHead(200, {
      "content-type": file.mediaType,
      "content-length": file.sizeBytes,
      "content-disposition": contentDisposition(file.fileName),
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
      "cache-control": "private, no-store",
    });
    // Streamed from the store; a store failing half way ends the response short (the length
    // announced tells the client it is incomplete).
    await pipeline(content, res);
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      const domain = asDomainError(error);
      if (domain) {
        sendError(res, STATUS[domain.code] ?? 400, domain.code, domain.message, domain.field);
        return;
      }
      options.onError?.(error);
      if (!res.headersSent) sendError(res, 500, "INTERNAL_SERVER_ERROR", "the request failed");
      else res.end();
    });
  };
}
