import {
  type CustomStandardVersion,
  type Db,
  listAllCustomStandardVersions,
  listCustomStandardVersions,
} from "@dn/db";
import {
  type IsoDate,
  type StandardDocument,
  type StandardVersionEntry,
  versionInForce,
} from "@dn/schema";
import { listStandardIds, standardsPack, standardVersions } from "@dn/standards";

/**
 * Where services look standards up: the shipped pack, plus each organization's own (custom)
 * standards stored in the database. A pack id always means the pack's standard: custom
 * standards may not take a pack id (docs/decisions/010-custom-standards-storage.md).
 *
 * Custom versions have a life cycle (docs/decisions/056-standard-lifecycle.md): a draft applies
 * to nobody, so every lookup used to evaluate, list what applies or export sees only published
 * versions. Only the standard pages and the editor ask for drafts too (`...WithDrafts`).
 */

const packIds = new Set(listStandardIds());

/** True when `id` names a standard of the shipped pack. */
export function isPackStandardId(id: string): boolean {
  return packIds.has(id);
}

function packEntry(standard: StandardDocument): StandardVersionEntry {
  return {
    source: "pack",
    standard,
    createdAt: null,
    createdBy: null,
    lifecycle: "published",
    publishedAt: null,
    publishedBy: null,
  };
}

/** A stored custom version as the API describes it. */
export function customEntry(version: CustomStandardVersion): StandardVersionEntry {
  return {
    source: "custom",
    standard: version.standard,
    createdAt: version.createdAt,
    createdBy: version.createdBy,
    lifecycle: version.lifecycle,
    publishedAt: version.publishedAt,
    publishedBy: version.publishedBy,
  };
}

function isPublished(entry: StandardVersionEntry): boolean {
  return entry.lifecycle === "published";
}

/** Every version of one standard, drafts included, oldest first: for its page and editor. */
export async function resolveStandardVersionEntriesWithDrafts(
  db: Db,
  organizationId: string,
  standardId: string,
): Promise<StandardVersionEntry[]> {
  if (isPackStandardId(standardId)) return standardVersions(standardId).map(packEntry);
  return (await listCustomStandardVersions(db, organizationId, standardId)).map(customEntry);
}

/**
 * Every published version of one standard visible to the organization, with its source, oldest
 * first. A custom standard that is only a draft has none.
 */
export async function resolveStandardVersionEntries(
  db: Db,
  organizationId: string,
  standardId: string,
): Promise<StandardVersionEntry[]> {
  return (await resolveStandardVersionEntriesWithDrafts(db, organizationId, standardId)).filter(
    isPublished,
  );
}

/**
 * Every published version of one standard visible to an organization, oldest first: the shipped
 * pack's, or else the organization's custom standard's. Empty when there is no such standard or
 * it is only a draft.
 */
export async function resolveStandardVersions(
  db: Db,
  organizationId: string,
  standardId: string,
): Promise<StandardDocument[]> {
  return (await resolveStandardVersionEntries(db, organizationId, standardId)).map(
    (entry) => entry.standard,
  );
}

/** Every version of every standard visible to the organization, drafts included. */
export async function listVisibleStandardVersionsWithDrafts(
  db: Db,
  organizationId: string,
): Promise<StandardVersionEntry[]> {
  const custom = await listAllCustomStandardVersions(db, organizationId);
  return [
    ...standardsPack.map(packEntry),
    ...custom.filter((v) => !isPackStandardId(v.standard.id)).map(customEntry),
  ];
}

/**
 * Every published version of every standard visible to the organization: the pack, then custom
 * ones. What applicability, evaluations, the dashboard and exports are built from.
 */
export async function listVisibleStandardVersions(
  db: Db,
  organizationId: string,
): Promise<StandardVersionEntry[]> {
  return (await listVisibleStandardVersionsWithDrafts(db, organizationId)).filter(isPublished);
}

/**
 * Keeps only what was known at `knownAt`: custom versions published after it are dropped (and
 * drafts, which were never in force), so a past audit sees the standard as it stood then. Pack
 * versions ship with the code and are kept.
 */
export function standardVersionsKnownAt(
  entries: readonly StandardVersionEntry[],
  knownAt: string | undefined,
): StandardVersionEntry[] {
  const published = entries.filter(isPublished);
  if (!knownAt) return published;
  const cutoff = Date.parse(knownAt);
  return published.filter((entry) => {
    if (entry.source === "pack") return true;
    const at = entry.publishedAt ?? entry.createdAt;
    return at === null || Date.parse(at) <= cutoff;
  });
}

/**
 * The entry of the version in force on `asOf` among one standard's entries: `versionInForce`
 * over the published ones (a draft is never in force), or undefined.
 */
export function entryInForce(
  entries: readonly StandardVersionEntry[],
  asOf: IsoDate,
): StandardVersionEntry | undefined {
  const published = entries.filter(isPublished);
  const chosen = versionInForce(
    published.map((entry) => entry.standard),
    asOf,
  );
  return chosen ? published.find((entry) => entry.standard === chosen) : undefined;
}
