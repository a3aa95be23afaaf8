import type { AuditEntity, AuditEvent } from "@dn/schema";
import { toAuditEvent } from "../mappers.ts";
import { decodeStringCursor, type Page, type PageRequest, toPage } from "./cursor.ts";
import type { Db } from "./types.ts";

export async function insertAuditEvent(db: Db, event: AuditEvent): Promise<AuditEvent> {
  await db
    .insertInto("auditEvents")
    .values({
      id: event.id,
      organizationId: event.organizationId,
      actorId: event.actorId,
      at: event.at,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId,
      beforeJson: event.before === null ? null : JSON.stringify(event.before),
      afterJson: event.after === null ? null : JSON.stringify(event.after),
    })
    .execute();
  return event;
}

export interface ListAuditEventsFilter extends PageRequest {
  organizationId: string;
  entityType?: AuditEntity;
  entityId?: string;
}

/** An organization's audit trail, newest first. */
export async function listAuditEvents(
  db: Db,
  filter: ListAuditEventsFilter,
): Promise<Page<AuditEvent>> {
  let query = db
    .selectFrom("auditEvents")
    .selectAll()
    .where("organizationId", "=", filter.organizationId);
  if (filter.entityType) query = query.where("entityType", "=", filter.entityType);
  if (filter.entityId) query = query.where("entityId", "=", filter.entityId);
  if (filter.cursor) {
    const [at, id] = decodeStringCursor(filter.cursor, 2) as [string, string];
    query = query.where((eb) =>
      eb.or([eb("at", "<", at), eb.and([eb("at", "=", at), eb("id", "<", id)])]),
    );
  }
  const rows = await query
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(filter.limit + 1)
    .execute();
  return toPage(rows, filter.limit, toAuditEvent, (row) => [row.at, row.id]);
}

/** Every audit event about one entity, oldest first. */
export async function listAuditEventsForEntity(
  db: Db,
  entityType: AuditEntity,
  entityId: string,
): Promise<AuditEvent[]> {
  const rows = await db
    .selectFrom("auditEvents")
    .selectAll()
    .where("entityType", "=", entityType)
    .where("entityId", "=", entityId)
    .orderBy("at")
    .orderBy("id")
    .execute();
  return rows.map(toAuditEvent);
}

export async function countAuditEvents(db: Db, organizationId?: string): Promise<number> {
  let query = db.selectFrom("auditEvents").select((eb) => eb.fn.countAll().as("count"));
  if (organizationId) query = query.where("organizationId", "=", organizationId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}
