import { fixedClock } from "@dn/clock";
import {
  type Db,
  type DbHandle,
  findSentEmail,
  listAuditEventsForEntity,
  type NewNotification,
} from "@dn/db";
import { buildTrainingRecord, createTestDb, testDialects } from "@dn/db/testing";
import type { TrainingRecord, User } from "@dn/schema";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createCaller } from "./root.ts";
import { type AccountServices, actorFromUser, localAccountServices } from "./services/context.ts";
import { createSmtpMailer, type Mailer } from "./services/mailer.ts";
import { deliverNotification, notificationEmailKey } from "./services/notify.ts";
import { buildOrgWorld, expectTrpcError, fieldsNamed, type OrgWorld } from "./test-support.ts";
import { type SmtpTestServer, startSmtpTestServer } from "./testing/smtp-test-server.ts";
import { createContextInner } from "./trpc.ts";

const NOW = "2026-11-27T09:00:00.000Z";
const LATER = "2026-12-02T15:00:00.000Z";

describe.each(await testDialects())("notifications and follow-ups on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;
  let smtp: SmtpTestServer;
  let mailer: Mailer;
  let reported: string[];
  let accounts: AccountServices;
  let pending: TrainingRecord;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    smtp = await startSmtpTestServer();
    mailer = createSmtpMailer({ url: `${smtp.url}?ignoreTLS=true`, from: "dn <alerts@dn.test>" });
    reported = [];
    accounts = localAccountServices({
      mailer,
      appUrl: "https://dn.example",
      reportError: (_error, doing) => reported.push(doing),
    });
    pending = await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.practitioner.id,
      title: "Dry Needling Level 2",
      completedOn: "2026-10-10",
    });
  });
  afterEach(async () => {
    mailer.close();
    await smtp.stop();
    await handle.destroy();
  });

  const as = (role: keyof OrgWorld["users"], now = NOW, services = accounts) =>
    createCaller(createContextInnerFor(handle, world.users[role], now, services));

  test("a rejected record tells its practitioner why; a verified one says so; the reviewer hears nothing", async () => {
    await as("manager").records.review({
      id: pending.id,
      decision: "reject",
      reason: "The certificate names another course",
    });
    await as("manager").records.review({
      id: world.selfRecord.id,
      decision: "verify",
      reason: null,
    });
    const inbox = await as("practitioner").alerts.inbox({});
    const rejected = inbox.items.find((n) => n.kind === "record.rejected");
    expect(rejected).toMatchObject({
      title: "Record rejected: Dry Needling Level 2",
      link: `/records/${pending.id}/history`,
      readAt: null,
    });
    expect(rejected?.body).toContain("Reason: The certificate names another course");
    expect(inbox.items.find((n) => n.kind === "record.verified")?.title).toBe(
      `Record verified: ${world.selfRecord.title}`,
    );
    expect(inbox.unread).toBe(2);
    expect((await as("manager").alerts.inbox({})).items).toEqual([]);
    // The practitioner did not opt in: nothing was emailed.
    expect(smtp.messages).toEqual([]);
    const trail = await listAuditEventsForEntity(handle.db, "notification", pending.id);
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([
      ["notification.create", world.users.manager.id],
    ]);
  });

  test("an opted-in practitioner is emailed each notification exactly once; a re-run sends nothing twice", async () => {
    // Dana's CPR card lapses in 6 days: the alert job raises (and emails) it.
    await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.practitioner.id,
      kind: "cpr",
      title: "BLS Provider",
      completedOn: "2024-12-03",
      expiresOn: "2026-12-03",
      status: "verified",
    });
    expect(await as("practitioner").alerts.preferences()).toEqual({ emailOptIn: false });
    expect(await as("practitioner").alerts.updatePreferences({ emailOptIn: true })).toEqual({
      emailOptIn: true,
    });
    const membershipId = world.users.practitioner.membershipId as string;
    const changes = await listAuditEventsForEntity(handle.db, "membership", membershipId);
    expect(changes.map((e) => [e.action, e.before, e.after])).toEqual([
      ["membership.notification-preferences", { emailOptIn: false }, { emailOptIn: true }],
    ]);

    await as("manager").records.review({
      id: pending.id,
      decision: "reject",
      reason: "The certificate names another course",
    });
    expect(smtp.messages.map((m) => m.to)).toEqual([[world.users.practitioner.email]]);
    const parsed = await simpleParser(smtp.messages[0]?.raw ?? "");
    expect(parsed.subject).toBe("dn: Record rejected: Dry Needling Level 2");
    expect(parsed.text).toContain("Reason: The certificate names another course");
    expect(parsed.text).toContain(`https://dn.example/records/${pending.id}/history`);

    const first = await as("manager").alerts.run();
    expect(first.created).toBeGreaterThan(0);
    const toPt = () => smtp.messages.filter((m) => m.to.includes(world.users.practitioner.email));
    const afterRun = toPt().length;
    expect(afterRun).toBeGreaterThan(1);
    const subjects = await Promise.all(
      toPt().map(async (m) => (await simpleParser(m.raw)).subject),
    );
    expect(subjects).toContain("dn: CPR expires in 6 days");
    // Nobody else opted in.
    expect(smtp.messages.every((m) => m.to.includes(world.users.practitioner.email))).toBe(true);

    // The job again, the same day: nothing new, nothing sent.
    expect(await as("manager").alerts.run()).toEqual({ created: 0, emailed: 0 });
    expect(toPt().length).toBe(afterRun);

    // Delivering a notification already emailed again sends nothing: the key is on record.
    const row = await handle.db
      .selectFrom("notifications")
      .selectAll()
      .where("userId", "=", world.users.practitioner.id)
      .where("kind", "=", "record.rejected")
      .executeTakeFirstOrThrow();
    const notification: NewNotification = { ...row };
    expect(
      await deliverNotification({ db: handle.db, now: fixedClock(LATER), accounts }, notification),
    ).toBe("skipped");
    expect(toPt().length).toBe(afterRun);
    expect(await findSentEmail(handle.db, notificationEmailKey(notification))).toMatchObject({
      status: "sent",
      recipient: world.users.practitioner.email,
    });
    expect(reported).toEqual([]);
  });

  test("a mail server that is down is reported, never thrown; the next delivery sends it once", async () => {
    await as("practitioner").alerts.updatePreferences({ emailOptIn: true });
    const broken = createSmtpMailer({ url: "smtp://127.0.0.1:1", from: "dn <x@dn.test>" });
    const down = localAccountServices({
      mailer: broken,
      reportError: (_error, doing) => reported.push(doing),
    });
    try {
      const reviewed = await as("manager", NOW, down).records.review({
        id: pending.id,
        decision: "verify",
        reason: null,
      });
      expect(reviewed.status).toBe("verified");
    } finally {
      broken.close();
    }
    expect(reported).toEqual(["emailing notification record.verified"]);
    const row = await handle.db
      .selectFrom("notifications")
      .selectAll()
      .where("kind", "=", "record.verified")
      .executeTakeFirstOrThrow();
    expect(await findSentEmail(handle.db, notificationEmailKey(row))).toBeNull();
    const ctx = { db: handle.db, now: fixedClock(LATER), accounts };
    expect(await deliverNotification(ctx, row)).toBe("sent");
    expect(await deliverNotification(ctx, row)).toBe("skipped");
    expect(smtp.messages).toHaveLength(1);
  });

  describe("adverse events", () => {
    let commentId: string;
    beforeEach(async () => {
      const article = await as("manager").content.articles.create({
        slug: "aftercare",
        title: "Aftercare",
        summary: "S",
        blocks: [],
      });
      await as("manager").content.articles.publish({ id: article.id });
      await createCaller(
        createContextInnerFor(handle, null, NOW, accounts, "203.0.113.5"),
      ).content.comments.submit({
        organizationId: world.organization.id,
        articleSlug: "aftercare",
        displayName: "Sam",
        body: "I nearly fainted after my session and vomited.",
        website: "",
      });
      commentId = (await as("admin").content.comments.queue({})).items[0]?.id as string;
    });

    test("a flag tells the managers and opens a follow-up with an owner, a due date and an age", async () => {
      await as("manager").alerts.updatePreferences({ emailOptIn: true });
      const flagged = await as("admin").content.comments.moderate({
        id: commentId,
        decision: "flag-adverse-event",
        note: "Near-syncope: call the patient.",
      });
      expect(flagged.followUp).toMatchObject({
        ownerId: world.users.admin.id,
        dueOn: "2026-11-30",
        status: "open",
      });
      const managerInbox = await as("manager").alerts.inbox({});
      expect(managerInbox.items.map((n) => [n.kind, n.title, n.link])).toEqual([
        ["adverse-event.flagged", "Possible adverse event to follow up", "/follow-ups"],
      ]);
      expect(managerInbox.items[0]?.body).toContain("Near-syncope: call the patient.");
      // The admin who flagged it knows; practitioners are not told.
      expect((await as("admin").alerts.inbox({})).items).toEqual([]);
      expect((await as("practitioner").alerts.inbox({})).items).toEqual([]);
      expect(smtp.messages.map((m) => m.to)).toEqual([[world.users.manager.email]]);

      const today = await as("manager").content.followUps.open({});
      expect(today).toMatchObject({ asOf: "2026-11-27", total: 1, overdue: 0 });
      expect(today.items[0]).toMatchObject({
        summary: "Near-syncope: call the patient.",
        ownerId: world.users.admin.id,
        ownerName: world.users.admin.name,
        dueOn: "2026-11-30",
        ageDays: 0,
        daysLeft: 3,
        articleTitle: "Aftercare",
      });
      const later = await as("manager", LATER).content.followUps.open({});
      expect(later).toMatchObject({ asOf: "2026-12-02", total: 1, overdue: 1 });
      expect(later.items[0]).toMatchObject({ ageDays: 5, daysLeft: -2 });
      await expectTrpcError(as("practitioner").content.followUps.open({}), "FORBIDDEN");

      const id = today.items[0]?.id as string;
      const refused = await expectTrpcError(
        as("admin").content.followUps.assign({
          id,
          ownerId: world.users.practitioner.id,
          dueOn: "2026-12-04",
        }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(refused)).toEqual(["ownerId"]);
      const early = await expectTrpcError(
        as("admin").content.followUps.assign({
          id,
          ownerId: world.users.manager.id,
          dueOn: "2026-11-01",
        }),
        "BAD_REQUEST",
      );
      expect(fieldsNamed(early)).toEqual(["dueOn"]);
      const assigned = await as("admin", LATER).content.followUps.assign({
        id,
        ownerId: world.users.manager.id,
        dueOn: "2026-12-04",
      });
      expect(assigned).toMatchObject({ ownerId: world.users.manager.id, dueOn: "2026-12-04" });
      expect((await as("manager").alerts.inbox({})).items.map((n) => n.kind)).toContain(
        "follow-up.assigned",
      );
      expect((await as("manager", LATER).content.followUps.open({})).overdue).toBe(0);

      await as("manager", LATER).content.followUps.resolve({
        id,
        resolution: "Called the patient; fine.",
      });
      expect(await as("manager", LATER).content.followUps.open({})).toMatchObject({
        total: 0,
        items: [],
      });
      const trail = await listAuditEventsForEntity(handle.db, "follow-up", id);
      expect(trail.map((e) => e.action)).toEqual([
        "follow-up.create",
        "follow-up.assign",
        "follow-up.resolve",
      ]);
      const told = await listAuditEventsForEntity(handle.db, "notification", id);
      expect(told.map((e) => [e.action, (e.after as { reason: string }).reason])).toEqual([
        ["notification.create", "follow-up.create"],
        ["notification.create", "follow-up.assign"],
      ]);
    });
  });
});

function createContextInnerFor(
  handle: { db: Db },
  user: User | null,
  now: string,
  accounts: AccountServices,
  clientAddress: string | null = null,
) {
  return createContextInner({
    db: handle.db,
    actor: user ? actorFromUser(user) : null,
    now: fixedClock(now),
    accounts,
    origin: { clientAddress, userAgent: null },
  });
}
