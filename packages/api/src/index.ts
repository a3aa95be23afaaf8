export { hashPassword, verifyPassword } from "./auth/password.ts";
export {
  type Access,
  type Action,
  accessOf,
  can,
  canAny,
  type Entity,
  GRANTS,
  type Permission,
  type PermissionCheck,
  type Principal,
  permissionsOf,
  type Reach,
  type Resource,
  reachOf,
  type Standing,
} from "./auth/permissions.ts";
export {
  bearerToken,
  generateSessionToken,
  hashSessionToken,
  SESSION_TTL_MS,
} from "./auth/session.ts";
export {
  createLoginThrottle,
  createMemoryLoginThrottle,
  type LoginThrottle,
  throttleStoreFor,
} from "./auth/throttle.ts";
export {
  LOOPBACK_ONLY,
  parseTrustedProxies,
  readTrustedProxies,
  type TrustedProxies,
} from "./client-address.ts";
export { asDomainError, DomainError, type DomainErrorCode } from "./errors.ts";
export {
  createFilesHttpHandler,
  type FilesHttpHandlerOptions,
  isFilesHttpPath,
} from "./files-http.ts";
export { createTrpcHttpHandler, type TrpcHttpHandlerOptions } from "./http.ts";
export * from "./jobs/index.ts";
export {
  createExportsHttpHandler,
  type ExportsHttpHandler,
  type ExportsHttpOptions,
} from "./rest/exports-http.ts";
export { buildOpenApiDocument, openApiDocumentText } from "./rest/openapi.ts";
export {
  type AppRouter,
  appRouter,
  createCaller,
  type RouterInputs,
  type RouterOutputs,
} from "./root.ts";
export * as accountService from "./services/account.service.ts";
export * as auditService from "./services/audit.service.ts";
export * as auditCheckpointsService from "./services/audit-checkpoints.service.ts";
export * as authService from "./services/auth.service.ts";
export * as clinicsService from "./services/clinics.service.ts";
export * as complianceService from "./services/compliance.service.ts";
export {
  type AccountServices,
  type Actor,
  actorFromUser,
  baseContext,
  localAccountServices,
  type PublicServiceContext,
  type ServiceContext,
} from "./services/context.ts";
export * as deadlinesService from "./services/deadlines.service.ts";
export * as dossiersService from "./services/dossiers.service.ts";
export {
  DEFAULT_EXPORT_LEASE_MS,
  type ExportRuntime,
  ExportWorker,
  newExportLease,
  runExportAttempt,
  runExportJob,
} from "./services/export-jobs.ts";
export * as exportsService from "./services/exports.service.ts";
export * as importService from "./services/import.service.ts";
export * as importTemplates from "./services/import-template.ts";
export * as licensesService from "./services/licenses.service.ts";
export {
  createOutboxMailer,
  createSmtpMailer,
  type Mailer,
  type SmtpSettings,
} from "./services/mailer.ts";
export * as organizationsService from "./services/organizations.service.ts";
export * as practitionersService from "./services/practitioners.service.ts";
export * as recordsService from "./services/records.service.ts";
export * as standardsService from "./services/standards.service.ts";
export {
  type CreateStorageOptions,
  contentKey,
  createStorage,
  createStorageFromEnv,
  type FileBody,
  type FileStore,
  hasContent,
  LocalFileStore,
  loadStorageEnv,
  openContent,
  parseStorageEnv,
  putContent,
  readContent,
  S3FileStore,
  type S3FileStoreOptions,
  type Storage,
  StorageEnvSchema,
  type StorageSettings,
  sha256Hex,
} from "./services/storage/index.ts";
export {
  type Context,
  createContextFromRequest,
  createContextInner,
  type FieldErrors,
  flattenIssues,
} from "./trpc.ts";
