/**
 * One behavioural suite, run over both drivers: the local directory and S3 (a real s3rver on a
 * local port, not a mock). What a caller may rely on is the same whichever is configured.
 */
import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { type S3TestServer, startS3TestServer } from "../../testing/s3-test-server.ts";
import {
  contentKey,
  hasContent,
  openContent,
  putContent,
  readContent,
  sha256Hex,
} from "./content.ts";
import type { FileStore } from "./file-store.ts";
import { LocalFileStore } from "./local-file-store.ts";
import { S3FileStore } from "./s3-file-store.ts";

let s3: S3TestServer;
beforeAll(async () => {
  s3 = await startS3TestServer();
});
afterAll(async () => {
  await s3?.stop();
});

interface Driver {
  store: FileStore;
  /** Every file the store holds, as keys (a local directory's temporary files included). */
  everything(): Promise<string[]>;
  dispose(): Promise<void>;
}

async function walk(root: string, at = ""): Promise<string[]> {
  const entries = await readdir(join(root, at), { withFileTypes: true }).catch(() => []);
  const found: string[] = [];
  for (const entry of entries) {
    const path = at ? `${at}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...(await walk(root, path)));
    else found.push(path);
  }
  return found.sort();
}

let runs = 0;
const drivers: Array<[string, () => Promise<Driver>]> = [
  [
    "a local directory",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "dn-file-store-"));
      return {
        store: new LocalFileStore(dir),
        everything: () => walk(dir),
        dispose: () => rm(dir, { recursive: true, force: true }),
      };
    },
  ],
  [
    "S3 (s3rver)",
    async () => {
      runs += 1;
      const prefix = `run-${runs}`;
      const storage = s3.createStorage(prefix);
      const store = storage.files as S3FileStore;
      return {
        store,
        // Objects only: s3rver lists no multipart uploads (real S3 servers do).
        everything: async () =>
          (await s3.listKeys(store.prefix)).map((key) => key.slice(store.prefix.length)),
        dispose: async () => storage.close(),
      };
    },
  ],
];

/** A stream of `size` deterministic bytes in 64 KiB chunks, failing after `failAt` bytes if set. */
function generated(size: number, failAt?: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (failAt !== undefined && sent >= failAt) {
        this.destroy(new Error("the source broke off"));
        return;
      }
      if (sent >= size) {
        this.push(null);
        return;
      }
      const length = Math.min(64 * 1024, size - sent);
      const chunk = Buffer.alloc(length);
      for (let i = 0; i < length; i += 1) chunk[i] = (sent + i) % 251;
      sent += length;
      this.push(chunk);
    },
  });
}

async function digestOf(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest("hex"), size };
}

describe.each(drivers)("a file store on %s", (_name, open) => {
  let driver: Driver;
  let store: FileStore;
  beforeEach(async () => {
    driver = await open();
    store = driver.store;
  });
  afterEach(async () => {
    await driver.dispose();
  });

  test("a file written under a key reads back byte for byte, exists, and is gone once removed", async () => {
    const key = "org-1/export-1/dn-export.json";
    expect(await store.exists(key)).toBe(false);
    expect(await store.read(key)).toBeNull();
    const written = await store.write(key, Buffer.from('{"hello":"world"}\n'));
    expect(written.size).toBe(18);
    expect(await store.exists(key)).toBe(true);
    const stream = await store.read(key);
    expect(stream).not.toBeNull();
    expect((await buffer(stream as Readable)).toString()).toBe('{"hello":"world"}\n');
    expect(await driver.everything()).toEqual([key]);

    await store.remove(key);
    expect(await store.exists(key)).toBe(false);
    expect(await store.read(key)).toBeNull();
    await store.remove(key); // removing what is not there is not an error
    expect(await driver.everything()).toEqual([]);
  });

  test("writing a key again replaces its file; other keys are untouched", async () => {
    await store.write("a/one.txt", Buffer.from("first"));
    await store.write("a/two.txt", Buffer.from("other"));
    await store.write("a/one.txt", Readable.from([Buffer.from("sec"), Buffer.from("ond")]));
    expect((await buffer((await store.read("a/one.txt")) as Readable)).toString()).toBe("second");
    expect((await buffer((await store.read("a/two.txt")) as Readable)).toString()).toBe("other");
  });

  test("a body that fails part way leaves nothing under the key, and keeps the file that was there", async () => {
    await expect(store.write("x/broken.zip", generated(1024 * 1024, 300 * 1024))).rejects.toThrow(
      "the source broke off",
    );
    expect(await store.exists("x/broken.zip")).toBe(false);
    expect(await driver.everything()).toEqual([]);

    await store.write("x/kept.zip", Buffer.from("the finished file"));
    await expect(store.write("x/kept.zip", generated(512 * 1024, 128 * 1024))).rejects.toThrow(
      "the source broke off",
    );
    expect((await buffer((await store.read("x/kept.zip")) as Readable)).toString()).toBe(
      "the finished file",
    );
    expect(await driver.everything()).toEqual(["x/kept.zip"]);
  });

  test("a body larger than one upload part (a multipart upload) fails part way: the body's error, no object", async () => {
    await expect(
      store.write("big/broken.bin", generated(24 * 1024 * 1024, 18 * 1024 * 1024)),
    ).rejects.toThrow("the source broke off");
    expect(await store.exists("big/broken.bin")).toBe(false);
    expect(await driver.everything()).toEqual([]);
  });

  test("a large file streams in and out whole (several upload parts), read as a stream", async () => {
    const size = 21 * 1024 * 1024 + 12_345;
    const expected = await digestOf(generated(size));
    const written = await store.write("big/file.bin", generated(size));
    expect(written.size).toBe(size);
    const stream = await store.read("big/file.bin");
    expect(stream).toBeInstanceOf(Readable);
    expect(await digestOf(stream as Readable)).toEqual(expected);
  }, 60_000);

  test("an empty file is a file", async () => {
    await store.write("empty.txt", new Uint8Array(0));
    expect(await store.exists("empty.txt")).toBe(true);
    expect((await buffer((await store.read("empty.txt")) as Readable)).length).toBe(0);
  });

  test("keys that could escape the store or mean two things are refused", async () => {
    for (const key of ["", "../etc/passwd", "a/../../b", "/abs", "a//b", "a\\b", "a/./b", "a/"]) {
      await expect(store.write(key, Buffer.from("x")), key).rejects.toThrow("not a storage key");
      await expect(store.exists(key), key).rejects.toThrow("not a storage key");
    }
    expect(await driver.everything()).toEqual([]);
  });

  test("content addressing: stored once under its SHA-256 as aa/bb/<sha256>, read back by digest", async () => {
    const bytes = new Uint8Array(Buffer.from("%PDF-1.4 a certificate %%EOF"));
    const sha256 = await putContent(store, bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    expect(await putContent(store, bytes)).toBe(sha256);
    expect(await driver.everything()).toEqual([
      `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`,
    ]);
    expect(contentKey(sha256)).toBe(`${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);
    expect(await hasContent(store, sha256)).toBe(true);
    expect(await readContent(store, sha256)).toEqual(bytes);
    expect(await buffer((await openContent(store, sha256)) as Readable)).toEqual(
      Buffer.from(bytes),
    );

    const absent = sha256Hex(new Uint8Array([1, 2, 3]));
    expect(await hasContent(store, absent)).toBe(false);
    expect(await readContent(store, absent)).toBeNull();
    expect(() => contentKey("not-a-digest")).toThrow("not a SHA-256 digest");
  });

  test("check() passes on a reachable, writable store and leaves nothing behind", async () => {
    await expect(store.check()).resolves.toBeUndefined();
    expect(await driver.everything()).toEqual([]);
  });
});

