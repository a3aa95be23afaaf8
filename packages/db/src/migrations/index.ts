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
import * as m20261202T0400Jobs from "./2026-12-02T0400-jobs.ts";
import * as m20261202T0500StandardLifecycle from "./2026-12-02T0500-standard-lifecycle.ts";
import * as m20261202T0600StoredEvaluations from "./2026-12-02T0600-stored-evaluations.ts";
import * as m20261202T0700Notifications from "./2026-12-02T0700-notifications.ts";
import * as m20261202T0800AuditCheckpoints from "./2026-12-02T0800-audit-checkpoints.ts";
import * as m20261202T0900PendingRecordsIndex from "./2026-12-02T0900-pending-records-index.ts";
import * as m20261202T1000StoredEvaluationsOnce from "./2026-12-02T1000-stored-evaluations-once.ts";
import * as m20261202T1100StoredSummaries from "./2026-12-02T1100-stored-summaries.ts";
import * as m20261203T0100DashboardCountIndexes from "./2026-12-03T0100-dashboard-count-indexes.ts";
import * as m20261204T0100RefreshCheckIndex from "./2026-12-04T0100-refresh-check-index.ts";
import * as m20261204T0200StateClinics from "./2026-12-04T0200-state-clinics.ts";
import * as m20261204T0300VerdictTallies from "./2026-12-04T0300-verdict-tallies.ts";
import * as m20261204T0400AStatePerPractitioner from "./2026-12-04T0400-a-state-per-practitioner.ts";
import * as m20261204T0500DeadlineTallies from "./2026-12-04T0500-deadline-tallies.ts";

export const migrations: Record<string, Migration> = {
  "2026-11-26T0000-initial": m20261126T0000Initial,
  "2026-11-27T0100-standards": m20261127T0100Standards,
  "2026-11-27T0200-evidence": m20261127T0200Evidence,
  "2026-11-27T0300-exports": m20261127T0300Exports,
  "2026-11-27T0400-content": m20261127T0400Content,
  "2026-12-02T0100-accounts": m20261202T0100Accounts,
  "2026-12-02T0200-audit-chain": m20261202T0200AuditChain,
  "2026-12-02T0300-content-slugs": m20261202T0300ContentSlugs,
  "2026-12-02T0400-jobs": m20261202T0400Jobs,
  "2026-12-02T0500-standard-lifecycle": m20261202T0500StandardLifecycle,
  "2026-12-02T0600-stored-evaluations": m20261202T0600StoredEvaluations,
  "2026-12-02T0700-notifications": m20261202T0700Notifications,
  "2026-12-02T0800-audit-checkpoints": m20261202T0800AuditCheckpoints,
  "2026-12-02T0900-pending-records-index": m20261202T0900PendingRecordsIndex,
  "2026-12-02T1000-stored-evaluations-once": m20261202T1000StoredEvaluationsOnce,
  "2026-12-02T1100-stored-summaries": m20261202T1100StoredSummaries,
  "2026-12-03T0100-dashboard-count-indexes": m20261203T0100DashboardCountIndexes,
  "2026-12-04T0100-refresh-check-index": m20261204T0100RefreshCheckIndex,
  "2026-12-04T0200-state-clinics": m20261204T0200StateClinics,
  "2026-12-04T0300-verdict-tallies": m20261204T0300VerdictTallies,
  "2026-12-04T0400-a-state-per-practitioner": m20261204T0400AStatePerPractitioner,
  "2026-12-04T0500-deadline-tallies": m20261204T0500DeadlineTallies,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
