/**
 * Storage settings from the environment: the only place the storage code reads process.env.
 * The API host, the CLI and a worker process all build their stores with createStorageFromEnv
 * (or createStorage with settings they validated), so they agree on where files are.
 *
 *   DN_STORAGE               local (default) or s3
 *   DN_FILES_DIR             local: evidence files (default <repo>/data/files)
 *   DN_EXPORTS_DIR           local: finished exports (default <repo>/data/exports)
 *   DN_S3_ENDPOINT           s3: the server's URL (unset: AWS S3 for DN_S3_REGION)
 *   DN_S3_REGION             s3: default us-east-1
 *   DN_S3_BUCKET             s3: required
 *   DN_S3_ACCESS_KEY_ID      s3: with DN_S3_SECRET_ACCESS_KEY; both unset: the SDK's own chain
 *   DN_S3_SECRET_ACCESS_KEY
 *   DN_S3_FORCE_PATH_STYLE   s3: true/false; default true when DN_S3_ENDPOINT is set
 *   DN_S3_PREFIX             s3: optional key prefix, e.g. dn/prod; files/ and exports/ go under it
 */
import { join, resolve } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { findRepoRoot } from "@dn/db";
import { z } from "zod";
import type { FileStore } from "./file-store.ts";
import { LocalFileStore } from "./local-file-store.ts";
import { S3FileStore } from "./s3-file-store.ts";

const nonEmpty = z.string().trim().min(1, { error: "must not be empty" });

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => ["true", "false", "1", "0", "yes", "no"].includes(value), {
    error: "must be true or false",
  })
  .transform((value) => value === "true" || value === "1" || value === "yes");

export const StorageEnvSchema = z
  .object({
    DN_STORAGE: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
    DN_FILES_DIR: nonEmpty.optional(),
    DN_EXPORTS_DIR: nonEmpty.optional(),
    DN_S3_ENDPOINT: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .transform((url) => url.replace(/\/+$/, ""))
      .optional(),
    DN_S3_REGION: nonEmpty.default("us-east-1"),
    DN_S3_BUCKET: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
        error: "must be a bucket name: 3 to 63 lowercase letters, digits, dots or hyphens",
      })
      .optional(),
    DN_S3_ACCESS_KEY_ID: nonEmpty.optional(),
    DN_S3_SECRET_ACCESS_KEY: nonEmpty.optional(),
    DN_S3_FORCE_PATH_STYLE: flag.optional(),
    DN_S3_PREFIX: z
      .string()
      .trim()
      .transform((value) => value.replace(/^\/+|\/+$/g, ""))
      .refine((value) => value === "" || /^[A-Za-z0-9!_.*'()/-]+$/.test(value), {
        error: "must be letters, digits and / - _ . ! * ' ( ) only",
      })
      .refine((value) => !value.split("/").some((part) => part === "" || part === ".."), {
        error: "must not have empty or .. segments",
      })
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.DN_STORAGE !== "s3") return;
    if (!env.DN_S3_BUCKET) {
      ctx.addIssue({
        code: "custom",
        path: ["DN_S3_BUCKET"],
        message: "is required when DN_STORAGE=s3",
      });
    }
    if (env.DN_S3_ACCESS_KEY_ID && !env.DN_S3_SECRET_ACCESS_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["DN_S3_SECRET_ACCESS_KEY"],
        message: "is required when DN_S3_ACCESS_KEY_ID is set",
      });
    }
    if (env.DN_S3_SECRET_ACCESS_KEY && !env.DN_S3_ACCESS_KEY_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["DN_S3_ACCESS_KEY_ID"],
        message: "is required when DN_S3_SECRET_ACCESS_KEY is set",
      });
    }
  });

/** Where files are kept, as the environment says. */
export type StorageSettings =
  | { driver: "local"; filesDir: string | null; exportsDir: string | null }
  | {
      driver: "s3";
      endpoint: string | null;
      region: string;
      bucket: string;
      credentials: { accessKeyId: string; secretAccessKey: string } | null;
      forcePathStyle: boolean;
      /** "" or ending in "/". */
      prefix: string;
    };

