import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/**
 * The one vitest preset. Packages spread it into their own `vitest.config.ts`.
 * `console.error` fails a test unless the test expected it (see setup.ts).
 *
 * Test files run in parallel: each test opens its own database copied from a migrated template
 * (@dn/db/testing), so no two files share state. The suites wait on PostgreSQL as much as they
 * compute, so even a 2-core machine runs two files at once (vitest's default would be one).
 */
export const vitestPreset = defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    setupFiles: [new URL("./setup.ts", import.meta.url).pathname],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
