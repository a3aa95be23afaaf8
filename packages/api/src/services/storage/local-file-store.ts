/**
 * The local-directory driver: the file under `key` is `<root>/<key>`. Each write goes to a
 * temporary file beside its target, is flushed to disk, then renamed over it, so a crash or a
 * failed body never leaves a partial file under a real name.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type FileBody, type FileStore, requireStorageKey } from "./file-store.ts";

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** Counts the bytes that pass through. */
export function byteCounter(): { transform: Transform; size: () => number } {
  let size = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return { transform, size: () => size };
}

export class LocalFileStore implements FileStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get location(): string {
    return this.root;
  }

  /** The file's path under the root. */
  pathOf(key: string): string {
    const path = resolve(join(this.root, requireStorageKey(key)));
    if (!path.startsWith(this.root + sep)) throw new Error(`not a storage key: ${key}`);
    return path;
  }

  async write(key: string, body: FileBody): Promise<{ size: number }> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${randomUUID()}.tmp`;
    const counter = byteCounter();
    try {
      await pipeline(
        body instanceof Uint8Array ? [body] : body,
        counter.transform,
        createWriteStream(temp, { flags: "wx" }),
      );
      const handle = await open(temp, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return { size: counter.size() };
  }

  async read(key: string): Promise<Readable | null> {
    try {
      const handle = await open(this.pathOf(key), "r");
      return handle.createReadStream();
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      return (await stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async check(): Promise<void> {
    const probe = join(this.root, `.dn-check-${randomUUID()}`);
    try {
      await mkdir(this.root, { recursive: true });
      await writeFile(probe, "ok", { flag: "wx" });
      await rm(probe, { force: true });
    } catch (error) {
      throw new Error(`the directory ${this.root} is not writable: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
}
