/**
 * Where finished export files are kept so they can be downloaded again: a directory, one file
 * per export under `<organizationId>/<exportId>/<fileName>`, written and read as streams.
 */
import { createReadStream, createWriteStream, mkdirSync } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { Readable, Writable } from "node:stream";

export interface ExportStorage {
  /** A stream writing the file stored under `key` (created or replaced). */
  write(key: string): Writable;
  /** A stream of the file stored under `key`; fails with ENOENT when there is none. */
  read(key: string): Readable;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}

export class LocalExportStorage implements ExportStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`not a storage key: ${key}`);
    return path;
  }

  write(key: string): Writable {
    const path = this.pathOf(key);
    mkdirSync(dirname(path), { recursive: true });
    return createWriteStream(path);
  }

  read(key: string): Readable {
    return createReadStream(this.pathOf(key));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await stat(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}
