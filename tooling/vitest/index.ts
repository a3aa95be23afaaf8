import { defineConfig } from "vitest/config";

/**
 * The one vitest preset. Packages spread it into their own `vitest.config.ts`.
 * `console.error` fails a test unless the test expected it (see setup.ts).
 */
export const vitestPreset = defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    setupFiles: [new URL("./setup.ts", import.meta.url).pathname],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // PostgreSQL-backed suites share one server; files run one at a time per package.
    fileParallelism: false,
  },
});
