export { hashPassword, passwordNeedsRehash, verifyPassword } from "./auth/password.ts";
export {
  type CreateDbOptions,
  createDb,
  type DbHandle,
  type DbTarget,
  type DialectName,
  defaultSqlitePath,
  findRepoRoot,
  pingDb,
  resolveDbTarget,
} from "./create-db.ts";
export type * from "./database.ts";
export { type DbEnv, loadDbEnv } from "./env.ts";
export type * from "./evaluation-tables.ts";
export { checkSqliteIntegrity } from "./integrity.ts";
export { isPostgres, migrateDown, migrateToLatest } from "./migrate.ts";
export { migrations } from "./migrations/index.ts";
export * from "./repos/account-tokens.repo.ts";
export * from "./repos/assignments.repo.ts";
export * from "./repos/audit.repo.ts";
export * from "./repos/audit-checkpoints.repo.ts";
export * from "./repos/content.repo.ts";
export {
  containsPattern,
  decodeCursor,
  encodeCursor,
  InvalidCursorError,
  type Page,
  type PageRequest,
} from "./repos/cursor.ts";
export * from "./repos/custom-standards.repo.ts";
export * from "./repos/evaluations.repo.ts";
export * from "./repos/evidence.repo.ts";
export * from "./repos/exports.repo.ts";
export * from "./repos/follow-ups.repo.ts";
export * from "./repos/imports.repo.ts";
export * from "./repos/invitations.repo.ts";
export * from "./repos/jobs.repo.ts";
export * from "./repos/licenses.repo.ts";
export * from "./repos/members.repo.ts";
export * from "./repos/notifications.repo.ts";
export * from "./repos/oidc.repo.ts";
export * from "./repos/organizations.repo.ts";
export * from "./repos/practitioners.repo.ts";
export * from "./repos/training-records.repo.ts";
export {
  chunksOf,
  type Db,
  IN_LIST_CHUNK,
  inClinics,
  toStoredInstant,
} from "./repos/types.ts";
export * from "./repos/users.repo.ts";
export { readTalliedStates, TallyChanges } from "./repos/verdict-tallies.ts";
export {
  DEMO_ORGANIZATION_NAME,
  DEMO_PASSWORD,
  type DemoSeedSummary,
  seedDemo,
  seedDemoIfEmpty,
} from "./seed/demo.ts";
export { rowsAsArrays } from "./sqlite-writers.ts";