function settingsOf(env: z.output<typeof StorageEnvSchema>): StorageSettings {
  if (env.DN_STORAGE === "local") {
    return {
      driver: "local",
      filesDir: env.DN_FILES_DIR ?? null,
      exportsDir: env.DN_EXPORTS_DIR ?? null,
    };
  }
  return {
    driver: "s3",
    endpoint: env.DN_S3_ENDPOINT ?? null,
    region: env.DN_S3_REGION,
    bucket: env.DN_S3_BUCKET as string,
    credentials:
      env.DN_S3_ACCESS_KEY_ID && env.DN_S3_SECRET_ACCESS_KEY
        ? { accessKeyId: env.DN_S3_ACCESS_KEY_ID, secretAccessKey: env.DN_S3_SECRET_ACCESS_KEY }
        : null,
    forcePathStyle: env.DN_S3_FORCE_PATH_STYLE ?? env.DN_S3_ENDPOINT !== undefined,
    prefix: env.DN_S3_PREFIX ? `${env.DN_S3_PREFIX}/` : "",
  };
}

/** The settings, or each problem as `VARIABLE message` (for a host that reports all at once). */
export function parseStorageEnv(
  source: Record<string, string | undefined>,
): { ok: true; settings: StorageSettings } | { ok: false; problems: string[] } {
  const result = StorageEnvSchema.safeParse(source);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`),
    };
  }
  return { ok: true, settings: settingsOf(result.data) };
}

/** Reads and validates the storage settings, naming each variable at fault. */
export function loadStorageEnv(
  source: Record<string, string | undefined> = process.env,
): StorageSettings {
  const parsed = parseStorageEnv(source);
  if (!parsed.ok) throw new Error(`Invalid storage settings: ${parsed.problems.join("; ")}`);
  return parsed.settings;
}

/** The two stores: evidence files (content-addressed) and finished exports. */
export interface Storage {
  settings: StorageSettings;
  files: FileStore;
  exports: FileStore;
  /** Both stores reachable and writable (for /ready). */
  check(): Promise<void>;
  /** Releases the S3 client's connections (a no-op for local directories). */
  close(): void;
}

export interface CreateStorageOptions {
  /** Relative directories are resolved against it, and `<repo>/data` is found from it. */
  cwd: string;
}

/** Opens the stores the settings describe; nothing is contacted until the first use. */
export function createStorage(settings: StorageSettings, options: CreateStorageOptions): Storage {
  if (settings.driver === "local") {
    const data = join(findRepoRoot(options.cwd) ?? options.cwd, "data");
    const files = new LocalFileStore(
      settings.filesDir ? resolve(options.cwd, settings.filesDir) : join(data, "files"),
    );
    const exports = new LocalFileStore(
      settings.exportsDir ? resolve(options.cwd, settings.exportsDir) : join(data, "exports"),
    );
    return {
      settings,
      files,
      exports,
      check: async () => {
        await Promise.all([files.check(), exports.check()]);
      },
      close: () => {},
    };
  }
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    // Checksums only where S3 requires them: MinIO, Garage, R2 and older servers do not all
    // accept the newer default (CRC32 trailers in aws-chunked bodies).
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const files = new S3FileStore({
    client,
    bucket: settings.bucket,
    prefix: `${settings.prefix}files/`,
  });
  const exports = new S3FileStore({
    client,
    bucket: settings.bucket,
    prefix: `${settings.prefix}exports/`,
  });
  return {
    settings,
    files,
    exports,
    check: () => files.check(),
    close: () => client.destroy(),
  };
}

/** createStorage with the settings read from `source` (default process.env). */
export function createStorageFromEnv(
  source: Record<string, string | undefined> = process.env,
  options: CreateStorageOptions = { cwd: process.cwd() },
): Storage {
  return createStorage(loadStorageEnv(source), options);
}
