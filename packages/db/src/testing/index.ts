export * from "./builders.ts";
export { loadTestEnv, type TestEnv } from "./env.ts";
export { type CreateTestDbOptions, createTestDb, testDialects } from "./test-db.ts";
