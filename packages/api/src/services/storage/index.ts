export {
  contentKey,
  hasContent,
  openContent,
  putContent,
  readContent,
  sha256Hex,
} from "./content.ts";
export {
  type CreateStorageOptions,
  createStorage,
  createStorageFromEnv,
  loadStorageEnv,
  parseStorageEnv,
  type Storage,
  StorageEnvSchema,
  type StorageSettings,
} from "./env.ts";
export { type FileBody, type FileStore, requireStorageKey } from "./file-store.ts";
export { LocalFileStore } from "./local-file-store.ts";
export { S3FileStore, type S3FileStoreOptions } from "./s3-file-store.ts";
