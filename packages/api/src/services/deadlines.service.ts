/**
 * Deadlines and alerts: what lapses in the next 90 days (pure `upcomingDeadlines` over engine
 * evaluations), the in-app notification inbox, email digests over SMTP and the iCalendar feed.
 * Practitioners see their own deadlines; managers, admins and auditors their organization's (a
 * manager limited to clinics: those clinics').
 */
import { randomBytes, randomUUID } from "node:crypto";
import { addDays, daysBetween, deadlineBucket } from "@dn/compliance";
import {
  claimSentEmail,
  countUnreadNotifications,
  type Db,
  findCalendarFeedMembership,
  findMemberByMembershipId,
  findNotificationPreferences,
  insertNewNotifications,
  listActiveMembers,
  listClinics,
  listNotifications,
  listStaffOfOrganization,
  listStoredDeadlines,
  markNotificationsRead,
  markSentEmailSent,
  type NewNotification,
  releaseSentEmail,
  upsertCalendarFeed,
  upsertNotificationPreferences,
} from "@dn/db";
import {
  DEADLINE_KIND_LABELS,
  type Deadline,
  type DeadlinesInput,
  DeadlinesInputSchema,
  type Notification,
  type NotificationPreferences,
  UpdateNotificationPreferencesInputSchema,
  type User,
} from "@dn/schema";
import { createEvents, type EventAttributes } from "ics";
import { type Principal, reachOf } from "../auth/permissions.ts";
import { hashSessionToken } from "../auth/session.ts";
import {
  dateAt,
  datesOfClinics,
  deadlinesOnToday,
  evaluateOnToday,
  headlineDate,
  type Today,
  todayFrom,
} from "./clinic-today.ts";
import {
  type Actor,
  actorFromUser,
  auditByActor,
  inTransaction,
  type PublicServiceContext,
  type ServiceContext,
} from "./context.ts";
import {
  deadlinesFromStored,
  isStoredDate,
  reevaluateStale,
  refreshEvaluations,
} from "./evaluations.ts";
import { requireMembership, requirePermission, requirePractitioner } from "./guards.ts";
import type { Mailer } from "./mailer.ts";
import { deliverNotifications } from "./notify.ts";
import { loadOrganizationRules, type StaffMember } from "./staff-compliance.ts";

/** Whether `actor` sees colleagues' deadlines (a practitioner sees only their own: no names). */
function seesColleagues(actor: Principal): boolean {
  const reach = reachOf(actor, "read:practitioner");
  return reach !== null && reach.kind !== "own";
}

/** The deadlines of the staff `actor` may see, each as of their clinic's today (or `asOf`). */
async function deadlinesFor(
  db: Db,
  actor: Actor,
  options: { today: Today; now: Date; withinDays: number; practitionerId?: string },
): Promise<Deadline[]> {
  const reach = reachOf(actor, "read:practitioner");
  if (reach === null) return [];
  const own = reach.kind === "own" ? reach.practitionerId : undefined;
  if (own && options.practitionerId && options.practitionerId !== own) return [];
  const practitionerId = own ?? options.practitionerId;
  const clinics = reach.kind === "clinics" ? reach.clinicIds : undefined;
  const rules = await loadOrganizationRules(db, actor.organizationId);
  const { withinDays } = options;
  // A chosen date that is every clinic's today (a daily job's) reads what is stored too.
  const today: Today = isStoredDate(
    rules,
    options.now,
    clinics,
    "asOf" in options.today ? options.today.asOf : undefined,
  )
    ? { at: options.now }
    : options.today;
  if ("at" in today) {
    // Each clinic's today is what the stored evaluations hold (decision 057): brought up to
    // date in batches that yield, then read, instead of evaluating the whole staff at once.
    await refreshEvaluations(db, rules, { today, clinics, now: today.at });
    const latest = headlineDate(today, rules.clinics.values());
    const rows = await listStoredDeadlines(
      db,
      { organizationId: actor.organizationId, ...(clinics ? { clinics } : {}) },
      addDays(latest, withinDays),
      practitionerId,
    );
    return deadlinesFromStored(
      rows.map((row) => ({
        deadlinesJson: row.deadlinesJson,
        asOf: dateAt(today, rules.clinics.get(row.clinicId)),
      })),
      withinDays,
      deadlineBucket,
      daysBetween,
    );
  }
  // A chosen date is the rare, exact path: evaluated live.
  let staff: StaffMember[] = await listStaffOfOrganization(db, actor.organizationId, clinics);
  if (practitionerId) staff = staff.filter((p) => p.id === practitionerId);
  if (staff.length === 0) return [];
  const dated = await evaluateOnToday(db, rules, staff, today);
  return deadlinesOnToday(dated, withinDays);
}

