/** Writes docs/openapi.json from the zod schemas: `pnpm --filter @dn/api openapi:write`. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocumentText } from "./openapi.ts";

const target = fileURLToPath(new URL("../../../../docs/openapi.json", import.meta.url));
writeFileSync(target, openApiDocumentText());
console.info(`wrote ${target}`);
