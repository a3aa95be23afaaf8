/**
 * The authorization matrix, generated from the router: every procedure of `appRouter` is called
 * over real HTTP as each principal (admin, manager, a manager limited to the data's clinic,
 * auditor, practitioner, the admin of another organization, anonymous) with an input aimed at the
 * first organization's data, and the outcome is checked against the permission model
 * (docs/decisions/053-permissions.md): derived from GRANTS where a procedure is one permission,
 * an explicit list for the rest. A procedure without an entry fails the suite, so a new one
 * cannot be forgotten.
 *
 * Allowed: the call succeeds (or, where the input cannot succeed whoever calls, gives one of the
 * named non-refusal codes). Denied: UNAUTHORIZED, FORBIDDEN or NOT_FOUND, and no row of any table
 * changed (audit trail included).
 */

import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "@dn/clock";
import { DEMO_AUTHOR, LITERATURE, VIDEOS } from "@dn/content";
import type { DbHandle } from "@dn/db";
import {
  buildClinic,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
  createTestDb,
  TEST_NOW,
  TEST_PASSWORD,
  testDialects,
} from "@dn/db/testing";
import type { User } from "@dn/schema";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { accessOf, type PermissionCheck } from "./auth/permissions.ts";
import {
  buildMatrixWorld,
  callRaw,
  type MatrixWorld,
  PRINCIPALS,
  type PrincipalName,
  routerProcedures,
  sessionFor,
  snapshotRows,
} from "./procedure-matrix.ts";
import { createCaller } from "./root.ts";
import { type AccountServices, actorFromUser, localAccountServices } from "./services/context.ts";
import { createOutboxMailer } from "./services/mailer.ts";
import { clinicPolicy } from "./test-standards.ts";
import { callerFor, serveTrpc, type TrpcTestServer } from "./test-support.ts";
import { createContextInner } from "./trpc.ts";

const DENIALS = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"]);
const SIGNED_IN: readonly PrincipalName[] = PRINCIPALS.filter((p) => p !== "anonymous");
const OF_FIRST_ORGANIZATION: readonly PrincipalName[] = [
  "admin",
  "manager",
  "clinic-manager",
  "auditor",
  "practitioner",
];

/** What the input builders get: the world, and the principal about to call. */
interface Fixture {
  handle: DbHandle;
  w: MatrixWorld;
  /** Targets made once, before the matrix runs. */
  made: Made;
  principal: PrincipalName;
  /** The server's account services (its mailer): in-process calls share them. */
  accounts: AccountServices;
}

interface Made {
  customStandardId: string;
  articleId: string;
  publishedSlug: string;
  authorId: string;
  videoId: string;
  referenceId: string;
  courseId: string;
  commentId: string;
  followUpId: string;
  exportId: string;
}

type Expectation =
  /** One permission: who holds it per GRANTS. */
  | {
      permission: PermissionCheck;
      /**
       * Does `own` access suffice: is the target the practitioner's own data? Default: for
       * lists (untargeted) yes, they are filtered to it; otherwise no, it is a colleague's.
       */
      own?: boolean;
      /** Does the target name no clinic (an organization-wide resource)? Clinic access fails. */
      orgWide?: boolean;
    }
  /** An explicit list. */
  | { allow: readonly PrincipalName[] }
  /** Anyone may call it (sign-in, public pages): never a 5xx, and the same class for all. */
  | { public: true };

interface Entry {
  input?: (f: Fixture) => unknown;
  expect: Expectation;
  /**
   * Untargeted (a list, the caller's own account): another organization's user gets what the
   * same role gets at home, on their own data. Default: targeted (another organization: denied).
   */
  untargeted?: true;
  /** Codes an allowed call may end with when the input cannot succeed for anybody. */
  okCodes?: readonly string[];
}

const validRecord = (practitionerId: string) => ({
  practitionerId,
  kind: "cpr" as const,
  title: "BLS Provider",
  provider: "American Heart Association",
  completedOn: "2026-01-10",
  expiresOn: "2028-01-31",
});

const fresh = {
  practitioner: (f: Fixture) => buildPractitioner(f.handle.db, { clinicId: f.w.a.clinic.id }),
  record: async (f: Fixture) =>
    buildTrainingRecord(f.handle.db, {
      practitionerId: f.w.a.colleague.id,
      recordedBy: f.w.a.users.manager.id,
    }),
  /** A practitioner of the data's clinic with a login. */
  practitionerUser: async (f: Fixture): Promise<User> => {
    const practitioner = await fresh.practitioner(f);
    return buildUser(f.handle.db, {
      organizationId: f.w.a.organization.id,
      role: "practitioner",
      practitionerId: practitioner.id,
    });
  },
};

