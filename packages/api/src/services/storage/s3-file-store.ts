/**
 * The S3-compatible driver (AWS S3, MinIO, Garage, Cloudflare R2, ...): the file under `key` is
 * the object `<prefix><key>` in one bucket. Writes stream through `@aws-sdk/lib-storage`'s
 * Upload: a body under one part is a single PutObject sent only once the body has ended; a larger
 * one is a multipart upload that is completed only after the last part, and aborted when the
 * body or a part fails, so no partial object is ever visible.
 */

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { type FileBody, type FileStore, requireStorageKey } from "./file-store.ts";
import { byteCounter } from "./local-file-store.ts";

export interface S3FileStoreOptions {
  client: S3Client;
  bucket: string;
  /** Prepended to every key, e.g. `dn/files/` (empty: the bucket's root). */
  prefix?: string;
  /** Bytes per part of a multipart upload (at least 5 MiB, S3's minimum; default 8 MiB). */
  partSize?: number;
  /** Parts uploaded at once (default 2): memory held is about partSize × (queueSize + 1). */
  queueSize?: number;
}

function isNotFound(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NoSuchKey" || name === "NotFound" || $metadata?.httpStatusCode === 404;
}

export class S3FileStore implements FileStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3FileStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? "";
    this.partSize = Math.max(options.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024);
    this.queueSize = options.queueSize ?? 2;
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  /** The object key of `key`. */
  objectKey(key: string): string {
    return `${this.prefix}${requireStorageKey(key)}`;
  }

  async write(key: string, body: FileBody): Promise<{ size: number }> {
    const Key = this.objectKey(key);
    const counter = byteCounter();
    // The body flows through the counter into the upload; a failing body fails the upload
    // (which aborts it), and a failing upload stops reading the body.
    let bodyError: unknown = null;
    const fed = pipeline(body instanceof Uint8Array ? [body] : body, counter.transform).catch(
      (error: unknown) => {
        bodyError = error;
      },
    );
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key, Body: counter.transform },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      counter.transform.destroy(error instanceof Error ? error : new Error(String(error)));
      await fed;
      // The body's own failure is the reason, even when aborting the multipart upload failed too
      // (its parts stay invisible; a bucket lifecycle rule removes them).
      throw bodyError ?? error;
    }
    await fed;
    if (bodyError) throw bodyError;
    return { size: counter.size() };
  }

  async read(key: string): Promise<Readable | null> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      const body = response.Body;
      if (!body) return Readable.from([]);
      return body instanceof Readable
        ? body
        : Readable.fromWeb(body.transformToWebStream() as import("node:stream/web").ReadableStream);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
      );
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }),
    );
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata
        ?.httpStatusCode;
      const reason =
        status === 404
          ? "no such bucket"
          : status === 403
            ? "access denied (check DN_S3_ACCESS_KEY_ID and DN_S3_SECRET_ACCESS_KEY)"
            : (error as Error).message || (error as Error).name;
      throw new Error(`the bucket ${this.bucket} is not reachable: ${reason}`, { cause: error });
    }
  }
}
