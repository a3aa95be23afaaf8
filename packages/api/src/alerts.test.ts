import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { type DbHandle, listAuditEventsForEntity } from "@dn/db";
import { buildLicense, buildTrainingRecord, createTestDb, testDialects } from "@dn/db/testing";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createFilesHttpHandler } from "./files-http.ts";
import { sendDigests } from "./services/deadlines.service.ts";
import { createSmtpMailer } from "./services/mailer.ts";
import { LocalFileStore } from "./services/storage/local-file-store.ts";
import { buildOrgWorld, callerFor, type OrgWorld } from "./test-support.ts";
import { startSmtpTestServer } from "./testing/smtp-test-server.ts";

const NOW = "2026-11-27T09:00:00.000Z";

describe.each(await testDialects())("deadlines, inbox, digests and calendar on %s", (dialect) => {
  let handle: DbHandle;
  let world: OrgWorld;

  beforeEach(async () => {
    handle = await createTestDb({ dialect });
    world = await buildOrgWorld(handle.db, "Harbor");
    // Dana's license lapses in 34 days, her CPR card in 6; the colleague's license in a year.
    await handle.db.deleteFrom("licenses").where("id", "=", world.selfLicense.id).execute();
    await buildLicense(handle.db, {
      practitionerId: world.self.id,
      jurisdiction: "US-MD",
      number: "PT-MD-0042",
      expiresOn: "2026-12-31",
    });
    await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.practitioner.id,
      kind: "cpr",
      title: "BLS Provider",
      completedOn: "2024-12-03",
      expiresOn: "2026-12-03",
      status: "verified",
    });
  });
  afterEach(async () => {
    await handle.destroy();
  });

  const as = (role: keyof OrgWorld["users"]) => callerFor(handle.db, world.users[role], NOW);

  test("a PT sees their own deadlines in buckets; a manager sees everyone's", async () => {
    const own = await as("practitioner").alerts.deadlines({});
    expect(own.map((d) => [d.kind, d.due, d.daysLeft, d.bucket])).toEqual(
      expect.arrayContaining([
        ["cpr", "2026-12-03", 6, 7],
        ["license", "2026-12-31", 34, 60],
      ]),
    );
    expect(own.every((d) => d.practitionerId === world.self.id)).toBe(true);
    const all = await as("manager").alerts.deadlines({});
    expect(all).toEqual(expect.arrayContaining(own));
    // In spring the colleague's license (2027-05-31) comes due: the manager sees it, the PT not.
    const spring = { asOf: "2027-03-15" };
    const managerSpring = await as("manager").alerts.deadlines(spring);
    expect(managerSpring.map((d) => [d.practitionerId, d.kind, d.due])).toContainEqual([
      world.colleague.id,
      "license",
      "2027-05-31",
    ]);
    const ptSpring = await as("practitioner").alerts.deadlines(spring);
    expect(ptSpring.some((d) => d.practitionerId === world.colleague.id)).toBe(false);
  });

  test("the alert job fills the inbox once per bucket; marking read empties the unread count", async () => {
    const first = await as("manager").alerts.run();
    expect(first.created).toBeGreaterThan(0);
    expect((await as("manager").alerts.run()).created).toBe(0);
    const inbox = await as("practitioner").alerts.inbox({});
    expect(inbox.items.map((n) => n.title)).toEqual(
      expect.arrayContaining(["CPR expires in 6 days", "License expires in 34 days"]),
    );
    expect(inbox.unread).toBe(inbox.items.length);
    const { marked } = await as("practitioner").alerts.markRead({
      ids: [inbox.items[0]?.id as string],
    });
    expect(marked).toBe(1);
    expect((await as("practitioner").alerts.inbox({})).unread).toBe(inbox.items.length - 1);
    // Someone else's notification ids are not theirs to mark.
    const managerInbox = await as("manager").alerts.inbox({});
    expect(
      (await as("practitioner").alerts.markRead({ ids: managerInbox.items.map((n) => n.id) }))
        .marked,
    ).toBe(0);
  });

  test("running alerts, marking read and issuing a calendar feed are each in the audit trail", async () => {
    const { created } = await as("manager").alerts.run();
    const runs = await listAuditEventsForEntity(handle.db, "organization", world.organization.id);
    expect(runs.map((e) => [e.action, e.actorId, e.after])).toEqual([
      ["alerts.run", world.users.manager.id, { asOf: "2026-11-27", created }],
    ]);

    const inbox = await as("practitioner").alerts.inbox({});
    await as("practitioner").alerts.markRead({ ids: [inbox.items[0]?.id as string] });
    await as("practitioner").alerts.markRead({ ids: [inbox.items[0]?.id as string] });
    const reads = await listAuditEventsForEntity(
      handle.db,
      "notification",
      world.users.practitioner.id,
    );
    // The second call marked nothing new, so it changed nothing and wrote no row.
    expect(reads.map((e) => [e.action, e.after])).toEqual([
      ["notification.read", { marked: 1, ids: [inbox.items[0]?.id] }],
    ]);

    const feed = await as("practitioner").alerts.createCalendarFeed();
    const issued = await listAuditEventsForEntity(
      handle.db,
      "calendar-feed",
      world.users.practitioner.id,
    );
    expect(issued.map((e) => e.action)).toEqual(["calendar-feed.issue"]);
    // The feed URL is a credential: it is never written to the trail.
    expect(JSON.stringify(issued)).not.toContain(feed.token);
  });

  test("a digest email with the right deadlines reaches a local SMTP server", async () => {
    const smtp = await startSmtpTestServer();
    const mailer = createSmtpMailer({
      url: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`,
      from: "dn <alerts@dn.test>",
    });
    try {
      const sent = await sendDigests(handle.db, mailer, world.organization.id, "2026-11-27", {
        at: "2026-11-27T08:00:00.000Z",
      });
      expect(sent).toContain(world.users.practitioner.email);
      const toPt = smtp.messages.find((m) => m.to.includes(world.users.practitioner.email));
      expect(toPt).toBeDefined();
      const parsed = await simpleParser(toPt?.raw ?? "");
      expect(parsed.subject).toMatch(/deadlines? in the next 90 days \(as of 2026-11-27\)/);
      expect(parsed.text).toContain("CPR expires in 6 days (2026-12-03): CPR certification");
      expect(parsed.text).toContain(
        "License expires in 34 days (2026-12-31): US-MD license PT-MD-0042",
      );
      const toManager = smtp.messages.find((m) => m.to.includes(world.users.manager.email));
      const managerText = (await simpleParser(toManager?.raw ?? "")).text ?? "";
      expect(managerText).toContain(`${world.self.name}: CPR expires in 6 days (2026-12-03)`);

      // A retried or doubled run for the same date sends nothing again; the next day's does.
      const delivered = smtp.messages.length;
      const again = await sendDigests(handle.db, mailer, world.organization.id, "2026-11-27", {
        at: "2026-11-27T08:05:00.000Z",
      });
      expect(again).toEqual([]);
      expect(smtp.messages.length).toBe(delivered);
      const nextDay = await sendDigests(handle.db, mailer, world.organization.id, "2026-11-28", {
        at: "2026-11-28T08:00:00.000Z",
      });
      expect(nextDay).toContain(world.users.practitioner.email);
    } finally {
      mailer.close();
      await smtp.stop();
    }
  });

  test("several calendar feeds issued at once all succeed; only the last URL keeps working", async () => {
    const feeds = await Promise.all(
      Array.from({ length: 8 }, () => world.as.practitioner.alerts.createCalendarFeed()),
    );
    const rows = await handle.db.selectFrom("calendarFeeds").selectAll().execute();
    expect(rows.filter((row) => row.userId === world.users.practitioner.id)).toHaveLength(1);
    expect(new Set(feeds.map((feed) => feed.token)).size).toBe(8);
  });

  test("a PT's calendar feed holds their own lapses a year ahead, as the compliance page lists them", async () => {
    // A renewed CPR card (valid to 2027-08-31) is further away than the widest alert bucket.
    await buildTrainingRecord(handle.db, {
      practitionerId: world.self.id,
      recordedBy: world.users.practitioner.id,
      kind: "cpr",
      title: "BLS Provider renewal",
      completedOn: "2025-08-31",
      expiresOn: "2027-08-31",
      status: "verified",
    });
    const feed = await as("practitioner").alerts.createCalendarFeed();
    const server: Server = createServer(
      createFilesHttpHandler({
        db: handle.db,
        store: new LocalFileStore(tmpdir()),
        now: () => new Date(NOW),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const ics = (await (await fetch(`${base}${feed.path}`)).text()).replace(/\r\n[ \t]/g, "");
      const starts = [...ics.matchAll(/DTSTART;VALUE=DATE:(\d{8})/g)].map((m) => m[1]);
      expect(starts).toContain("20261231");
      expect(starts).toContain("20270831");
      expect(ics).toContain("it lapses on 2027-09-01");
      // Each "next lapse" the compliance page shows is in the feed (on its last valid day).
      const overview = await as("practitioner").compliance.overview({
        practitionerId: world.self.id,
      });
      const lapses = overview.standards.flatMap((s) =>
        s.evaluation?.nextLapse ? [s.evaluation.nextLapse.on] : [],
      );
      for (const on of lapses) expect(ics).toContain(`it lapses on ${on}`);
      // Only their own: the colleague's license (2027-05-31) is not in it.
      expect(starts).not.toContain("20270531");
      expect(ics).not.toContain(world.colleague.name);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("the calendar feed serves the user's deadlines as iCalendar; a wrong token is 404", async () => {
    const feed = await as("practitioner").alerts.createCalendarFeed();
    const server: Server = createServer(
      createFilesHttpHandler({
        db: handle.db,
        store: new LocalFileStore(tmpdir()),
        now: () => new Date(NOW),
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const response = await fetch(`${base}${feed.path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/calendar/);
      const ics = await response.text();
      expect(ics).toMatch(/^BEGIN:VCALENDAR/);
      expect(ics).toContain("DTSTART;VALUE=DATE:20261203");
      expect(ics).toContain("SUMMARY:CPR expires");
      expect(ics).toContain("DTSTART;VALUE=DATE:20261231");
      expect((await fetch(`${base}/calendar/${"x".repeat(32)}.ics`)).status).toBe(404);
      // A new feed replaces the old token.
      await as("practitioner").alerts.createCalendarFeed();
      expect((await fetch(`${base}${feed.path}`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
