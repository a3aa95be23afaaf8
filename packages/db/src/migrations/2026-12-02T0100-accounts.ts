/**
 * Accounts: a person has one login (`users`, unique email) and one membership per organization
 * they work for (role, optional clinic scope, optional practitioner). Existing users become one
 * membership each. Adds invitations, single-use user tokens (password reset, second-factor
 * challenge), TOTP and recovery codes, OpenID Connect providers and identities, clinic time
 * zones and archiving, and the organization's two-factor setting. Frozen: `Kysely<any>` and
 * literal names only. Runs on SQLite and PostgreSQL; SQLite cannot drop columns that carry
 * foreign keys, so there `users` is rebuilt with foreign keys off (the migrator runs SQLite
 * migrations outside a transaction, which is what lets the pragma take effect).
 */
import { randomUUID } from "node:crypto";
import { type Kysely, sql } from "kysely";

// The primary time zone of each jurisdiction whose clinics may already exist; others keep the
// column default and an admin sets theirs.
const JURISDICTION_TIME_ZONES: Record<string, string> = {
  "US-AL": "America/Chicago",
  "US-AK": "America/Anchorage",
  "US-AZ": "America/Phoenix",
  "US-AR": "America/Chicago",
  "US-CA": "America/Los_Angeles",
  "US-CO": "America/Denver",
  "US-CT": "America/New_York",
  "US-DC": "America/New_York",
  "US-DE": "America/New_York",
  "US-FL": "America/New_York",
  "US-GA": "America/New_York",
  "US-HI": "Pacific/Honolulu",
  "US-ID": "America/Boise",
  "US-IL": "America/Chicago",
  "US-IN": "America/Indiana/Indianapolis",
  "US-IA": "America/Chicago",
  "US-KS": "America/Chicago",
  "US-KY": "America/New_York",
  "US-LA": "America/Chicago",
  "US-ME": "America/New_York",
  "US-MD": "America/New_York",
  "US-MA": "America/New_York",
  "US-MI": "America/Detroit",
  "US-MN": "America/Chicago",
  "US-MS": "America/Chicago",
  "US-MO": "America/Chicago",
  "US-MT": "America/Denver",
  "US-NE": "America/Chicago",
  "US-NV": "America/Los_Angeles",
  "US-NH": "America/New_York",
  "US-NJ": "America/New_York",
  "US-NM": "America/Denver",
  "US-NY": "America/New_York",
  "US-NC": "America/New_York",
  "US-ND": "America/Chicago",
  "US-OH": "America/New_York",
  "US-OK": "America/Chicago",
  "US-OR": "America/Los_Angeles",
  "US-PA": "America/New_York",
  "US-RI": "America/New_York",
  "US-SC": "America/New_York",
  "US-SD": "America/Chicago",
  "US-TN": "America/Chicago",
  "US-TX": "America/Chicago",
  "US-UT": "America/Denver",
  "US-VT": "America/New_York",
  "US-VA": "America/New_York",
  "US-WA": "America/Los_Angeles",
  "US-WV": "America/New_York",
  "US-WI": "America/Chicago",
  "US-WY": "America/Denver",
  "US-PR": "America/Puerto_Rico",
};

// biome-ignore lint/suspicious/noExplicitAny: a frozen migration sees no app types
type AnyDb = Kysely<any>;

async function isPostgres(db: AnyDb): Promise<boolean> {
  try {
    await sql`select version()`.execute(db);
    return true;
  } catch {
    return false;
  }
}

