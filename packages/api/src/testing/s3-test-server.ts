/**
 * A real S3-protocol server (s3rver) on a free local port, storing into a temporary directory,
 * for tests of the S3 storage driver and of several API instances sharing one store.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { createStorage, type Storage, type StorageSettings } from "../services/storage/env.ts";
import type { S3FileStore } from "../services/storage/s3-file-store.ts";

export interface S3TestServer {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The storage settings for this server, as a process reads them (`DN_STORAGE=s3`, ...). */
  env(prefix?: string): Record<string, string>;
  settings(prefix?: string): Extract<StorageSettings, { driver: "s3" }>;
  /** A new client and stores on this server (each call is like another process). */
  createStorage(prefix?: string): Storage;
  /** Every object key in the bucket (under `prefix`), sorted. */
  listKeys(prefix?: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startS3TestServer(options: { bucket?: string } = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? "dn-test";
  const directory = await mkdtemp(join(tmpdir(), "dn-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  // s3rver's built-in account.
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const opened: Storage[] = [];
  let lister: Storage | null = null;
  const env = (prefix?: string): Record<string, string> => ({
    DN_STORAGE: "s3",
    DN_S3_ENDPOINT: endpoint,
    DN_S3_REGION: "us-east-1",
    DN_S3_BUCKET: bucket,
    DN_S3_ACCESS_KEY_ID: credentials.accessKeyId,
    DN_S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    DN_S3_FORCE_PATH_STYLE: "true",
    ...(prefix ? { DN_S3_PREFIX: prefix } : {}),
  });
  const settings = (prefix?: string): Extract<StorageSettings, { driver: "s3" }> => ({
    driver: "s3",
    endpoint,
    region: "us-east-1",
    bucket,
    credentials,
    forcePathStyle: true,
    prefix: prefix ? `${prefix.replace(/^\/+|\/+$/g, "")}/` : "",
  });
  const open = (prefix?: string): Storage => {
    const storage = createStorage(settings(prefix), { cwd: directory });
    opened.push(storage);
    return storage;
  };
  return {
    endpoint,
    bucket,
    region: "us-east-1",
    ...credentials,
    env,
    settings,
    createStorage: open,
    async listKeys(prefix = "") {
      lister ??= open();
      const client = (lister.files as S3FileStore).client;
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async stop() {
      for (const storage of opened) storage.close();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
