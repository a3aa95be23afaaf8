/**
 * Every migration, by sortable name. A static map (not FileMigrationProvider) so migrations are
 * found the same way under tsx, vitest and bundlers. Add new migrations here, never edit old ones.
 */
import type { Migration, MigrationProvider } from "kysely";
import * as m20261126T0000Initial from "./2026-11-26T0000-initial.ts";
import * as m20261127T0100Standards from "./2026-11-27T0100-standards.ts";
import * as m20261127T0200Evidence from "./2026-11-27T0200-evidence.ts";
import * as m20261127T0300Exports from "./2026-11-27T0300-exports.ts";
import * as m20261127T0400Content from "./2026-11-27T0400-content.ts";
import * as m20261202T0100Accounts from "./2026-12-02T0100-accounts.ts";
import * as m20261202T0200AuditChain from "./2026-12-02T0200-audit-chain.ts";
import * as m20261202T0300ContentSlugs from "./2026-12-02T0300-content-slugs.ts";

export const migrations: Record<string, Migration> = {
  "2026-11-26T0000-initial": m20261126T0000Initial,
  "2026-11-27T0100-standards": m20261127T0100Standards,
  "2026-11-27T0200-evidence": m20261127T0200Evidence,
  "2026-11-27T0300-exports": m20261127T0300Exports,
  "2026-11-27T0400-content": m20261127T0400Content,
  "2026-12-02T0100-accounts": m20261202T0100Accounts,
  "2026-12-02T0200-audit-chain": m20261202T0200AuditChain,
  "2026-12-02T0300-content-slugs": m20261202T0300ContentSlugs,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
