/**
 * The content library: authors, videos, literature references (and their links to standards
 * as an evidence base), articles with every revision, reader comments, follow-up items raised
 * from comments, and the course catalog. Frozen: `Kysely<any>` and literal names only.
 * Runs unchanged on SQLite and PostgreSQL.
 */
import { type Kysely, sql } from "kysely";

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("content_authors")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("credentials_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("bio", "text")
    .addColumn("contact_email", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("content_authors_organization_idx")
    .on("content_authors")
    .columns(["organization_id", "name"])
    .execute();

  await db.schema
    .createTable("videos")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("provider", "text", (c) =>
      c.notNull().check(sql`provider in ('youtube', 'vimeo', 'other')`),
    )
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("provider_id", "text")
    .addColumn("duration_seconds", "integer")
    .addColumn("description", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("videos_organization_idx")
    .on("videos")
    .columns(["organization_id", "title"])
    .execute();

  await db.schema
    .createTable("literature_references")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("excerpt", "text", (c) => c.notNull())
    .addColumn("excerpt_kind", "text", (c) =>
      c.notNull().check(sql`excerpt_kind in ('quotation', 'paraphrase')`),
    )
    .addColumn("work_title", "text", (c) => c.notNull())
    .addColumn("subtitle", "text")
    .addColumn("edition", "text")
    .addColumn("authors_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("et_al", "integer", (c) => c.notNull().defaultTo(0).check(sql`et_al in (0, 1)`))
    .addColumn("publisher", "text", (c) => c.notNull())
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("pages", "text")
    .addColumn("url", "text")
    .addColumn("cited_studies_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("tags_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("literature_references_organization_idx")
    .on("literature_references")
    .columns(["organization_id", "work_title"])
    .execute();

  // Standards live in the pack or in other tables: the id is a slug, not a foreign key.
  await db.schema
    .createTable("standard_evidence")
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("standard_id", "text", (c) => c.notNull())
    .addColumn("reference_id", "text", (c) =>
      c.notNull().references("literature_references.id").onDelete("cascade"),
    )
    .addColumn("note", "text")
    .addColumn("linked_at", "text", (c) => c.notNull())
    .addColumn("linked_by", "text", (c) => c.notNull().references("users.id"))
    .addPrimaryKeyConstraint("standard_evidence_pkey", [
      "organization_id",
      "standard_id",
      "reference_id",
    ])
    .execute();
  await db.schema
    .createIndex("standard_evidence_reference_idx")
    .on("standard_evidence")
    .column("reference_id")
    .execute();

  await db.schema
    .createTable("articles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    // Public URLs are /articles/:slug across the installation.
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("author_id", "text", (c) => c.references("content_authors.id"))
    .addColumn("tags_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("blocks_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('draft', 'published', 'archived')`),
    )
    .addColumn("published_on", "text")
    .addColumn("revision", "integer", (c) => c.notNull().check(sql`revision >= 1`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("articles_organization_idx")
    .on("articles")
    .columns(["organization_id", "updated_at", "id"])
    .execute();

  await db.schema
    .createTable("article_revisions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("article_id", "text", (c) => c.notNull().references("articles.id"))
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("snapshot_json", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("recorded_by", "text", (c) => c.notNull().references("users.id"))
    .addUniqueConstraint("article_revisions_article_revision_key", ["article_id", "revision"])
    .execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("article_id", "text", (c) => c.notNull().references("articles.id"))
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("posted_at", "text", (c) => c.notNull())
    .addColumn("moderation_state", "text", (c) =>
      c.notNull().check(sql`moderation_state in ('pending', 'published', 'hidden', 'spam')`),
    )
    .addColumn("adverse_event", "integer", (c) =>
      c.notNull().defaultTo(0).check(sql`adverse_event in (0, 1)`),
    )
    .addColumn("moderated_at", "text")
    .addColumn("moderated_by", "text", (c) => c.references("users.id"))
    .addColumn("moderation_note", "text")
    // SHA-256 of the submitter's address (never the address itself), for rate limiting.
    .addColumn("submitter_hash", "text")
    .execute();
  await db.schema
    .createIndex("comments_queue_idx")
    .on("comments")
    .columns(["organization_id", "moderation_state", "posted_at", "id"])
    .execute();
  await db.schema
    .createIndex("comments_article_idx")
    .on("comments")
    .columns(["article_id", "moderation_state", "posted_at"])
    .execute();
  await db.schema
    .createIndex("comments_submitter_idx")
    .on("comments")
    .columns(["submitter_hash", "posted_at"])
    .execute();

  await db.schema
    .createTable("follow_up_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('adverse-event')`))
    .addColumn("comment_id", "text", (c) => c.notNull().unique().references("comments.id"))
    .addColumn("article_id", "text", (c) => c.notNull().references("articles.id"))
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("resolved_at", "text")
    .addColumn("resolved_by", "text", (c) => c.references("users.id"))
    .addColumn("resolution", "text")
    .execute();
  await db.schema
    .createIndex("follow_up_items_organization_idx")
    .on("follow_up_items")
    .columns(["organization_id", "status", "created_at", "id"])
    .execute();

  await db.schema
    .createTable("courses")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("provider", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("level", "text")
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
    .addColumn("exams_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("approvals_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("url", "text")
    .addColumn("description", "text")
    .addColumn("archived_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("courses_organization_idx")
    .on("courses")
    .columns(["organization_id", "provider", "title"])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "courses",
    "follow_up_items",
    "comments",
    "article_revisions",
    "articles",
    "standard_evidence",
    "literature_references",
    "videos",
    "content_authors",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
