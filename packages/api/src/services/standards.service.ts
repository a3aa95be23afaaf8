/**
 * Standards visible to an organization: the shipped pack and its own custom standards. Custom
 * standards are versioned like records: saving writes the next version and never rewrites one.
 */
import { randomUUID } from "node:crypto";
import { insertCustomStandardVersion, latestCustomStandardVersion } from "@dn/db";
import {
  type ListStandardsInput,
  type SaveStandardInput,
  type StandardByIdInput,
  type StandardSummary,
  type StandardVersionEntry,
  selectVersion,
} from "@dn/schema";
import { conflict, DomainError, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireAccess } from "./guards.ts";
import {
  isPackStandardId,
  listVisibleStandardVersions,
  resolveStandardVersionEntries,
} from "./standard-source.ts";

/** Today's date (UTC) on the service clock. */
export function todayOf(ctx: { now: () => Date }): string {
  return ctx.now().toISOString().slice(0, 10);
}

function requireReadStandards(ctx: ServiceContext): void {
  requireAccess(ctx, "read", "standard", { organizationId: ctx.actor.organizationId }, null);
}

/** Groups versions by standard id, keeping each group oldest first. */
export function groupVersions(
  entries: readonly StandardVersionEntry[],
): Map<string, StandardVersionEntry[]> {
  const groups = new Map<string, StandardVersionEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.standard.id) ?? [];
    group.push(entry);
    groups.set(entry.standard.id, group);
  }
  for (const group of groups.values())
    group.sort((a, b) => a.standard.version - b.standard.version);
  return groups;
}

function summarize(versions: readonly StandardVersionEntry[], asOf: string): StandardSummary {
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error("a standard without versions");
  const inForce = selectVersion(
    versions.map((v) => v.standard),
    asOf,
  );
  const shown = inForce ?? latest.standard;
  return {
    id: shown.id,
    source: latest.source,
    title: shown.title,
    kind: shown.kind,
    jurisdiction: shown.jurisdiction,
    authority: shown.authority,
    status: shown.status,
    confidence: shown.confidence,
    lastVerified: shown.lastVerified,
    versionCount: versions.length,
    latestVersion: latest.standard.version,
    inForceVersion: inForce?.version ?? null,
    effectiveFrom: shown.effectiveFrom,
    effectiveTo: shown.effectiveTo,
    draftVersions: versions.filter((v) => v.standard.draft).map((v) => v.standard.version),
    requirementCount: shown.requirements.length,
  };
}

/**
 * One summary per standard (pack and custom), filtered; sorted by jurisdiction (none last),
 * then id.
 */
