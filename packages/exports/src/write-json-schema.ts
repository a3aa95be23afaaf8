/** Writes docs/export-format.schema.json from the zod schema: `pnpm --filter @dn/exports schema:write`. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { exportJsonSchemaText } from "./schema-json.ts";

const target = fileURLToPath(new URL("../../../docs/export-format.schema.json", import.meta.url));
writeFileSync(target, exportJsonSchemaText());
process.stdout.write(`wrote ${target}\n`);
