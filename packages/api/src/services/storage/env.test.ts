import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { createStorage, loadStorageEnv } from "./env.ts";
import { LocalFileStore } from "./local-file-store.ts";
import { S3FileStore } from "./s3-file-store.ts";

describe("storage settings from the environment", () => {
  test("nothing set: local directories under <repo>/data, as before", () => {
    expect(loadStorageEnv({})).toEqual({ driver: "local", filesDir: null, exportsDir: null });
    const storage = createStorage(loadStorageEnv({}), { cwd: "/nowhere/in/particular" });
    expect(storage.files).toBeInstanceOf(LocalFileStore);
    expect(storage.files.location).toBe(join("/nowhere/in/particular", "data", "files"));
    expect(storage.exports.location).toBe(join("/nowhere/in/particular", "data", "exports"));
  });

  test("DN_FILES_DIR and DN_EXPORTS_DIR choose the directories, relative to the working directory", () => {
    const settings = loadStorageEnv({ DN_FILES_DIR: "files", DN_EXPORTS_DIR: "/srv/dn/exports" });
    const storage = createStorage(settings, { cwd: "/srv/app" });
    expect(storage.files.location).toBe("/srv/app/files");
    expect(storage.exports.location).toBe("/srv/dn/exports");
  });

  test("S3 with a custom endpoint: path-style by default, region us-east-1, files/ and exports/ under the prefix", () => {
    const settings = loadStorageEnv({
      DN_STORAGE: "s3",
      DN_S3_ENDPOINT: "http://127.0.0.1:9000/",
      DN_S3_BUCKET: "dn-files",
      DN_S3_ACCESS_KEY_ID: "key",
      DN_S3_SECRET_ACCESS_KEY: "secret",
      DN_S3_PREFIX: "/tenants/harbor/",
    });
    expect(settings).toEqual({
      driver: "s3",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      bucket: "dn-files",
      credentials: { accessKeyId: "key", secretAccessKey: "secret" },
      forcePathStyle: true,
      prefix: "tenants/harbor/",
    });
    const storage = createStorage(settings, { cwd: "/srv/app" });
    try {
      expect(storage.files).toBeInstanceOf(S3FileStore);
      expect(storage.files.location).toBe("s3://dn-files/tenants/harbor/files/");
      expect(storage.exports.location).toBe("s3://dn-files/tenants/harbor/exports/");
    } finally {
      storage.close();
    }
  });

  test("AWS S3 itself: no endpoint, virtual-hosted style, the SDK's own credentials; path style can be forced either way", () => {
    expect(
      loadStorageEnv({ DN_STORAGE: "s3", DN_S3_BUCKET: "dn-prod", DN_S3_REGION: "eu-west-1" }),
    ).toEqual({
      driver: "s3",
      endpoint: null,
      region: "eu-west-1",
      bucket: "dn-prod",
      credentials: null,
      forcePathStyle: false,
      prefix: "",
    });
    const r2 = loadStorageEnv({
      DN_STORAGE: "s3",
      DN_S3_BUCKET: "dn-prod",
      DN_S3_ENDPOINT: "https://account.r2.cloudflarestorage.com",
      DN_S3_REGION: "auto",
      DN_S3_FORCE_PATH_STYLE: "false",
    });
    expect(r2).toMatchObject({ forcePathStyle: false, region: "auto" });
    expect(
      loadStorageEnv({ DN_STORAGE: "s3", DN_S3_BUCKET: "dn-prod", DN_S3_FORCE_PATH_STYLE: "1" }),
    ).toMatchObject({ forcePathStyle: true });
  });

  test.each([
    [{ DN_STORAGE: "gcs" }, "DN_STORAGE must be local or s3"],
    [{ DN_STORAGE: "s3" }, "DN_S3_BUCKET is required when DN_STORAGE=s3"],
    [{ DN_STORAGE: "s3", DN_S3_BUCKET: "Not_A_Bucket" }, "DN_S3_BUCKET must be a bucket name"],
    [
      { DN_STORAGE: "s3", DN_S3_BUCKET: "dn", DN_S3_ENDPOINT: "minio:9000" },
      "DN_S3_ENDPOINT must be an http(s) URL",
    ],
    [
      { DN_STORAGE: "s3", DN_S3_BUCKET: "dn-x", DN_S3_ACCESS_KEY_ID: "key" },
      "DN_S3_SECRET_ACCESS_KEY is required when DN_S3_ACCESS_KEY_ID is set",
    ],
    [
      { DN_STORAGE: "s3", DN_S3_BUCKET: "dn-x", DN_S3_SECRET_ACCESS_KEY: "secret" },
      "DN_S3_ACCESS_KEY_ID is required when DN_S3_SECRET_ACCESS_KEY is set",
    ],
    [
      { DN_STORAGE: "s3", DN_S3_BUCKET: "dn-x", DN_S3_FORCE_PATH_STYLE: "maybe" },
      "DN_S3_FORCE_PATH_STYLE must be true or false",
    ],
    [
      { DN_STORAGE: "s3", DN_S3_BUCKET: "dn-x", DN_S3_PREFIX: "a/../b" },
      "DN_S3_PREFIX must not have empty or .. segments",
    ],
    [
      { DN_STORAGE: "s3", DN_S3_BUCKET: "dn-x", DN_S3_REGION: " " },
      "DN_S3_REGION must not be empty",
    ],
    [{ DN_FILES_DIR: "" }, "DN_FILES_DIR must not be empty"],
  ])("%o is refused: %s", (env, message) => {
    expect(() => loadStorageEnv(env)).toThrow(`Invalid storage settings: ${message}`);
  });
});
