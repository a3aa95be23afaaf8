/**
 * The HTTP side of exports, outside tRPC because it streams files and serves plain REST:
 *   GET  /.well-known/dn-export-key/:organizationId   the bundle-signing public key (public)
 *   GET  /openapi.json                                 the regulator API's OpenAPI document
 *   GET  /exports/:id/download                         a finished export (session bearer)
 *   /rest/v1/...                                       the regulator API (token bearer, see openapi.ts)
 * Every request with a regulator token is recorded in the audit trail.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Clock } from "@dn/clock";
import type { Db } from "@dn/db";
import { jsonChunks } from "@dn/exports";
import {
  CreateExportInputSchema,
  type ExportScope,
  ExportScopeSchema,
  PageInputSchema,
  type VerdictRow,
} from "@dn/schema";
import type { z } from "zod";
import { bearerToken } from "../auth/session.ts";
import { asDomainError, badRequest, DomainError } from "../errors.ts";
import type { JobQueue } from "../jobs/queue.ts";
import {
  recordApiTokenUse,
  resolveApiToken,
  type TokenPrincipal,
} from "../services/api-tokens.service.ts";
import { resolveSession } from "../services/auth.service.ts";
import { baseContext, type ServiceContext } from "../services/context.ts";
import {
  createExport,
  downloadExport,
  findPublicExportKey,
  getExport,
  listExports,
  narrowScope,
  planExport,
} from "../services/exports.service.ts";
import type { FileStore } from "../services/storage/file-store.ts";
import { openApiDocumentText } from "./openapi.ts";

export interface ExportsHttpOptions {
  db: Db;
  /** Where finished exports are kept (a local directory or S3, shared by every instance). */
  storage: FileStore;
  now: Clock;
  /** The job queue exports are sent to (a worker picks them up at once). */
  jobs?: JobQueue;
  /** Called with unexpected errors (answered 500), for the host's log. */
  onError?: (error: unknown) => void;
  /** Largest JSON request body accepted, in bytes. */
  maxBodyBytes?: number;
}

/** Handles the request if it is one of these routes; false to let the host answer. */
export type ExportsHttpHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const STATUS: Partial<Record<DomainError["code"], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    "cache-control": "no-store",
  });
  res.end(payload);
}

function sendError(res: ServerResponse, error: DomainError): void {
  sendJson(res, STATUS[error.code] ?? 400, {
    error: { code: error.code, message: error.message, field: error.field },
  });
}

function firstIssue(error: z.ZodError, prefix = ""): DomainError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join(".") ?? "";
  return badRequest(issue?.message ?? "is invalid", `${prefix}${path}` || null);
}

