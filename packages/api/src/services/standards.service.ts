/**
 * Standards visible to an organization: the shipped pack and its own custom standards. Custom
 * standards are versioned like records, with a life cycle (docs/decisions/056): saving writes a
 * draft (version 1, or the next version), which may be saved again until it is published;
 * publishing is an explicit, audited action, after which the version never changes, and it
 * decides the scope: only where assigned, or the whole organization (an organization-wide
 * include assignment). Which version is in force is `versionInForce`, through `entryInForce`.
 */
import { randomUUID } from "node:crypto";
import {
  deleteStandardAssignment,
  findCustomStandardVersion,
  findStandardAssignment,
  insertCustomStandardVersion,
  insertStandardAssignment,
  latestCustomStandardVersion,
  markEvaluationsStale,
  publishCustomStandardVersion,
  updateCustomStandardDraft,
} from "@dn/db";
import type {
  ListStandardsInput,
  PublicationScope,
  PublishStandardInput,
  SaveStandardInput,
  StandardAssignment,
  StandardByIdInput,
  StandardDetail,
  StandardDetailInput,
  StandardSummary,
  StandardVersionEntry,
} from "@dn/schema";
import { conflict, DomainError, notFound } from "../errors.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireAccess } from "./guards.ts";
import {
  customEntry,
  entryInForce,
  isPackStandardId,
  listVisibleStandardVersionsWithDrafts,
  resolveStandardVersionEntriesWithDrafts,
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
  const published = versions.filter((v) => v.lifecycle === "published");
  const inForce = entryInForce(versions, asOf)?.standard;
  // Described by the version in force, else the latest published one, else the draft.
  const shown = inForce ?? (published.at(-1) ?? latest).standard;
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
    unpublishedVersion: latest.lifecycle === "draft" ? latest.standard.version : null,
    published: published.length > 0,
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
  const groups = groupVersions(
    await listVisibleStandardVersionsWithDrafts(ctx.db, ctx.actor.organizationId),
  );
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
  const versions = await resolveStandardVersionEntriesWithDrafts(
    ctx.db,
    ctx.actor.organizationId,
    id,
  );
  if (versions.length === 0) throw notFound("standard", field);
  return versions;
}

/** Every version of one standard, oldest first (proposals and unpublished drafts included). */
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
  const entry = entryInForce(versions, asOf);
  if (!entry) {
    throw new DomainError(
      "NOT_FOUND",
      `no version of ${input.id} is in force on ${asOf}; ask for a version number instead`,
      "asOf",
    );
  }
  return entry;
}

/** True when the standard is assigned to the whole organization (an organization-wide include). */
async function organizationWideInclude(
  ctx: ServiceContext,
  standardId: string,
): Promise<StandardAssignment | null> {
  const found = await findStandardAssignment(ctx.db, {
    scope: "organization",
    scopeId: ctx.actor.organizationId,
    standardId,
  });
  return found?.organizationId === ctx.actor.organizationId ? found : null;
}

/**
 * A standard's page: every version, the one in force on asOf (the same `versionInForce` the
 * compliance pages and exports use), the draft awaiting publication and the scope.
 */
export async function standardDetail(
  ctx: ServiceContext,
  input: StandardDetailInput,
): Promise<StandardDetail> {
  const versions = await requireVersions(ctx, input.id);
  const asOf = input.asOf ?? todayOf(ctx);
  const latest = versions[versions.length - 1] as StandardVersionEntry;
  const include = await organizationWideInclude(ctx, input.id);
  return {
    id: input.id,
    source: latest.source,
    asOf,
    versions,
    inForceVersion: entryInForce(versions, asOf)?.standard.version ?? null,
    unpublishedVersion: latest.lifecycle === "draft" ? latest.standard.version : null,
    scope: scopeOf(include),
  };
}

function requireNotPack(id: string): void {
  if (isPackStandardId(id)) {
    throw conflict(
      "is a standard of the shipped pack, which cannot be overwritten; give your own standard its own id",
      "document.id",
    );
  }
}

