/**
 * The initial schema. Frozen: it uses only `Kysely<any>` and literal names, never app code, so
 * it means the same thing forever. Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("organizations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("clinics")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("jurisdiction", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("clinics_organization_id_idx")
    .on("clinics")
    .column("organization_id")
    .execute();

  await db.schema
    .createTable("practitioners")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("clinic_id", "text", (c) => c.notNull().references("clinics.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("email", "text")
    .addColumn("profession", "text", (c) =>
      c.notNull().check(sql`profession in ('PT', 'PTA', 'other')`),
    )
    .addColumn("archived_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("practitioners_organization_name_idx")
    .on("practitioners")
    .columns(["organization_id", "name", "id"])
    .execute();
  await db.schema
    .createIndex("practitioners_clinic_id_idx")
    .on("practitioners")
    .column("clinic_id")
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('admin', 'manager', 'practitioner', 'auditor')`),
    )
    .addColumn("practitioner_id", "text", (c) => c.references("practitioners.id"))
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("users_organization_id_idx")
    .on("users")
    .column("organization_id")
    .execute();
  await db.schema
    .createIndex("users_practitioner_id_idx")
    .on("users")
    .column("practitioner_id")
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("licenses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("practitioner_id", "text", (c) => c.notNull().references("practitioners.id"))
    .addColumn("jurisdiction", "text", (c) => c.notNull())
    .addColumn("number", "text", (c) => c.notNull())
    .addColumn("issued_on", "text", (c) => c.notNull())
    .addColumn("expires_on", "text")
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('active', 'inactive', 'expired', 'suspended', 'revoked')`),
    )
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("licenses_practitioner_jurisdiction_number_key", [
      "practitioner_id",
      "jurisdiction",
      "number",
    ])
    .execute();
  await db.schema
    .createIndex("licenses_practitioner_id_idx")
    .on("licenses")
    .column("practitioner_id")
    .execute();
  await db.schema
    .createIndex("licenses_jurisdiction_idx")
    .on("licenses")
    .column("jurisdiction")
    .execute();

  await db.schema
    .createTable("training_records")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("record_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("practitioner_id", "text", (c) => c.notNull().references("practitioners.id"))
    .addColumn("kind", "text", (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('dn-course', 'ce-activity', 'supervised-sessions', 'exam', 'cpr', 'board-notification')`,
        ),
    )
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("provider", "text")
    .addColumn("completed_on", "text", (c) => c.notNull())
    .addColumn("hours_theory", "double precision", (c) =>
      c.notNull().defaultTo(0).check(sql`hours_theory >= 0`),
    )
    .addColumn("hours_practical", "double precision", (c) =>
      c.notNull().defaultTo(0).check(sql`hours_practical >= 0`),
    )
    .addColumn("hours_online", "double precision", (c) =>
      c.notNull().defaultTo(0).check(sql`hours_online >= 0`),
    )
    .addColumn("topics_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("session_count", "integer")
    .addColumn("exam_type", "text")
    .addColumn("passed", "integer", (c) => c.check(sql`passed in (0, 1)`))
    .addColumn("expires_on", "text")
    .addColumn("jurisdiction", "text")
    .addColumn("notes", "text")
    .addColumn("provenance", "text", (c) =>
      c
        .notNull()
        .check(sql`provenance in ('self-reported', 'provider-reported', 'manager-verified')`),
    )
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('pending', 'verified', 'rejected', 'withdrawn')`),
    )
    .addColumn("reviewed_by", "text", (c) => c.references("users.id"))
    .addColumn("reviewed_at", "text")
    .addColumn("review_reason", "text")
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("superseded_at", "text")
    .addUniqueConstraint("training_records_record_id_version_key", ["record_id", "version"])
    .execute();
  await db.schema
    .createIndex("training_records_practitioner_id_idx")
    .on("training_records")
    .column("practitioner_id")
    .execute();
  await db.schema
    .createIndex("training_records_status_idx")
    .on("training_records")
    .column("status")
    .execute();
  // At most one current version per record.
  await db.schema
    .createIndex("training_records_current_key")
    .on("training_records")
    .column("record_id")
    .unique()
    .where(sql.ref("superseded_at"), "is", null)
    .execute();

  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("actor_id", "text", (c) => c.references("users.id"))
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("entity_type", "text", (c) => c.notNull())
    .addColumn("entity_id", "text", (c) => c.notNull())
    .addColumn("before_json", "text")
    .addColumn("after_json", "text")
    .execute();
  await db.schema
    .createIndex("audit_events_organization_at_idx")
    .on("audit_events")
    .columns(["organization_id", "at", "id"])
    .execute();
  await db.schema
    .createIndex("audit_events_entity_idx")
    .on("audit_events")
    .columns(["entity_type", "entity_id"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "audit_events",
    "training_records",
    "licenses",
    "sessions",
    "users",
    "practitioners",
    "clinics",
    "organizations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
