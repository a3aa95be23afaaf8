import { vitestPreset } from "@dn/vitest-config";
import { defineConfig, mergeConfig } from "vitest/config";

/** Unit tests of the admin app's pure modules (forms, formatting, permissions), beside the code. */
export default mergeConfig(
  vitestPreset,
  defineConfig({
    resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
    test: { include: ["app/**/*.test.ts"] },
  }),
);
