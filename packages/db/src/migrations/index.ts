/**
 * Every migration, by sortable name. A static map (not FileMigrationProvider) so migrations are
 * found the same way under tsx, vitest and bundlers. Add new migrations here, never edit old ones.
 */
import type { Migration, MigrationProvider } from "kysely";
import * as m20261126T0000Initial from "./2026-11-26T0000-initial.ts";

export const migrations: Record<string, Migration> = {
  "2026-11-26T0000-initial": m20261126T0000Initial,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