export async function listStandards(
  ctx: ServiceContext,
  input: ListStandardsInput,
): Promise<StandardSummary[]> {
  requireReadStandards(ctx);
  const asOf = input.asOf ?? todayOf(ctx);
  const words = (input.q ?? "").toLowerCase().split(/\s+/).filter(Boolean);
  const groups = groupVersions(await listVisibleStandardVersions(ctx.db, ctx.actor.organizationId));
  return [...groups.values()]
    .map((versions) => summarize(versions, asOf))
    .filter(
      (s) =>
        (input.kind === undefined || s.kind === input.kind) &&
        (input.jurisdiction === undefined || s.jurisdiction === input.jurisdiction) &&
        (input.source === undefined || s.source === input.source) &&
        (!input.inForce || s.inForceVersion !== null) &&
        words.every((w) => `${s.id} ${s.title}`.toLowerCase().includes(w)),
    )
    .sort((a, b) => {
      const ka = `${a.jurisdiction ?? "~"} ${a.id}`;
      const kb = `${b.jurisdiction ?? "~"} ${b.id}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

async function requireVersions(
  ctx: ServiceContext,
  id: string,
  field = "id",
): Promise<StandardVersionEntry[]> {
  requireReadStandards(ctx);
  const versions = await resolveStandardVersionEntries(ctx.db, ctx.actor.organizationId, id);
  if (versions.length === 0) throw notFound("standard", field);
  return versions;
}

/** Every version of one standard, oldest first (drafts included). */
export async function listStandardVersions(
  ctx: ServiceContext,
  id: string,
): Promise<StandardVersionEntry[]> {
  return requireVersions(ctx, id);
}

/** One version of a standard: the one given, or else the one in force on asOf (default today). */
export async function getStandard(
  ctx: ServiceContext,
  input: StandardByIdInput,
): Promise<StandardVersionEntry> {
  const versions = await requireVersions(ctx, input.id);
  if (input.version !== undefined) {
    const found = versions.find((v) => v.standard.version === input.version);
    if (!found) {
      throw new DomainError(
        "NOT_FOUND",
        `${input.id} has no version ${input.version} (versions: ${versions.map((v) => v.standard.version).join(", ")})`,
        "version",
      );
    }
    return found;
  }
  const asOf = input.asOf ?? todayOf(ctx);
  const chosen = selectVersion(
    versions.map((v) => v.standard),
    asOf,
  );
  const entry = chosen ? versions.find((v) => v.standard === chosen) : undefined;
  if (!entry) {
    throw new DomainError(
      "NOT_FOUND",
      `no version of ${input.id} is in force on ${asOf}; ask for a version number instead`,
      "asOf",
    );
  }
  return entry;
}

function requireNotPack(id: string): void {
  if (isPackStandardId(id)) {
    throw conflict(
      "is a standard of the shipped pack, which cannot be overwritten; give your own standard its own id",
      "document.id",
    );
  }
}

/** The row insert, with a lost race on the same version turned into a conflict. */
async function insertVersion(
  tx: ServiceContext,
  input: SaveStandardInput,
  at: string,
): Promise<StandardVersionEntry> {
  try {
    const saved = await insertCustomStandardVersion(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      standard: input.document,
      createdBy: tx.actor.userId,
      createdAt: at,
    });
    return {
      source: "custom",
      standard: saved.standard,
      createdAt: saved.createdAt,
      createdBy: saved.createdBy,
    };
  } catch (error) {
    if (/unique|duplicate/i.test(String((error as Error).message))) {
      throw conflict(
        "was saved by someone else a moment ago; reload and save the next version",
        "document.version",
      );
    }
    throw error;
  }
}

/** Saves version 1 of a new custom standard. */
export async function createStandard(
  ctx: ServiceContext,
  input: SaveStandardInput,
): Promise<StandardVersionEntry> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx, "create", "standard", { organizationId: tx.actor.organizationId }, null);
    const { id, version } = input.document;
    requireNotPack(id);
    const latest = await latestCustomStandardVersion(tx.db, tx.actor.organizationId, id);
    if (latest > 0) {
      throw conflict(
        `already exists (latest version ${latest}); save version ${latest + 1} as an update`,
        "document.id",
      );
    }
    if (version !== 1) throw conflict("must be 1 for a new standard", "document.version");
    const at = tx.now().toISOString();
    const entry = await insertVersion(tx, input, at);
    await auditByActor(tx.db, tx, at, {
      action: "standard.create",
      entityType: "standard",
      entityId: id,
      before: null,
      after: entry.standard,
    });
    return entry;
  });
}

/** Saves the next version of an existing custom standard; earlier versions stay as they were. */
export async function updateStandard(
  ctx: ServiceContext,
  input: SaveStandardInput,
): Promise<StandardVersionEntry> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx, "update", "standard", { organizationId: tx.actor.organizationId }, null);
    const { id, version } = input.document;
    requireNotPack(id);
    const versions = await resolveStandardVersionEntries(tx.db, tx.actor.organizationId, id);
    const previous = versions[versions.length - 1];
    if (!previous) throw notFound("custom standard", "document.id");
    const next = previous.standard.version + 1;
    if (version !== next) {
      throw conflict(
        `must be ${next}: the latest saved version is ${previous.standard.version}, and versions are never overwritten`,
        "document.version",
      );
    }
    const at = tx.now().toISOString();
    const entry = await insertVersion(tx, input, at);
    await auditByActor(tx.db, tx, at, {
      action: "standard.update",
      entityType: "standard",
      entityId: id,
      before: previous.standard,
      after: entry.standard,
    });
    return entry;
  });
}