describe("check() says what is wrong", () => {
  test("a local directory that cannot be created", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dn-file-store-"));
    try {
      const file = join(dir, "a-file");
      await new LocalFileStore(dir).write("a-file", Buffer.from("x"));
      await expect(new LocalFileStore(join(file, "below")).check()).rejects.toThrow(
        `the directory ${join(file, "below")} is not writable`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a bucket that does not exist, and wrong credentials", async () => {
    const storage = s3.createStorage();
    const missing = new S3FileStore({
      client: (storage.files as S3FileStore).client,
      bucket: "no-such-bucket",
    });
    await expect(missing.check()).rejects.toThrow("the bucket no-such-bucket is not reachable");
    const { createStorage } = await import("./env.ts");
    const wrong = createStorage(
      { ...s3.settings(), credentials: { accessKeyId: "NOT-A-KEY", secretAccessKey: "wrong" } },
      { cwd: tmpdir() },
    );
    try {
      await expect(wrong.check()).rejects.toThrow(`the bucket ${s3.bucket} is not reachable`);
    } finally {
      wrong.close();
    }
  });
});

describe("the local driver keeps the directory layout existing data has", () => {
  test("content lives at <root>/<aa>/<bb>/<sha256>, so files stored before keep working", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dn-file-store-"));
    try {
      const bytes = new Uint8Array(Buffer.from("an old certificate"));
      const sha256 = await putContent(new LocalFileStore(dir), bytes);
      expect(await readFile(join(dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256))).toEqual(
        Buffer.from(bytes),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
