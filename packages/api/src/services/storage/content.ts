/**
 * Content-addressed files on a FileStore (evidence): stored under their SHA-256 as
 * `<aa>/<bb>/<sha256>`, the layout the local directory has always had, so the same file
 * uploaded twice is stored once.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import type { FileStore } from "./file-store.ts";

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

const DIGEST = /^[0-9a-f]{64}$/;

/** The key of the content whose SHA-256 is `sha256` (lowercase hex). */
export function contentKey(sha256: string): string {
  if (!DIGEST.test(sha256)) throw new Error(`not a SHA-256 digest: ${sha256}`);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

/** Stores `bytes` under their SHA-256; a no-op when already stored. Returns the digest. */
export async function putContent(store: FileStore, bytes: Uint8Array): Promise<string> {
  const sha256 = sha256Hex(bytes);
  const key = contentKey(sha256);
  if (!(await store.exists(key))) await store.write(key, bytes);
  return sha256;
}

export function hasContent(store: FileStore, sha256: string): Promise<boolean> {
  return store.exists(contentKey(sha256));
}

/** A stream of the content stored under `sha256`, or null. */
export function openContent(store: FileStore, sha256: string): Promise<Readable | null> {
  return store.read(contentKey(sha256));
}

/** The bytes stored under `sha256`, or null (for small files; downloads use openContent). */
export async function readContent(store: FileStore, sha256: string): Promise<Uint8Array | null> {
  const stream = await openContent(store, sha256);
  return stream ? new Uint8Array(await buffer(stream)) : null;
}