export async function up(db: AnyDb): Promise<void> {
  const postgres = await isPostgres(db);

  await db.schema
    .alterTable("organizations")
    .addColumn("mfa_required", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .alterTable("clinics")
    .addColumn("time_zone", "text", (c) => c.notNull().defaultTo("America/New_York"))
    .execute();
  await db.schema.alterTable("clinics").addColumn("archived_at", "text").execute();
  for (const [jurisdiction, timeZone] of Object.entries(JURISDICTION_TIME_ZONES)) {
    await db
      .updateTable("clinics")
      .set({ time_zone: timeZone })
      .where("jurisdiction", "=", jurisdiction)
      .execute();
  }

  await db.schema
    .createTable("memberships")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('admin', 'manager', 'practitioner', 'auditor')`),
    )
    .addColumn("practitioner_id", "text", (c) => c.references("practitioners.id"))
    // JSON array of clinic ids a manager is limited to; null means every clinic.
    .addColumn("clinic_ids_json", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('active', 'deactivated')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("deactivated_at", "text")
    .addUniqueConstraint("memberships_user_organization_key", ["user_id", "organization_id"])
    .execute();
  await db.schema
    .createIndex("memberships_organization_id_idx")
    .on("memberships")
    .column("organization_id")
    .execute();
  await db.schema
    .createIndex("memberships_practitioner_id_idx")
    .on("memberships")
    .column("practitioner_id")
    .execute();

  const users = await db
    .selectFrom("users")
    .select(["id", "organization_id", "role", "practitioner_id", "created_at"])
    .execute();
  for (const user of users) {
    await db
      .insertInto("memberships")
      .values({
        id: randomUUID(),
        user_id: user.id,
        organization_id: user.organization_id,
        role: user.role,
        practitioner_id: user.practitioner_id,
        clinic_ids_json: null,
        status: "active",
        created_at: user.created_at,
        deactivated_at: null,
      })
      .execute();
  }

  if (postgres) {
    await db.schema.dropIndex("users_organization_id_idx").execute();
    await db.schema.dropIndex("users_practitioner_id_idx").execute();
    await db.schema
      .alterTable("users")
      .dropColumn("organization_id")
      .dropColumn("role")
      .dropColumn("practitioner_id")
      .execute();
    await sql`alter table users alter column password_hash drop not null`.execute(db);
    await db.schema.alterTable("users").addColumn("totp_secret", "text").execute();
    await db.schema.alterTable("users").addColumn("totp_enabled_at", "text").execute();
    await db.schema.alterTable("users").addColumn("totp_last_step", "integer").execute();
  } else {
    await sql`pragma foreign_keys = off`.execute(db);
    await db.schema
      .createTable("users_rebuilt")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("password_hash", "text")
      .addColumn("totp_secret", "text")
      .addColumn("totp_enabled_at", "text")
      .addColumn("totp_last_step", "integer")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await sql`insert into users_rebuilt (id, email, name, password_hash, created_at)
      select id, email, name, password_hash, created_at from users`.execute(db);
    await db.schema.dropTable("users").execute();
    await sql`alter table users_rebuilt rename to users`.execute(db);
    const broken = await sql`pragma foreign_key_check`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
    if (broken.rows.length > 0) {
      throw new Error(`rebuilding users broke ${broken.rows.length} foreign key(s)`);
    }
  }

  await db.schema
    .alterTable("sessions")
    .addColumn("membership_id", "text", (c) => c.references("memberships.id"))
    .execute();
  await db.schema.alterTable("sessions").addColumn("last_seen_at", "text").execute();
  await db.schema.alterTable("sessions").addColumn("user_agent", "text").execute();
  await db.schema.alterTable("sessions").addColumn("client_address", "text").execute();
  await db.schema.alterTable("sessions").addColumn("method", "text").execute();
  await sql`update sessions set membership_id =
      (select m.id from memberships m where m.user_id = sessions.user_id),
      last_seen_at = created_at, method = 'password'`.execute(db);
  await db.schema
    .createIndex("sessions_membership_id_idx")
    .on("sessions")
    .column("membership_id")
    .execute();

  // A feed shows one organization's deadlines: the one it was made in. No foreign key, so the
  // column can be dropped again on SQLite; the membership is looked up on every read.
  await db.schema.alterTable("calendar_feeds").addColumn("membership_id", "text").execute();
  await sql`update calendar_feeds set membership_id =
      (select m.id from memberships m where m.user_id = calendar_feeds.user_id)`.execute(db);

  await db.schema
    .createTable("invitations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('admin', 'manager', 'practitioner', 'auditor')`),
    )
    .addColumn("practitioner_id", "text", (c) => c.references("practitioners.id"))
    .addColumn("clinic_ids_json", "text")
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("invited_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addColumn("send_count", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("accepted_at", "text")
    .addColumn("accepted_by", "text", (c) => c.references("users.id"))
    .addColumn("revoked_at", "text")
    .addColumn("revoked_by", "text", (c) => c.references("users.id"))
    .execute();
  await db.schema
    .createIndex("invitations_organization_email_idx")
    .on("invitations")
    .columns(["organization_id", "email"])
    .execute();

  await db.schema
    .createTable("user_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("purpose", "text", (c) =>
      c.notNull().check(sql`purpose in ('password-reset', 'second-factor')`),
    )
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    // Second-factor challenges remember which membership the sign-in is for.
    .addColumn("membership_id", "text", (c) => c.references("memberships.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema
    .createIndex("user_tokens_user_id_idx")
    .on("user_tokens")
    .column("user_id")
    .execute();

  await db.schema
    .createTable("recovery_codes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addUniqueConstraint("recovery_codes_user_code_key", ["user_id", "code_hash"])
    .execute();

  await db.schema
    .createTable("oidc_providers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organization_id", "text", (c) => c.notNull().references("organizations.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("client_id", "text", (c) => c.notNull())
    .addColumn("client_secret", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull().references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("archived_at", "text")
    .addUniqueConstraint("oidc_providers_organization_issuer_key", ["organization_id", "issuer"])
    .execute();

  await db.schema
    .createTable("oidc_sign_ins")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("provider_id", "text", (c) => c.notNull().references("oidc_providers.id"))
    .addColumn("state_hash", "text", (c) => c.notNull().unique())
    .addColumn("nonce", "text", (c) => c.notNull())
    .addColumn("code_verifier", "text", (c) => c.notNull())
    .addColumn("redirect_uri", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();

  await db.schema
    .createTable("user_identities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("provider_id", "text", (c) => c.notNull().references("oidc_providers.id"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addUniqueConstraint("user_identities_provider_subject_key", ["provider_id", "subject"])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  const postgres = await isPostgres(db);
  for (const table of [
    "user_identities",
    "oidc_sign_ins",
    "oidc_providers",
    "recovery_codes",
    "user_tokens",
    "invitations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex("sessions_membership_id_idx").execute();
  await db.schema.alterTable("calendar_feeds").dropColumn("membership_id").execute();

  // Each user keeps their earliest membership; users without one cannot be represented before
  // this migration and are removed with their sessions.
  const memberships = await db
    .selectFrom("memberships")
    .select(["user_id", "organization_id", "role", "practitioner_id"])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const first = new Map<string, (typeof memberships)[number]>();
  for (const membership of memberships) {
    if (!first.has(membership.user_id)) first.set(membership.user_id, membership);
  }

  if (postgres) {
    for (const column of [
      "membership_id",
      "last_seen_at",
      "user_agent",
      "client_address",
      "method",
    ]) {
      await db.schema.alterTable("sessions").dropColumn(column).execute();
    }
    await db.schema
      .alterTable("users")
      .addColumn("organization_id", "text", (c) => c.references("organizations.id"))
      .addColumn("role", "text")
      .addColumn("practitioner_id", "text", (c) => c.references("practitioners.id"))
      .execute();
    for (const [userId, membership] of first) {
      await db
        .updateTable("users")
        .set({
          organization_id: membership.organization_id,
          role: membership.role,
          practitioner_id: membership.practitioner_id,
        })
        .where("id", "=", userId)
        .execute();
    }
    await db
      .deleteFrom("sessions")
      .where("user_id", "not in", [...first.keys(), ""])
      .execute();
    await db.deleteFrom("users").where("organization_id", "is", null).execute();
    await db
      .updateTable("users")
      .set({ password_hash: "!" })
      .where("password_hash", "is", null)
      .execute();
    await sql`alter table users alter column organization_id set not null,
      alter column role set not null, alter column password_hash set not null,
      add constraint users_role_check check (role in ('admin', 'manager', 'practitioner', 'auditor'))`.execute(
      db,
    );
    await db.schema
      .alterTable("users")
      .dropColumn("totp_secret")
      .dropColumn("totp_enabled_at")
      .dropColumn("totp_last_step")
      .execute();
    await db.schema.dropTable("memberships").execute();
  } else {
    const users = await db.selectFrom("users").selectAll().execute();
    await sql`pragma foreign_keys = off`.execute(db);
    await sql`create table sessions_rebuilt as
      select id, user_id, token_hash, created_at, expires_at from sessions`.execute(db);
    await db.schema.dropTable("sessions").execute();
    await db.schema
      .createTable("sessions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await sql`insert into sessions select * from sessions_rebuilt`.execute(db);
    await db.schema.dropTable("sessions_rebuilt").execute();
    await db.schema.createIndex("sessions_user_id_idx").on("sessions").column("user_id").execute();
    await db.schema.dropTable("memberships").execute();
    await db.schema.dropTable("users").execute();
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
    for (const user of users) {
      const membership = first.get(user.id);
      if (!membership) continue;
      await db
        .insertInto("users")
        .values({
          id: user.id,
          organization_id: membership.organization_id,
          email: user.email,
          name: user.name,
          role: membership.role,
          practitioner_id: membership.practitioner_id,
          password_hash: user.password_hash ?? "!",
          created_at: user.created_at,
        })
        .execute();
    }
    await sql`delete from sessions where user_id not in (select id from users)`.execute(db);
    await sql`pragma foreign_keys = on`.execute(db);
  }
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

  await db.schema.alterTable("clinics").dropColumn("archived_at").execute();
  await db.schema.alterTable("clinics").dropColumn("time_zone").execute();
  await db.schema.alterTable("organizations").dropColumn("mfa_required").execute();
}