/** The first organization's admin, in-process, arranging a target. */
const admin = (f: Fixture) =>
  createCaller(
    createContextInner({
      db: f.handle.db,
      actor: actorFromUser(f.w.a.users.admin),
      now: fixedClock(TEST_NOW),
      accounts: f.accounts,
    }),
  );
const unique = () => randomUUID().slice(0, 8);

/** One entry per procedure of the router. */
const MATRIX: Record<string, Entry> = {
  // Signing in and the caller's own account
  "auth.login": {
    input: (f) => ({ email: f.w.a.users.auditor.email, password: TEST_PASSWORD }),
    expect: { public: true },
  },
  "auth.verifySecondFactor": {
    input: () => ({ challenge: "c".repeat(32), code: "123456" }),
    expect: { public: true },
  },
  "auth.requestPasswordReset": {
    input: (f) => ({ email: f.w.a.users.auditor.email }),
    expect: { public: true },
  },
  "auth.resetPassword": {
    input: () => ({ token: "t".repeat(32), newPassword: "a much longer new passphrase" }),
    expect: { public: true },
  },
  "auth.logout": { expect: { allow: SIGNED_IN }, untargeted: true },
  "auth.me": { expect: { allow: SIGNED_IN }, untargeted: true },
  "auth.switchOrganization": {
    input: (f) => ({ organizationId: f.w.a.organization.id }),
    expect: { allow: OF_FIRST_ORGANIZATION },
  },
  "account.changePassword": {
    input: () => ({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD }),
    expect: { allow: SIGNED_IN },
    untargeted: true,
    okCodes: ["BAD_REQUEST"],
  },
  "account.sessions": { expect: { allow: SIGNED_IN }, untargeted: true },
  "account.revokeSession": {
    // A session of the practitioner's: theirs to end, nobody else's.
    input: async (f) => ({
      id: (await sessionFor(f.handle, f.w.a.users.practitioner)).id,
    }),
    expect: { allow: ["practitioner"] },
  },
  "account.signOutEverywhere": { expect: { allow: SIGNED_IN }, untargeted: true },
  "account.beginTotp": { expect: { allow: SIGNED_IN }, untargeted: true },
  "account.confirmTotp": {
    input: () => ({ code: "000000" }),
    expect: { allow: SIGNED_IN },
    untargeted: true,
    okCodes: ["BAD_REQUEST", "CONFLICT", "PRECONDITION_FAILED"],
  },
  "account.regenerateRecoveryCodes": {
    input: () => ({ currentPassword: TEST_PASSWORD }),
    expect: { allow: SIGNED_IN },
    untargeted: true,
    okCodes: ["BAD_REQUEST", "CONFLICT", "PRECONDITION_FAILED"],
  },
  "account.disableTotp": {
    input: () => ({ currentPassword: TEST_PASSWORD }),
    expect: { allow: SIGNED_IN },
    untargeted: true,
    okCodes: ["BAD_REQUEST", "CONFLICT", "PRECONDITION_FAILED"],
  },
  "setup.status": { expect: { public: true } },
  "setup.createOrganization": {
    input: () => ({
      organizationName: "Takeover PT",
      clinic: { name: "Main", jurisdiction: "US-MD", timeZone: "America/New_York" },
      admin: { name: "Mallory", email: "mallory@example.test", password: "a long passphrase here" },
    }),
    expect: { public: true },
  },

  // The organization and its clinics
  "organizations.current": { expect: { permission: "read:organization" }, untargeted: true },
  "organizations.update": {
    input: () => ({ mfaRequired: false }),
    expect: { permission: "update:organization" },
    untargeted: true,
  },
  "clinics.list": { input: () => ({}), expect: { permission: "read:clinic" }, untargeted: true },
  "clinics.create": {
    input: () => ({
      name: `Clinic ${unique()}`,
      jurisdiction: "US-MD",
      timeZone: "America/New_York",
    }),
    expect: { permission: "create:clinic" },
    untargeted: true,
  },
  "clinics.update": {
    input: (f) => ({ id: f.w.a.clinic.id, timeZone: "America/New_York" }),
    expect: { permission: "update:clinic" },
  },
  "clinics.archive": {
    input: async (f) => ({
      id: (await buildClinic(f.handle.db, { organizationId: f.w.a.organization.id })).id,
    }),
    expect: { permission: "archive:clinic" },
  },
  "clinics.unarchive": {
    input: async (f) => ({
      id: (
        await buildClinic(f.handle.db, {
          organizationId: f.w.a.organization.id,
          archivedAt: "2026-11-01T00:00:00.000Z",
        })
      ).id,
    }),
    expect: { permission: "archive:clinic" },
  },

  // Staff data
  "practitioners.list": {
    input: () => ({}),
    expect: { permission: "read:practitioner", own: true },
    untargeted: true,
  },
  "practitioners.byId": {
    input: (f) => ({ id: f.w.a.colleague.id }),
    expect: { permission: "read:practitioner" },
  },
  "practitioners.create": {
    input: (f) => ({ clinicId: f.w.a.clinic.id, name: `New ${unique()}`, profession: "PT" }),
    expect: { permission: "create:practitioner" },
  },
  "practitioners.update": {
    input: async (f) => ({ id: (await fresh.practitioner(f)).id, name: "Renamed" }),
    expect: { permission: "update:practitioner" },
  },
  "practitioners.archive": {
    input: async (f) => ({ id: (await fresh.practitioner(f)).id }),
    expect: { permission: "archive:practitioner" },
  },
  "licenses.list": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:license" },
  },
  "licenses.create": {
    input: (f) => ({
      practitionerId: f.w.a.colleague.id,
      jurisdiction: "US-FL",
      number: `FL${unique()}`,
      issuedOn: "2020-01-01",
      status: "active",
    }),
    expect: { permission: "create:license" },
  },
  "licenses.update": {
    input: (f) => ({ id: f.w.a.colleagueLicense.id, number: `MD${unique()}` }),
    expect: { permission: "update:license" },
  },
  "records.list": {
    input: () => ({}),
    expect: { permission: "read:training-record", own: true },
    untargeted: true,
  },
  "records.byId": {
    input: (f) => ({ id: f.w.a.colleagueRecord.id }),
    expect: { permission: "read:training-record" },
  },
  "records.history": {
    input: (f) => ({ id: f.w.a.colleagueRecord.id }),
    expect: { permission: "read:training-record" },
  },
  "records.create": {
    input: (f) => validRecord(f.w.a.colleague.id),
    expect: { permission: "create:training-record" },
  },
  "records.correct": {
    input: async (f) => ({ id: (await fresh.record(f)).id, ...validRecord(f.w.a.colleague.id) }),
    expect: { permission: "correct:training-record" },
  },
  "records.withdraw": {
    input: async (f) => ({ id: (await fresh.record(f)).id }),
    expect: { permission: "withdraw:training-record" },
  },
  "records.review": {
    input: async (f) => ({ id: (await fresh.record(f)).id, decision: "verify" }),
    expect: { permission: "review:training-record" },
  },
  "records.reviewQueue": {
    input: () => ({}),
    expect: { permission: "review:training-record" },
    untargeted: true,
  },
  "audit.list": { input: () => ({}), expect: { permission: "read:audit" }, untargeted: true },

  // Standards and compliance
  "standards.list": {
    input: () => ({}),
    expect: { permission: "read:standard" },
    untargeted: true,
  },
  "standards.byId": {
    input: () => ({ id: "us-md-dn" }),
    expect: { permission: "read:standard" },
    untargeted: true,
  },
  "standards.versions": {
    input: () => ({ id: "us-md-dn" }),
    expect: { permission: "read:standard" },
    untargeted: true,
  },
  "standards.detail": {
    input: () => ({ id: "us-md-dn" }),
    expect: { permission: "read:standard" },
    untargeted: true,
  },
  "standards.create": {
    input: () => ({ document: clinicPolicy({ id: `policy-${unique()}` }) }),
    expect: { permission: "create:standard" },
    untargeted: true,
  },
  "standards.update": {
    // The first organization's own standard, saved again.
    input: async (f) => {
      const id = f.made.customStandardId;
      const versions = await admin(f).standards.versions({ id });
      // A draft is saved again; after a published version, the next one is started.
      const draft = versions.find((v) => v.lifecycle === "draft");
      const version = draft?.standard.version ?? versions.length + 1;
      return { document: clinicPolicy({ id, version, title: "Again" }) };
    },
    expect: { permission: "update:standard" },
  },
  "standards.publish": {
    input: (f) => ({ id: f.made.customStandardId, version: 1, scope: "organization" }),
    expect: { permission: "update:standard" },
    // Published once, the next publisher is told so.
    okCodes: ["CONFLICT"],
  },
  "compliance.evaluate": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id, standardId: "us-md-dn" }),
    expect: { permission: "read:training-record" },
  },
  "compliance.applicable": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:training-record" },
  },
  "compliance.overview": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:training-record" },
  },
  "compliance.portability": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:training-record" },
  },
  "compliance.whatIf": {
    input: (f) => ({
      practitionerId: f.w.a.colleague.id,
      licenses: [
        { jurisdiction: "US-FL", number: "FL1", issuedOn: "2020-01-01", status: "active" },
      ],
    }),
    expect: { permission: "read:training-record" },
  },
  "dossiers.export": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:practitioner" },
  },
  "dossiers.import": {
    // A colleague's dossier, brought in again as a new practitioner of the clinic.
    input: async (f) => ({
      clinicId: f.w.a.clinic.id,
      dossier: await admin(f).dossiers.export({ practitionerId: f.w.a.colleague.id }),
    }),
    expect: { permission: "create:practitioner" },
    okCodes: ["CONFLICT"],
  },
  "evidence.list": {
    input: (f) => ({ recordId: f.w.a.colleagueRecord.id }),
    expect: { permission: "read:training-record" },
  },
  "evidence.listMany": {
    input: (f) => ({ recordIds: [f.w.a.colleagueRecord.id] }),
    expect: { permission: "read:training-record" },
  },

  // Assignments, alerts, dashboards, jobs, imports
  "assignments.list": {
    input: () => ({}),
    expect: { permission: "read:standard-assignment" },
    untargeted: true,
  },
  "assignments.add": {
    input: async (f) => ({
      scope: "practitioner",
      scopeId: (await fresh.practitioner(f)).id,
      standardId: "us-md-dn",
      effect: "include",
    }),
    expect: { permission: "create:standard-assignment" },
  },
  "assignments.remove": {
    input: async (f) => {
      const added = await admin(f).assignments.add({
        scope: "practitioner",
        scopeId: (await fresh.practitioner(f)).id,
        standardId: "us-md-dn",
        effect: "include",
      });
      return { id: added.id };
    },
    expect: { permission: "delete:standard-assignment" },
  },
  "assignments.applicable": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:practitioner" },
  },
  "alerts.deadlines": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:practitioner" },
  },
  "alerts.inbox": { input: () => ({}), expect: { allow: SIGNED_IN }, untargeted: true },
  "alerts.markRead": { input: () => ({ ids: [] }), expect: { allow: SIGNED_IN }, untargeted: true },
  "alerts.run": { expect: { permission: "run:alert" }, untargeted: true },
  "alerts.preferences": { expect: { allow: SIGNED_IN }, untargeted: true },
  "alerts.updatePreferences": {
    input: () => ({ emailOptIn: true }),
    expect: { allow: SIGNED_IN },
    untargeted: true,
  },
  "alerts.createCalendarFeed": { expect: { allow: SIGNED_IN }, untargeted: true },
  "dashboard.summary": {
    input: () => ({}),
    // The whole organization's (or the clinics'): a practitioner's own reach is not enough.
    expect: { permission: "read:practitioner", own: false },
    untargeted: true,
  },
  "dashboard.matrix": {
    input: () => ({}),
    expect: { permission: "read:practitioner", own: false },
    untargeted: true,
  },
  "jobs.dead": { expect: { permission: "read:job" }, untargeted: true },
  "jobs.retry": {
    input: () => ({ id: randomUUID() }),
    expect: { permission: "run:job" },
    // There is no dead job to retry: the admin is told so.
    okCodes: ["NOT_FOUND"],
  },
  "jobs.sendDigests": {
    expect: { permission: "run:alert" },
    untargeted: true,
    // This server runs no job queue: whoever may send digests is told so.
    okCodes: ["CONFLICT"],
  },
  "imports.run": {
    input: () => ({ kind: "roster", fileName: "roster.csv", content: "name\n", dryRun: true }),
    expect: { permission: "run:import" },
    untargeted: true,
    okCodes: ["BAD_REQUEST"],
  },

  // The content library
  "content.articles.search": {
    input: () => ({}),
    expect: { permission: "read:article" },
    untargeted: true,
  },
  "content.articles.byId": {
    input: (f) => ({ id: f.made.articleId }),
    expect: { permission: "read:article" },
  },
  "content.articles.view": {
    input: (f) => ({ id: f.made.articleId }),
    expect: { permission: "read:article" },
  },
  "content.articles.revisions": {
    input: (f) => ({ id: f.made.articleId }),
    expect: { permission: "read:article" },
  },
  "content.articles.create": {
    input: () => ({ slug: `a-${unique()}`, title: "A", summary: "S", blocks: [] }),
    expect: { permission: "create:article" },
    untargeted: true,
  },
  "content.articles.update": {
    input: (f) => ({
      id: f.made.articleId,
      slug: "matrix-draft",
      title: "Draft",
      summary: "Again",
      blocks: [],
    }),
    expect: { permission: "update:article" },
  },
  "content.articles.publish": {
    input: async (f) => ({
      id: (
        await admin(f).content.articles.create({
          slug: `p-${unique()}`,
          title: "P",
          summary: "S",
          blocks: [],
        })
      ).id,
    }),
    expect: { permission: "publish:article" },
  },
  "content.articles.archive": {
    input: async (f) => ({
      id: (
        await admin(f).content.articles.create({
          slug: `x-${unique()}`,
          title: "X",
          summary: "S",
          blocks: [],
        })
      ).id,
    }),
    expect: { permission: "archive:article" },
  },
  "content.articles.reorderBlocks": {
    input: (f) => ({ id: f.made.articleId, order: [] }),
    expect: { permission: "update:article" },
  },
  "content.articles.exportMarkdown": {
    input: (f) => ({ id: f.made.articleId }),
    expect: { permission: "read:article" },
  },
  "content.articles.importMarkdown": {
    input: () => ({ markdown: `---\nslug: m-${unique()}\ntitle: M\nsummary: S\n---\n\nText.\n` }),
    expect: { permission: "create:article" },
    untargeted: true,
    okCodes: ["BAD_REQUEST"],
  },
  "content.articles.public": {
    input: (f) => ({ organizationId: f.w.a.organization.id, slug: f.made.publishedSlug }),
    expect: { public: true },
  },
  "content.literature.list": {
    expect: { permission: "read:literature-reference" },
    untargeted: true,
  },
  "content.literature.byId": {
    input: (f) => ({ id: f.made.referenceId }),
    expect: { permission: "read:literature-reference" },
  },
  "content.literature.create": {
    input: () => LITERATURE[Object.keys(LITERATURE)[0] as keyof typeof LITERATURE],
    expect: { permission: "create:literature-reference" },
    untargeted: true,
  },
  "content.literature.update": {
    input: (f) => ({
      ...LITERATURE[Object.keys(LITERATURE)[0] as keyof typeof LITERATURE],
      id: f.made.referenceId,
    }),
    expect: { permission: "update:literature-reference" },
  },
  "content.literature.forStandard": {
    input: () => ({ standardId: "us-md-dn" }),
    expect: { permission: "read:literature-reference" },
    untargeted: true,
  },
  "content.literature.linkStandard": {
    input: (f) => ({ standardId: "us-md-dn", referenceId: f.made.referenceId }),
    expect: { permission: "update:literature-reference" },
    okCodes: ["CONFLICT"],
  },
  "content.literature.unlinkStandard": {
    input: async (f) => {
      const reference = await admin(f).content.literature.create(
        LITERATURE[Object.keys(LITERATURE)[0] as keyof typeof LITERATURE],
      );
      await admin(f).content.literature.linkStandard({
        standardId: "us-md-dn",
        referenceId: reference.id,
      });
      return { standardId: "us-md-dn", referenceId: reference.id };
    },
    expect: { permission: "update:literature-reference" },
  },
  "content.videos.list": { expect: { permission: "read:video" }, untargeted: true },
  "content.videos.create": {
    input: () => VIDEOS[Object.keys(VIDEOS)[0] as keyof typeof VIDEOS],
    expect: { permission: "create:video" },
    untargeted: true,
  },
  "content.videos.update": {
    input: (f) => ({
      ...VIDEOS[Object.keys(VIDEOS)[0] as keyof typeof VIDEOS],
      id: f.made.videoId,
    }),
    expect: { permission: "update:video" },
  },
  "content.authors.list": { expect: { permission: "read:author" }, untargeted: true },
  "content.authors.create": {
    input: () => ({ ...DEMO_AUTHOR, name: `Author ${unique()}` }),
    expect: { permission: "create:author" },
    untargeted: true,
  },
  "content.authors.update": {
    input: (f) => ({ ...DEMO_AUTHOR, id: f.made.authorId }),
    expect: { permission: "update:author" },
  },
  "content.courses.list": {
    input: () => ({}),
    expect: { permission: "read:course" },
    untargeted: true,
  },
  "content.courses.byId": {
    input: (f) => ({ id: f.made.courseId }),
    expect: { permission: "read:course" },
  },
  "content.courses.create": {
    input: () => ({ provider: "Myopain", title: `Course ${unique()}`, hours: { theory: 10 } }),
    expect: { permission: "create:course" },
    untargeted: true,
  },
  "content.courses.update": {
    input: (f) => ({
      id: f.made.courseId,
      provider: "Myopain",
      title: "DN 1",
      hours: { theory: 12 },
    }),
    expect: { permission: "update:course" },
  },
  "content.courses.archive": {
    input: async (f) => ({
      id: (
        await admin(f).content.courses.create({
          provider: "Myopain",
          title: `Old ${unique()}`,
          hours: { theory: 1 },
        })
      ).id,
    }),
    expect: { permission: "archive:course" },
  },
  "content.comments.submit": {
    input: (f) => ({
      organizationId: f.w.a.organization.id,
      articleSlug: f.made.publishedSlug,
      displayName: "Reader",
      body: "Thank you.",
    }),
    expect: { public: true },
  },
  "content.comments.queue": {
    input: () => ({}),
    expect: { permission: "read:comment" },
    untargeted: true,
  },
  "content.comments.moderate": {
    input: (f) => ({ id: f.made.commentId, decision: "hide" }),
    expect: { permission: "moderate:comment" },
  },
  "content.followUps.list": {
    input: () => ({}),
    expect: { permission: "read:follow-up" },
    untargeted: true,
  },
  "content.followUps.resolve": {
    input: (f) => ({ id: f.made.followUpId, resolution: "Called the patient." }),
    expect: { permission: "resolve:follow-up" },
    // Resolved once, it is resolved.
    okCodes: ["CONFLICT", "BAD_REQUEST"],
  },
  "content.followUps.open": {
    input: () => ({}),
    expect: { permission: "read:follow-up" },
    untargeted: true,
  },
  "content.followUps.assign": {
    input: (f) => ({ id: f.made.followUpId, ownerId: f.w.a.users.manager.id, dueOn: "2026-12-10" }),
    expect: { permission: "resolve:follow-up" },
    okCodes: ["CONFLICT", "BAD_REQUEST"],
  },

  // Exports and regulator tokens
  "exports.create": {
    input: (f) => ({
      kind: "json",
      scope: { kind: "practitioner", practitionerId: f.w.a.colleague.id, asOf: "2026-11-27" },
    }),
    expect: { permission: "create:export" },
  },
  "exports.list": { input: () => ({}), expect: { permission: "read:export" }, untargeted: true },
  "exports.byId": {
    // Made by the admin for the whole organization: a clinic manager opens only their own.
    input: (f) => ({ id: f.made.exportId }),
    expect: { allow: ["admin", "manager", "auditor"] },
  },
  "exports.publicKey": { expect: { permission: "read:export" }, untargeted: true },
  "apiTokens.create": {
    input: () => ({ label: `Board ${unique()}`, expiresInDays: 30 }),
    expect: { permission: "create:api-token" },
    untargeted: true,
  },
  "apiTokens.list": { expect: { permission: "read:api-token" }, untargeted: true },
  "apiTokens.revoke": {
    input: async (f) => ({
      id: (await admin(f).apiTokens.create({ label: `T ${unique()}`, expiresInDays: 30 })).token.id,
    }),
    expect: { permission: "revoke:api-token" },
  },

  // Who signs in
  "invitations.create": {
    input: async (f) => ({
      email: `invitee.${unique()}@example.test`,
      role: "practitioner",
      practitionerId: (await fresh.practitioner(f)).id,
    }),
    expect: { permission: "create:invitation" },
  },
  "invitations.list": {
    input: () => ({}),
    expect: { permission: "read:invitation" },
    untargeted: true,
  },
  "invitations.invitable": { expect: { permission: "create:invitation" }, untargeted: true },
  "invitations.resend": {
    input: async (f) => ({ id: (await invite(f)).id }),
    expect: { permission: "create:invitation" },
  },
  "invitations.revoke": {
    input: async (f) => ({ id: (await invite(f)).id }),
    expect: { permission: "revoke:invitation" },
  },
  "invitations.preview": { input: () => ({ token: "i".repeat(32) }), expect: { public: true } },
  "invitations.accept": {
    input: () => ({ token: "i".repeat(32), name: "Eve", password: "a long passphrase here" }),
    expect: { public: true },
  },
  "members.list": {
    input: () => ({}),
    expect: { permission: "read:membership" },
    untargeted: true,
  },
  "members.update": {
    input: async (f) => {
      const user = await fresh.practitionerUser(f);
      return { id: user.membershipId, role: "practitioner", practitionerId: user.practitionerId };
    },
    expect: { permission: "update:membership" },
  },
  "members.deactivate": {
    input: async (f) => ({ id: (await fresh.practitionerUser(f)).membershipId }),
    expect: { permission: "archive:membership" },
  },
  "members.reactivate": {
    input: async (f) => {
      const user = await fresh.practitionerUser(f);
      await admin(f).members.deactivate({ id: user.membershipId });
      return { id: user.membershipId };
    },
    expect: { permission: "archive:membership" },
  },
  "members.loginStatus": {
    input: (f) => ({ practitionerId: f.w.a.colleague.id }),
    expect: { permission: "read:practitioner" },
  },
  "sso.providers.create": {
    input: () => ({
      name: `IdP ${unique()}`,
      issuer: "https://idp.example.test",
      clientId: "dn",
      clientSecret: "secret",
    }),
    expect: { permission: "create:oidc-provider" },
    untargeted: true,
    // Nothing answers at the issuer: the admin is told its discovery failed.
    okCodes: ["BAD_REQUEST", "BAD_GATEWAY", "PRECONDITION_FAILED"],
  },
  "sso.providers.list": { expect: { permission: "read:oidc-provider" }, untargeted: true },
  "sso.providers.archive": {
    input: () => ({ id: randomUUID() }),
    expect: { permission: "archive:oidc-provider" },
    okCodes: ["NOT_FOUND"],
  },
  "sso.begin": {
    input: () => ({ providerId: randomUUID(), redirectUri: "http://localhost:3000/sso" }),
    expect: { public: true },
  },
  "sso.complete": {
    input: () => ({ callbackUrl: "http://localhost:3000/sso?code=x", signInId: randomUUID() }),
    expect: { public: true },
  },
};

