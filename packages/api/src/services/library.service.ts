/**
 * The library articles draw on: authors, videos and literature references, and the links that
 * make references the evidence base of a standard. Every change is audited.
 */
import { randomUUID } from "node:crypto";
import {
  deleteStandardEvidence,
  findAuthorById,
  findReferenceById,
  findVideoById,
  insertAuthor,
  insertReference,
  insertStandardEvidence,
  insertVideo,
  listAuthors as listAuthorRows,
  listReferences as listReferenceRows,
  listStandardEvidence,
  listVideos as listVideoRows,
  replaceAuthor,
  replaceReference,
  replaceVideo,
} from "@dn/db";
import type {
  Author,
  CreateAuthorInputSchema,
  CreateLiteratureReferenceInputSchema,
  CreateVideoInputSchema,
  LinkStandardEvidenceInputSchema,
  LiteratureReference,
  StandardEvidence,
  Video,
} from "@dn/schema";
import type { z } from "zod";
import { conflict, DomainError } from "../errors.ts";
import { requireOwn } from "./content-access.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireYearsNotInFuture } from "./dates.ts";
import { requirePermission } from "./guards.ts";
import { resolveStandardVersionEntriesWithDrafts } from "./standard-source.ts";

type AuthorFields = z.output<typeof CreateAuthorInputSchema>;
type VideoFields = z.output<typeof CreateVideoInputSchema>;
type ReferenceFields = z.output<typeof CreateLiteratureReferenceInputSchema>;
type LinkFields = z.output<typeof LinkStandardEvidenceInputSchema>;

// ---------------------------------------------------------------------------------------------
// Authors
// ---------------------------------------------------------------------------------------------

export function listAuthors(ctx: ServiceContext): Promise<Author[]> {
  requirePermission(ctx, "read:author");
  return listAuthorRows(ctx.db, ctx.actor.organizationId);
}

export function createAuthor(ctx: ServiceContext, input: AuthorFields): Promise<Author> {
  requirePermission(ctx, "create:author");
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const author = await insertAuthor(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      ...input,
      createdAt: at,
      updatedAt: at,
    });
    await auditByActor(tx.db, tx, at, {
      action: "author.create",
      entityType: "author",
      entityId: author.id,
      before: null,
      after: author,
    });
    return author;
  });
}

export function updateAuthor(
  ctx: ServiceContext,
  input: AuthorFields & { id: string },
): Promise<Author> {
  requirePermission(ctx, "update:author");
  return inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findAuthorById(tx.db, input.id), "author");
    const at = tx.now().toISOString();
    const after = await replaceAuthor(tx.db, { ...before, ...input, updatedAt: at });
    await auditByActor(tx.db, tx, at, {
      action: "author.update",
      entityType: "author",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Videos
// ---------------------------------------------------------------------------------------------

export function listVideos(ctx: ServiceContext): Promise<Video[]> {
  requirePermission(ctx, "read:video");
  return listVideoRows(ctx.db, ctx.actor.organizationId);
}

export function createVideo(ctx: ServiceContext, input: VideoFields): Promise<Video> {
  requirePermission(ctx, "create:video");
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const video = await insertVideo(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      ...input,
      createdAt: at,
      updatedAt: at,
    });
    await auditByActor(tx.db, tx, at, {
      action: "video.create",
      entityType: "video",
      entityId: video.id,
      before: null,
      after: video,
    });
    return video;
  });
}

export function updateVideo(
  ctx: ServiceContext,
  input: VideoFields & { id: string },
): Promise<Video> {
  requirePermission(ctx, "update:video");
  return inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findVideoById(tx.db, input.id), "video");
    const at = tx.now().toISOString();
    const after = await replaceVideo(tx.db, { ...before, ...input, updatedAt: at });
    await auditByActor(tx.db, tx, at, {
      action: "video.update",
      entityType: "video",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Literature references
// ---------------------------------------------------------------------------------------------

export function listReferences(ctx: ServiceContext): Promise<LiteratureReference[]> {
  requirePermission(ctx, "read:literature-reference");
  return listReferenceRows(ctx.db, ctx.actor.organizationId);
}

export async function getReference(
  ctx: ServiceContext,
  id: string,
): Promise<{ reference: LiteratureReference; evidence: StandardEvidence[] }> {
  requirePermission(ctx, "read:literature-reference");
  const reference = requireOwn(ctx, await findReferenceById(ctx.db, id), "literature reference");
  const evidence = await listStandardEvidence(ctx.db, ctx.actor.organizationId, {
    referenceId: id,
  });
  return { reference, evidence };
}

/** A work and the studies it cites cannot be published after this year (the schema cannot know it). */
function requirePublishedByNow(ctx: ServiceContext, input: ReferenceFields): void {
  requireYearsNotInFuture(ctx, {
    year: input.year,
    ...Object.fromEntries(
      input.citedStudies.map((study, index) => [`citedStudies.${index}.year`, study.year]),
    ),
  });
}

export function createReference(
  ctx: ServiceContext,
  input: ReferenceFields,
): Promise<LiteratureReference> {
  requirePermission(ctx, "create:literature-reference");
  requirePublishedByNow(ctx, input);
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const reference = await insertReference(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      ...input,
      createdAt: at,
      updatedAt: at,
    });
    await auditByActor(tx.db, tx, at, {
      action: "literature-reference.create",
      entityType: "literature-reference",
      entityId: reference.id,
      before: null,
      after: reference,
    });
    return reference;
  });
}

