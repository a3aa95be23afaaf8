/**
 * The one storage interface for files the API keeps: evidence files (certificates, under
 * content-addressed keys, see content.ts) and finished exports (`<organization>/<export>/<file>`).
 * Two drivers: a local directory (local-file-store.ts, the default) and S3-compatible object
 * storage (s3-file-store.ts), so several API instances can share one store (decision 059).
 */
import type { Readable } from "node:stream";

/** What a file can be written from: a stream (read to its end), an async iterable, or bytes. */
export type FileBody = Readable | AsyncIterable<Uint8Array> | Uint8Array;

export interface FileStore {
  /** Where the files are, for logs and errors: a directory or `s3://bucket/prefix`. */
  readonly location: string;
  /**
   * Stores `body` under `key` (created or replaced), reading it as a stream. The file is visible
   * under `key` only once the whole body is stored: when the body fails, or the write does,
   * the promise rejects and nothing is left under `key` (an earlier file there is kept).
   */
  write(key: string, body: FileBody): Promise<{ size: number }>;
  /** A stream of the file under `key`, or null when there is none. */
  read(key: string): Promise<Readable | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the file under `key`; nothing happens when there is none. */
  remove(key: string): Promise<void>;
  /** Resolves when the store can be written and read (readiness); rejects saying why not. */
  check(): Promise<void>;
}

/**
 * Refuses keys that could escape the store or mean different files on different drivers:
 * segments separated by `/`, none empty, `.` or `..`, no backslash or control character.
 */
export function requireStorageKey(key: string): string {
  const segments = key.split("/");
  const bad =
    key.length === 0 ||
    key.length > 900 ||
    // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
    /[\\\u0000-\u001f\u007f]/.test(key) ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  if (bad) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
  return key;
}