async function invite(f: Fixture): Promise<{ id: string }> {
  return admin(f).invitations.create({
    email: `invitee.${unique()}@example.test`,
    role: "practitioner",
    practitionerId: (await fresh.practitioner(f)).id,
  });
}

/** Is `principal` allowed by `entry`'s expectation (public entries are judged apart)? */
function expectedAllowed(entry: Entry, principal: PrincipalName, w: MatrixWorld): boolean {
  const { expect: expectation } = entry;
  if ("public" in expectation) return true;
  if (principal === "other-organization" && !entry.untargeted) return false;
  if ("allow" in expectation) return expectation.allow.includes(principal);
  const user = w.userOf(principal);
  if (!user) return false;
  switch (accessOf(user, expectation.permission)) {
    case "any":
      return true;
    case "clinic":
      return !expectation.orgWide;
    case "own":
      return expectation.own ?? entry.untargeted === true;
    default:
      return false;
  }
}

async function buildTargets(handle: DbHandle, w: MatrixWorld): Promise<Made> {
  const as = callerFor(handle.db, w.a.users.admin);
  const customStandardId = "harbor-matrix-policy";
  await as.standards.create({ document: clinicPolicy({ id: customStandardId }) });
  const author = await as.content.authors.create(DEMO_AUTHOR);
  const video = await as.content.videos.create(
    VIDEOS[Object.keys(VIDEOS)[0] as keyof typeof VIDEOS],
  );
  const reference = await as.content.literature.create(
    LITERATURE[Object.keys(LITERATURE)[0] as keyof typeof LITERATURE],
  );
  const course = await as.content.courses.create({
    provider: "Myopain",
    title: "DN 1",
    hours: { theory: 12 },
  });
  const article = await as.content.articles.create({
    slug: "matrix-draft",
    title: "Draft",
    summary: "S",
    blocks: [],
  });
  const published = await as.content.articles.create({
    slug: "matrix-published",
    title: "Published",
    summary: "S",
    blocks: [],
  });
  await as.content.articles.publish({ id: published.id });
  await callerFor(handle.db, null).content.comments.submit({
    organizationId: w.a.organization.id,
    articleSlug: published.slug,
    displayName: "Reader",
    body: "I felt dizzy after a session.",
  });
  await callerFor(handle.db, null).content.comments.submit({
    organizationId: w.a.organization.id,
    articleSlug: published.slug,
    displayName: "Another reader",
    body: "Bruising for a week.",
  });
  const [comment, flagged] = (await as.content.comments.queue({})).items;
  if (!comment || !flagged) throw new Error("the two comments were not received");
  await as.content.comments.moderate({
    id: flagged.id,
    decision: "flag-adverse-event",
    note: "Call them back.",
  });
  const followUps = await as.content.followUps.list({});
  const made = await as.exports.create({
    kind: "json",
    scope: { kind: "organization", asOf: "2026-11-27" },
  });
  return {
    customStandardId,
    articleId: article.id,
    publishedSlug: published.slug,
    authorId: author.id,
    videoId: video.id,
    referenceId: reference.id,
    courseId: course.id,
    commentId: comment.id,
    // biome-ignore lint/style/noNonNullAssertion: flagging made one
    followUpId: followUps.items[0]!.id,
    exportId: made.id,
  };
}