/** What lapses within `withinDays` (default 90) for the practitioners the actor may see. */
export async function listDeadlines(
  ctx: ServiceContext,
  input: DeadlinesInput,
): Promise<Deadline[]> {
  const parsed = DeadlinesInputSchema.parse(input);
  if (parsed.practitionerId) {
    await requirePractitioner(ctx, parsed.practitionerId, "read", "practitioner", "practitionerId");
  }
  return deadlinesFor(ctx.db, ctx.actor, {
    today: todayFrom(parsed.asOf, ctx.now()),
    now: ctx.now(),
    withinDays: parsed.withinDays,
    practitionerId: parsed.practitionerId,
  });
}

function deadlineSentence(deadline: Deadline, withName: boolean): string {
  const when =
    deadline.daysLeft === 0
      ? "today"
      : `in ${deadline.daysLeft} day${deadline.daysLeft === 1 ? "" : "s"} (${deadline.due})`;
  const who = withName ? `${deadline.practitionerName}: ` : "";
  return `${who}${DEADLINE_KIND_LABELS[deadline.kind]} ${when}: ${deadline.title}`;
}

// ---------------------------------------------------------------------------------------------
// The inbox
// ---------------------------------------------------------------------------------------------

/**
 * Raises an inbox alert for every deadline each user should hear about, once per warning bucket
 * (90, 60, 30, 14, 7, 0 days): running it again the same day raises nothing new. Returns the
 * notifications created (to be emailed once committed). Meant for a daily job
 * (`pnpm dn alerts run`).
 */
export async function raiseDeadlineAlerts(
  db: Db,
  organizationId: string,
  users: readonly User[],
  today: Today,
  at: string,
): Promise<NewNotification[]> {
  const created: NewNotification[] = [];
  for (const user of users) {
    const actor = actorFromUser(user);
    const deadlines = await deadlinesFor(db, actor, { today, now: new Date(at), withinDays: 90 });
    const own = !seesColleagues(actor);
    const notifications: NewNotification[] = deadlines.map((d) => ({
      id: randomUUID(),
      organizationId,
      userId: user.id,
      kind: `deadline.${d.kind}`,
      title: own
        ? `${DEADLINE_KIND_LABELS[d.kind]} ${d.daysLeft === 0 ? "today" : `in ${d.daysLeft} days`}`
        : `${d.practitionerName}: ${DEADLINE_KIND_LABELS[d.kind].toLowerCase()} ${d.daysLeft === 0 ? "today" : `in ${d.daysLeft} days`}`,
      body: deadlineSentence(d, !own),
      link: own ? "/records" : `/practitioners/${d.practitionerId}`,
      dedupeKey: [
        "deadline",
        d.practitionerId,
        d.kind,
        d.due,
        d.standardId ?? "",
        d.requirementId ?? "",
        d.bucket,
      ].join("|"),
      createdAt: at,
    }));
    created.push(...(await insertNewNotifications(db, notifications)));
  }
  return created;
}

export async function listInbox(
  ctx: ServiceContext,
  input: { unreadOnly: boolean; limit: number },
): Promise<{ unread: number; items: Notification[] }> {
  const [items, unread] = await Promise.all([
    listNotifications(ctx.db, ctx.actor.userId, input),
    countUnreadNotifications(ctx.db, ctx.actor.userId),
  ]);
  return { unread, items };
}

/** Marks the actor's own notifications read; another user's ids are silently not theirs. */
export async function markRead(
  ctx: ServiceContext,
  input: { ids?: string[] },
): Promise<{ marked: number }> {
  return inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const marked = await markNotificationsRead(tx.db, tx.actor.userId, input.ids, at);
    if (marked > 0) {
      await auditByActor(tx.db, tx, at, {
        action: "notification.read",
        entityType: "notification",
        entityId: tx.actor.userId,
        before: null,
        after: { marked, ids: input.ids ?? "all" },
      });
    }
    return { marked };
  });
}

/**
 * Raises today's alerts for the actor's organization (managers and admins), then emails each new
 * one to members who opted in (once ever per notification, however often the job runs).
 */