/** The scope a query string describes: `asOf`, `knownAt`, `standardId`*, `clinicId`, `practitionerId`. */
export function scopeFromQuery(query: URLSearchParams): ExportScope {
  const standardIds = query.getAll("standardId");
  const common = {
    asOf: query.get("asOf") ?? undefined,
    ...(query.get("knownAt") ? { knownAt: query.get("knownAt") } : {}),
    ...(standardIds.length > 0 ? { standardIds } : {}),
    ...(query.get("jurisdiction") ? { jurisdiction: query.get("jurisdiction") } : {}),
  };
  const candidate = query.get("practitionerId")
    ? { kind: "practitioner", practitionerId: query.get("practitionerId"), ...common }
    : query.get("clinicId")
      ? { kind: "clinic", clinicId: query.get("clinicId"), ...common }
      : { kind: "organization", ...common };
  const parsed = ExportScopeSchema.safeParse(candidate);
  if (!parsed.success) throw firstIssue(parsed.error);
  return parsed.data;
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw badRequest(`the request body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
  } catch {
    throw badRequest("the request body is not JSON");
  }
}

async function sendDownload(
  res: ServerResponse,
  download: Awaited<ReturnType<typeof downloadExport>>,
): Promise<void> {
  const type = download.fileName.endsWith(".zip")
    ? "application/zip"
    : download.fileName.endsWith(".json")
      ? "application/json"
      : download.fileName.endsWith(".csv")
        ? "text/csv; charset=utf-8"
        : "application/pdf";
  // Opened before answering, so a file missing from the store is a 404, not a cut-off 200.
  const body = await download.open();
  if (!body) throw new DomainError("NOT_FOUND", "export file not found");
  res.writeHead(200, {
    "content-type": type,
    "content-length": download.size,
    "content-disposition": `attachment; filename="${download.fileName}"`,
    "x-content-sha256": download.sha256,
    "cache-control": "no-store",
  });
  await pipeline(body, res);
}

async function* verdictChunks(
  plan: Awaited<ReturnType<typeof planExport>>,
): AsyncGenerator<string> {
  yield `{"header":${JSON.stringify(plan.header)},"verdicts":[`;
  let first = true;
  for await (const practitioner of plan.practitioners()) {
    for (const evaluation of practitioner.evaluations) {
      const row: VerdictRow = {
        practitionerId: practitioner.id,
        practitionerName: practitioner.name,
        clinic: practitioner.clinic?.name ?? null,
        standardId: evaluation.standardId,
        standardVersion: evaluation.standardVersion,
        verdict: evaluation.verdict,
        nextLapse: evaluation.nextLapse?.on ?? null,
        gaps: evaluation.gaps.map((gap) => gap.message),
      };
      yield `${first ? "" : ","}${JSON.stringify(row)}`;
      first = false;
    }
  }
  yield "]}\n";
}

async function streamJson(res: ServerResponse, chunks: AsyncIterable<string>): Promise<void> {
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  });
  await pipeline(Readable.from(chunks), res);
}

export function createExportsHttpHandler(options: ExportsHttpOptions): ExportsHttpHandler {
  const { db, storage } = options;
  const { now } = options;
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const openApi = openApiDocumentText();

  async function regulator(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    principal: TokenPrincipal,
  ): Promise<void> {
    const ctx: ServiceContext = {
      ...baseContext(db, now),
      actor: principal.actor,
      ...(options.jobs ? { jobs: options.jobs } : {}),
    };
    const tokenId = principal.token.id;
    const method = req.method ?? "GET";
    const path = url.pathname;
    const match = /^\/rest\/v1\/exports\/([^/]+)(\/download)?$/.exec(path);

    if (method === "GET" && (path === "/rest/v1/verdicts" || path === "/rest/v1/compliance")) {
      const scope = narrowScope(scopeFromQuery(url.searchParams), {
        organizationId: principal.token.organizationId,
        jurisdiction: principal.jurisdiction,
      });
      const plan = await planExport(db, {
        exportId: crypto.randomUUID(),
        scope,
        organizationId: principal.token.organizationId,
        generatedAt: now().toISOString(),
        generatedBy: {
          userId: null,
          name: `API token "${principal.token.label}"`,
          role: "auditor",
        },
      });
      await streamJson(
        res,
        path === "/rest/v1/verdicts"
          ? verdictChunks(plan)
          : jsonChunks(plan.header, plan.practitioners()),
      );
      return;
    }
    if (method === "GET" && path === "/rest/v1/exports") {
      const page = PageInputSchema.safeParse({
        cursor: url.searchParams.get("cursor"),
        limit: url.searchParams.get("limit") ? Number(url.searchParams.get("limit")) : undefined,
      });
      if (!page.success) throw firstIssue(page.error);
      sendJson(res, 200, await listExports(ctx, page.data, tokenId));
      return;
    }
    if (method === "POST" && path === "/rest/v1/exports") {
      const parsed = CreateExportInputSchema.safeParse(await readJsonBody(req, maxBody));
      if (!parsed.success) throw firstIssue(parsed.error);
      const job = await createExport(ctx, parsed.data, {
        apiTokenId: tokenId,
        jurisdiction: principal.jurisdiction,
      });
      sendJson(res, 202, job);
      return;
    }
    if (method === "GET" && match?.[1] && !match[2]) {
      sendJson(res, 200, await getExport(ctx, match[1], tokenId));
      return;
    }
    if (method === "GET" && match?.[1] && match[2]) {
      await sendDownload(res, await downloadExport(ctx, storage, match[1], tokenId));
      return;
    }
    throw new DomainError("NOT_FOUND", `no route for ${method} ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? "GET";
    const path = url.pathname;

    const keyMatch = /^\/\.well-known\/dn-export-key\/([^/]+?)(\.pem)?$/.exec(path);
    if (keyMatch?.[1] && method === "GET") {
      const key = await findPublicExportKey(db, keyMatch[1], now());
      if (!key) throw new DomainError("NOT_FOUND", "no organization with this id");
      res.writeHead(200, {
        "content-type": "application/x-pem-file",
        "x-key-fingerprint": key.fingerprint,
        "cache-control": "public, max-age=300",
      });
      res.end(key.publicKeyPem);
      return;
    }
    if (path === "/openapi.json" && method === "GET") {
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(openApi);
      return;
    }

    const secret = bearerToken(req.headers.authorization);
    const downloadMatch = /^\/exports\/([^/]+)\/download$/.exec(path);
    if (downloadMatch?.[1] && method === "GET") {
      const actor = secret ? await resolveSession(baseContext(db, now), secret) : null;
      if (!actor || actor.mustEnrolSecondFactor)
        throw new DomainError("UNAUTHORIZED", "sign in first: the session is missing or expired");
      await sendDownload(
        res,
        await downloadExport({ ...baseContext(db, now), actor }, storage, downloadMatch[1]),
      );
      return;
    }

    // The regulator API.
    if (!secret)
      throw new DomainError(
        "UNAUTHORIZED",
        "send a regulator token: Authorization: Bearer dnr_...",
      );
    const resolved = await resolveApiToken(db, secret, now(), { method, path });
    if (!resolved.ok) {
      throw new DomainError(
        "UNAUTHORIZED",
        resolved.reason === "unknown"
          ? "the token is not valid"
          : `the token is ${resolved.reason}`,
      );
    }
    // Recorded before answering, so every access is in the trail even if the answer fails.
    await recordApiTokenUse(db, resolved.principal, now(), { method, path, query: url.search });
    await regulator(req, res, url, resolved.principal);
  }

  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const ours =
      path.startsWith("/.well-known/dn-export-key/") ||
      path === "/openapi.json" ||
      /^\/exports\/[^/]+\/download$/.test(path) ||
      path.startsWith("/rest/v1/");
    if (!ours) return false;
    handle(req, res, url).catch((error: unknown) => {
      const domain = asDomainError(error);
      if (res.headersSent) {
        res.destroy(error as Error);
        return;
      }
      if (domain) {
        sendError(res, domain);
        return;
      }
      sendJson(res, 500, {
        error: { code: "INTERNAL_SERVER_ERROR", message: "the request failed", field: null },
      });
      options.onError?.(error);
    });
    return true;
  };
}
