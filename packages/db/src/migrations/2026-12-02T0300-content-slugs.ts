/**
 * Article slugs are unique per organization, not across the installation: one organization's
 * slug no longer blocks another's, and public pages are addressed by organization and slug
 * (docs/decisions/040-content-library.md). Frozen: `Kysely<any>` and literal names only.
 *
 * The global constraint came from `.unique()` on the column: PostgreSQL named it
 * `articles_slug_key`; SQLite made it an inline constraint that only a table rebuild removes.
 */
import { type Kysely, PostgresAdapter, sql } from "kysely";

const COLUMNS = `id, organization_id, slug, title, summary, author_id, tags_json, blocks_json,
  status, published_on, revision, created_at, updated_at`;

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
function isSqlite(db: Kysely<any>): boolean {
  return !(db.getExecutor().adapter instanceof PostgresAdapter);
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
async function rebuildSqliteArticles(db: Kysely<any>, slugUnique: boolean): Promise<void> {
  // Other tables reference articles.id: the same rows (and ids) come back under the old name.
  // The migrator runs SQLite migrations outside a transaction, so the pragma takes effect.
  await sql`pragma foreign_keys = off`.execute(db);
  await db.schema
    .createTable("articles_new")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("slug", "text", (c) => (slugUnique ? c.notNull().unique() : c.notNull()))
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
  await sql`insert into articles_new (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from articles`.execute(
    db,
  );
  await db.schema.dropTable("articles").execute();
  await db.schema.alterTable("articles_new").renameTo("articles").execute();
  await db.schema
    .createIndex("articles_organization_idx")
    .on("articles")
    .columns(["organization_id", "updated_at", "id"])
    .execute();
  await sql`pragma foreign_keys = on`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function up(db: Kysely<any>): Promise<void> {
  if (isSqlite(db)) await rebuildSqliteArticles(db, false);
  else await sql`alter table articles drop constraint articles_slug_key`.execute(db);
  await db.schema
    .createIndex("articles_organization_slug_key")
    .on("articles")
    .columns(["organization_id", "slug"])
    .unique()
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("articles_organization_slug_key").execute();
  if (isSqlite(db)) await rebuildSqliteArticles(db, true);
  else {
    await sql`alter table articles add constraint articles_slug_key unique (slug)`.execute(db);
  }
}