export async function runAlerts(
  ctx: ServiceContext,
): Promise<{ created: number; emailed: number }> {
  requirePermission(ctx, "run:alert");
  // Brought up to date before the transaction, so it holds no evaluation rows while it runs.
  await reevaluateStale(ctx.db, {
    organizationId: ctx.actor.organizationId,
    now: ctx.now(),
    limit: Number.POSITIVE_INFINITY,
  });
  const users = await listActiveMembers(ctx.db, ctx.actor.organizationId);
  const raised = await inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    const today = todayFrom(undefined, tx.now());
    const created = await raiseDeadlineAlerts(tx.db, tx.actor.organizationId, users, today, at);
    const asOf = datesOfClinics(today, await listClinics(tx.db, tx.actor.organizationId));
    await auditByActor(tx.db, tx, at, {
      action: "alerts.run",
      entityType: "organization",
      entityId: tx.actor.organizationId,
      before: null,
      after: { asOf, created: created.length },
    });
    return created;
  });
  const emailed = await deliverNotifications(ctx, raised);
  return { created: raised.length, emailed };
}

// ---------------------------------------------------------------------------------------------
// Preferences
// ---------------------------------------------------------------------------------------------

/** The actor's notification settings in this organization (their membership). */
export async function getNotificationPreferences(
  ctx: ServiceContext,
): Promise<NotificationPreferences> {
  return findNotificationPreferences(ctx.db, requireMembership(ctx.actor));
}

/** Changes the actor's own notification settings (audited on their membership). */
export async function updateNotificationPreferences(
  ctx: ServiceContext,
  input: NotificationPreferences,
): Promise<NotificationPreferences> {
  const parsed = UpdateNotificationPreferencesInputSchema.parse(input);
  const membershipId = requireMembership(ctx.actor);
  return inTransaction(ctx, async (tx) => {
    const before = await findNotificationPreferences(tx.db, membershipId);
    if (before.emailOptIn === parsed.emailOptIn) return before;
    const at = tx.now().toISOString();
    await upsertNotificationPreferences(tx.db, {
      membershipId,
      emailOptIn: parsed.emailOptIn,
      updatedAt: at,
      updatedBy: tx.actor.userId,
    });
    await auditByActor(tx.db, tx, at, {
      action: "membership.notification-preferences",
      entityType: "membership",
      entityId: membershipId,
      before,
      after: parsed,
    });
    return { emailOptIn: parsed.emailOptIn };
  });
}

// ---------------------------------------------------------------------------------------------
// Email digests
// ---------------------------------------------------------------------------------------------

export interface DigestMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The digest for one user, or null when nothing lapses within 90 days. */
export function composeDigest(
  user: { email: string; name: string } & Principal,
  deadlines: readonly Deadline[],
  asOf: string,
): DigestMessage | null {
  if (deadlines.length === 0) return null;
  const withName = seesColleagues(user);
  const lines = deadlines.map((d) => `- ${deadlineSentence(d, withName)}`);
  return {
    to: user.email,
    subject: `dn: ${deadlines.length} deadline${deadlines.length === 1 ? "" : "s"} in the next 90 days (as of ${asOf})`,
    text: [
      `Hello ${user.name},`,
      "",
      `What lapses in the next 90 days, as of ${asOf}:`,
      "",
      ...lines,
      "",
    ].join("\n"),
    html: `<p>Hello ${escapeHtml(user.name)},</p><p>What lapses in the next 90 days, as of ${asOf}:</p><ul>${deadlines
      .map((d) => `<li>${escapeHtml(deadlineSentence(d, withName))}</li>`)
      .join("")}</ul>`,
  };
}

/**
 * Sends each user of the organization their digest as of `asOf`, at most once per user and date
 * (the `sent_emails` ledger, key `digest|user|organization|date`), so a retried or doubled run
 * sends nothing twice. One refused message does not stop the others: they are all tried, then
 * the failures are thrown together (a retry sends only those). Returns the addresses written to.
 */
