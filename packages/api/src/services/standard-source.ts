import {
  type CustomStandardVersion,
  type Db,
  listAllCustomStandardVersions,
  listCustomStandardVersions,
} from "@dn/db";
import type { StandardDocument, StandardVersionEntry } from "@dn/schema";
import { listStandardIds, standardsPack, standardVersions } from "@dn/standards";

/**
 * Where services look standards up: the shipped pack, plus each organization's own (custom)
 * standards stored in the database. A pack id always means the pack's standard: custom
 * standards may not take a pack id (docs/decisions/010-custom-standards-storage.md).
 */

const packIds = new Set(listStandardIds());

/** True when `id` names a standard of the shipped pack. */
export function isPackStandardId(id: string): boolean {
  return packIds.has(id);
}

function packEntry(standard: StandardDocument): StandardVersionEntry {
  return { source: "pack", standard, createdAt: null, createdBy: null };
}

function customEntry(version: CustomStandardVersion): StandardVersionEntry {
  return {
    source: "custom",
    standard: version.standard,
    createdAt: version.createdAt,
    createdBy: version.createdBy,
  };
}

/** Every version of one standard visible to the organization, with its source, oldest first. */
export async function resolveStandardVersionEntries(
  db: Db,
  organizationId: string,
  standardId: string,
): Promise<StandardVersionEntry[]> {
  if (isPackStandardId(standardId)) return standardVersions(standardId).map(packEntry);
  return (await listCustomStandardVersions(db, organizationId, standardId)).map(customEntry);
}

/**
 * Every version of one standard visible to an organization, oldest first: the shipped pack's,
 * or else the organization's custom standard's. Empty when there is no such standard.
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

/** Every version of every standard visible to the organization: the pack, then custom ones. */
export async function listVisibleStandardVersions(
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
 * Keeps only what was known at `knownAt`: custom versions saved after it are dropped, so a past
 * audit sees the standard as it stood then. Pack versions ship with the code and are kept.
 */
export function standardVersionsKnownAt(
  entries: readonly StandardVersionEntry[],
  knownAt: string | undefined,
): StandardVersionEntry[] {
  if (!knownAt) return [...entries];
  const cutoff = Date.parse(knownAt);
  return entries.filter(
    (entry) => entry.createdAt === null || Date.parse(entry.createdAt) <= cutoff,
  );
}
