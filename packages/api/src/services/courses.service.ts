/** The course catalog practitioners log training against. Every change is audited. */
import { randomUUID } from "node:crypto";
import { findCourseById, insertCourse, listCourses as listCourseRows, replaceCourse } from "@dn/db";
import type { Course, CreateCourseInputSchema } from "@dn/schema";
import type { z } from "zod";
import { requireOwn } from "./content-access.ts";
import { auditByActor, inTransaction, type ServiceContext } from "./context.ts";
import { requireDatesNotInFuture } from "./dates.ts";
import { requirePermission } from "./guards.ts";

type CourseFields = z.output<typeof CreateCourseInputSchema>;

/** An approval cannot be dated after today (the schema cannot know today). */
function requireApprovalsNotInFuture(ctx: ServiceContext, input: CourseFields): void {
  requireDatesNotInFuture(
    ctx,
    Object.fromEntries(
      input.approvals.map((approval, index) => [
        `approvals.${index}.approvedOn`,
        approval.approvedOn,
      ]),
    ),
  );
}

/** The organization's catalog; every role reads it (practitioners log from it). */
export function listCourses(ctx: ServiceContext, includeArchived: boolean): Promise<Course[]> {
  requirePermission(ctx, "read:course");
  return listCourseRows(ctx.db, ctx.actor.organizationId, includeArchived);
}

export async function getCourse(ctx: ServiceContext, id: string): Promise<Course> {
  requirePermission(ctx, "read:course");
  return requireOwn(ctx, await findCourseById(ctx.db, id), "course");
}

export function createCourse(ctx: ServiceContext, input: CourseFields): Promise<Course> {
  requirePermission(ctx, "create:course");
  requireApprovalsNotInFuture(ctx, input);
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const course = await insertCourse(tx.db, {
      id: randomUUID(),
      organizationId: tx.actor.organizationId,
      ...input,
      archivedAt: null,
      createdAt: at,
      updatedAt: at,
    });
    await auditByActor(tx.db, tx, at, {
      action: "course.create",
      entityType: "course",
      entityId: course.id,
      before: null,
      after: course,
    });
    return course;
  });
}

export function updateCourse(
  ctx: ServiceContext,
  input: CourseFields & { id: string },
): Promise<Course> {
  requirePermission(ctx, "update:course");
  requireApprovalsNotInFuture(ctx, input);
  return inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findCourseById(tx.db, input.id), "course");
    const at = tx.now().toISOString();
    const after = await replaceCourse(tx.db, { ...before, ...input, updatedAt: at });
    await auditByActor(tx.db, tx, at, {
      action: "course.update",
      entityType: "course",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}

/** Takes a course out of the catalog; records already logged from it are untouched. */
export function archiveCourse(ctx: ServiceContext, id: string): Promise<Course> {
  requirePermission(ctx, "archive:course");
  return inTransaction(ctx, async (tx) => {
    const before = requireOwn(tx, await findCourseById(tx.db, id), "course");
    if (before.archivedAt !== null) return before;
    const at = tx.now().toISOString();
    const after = await replaceCourse(tx.db, { ...before, archivedAt: at, updatedAt: at });
    await auditByActor(tx.db, tx, at, {
      action: "course.archive",
      entityType: "course",
      entityId: after.id,
      before,
      after,
    });
    return after;
  });
}
