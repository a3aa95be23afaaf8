import { vitestPreset } from "@dn/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

/**
 * Browser tests against the real apps: the global setup starts apps/api on a fresh SQLite file
 * with the demo seed and the built admin app (`pnpm build` first; turbo does it), then the tests
 * drive Debian's Chromium through playwright-core.
 */
export default mergeConfig(
  vitestPreset,
  defineConfig({
    test: {
      include: ["e2e/**/*.e2e.ts"],
      globalSetup: ["e2e/global-setup.ts"],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      fileParallelism: false,
    },
  }),
);
