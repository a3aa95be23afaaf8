export { hashPassword, verifyPassword } from "./auth/password.ts";
export {
  type Access,
  type Action,
  can,
  canAny,
  canOwn,
  type Entity,
  hasPermission,
  type Permission,
  type PermissionCheck,
  type Principal,
  type Resource,
  ROLE_PERMISSIONS,
} from "./auth/permissions.ts";
export {
  bearerToken,
  generateSessionToken,
  hashSessionToken,
  SESSION_TTL_MS,
} from "./auth/session.ts";
export { asDomainError, DomainError, type DomainErrorCode } from "./errors.ts";
export { createTrpcHttpHandler, type TrpcHttpHandlerOptions } from "./http.ts";
export {
  type AppRouter,
  appRouter,
  createCaller,
  type RouterInputs,
  type RouterOutputs,
} from "./root.ts";
export * as auditService from "./services/audit.service.ts";
export * as authService from "./services/auth.service.ts";
export * as clinicsService from "./services/clinics.service.ts";
export {
  type Actor,
  actorFromUser,
  type PublicServiceContext,
  type ServiceContext,
} from "./services/context.ts";
export * as licensesService from "./services/licenses.service.ts";
export * as practitionersService from "./services/practitioners.service.ts";
export * as recordsService from "./services/records.service.ts";
export {
  type Context,
  createContextFromRequest,
  createContextInner,
  type FieldErrors,
  flattenIssues,
} from "./trpc.ts";