export async function sendDigests(
  db: Db,
  mailer: Mailer,
  organizationId: string,
  asOf: string,
  options: { at: string; userIds?: ReadonlySet<string> },
): Promise<string[]> {
  const users = await listActiveMembers(db, organizationId);
  const sent: string[] = [];
  const failures: string[] = [];
  for (const user of users) {
    if (options.userIds && !options.userIds.has(user.id)) continue;
    const actor = actorFromUser(user);
    const message = composeDigest(
      user,
      await deadlinesFor(db, actor, { today: { asOf }, now: new Date(options.at), withinDays: 90 }),
      asOf,
    );
    if (!message) continue;
    const idempotencyKey = `digest|${user.id}|${organizationId}|${asOf}`;
    const claimed = await claimSentEmail(db, {
      idempotencyKey,
      organizationId,
      kind: "digest",
      recipient: message.to,
      subject: message.subject,
      createdAt: options.at,
    });
    if (!claimed) continue;
    try {
      await mailer.send(message);
    } catch (error) {
      await releaseSentEmail(db, idempotencyKey);
      failures.push(`${message.to}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    await markSentEmailSent(db, idempotencyKey, options.at);
    sent.push(user.email);
  }
  if (failures.length > 0) {
    throw new Error(
      `${failures.length} digest${failures.length === 1 ? "" : "s"} could not be sent (${sent.length} sent): ${failures.join("; ")}`,
    );
  }
  return sent;
}

// ---------------------------------------------------------------------------------------------
// The iCalendar feed
// ---------------------------------------------------------------------------------------------

/** Issues (or replaces) the actor's calendar feed token; the old URL stops working. */
export async function createCalendarFeed(
  ctx: ServiceContext,
): Promise<{ token: string; path: string }> {
  const token = randomBytes(24).toString("base64url");
  await inTransaction(ctx, async (tx) => {
    const at = tx.now().toISOString();
    await upsertCalendarFeed(tx.db, {
      userId: tx.actor.userId,
      membershipId: requireMembership(tx.actor),
      tokenHash: hashSessionToken(token),
      createdAt: at,
    });
    // The feed URL is a credential: the trail records that one was issued, never the token.
    await auditByActor(tx.db, tx, at, {
      action: "calendar-feed.issue",
      entityType: "calendar-feed",
      entityId: tx.actor.userId,
      before: null,
      after: { userId: tx.actor.userId },
    });
  });
  return { token, path: `/calendar/${token}.ics` };
}

function dateArray(date: string): [number, number, number] {
  const [y, m, d] = date.split("-").map(Number);
  return [y as number, m as number, d as number];
}

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * The deadlines as an iCalendar document: one all-day event per deadline, on its last valid day,
 * saying when it lapses (the day after, as the compliance page's "Next lapse" says).
 */
export function deadlinesToIcs(deadlines: readonly Deadline[], withName: boolean): string {
  const events: EventAttributes[] = deadlines.map((d) => ({
    uid: `${d.practitionerId}-${d.kind}-${d.due}-${d.standardId ?? "none"}-${d.requirementId ?? "none"}@dn`,
    start: dateArray(d.due),
    end: dateArray(nextDay(d.due)),
    title: `${withName ? `${d.practitionerName}: ` : ""}${DEADLINE_KIND_LABELS[d.kind]}`,
    description: `${d.title}. Last day it is met: ${d.due}; it lapses on ${nextDay(d.due)}.`,
    categories: ["dn", d.kind],
    status: "CONFIRMED",
    busyStatus: "FREE",
    transp: "TRANSPARENT",
  }));
  const { error, value } = createEvents(events, {
    productId: "dn/deadlines",
    calName: "dn deadlines",
  });
  if (error || value === null) throw error ?? new Error("could not build the calendar");
  return value;
}

/**
 * The feed behind `token`: everything of the member's that lapses in the coming year (a
 * practitioner's own; a manager's staff's), or null when the token is unknown. Deadlines beyond
 * the widest alert bucket (90 days) are listed too: a calendar is where those belong.
 */
export async function calendarFeedFor(
  ctx: PublicServiceContext,
  token: string,
): Promise<string | null> {
  const membershipId = await findCalendarFeedMembership(ctx.db, hashSessionToken(token));
  const member = membershipId ? await findMemberByMembershipId(ctx.db, membershipId) : null;
  // A deactivated membership's feed stops working with its sessions.
  if (member?.status !== "active") return null;
  const actor = actorFromUser(member);
  const deadlines = await deadlinesFor(ctx.db, actor, {
    today: todayFrom(undefined, ctx.now()),
    now: ctx.now(),
    withinDays: 365,
  });
  return deadlinesToIcs(deadlines, seesColleagues(actor));
}