/** Inserts a new draft version, with a lost race on the same version turned into a conflict. */
async function insertDraft(
  tx: ServiceContext,
  input: SaveStandardInput,
  at: string,
): Promise<StandardVersionEntry> {
  try {
    return customEntry(
      await insertCustomStandardVersion(tx.db, {
        id: randomUUID(),
        organizationId: tx.actor.organizationId,
        standard: input.document,
        createdBy: tx.actor.userId,
        createdAt: at,
        lifecycle: "draft",
        publishedAt: null,
        publishedBy: null,
      }),
    );
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

/** Saves version 1 of a new custom standard, as a draft: it applies to nobody until published. */
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
    const entry = await insertDraft(tx, input, at);
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

/**
 * Saves a draft of an existing custom standard: the draft being edited (same version, rewritten
 * in place) or, when the latest version is published, the next version as a new draft. A
 * published version is never rewritten.
 */
export async function updateStandard(
  ctx: ServiceContext,
  input: SaveStandardInput,
): Promise<StandardVersionEntry> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx, "update", "standard", { organizationId: tx.actor.organizationId }, null);
    const { id, version } = input.document;
    requireNotPack(id);
    const versions = await resolveStandardVersionEntriesWithDrafts(
      tx.db,
      tx.actor.organizationId,
      id,
    );
    const previous = versions[versions.length - 1];
    if (!previous) throw notFound("custom standard", "document.id");
    const at = tx.now().toISOString();
    if (previous.lifecycle === "draft") {
      if (version !== previous.standard.version) {
        throw conflict(
          `must be ${previous.standard.version}: version ${previous.standard.version} is a draft not yet published; edit it, or publish it before starting the next`,
          "document.version",
        );
      }
      if (!(await updateCustomStandardDraft(tx.db, tx.actor.organizationId, input.document))) {
        throw conflict(
          `was published a moment ago and can no longer change; save version ${version + 1} instead`,
          "document.version",
        );
      }
      const entry: StandardVersionEntry = { ...previous, standard: input.document };
      await auditByActor(tx.db, tx, at, {
        action: "standard.update",
        entityType: "standard",
        entityId: id,
        before: previous.standard,
        after: entry.standard,
      });
      return entry;
    }
    const next = previous.standard.version + 1;
    if (version !== next) {
      throw conflict(
        `must be ${next}: the latest saved version is ${previous.standard.version}, and versions are never overwritten`,
        "document.version",
      );
    }
    const entry = await insertDraft(tx, input, at);
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

/**
 * Publishes a custom standard's draft version: from now on it never changes, and its scope is
 * what the publisher chose: `organization` makes sure an organization-wide include assignment
 * exists; `assigned` removes one, so it applies only where assigned (and, for a state rule, by
 * its rules). Audited as `standard.publish`, plus the assignment change.
 */
export async function publishStandard(
  ctx: ServiceContext,
  input: PublishStandardInput,
): Promise<StandardVersionEntry> {
  return inTransaction(ctx, async (tx) => {
    requireAccess(tx, "update", "standard", { organizationId: tx.actor.organizationId }, null);
    if (isPackStandardId(input.id)) {
      throw conflict("is a standard of the shipped pack, which is published with the code", "id");
    }
    const organizationId = tx.actor.organizationId;
    const draft = await findCustomStandardVersion(tx.db, organizationId, input.id, input.version);
    if (!draft) {
      const latest = await latestCustomStandardVersion(tx.db, organizationId, input.id);
      if (latest === 0) throw notFound("custom standard", "id");
      throw new DomainError("NOT_FOUND", `${input.id} has no version ${input.version}`, "version");
    }
    if (draft.lifecycle !== "draft") {
      throw conflict(`version ${input.version} is already published and cannot change`, "version");
    }
    const at = tx.now().toISOString();
    const include = await organizationWideInclude(tx, input.id);
    const before = { ...customEntry(draft), scope: scopeOf(include) };
    if (input.scope === "organization" && include?.effect === "exclude") {
      throw conflict(
        "the standard is excluded from the whole organization; remove that exclusion on the assignments page first",
        "scope",
      );
    }
    const published = await publishCustomStandardVersion(
      tx.db,
      organizationId,
      input.id,
      input.version,
      { publishedAt: at, publishedBy: tx.actor.userId },
    );
    if (!published) {
      throw conflict(`version ${input.version} was published a moment ago`, "version");
    }
    await markEvaluationsStale(tx.db, { organizationId, all: true });
    if (input.scope === "organization" && !include) {
      const assignment: StandardAssignment = {
        id: randomUUID(),
        organizationId,
        scope: "organization",
        scopeId: organizationId,
        standardId: input.id,
        effect: "include",
        reason: `Published to the whole organization (version ${input.version})`,
        createdBy: tx.actor.userId,
        createdAt: at,
      };
      await insertStandardAssignment(tx.db, assignment);
      await auditByActor(tx.db, tx, at, {
        action: "standard-assignment.include",
        entityType: "standard-assignment",
        entityId: assignment.id,
        before: null,
        after: assignment,
      });
    } else if (input.scope === "assigned" && include?.effect === "include") {
      await deleteStandardAssignment(tx.db, include.id);
      await auditByActor(tx.db, tx, at, {
        action: "standard-assignment.remove",
        entityType: "standard-assignment",
        entityId: include.id,
        before: include,
        after: null,
      });
    }
    // A new version in force, or a new scope, can change anyone's verdict (a draft's saves
    // cannot: drafts apply to nobody).
    await markEvaluationsStale(tx.db, { organizationId, all: true });
    const entry: StandardVersionEntry = {
      ...customEntry(draft),
      lifecycle: "published",
      publishedAt: at,
      publishedBy: tx.actor.userId,
    };
    await auditByActor(tx.db, tx, at, {
      action: "standard.publish",
      entityType: "standard",
      entityId: input.id,
      before,
      after: { ...entry, scope: input.scope },
    });
    return entry;
  });
}

function scopeOf(include: StandardAssignment | null): PublicationScope {
  return include?.effect === "include" ? "organization" : "assigned";
}