export function updateReference(
  ctx: ServiceContext,
  input: ReferenceFields & { id: string },
): Promise<LiteratureReference> {
  requirePermission(ctx, "update:literature-reference");
  requirePublishedByNow(ctx, input);
  return inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findReferenceById(tx.db, input.id), "literature reference");
    const at = tx.now().toISOString();
    const after = await replaceReference(tx.db, { ...before, ...input, updatedAt: at });
    await auditByActor(tx.db, tx, at, {
      action: "literature-reference.update",
      entityType: "literature-reference",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------
// Evidence base of standards
// ---------------------------------------------------------------------------------------------

async function requireStandard(ctx: ServiceContext, standardId: string): Promise<void> {
  // A draft is a standard too: literature may be attached before it is published.
  const versions = await resolveStandardVersionEntriesWithDrafts(
    ctx.db,
    ctx.actor.organizationId,
    standardId,
  );
  if (versions.length === 0) {
    throw new DomainError("NOT_FOUND", "no standard with this id", "standardId");
  }
}

/** The references attached to a standard as its evidence base. */
export async function evidenceForStandard(
  ctx: ServiceContext,
  standardId: string,
): Promise<{ reference: LiteratureReference; evidence: StandardEvidence }[]> {
  requirePermission(ctx, "read:literature-reference");
  await requireStandard(ctx, standardId);
  const links = await listStandardEvidence(ctx.db, ctx.actor.organizationId, { standardId });
  const out: { reference: LiteratureReference; evidence: StandardEvidence }[] = [];
  for (const link of links) {
    const reference = await findReferenceById(ctx.db, link.referenceId);
    if (reference) out.push({ reference, evidence: link });
  }
  return out;
}

export function linkEvidence(ctx: ServiceContext, input: LinkFields): Promise<StandardEvidence> {
  requirePermission(ctx, "update:literature-reference");
  return inTransaction(ctx, async (tx) => {
    requireOwn(
      tx,
      await findReferenceById(tx.db, input.referenceId),
      "literature reference",
      "referenceId",
    );
    await requireStandard(tx, input.standardId);
    const existing = await listStandardEvidence(tx.db, tx.actor.organizationId, input);
    if (existing.length > 0) {
      throw conflict("this reference is already evidence for this standard", "referenceId");
    }
    const at = tx.now().toISOString();
    const link = await insertStandardEvidence(tx.db, tx.actor.organizationId, {
      ...input,
      linkedAt: at,
      linkedBy: tx.actor.userId,
    });
    await auditByActor(tx.db, tx, at, {
      action: "literature-reference.link-standard",
      entityType: "literature-reference",
      entityId: input.referenceId,
      before: null,
      after: link,
    });
    return link;
  });
}

export function unlinkEvidence(
  ctx: ServiceContext,
  input: { standardId: string; referenceId: string },
): Promise<void> {
  requirePermission(ctx, "update:literature-reference");
  return inTransaction(ctx, async (tx) => {
    const [link] = await listStandardEvidence(tx.db, tx.actor.organizationId, input);
    if (!link) {
      throw new DomainError(
        "NOT_FOUND",
        "this reference is not evidence for this standard",
        "referenceId",
      );
    }
    await deleteStandardEvidence(
      tx.db,
      tx.actor.organizationId,
      input.standardId,
      input.referenceId,
    );
    await auditByActor(tx.db, tx, tx.now().toISOString(), {
      action: "literature-reference.unlink-standard",
      entityType: "literature-reference",
      entityId: input.referenceId,
      before: link,
      after: null,
    });
  });
}