/** Every id of the first organization's world: none may reach another organization's user. */
function idsOfFirstOrganization(w: MatrixWorld, made: Made): string[] {
  return [
    w.a.organization.id,
    w.a.clinic.id,
    w.a.self.id,
    w.a.colleague.id,
    w.a.selfLicense.id,
    w.a.colleagueLicense.id,
    w.a.selfRecord.id,
    w.a.colleagueRecord.id,
    made.articleId,
    made.authorId,
    made.videoId,
    made.referenceId,
    made.courseId,
    made.commentId,
    made.exportId,
    ...(Object.values(w.a.users) as User[]).map((u) => u.id),
  ];
}

describe.each(await testDialects())("the authorization matrix on %s", (dialect) => {
  let handle: DbHandle;
  let server: TrpcTestServer;
  let outbox: string;
  let w: MatrixWorld;
  let made: Made;
  let accounts: AccountServices;
  beforeAll(async () => {
    handle = await createTestDb({ dialect });
    outbox = await mkdtemp(join(tmpdir(), "dn-matrix-mail-"));
    w = await buildMatrixWorld(handle);
    made = await buildTargets(handle, w);
    accounts = localAccountServices({
      mailer: createOutboxMailer({ directory: outbox, from: "dn <no-reply@dn.test>" }),
    });
    server = await serveTrpc(handle.db, { accounts });
  });
  afterAll(async () => {
    await server?.close();
    await handle?.destroy();
    await rm(outbox, { recursive: true, force: true });
  });

  test("every procedure of the router has an expectation, and none is stale", () => {
    const paths = routerProcedures().map((p) => p.path);
    expect(paths.filter((path) => !(path in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((path) => !paths.includes(path))).toEqual([]);
  });

  test("every procedure allows and denies each principal as the permission model says", async () => {
    const failures: string[] = [];
    const leaked = idsOfFirstOrganization(w, made);
    let checks = 0;
    for (const { path, type } of routerProcedures()) {
      const entry = MATRIX[path];
      if (!entry) continue;
      const outcomes = new Set<string>();
      for (const principal of PRINCIPALS) {
        checks += 1;
        const f: Fixture = { handle, w, made, principal, accounts };
        const input = entry.input ? await entry.input(f) : undefined;
        const user = w.userOf(principal);
        const token = user ? (await sessionFor(handle, user)).token : null;
        const before = await snapshotRows(handle);
        const reply = await callRaw(
          server.base,
          path,
          type,
          input === undefined ? undefined : JSON.stringify(input),
          token,
        );
        const what = `${path} as ${principal}: ${reply.status} ${reply.code ?? ""} ${reply.text.slice(0, 200)}`;
        if (reply.status >= 500) {
          failures.push(`5xx ${what}`);
          continue;
        }
        if ("public" in entry.expect) {
          // Rate limits (sign-in, comments) answer repeated callers apart: not a difference.
          if (reply.code !== "TOO_MANY_REQUESTS") {
            outcomes.add(reply.status === 200 ? "ok" : (reply.code ?? String(reply.status)));
          }
          continue;
        }
        const allowed = expectedAllowed(entry, principal, w);
        if (allowed) {
          const fine = reply.status === 200 || entry.okCodes?.includes(reply.code ?? "") === true;
          if (!fine) failures.push(`expected allowed: ${what}`);
        } else {
          if (reply.status === 200 || !DENIALS.has(reply.code ?? "")) {
            failures.push(`expected denied: ${what}`);
          } else {
            const after = await snapshotRows(handle);
            if (JSON.stringify(after) !== JSON.stringify(before)) {
              failures.push(`denied but rows changed: ${what}`);
            }
          }
        }
        if (principal === "other-organization" && reply.status === 200) {
          const id = leaked.find((candidate) => reply.text.includes(candidate));
          if (id) failures.push(`another organization's user read ${id}: ${what}`);
        }
      }
      // Signed in or not, a public procedure treats every caller alike.
      if ("public" in entry.expect && outcomes.size > 1 && path !== "auth.login") {
        failures.push(`${path} answers callers differently: ${[...outcomes].join(", ")}`);
      }
    }
    process.stdout.write(
      `authorization matrix on ${dialect}: ${routerProcedures().length} procedures × ${PRINCIPALS.length} principals = ${checks} checks, ${failures.length} failures\n`,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
