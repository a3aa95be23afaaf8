/**
 * Demo data for a first run: one organization, two clinics, a dozen practitioners with varied
 * histories, their licenses and records, and the four demo logins. Deterministic: every date is
 * fixed, and all of them lie before 2026-11-26. Built with the same builders the tests use.
 */
import { randomUUID } from "node:crypto";
import type { Clinic, License, Practitioner, TrainingRecord, User } from "@dn/schema";
import { insertAuditEvent } from "../repos/audit.repo.ts";
import { countOrganizations } from "../repos/organizations.repo.ts";
import { insertRecordVersion, supersedeRecordVersion } from "../repos/training-records.repo.ts";
import type { Db } from "../repos/types.ts";
import {
  buildClinic,
  buildLicense,
  buildOrganization,
  buildPractitioner,
  buildTrainingRecord,
  buildUser,
} from "../testing/builders.ts";
import { seedDemoContent } from "./demo-content.ts";
import { seedDemoStandards } from "./demo-standards.ts";

export const DEMO_PASSWORD = "dn-demo-2026";
export const DEMO_ORGANIZATION_NAME = "Harbor Physical Therapy Group";

export interface DemoSeedSummary {
  organizationId: string;
  clinics: number;
  practitioners: number;
  licenses: number;
  records: number;
  recordVersions: number;
  users: string[];
}

/** Midday UTC on `date` plus `days`, as a stored instant. */
function instant(date: string, days = 0, hour = 14): string {
  const ms = Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000 + hour * 3_600_000;
  return new Date(ms).toISOString();
}

type RecordFields = Partial<Omit<TrainingRecord, "id" | "version" | "practitionerId">>;

interface RecordSpec extends RecordFields {
  kind: TrainingRecord["kind"];
  title: string;
  completedOn: string;
  /** What happened after it was entered, in order. */
  history?: (
    | { review: "verify" | "reject"; reason?: string; afterDays: number }
    | { correct: RecordFields; afterDays: number }
    | { withdraw: string; afterDays: number }
  )[];
}

interface PractitionerSpec {
  key: string;
  clinic: "baltimore" | "tampa";
  name: string;
  email: string;
  profession: Practitioner["profession"];
  createdOn: string;
  archivedOn?: string;
  licenses: Pick<License, "jurisdiction" | "number" | "issuedOn" | "expiresOn" | "status">[];
  records: RecordSpec[];
}

const L1_TOPICS: TrainingRecord["topics"] = [
  "anatomy",
  "clean-needle-technique",
  "indications-contraindications",
  "needle-handling-and-disposal",
  "psychomotor-skills",
  "trigger-points",
];
const L2_TOPICS: TrainingRecord["topics"] = [
  "adverse-event-reporting",
  "emergency-response",
  "extremity-techniques",
  "psychomotor-skills",
  "secondary-effects",
  "spine-techniques",
];
const SAFETY_TOPICS: TrainingRecord["topics"] = [
  "bloodborne-pathogens",
  "clean-needle-technique",
  "needle-handling-and-disposal",
];

const verify = (afterDays = 4) => ({ review: "verify" as const, afterDays });

const dnL1 = (provider: string, completedOn: string, history = [verify()]): RecordSpec => ({
  kind: "dn-course",
  title: "Dry Needling Level 1: Fundamentals",
  provider,
  completedOn,
  hours: { theory: 14, practical: 13, online: 0 },
  topics: L1_TOPICS,
  history,
});
const dnL2 = (provider: string, completedOn: string, history = [verify()]): RecordSpec => ({
  kind: "dn-course",
  title: "Dry Needling Level 2: Advanced Applications",
  provider,
  completedOn,
  hours: { theory: 13, practical: 14, online: 0 },
  topics: L2_TOPICS,
  history,
});
const dnL3 = (provider: string, completedOn: string, history = [verify()]): RecordSpec => ({
  kind: "dn-course",
  title: "Dry Needling Level 3: Spine and Integration",
  provider,
  completedOn,
  hours: { theory: 14, practical: 14, online: 0 },
  topics: [
    "evidence-based-practice",
    "physiological-responses",
    "spine-techniques",
    "pain-science",
  ],
  history,
});
const cpr = (completedOn: string, expiresOn: string, history = [verify(2)]): RecordSpec => ({
  kind: "cpr",
  title: "BLS Provider CPR and AED",
  provider: "American Heart Association",
  completedOn,
  expiresOn,
  history,
});
const exam = (provider: string, completedOn: string, history = [verify()]): RecordSpec => ({
  kind: "exam",
  title: "Dry Needling Competency Examination",
  provider,
  completedOn,
  examType: "written-and-practical",
  passed: true,
  topics: ["clean-needle-technique", "indications-contraindications", "psychomotor-skills"],
  history,
});
const safety = (completedOn: string, history = [verify()]): RecordSpec => ({
  kind: "ce-activity",
  title: "OSHA Bloodborne Pathogens and Sharps Safety",
  provider: "APTA Learning Center",
  completedOn,
  hours: { theory: 0, practical: 0, online: 2 },
  topics: SAFETY_TOPICS,
  history,
});

const PRACTITIONERS: PractitionerSpec[] = [
  {
    key: "dana",
    clinic: "baltimore",
    name: "Dana Whitfield, PT",
    email: "dana.whitfield@harborpt.example",
    profession: "PT",
    createdOn: "2022-02-01",
    licenses: [
      {
        jurisdiction: "US-MD",
        number: "PT24581",
        issuedOn: "2016-06-15",
        expiresOn: "2027-05-31",
        status: "active",
      },
    ],
    records: [
      dnL1("KinetaCore", "2023-03-12"),
      dnL2("KinetaCore", "2023-09-17"),
      dnL3("KinetaCore", "2024-04-21"),
      exam("KinetaCore", "2024-04-21"),
      cpr("2025-08-09", "2027-08-31"),
      safety("2025-01-14"),
      {
        kind: "ce-activity",
        title: "Dry Needling for the Pelvic Girdle",
        provider: "Evidence in Motion",
        completedOn: "2026-10-18",
        hours: { theory: 4, practical: 4, online: 0 },
        topics: ["extremity-techniques", "informed-consent"],
      },
    ],
  },
  {
    key: "marcus",
    clinic: "baltimore",
    name: "Marcus Oyelaran, PT",
    email: "marcus.oyelaran@harborpt.example",
    profession: "PT",
    createdOn: "2021-08-16",
    licenses: [
      {
        jurisdiction: "US-MD",
        number: "PT22107",
        issuedOn: "2012-07-01",
        expiresOn: "2027-05-31",
        status: "active",
      },
      {
        jurisdiction: "US-VA",
        number: "2305019877",
        issuedOn: "2019-03-11",
        expiresOn: "2026-12-31",
        status: "active",
      },
    ],
    records: [
      {
        kind: "dn-course",
        title: "Functional Dry Needling Level 1",
        provider: "Evidence in Motion",
        completedOn: "2020-10-04",
        hours: { theory: 20, practical: 20, online: 0 },
        topics: [...L1_TOPICS, "bloodborne-pathogens"],
        provenance: "provider-reported",
        history: [verify(1)],
      },
      {
        kind: "dn-course",
        title: "Functional Dry Needling Level 2",
        provider: "Evidence in Motion",
        completedOn: "2021-05-23",
        hours: { theory: 21, practical: 22, online: 0 },
        topics: [...L2_TOPICS, "documentation"],
        provenance: "provider-reported",
        history: [verify(1)],
      },
      exam("Evidence in Motion", "2021-05-23"),
      cpr("2025-03-02", "2027-03-31"),
      {
        kind: "supervised-sessions",
        title: "Supervised DN patient sessions",
        provider: "Harbor PT Baltimore",
        completedOn: "2021-08-30",
        count: 30,
        notes: "Supervised by Dr. L. Chen, DPT, Cert. DN.",
        history: [verify()],
      },
      {
        kind: "board-notification",
        title: "Dry needling registration with the Maryland Board of Physical Therapy Examiners",
        provider: null,
        completedOn: "2021-09-07",
        jurisdiction: "US-MD",
        history: [verify()],
      },
      safety("2026-02-10"),
    ],
  },
  {
    key: "priya",
    clinic: "baltimore",
    name: "Priya Raman, PT",
    email: "priya.raman@harborpt.example",
    profession: "PT",
    createdOn: "2024-01-08",
    licenses: [
      {
        jurisdiction: "US-MD",
        number: "PT27744",
        issuedOn: "2021-06-20",
        expiresOn: "2027-05-31",
        status: "active",
      },
    ],
    records: [
      dnL1("Myopain Seminars", "2025-06-08"),
      { ...dnL2("Myopain Seminars", "2026-10-26", []), title: "Dry Needling Level 2 (DN-2)" },
      cpr("2026-02-11", "2028-02-29"),
    ],
  },
  {
    key: "tomas",
    clinic: "baltimore",
    name: "Tomás Herrera, PTA",
    email: "tomas.herrera@harborpt.example",
    profession: "PTA",
    createdOn: "2023-05-22",
    licenses: [
      {
        jurisdiction: "US-MD",
        number: "PTA08812",
        issuedOn: "2020-08-03",
        expiresOn: "2027-05-31",
        status: "active",
      },
    ],
    records: [
      {
        kind: "ce-activity",
        title: "Therapeutic Exercise for the Aging Spine",
        provider: "MedBridge",
        completedOn: "2025-11-02",
        hours: { theory: 0, practical: 0, online: 6 },
        topics: ["evidence-based-practice"],
        history: [verify()],
      },
      cpr("2025-04-19", "2027-04-30"),
    ],
  },
  {
    key: "grace",
    clinic: "baltimore",
    name: "Grace Liu, PT",
    email: "grace.liu@harborpt.example",
    profession: "PT",
    createdOn: "2020-09-14",
    licenses: [
      {
        jurisdiction: "US-MD",
        number: "PT20951",
        issuedOn: "2010-05-28",
        expiresOn: "2027-05-31",
        status: "active",
      },
    ],
    records: [
      dnL1("Myopain Seminars", "2019-02-10"),
      dnL2("Myopain Seminars", "2019-07-14"),
      dnL3("Myopain Seminars", "2020-01-26"),
      exam("Myopain Seminars", "2020-01-26"),
      // Lapsed: expired in March 2026 and not renewed.
      cpr("2024-03-05", "2026-03-31"),
    ],
  },
  {
    key: "ethan",
    clinic: "baltimore",
    name: "Ethan Brooks, PT",
    email: "ethan.brooks@harborpt.example",
    profession: "PT",
    createdOn: "2023-10-02",
    licenses: [
      {
        jurisdiction: "US-MD",
        number: "PT26630",
        issuedOn: "2019-01-15",
        expiresOn: "2027-05-31",
        status: "active",
      },
    ],
    records: [
      {
        kind: "dn-course",
        title: "Integrative Dry Needling Fundamentals",
        provider: "Integrative Dry Needling Institute",
        completedOn: "2026-05-17",
        hours: { theory: 10, practical: 17, online: 0 },
        topics: L1_TOPICS,
        history: [
          {
            review: "reject",
            reason: "Certificate is illegible; upload a clear copy showing hours by type.",
            afterDays: 6,
          },
          {
            correct: {
              hours: { theory: 12, practical: 15, online: 0 },
              notes: "Re-uploaded the certificate; hours corrected to match it.",
            },
            afterDays: 9,
          },
        ],
      },
      {
        kind: "ce-activity",
        title: "Dry Needling Home Study Module",
        provider: "Unaccredited online provider",
        completedOn: "2026-04-02",
        hours: { theory: 0, practical: 0, online: 10 },
        topics: ["trigger-points"],
        history: [
          { review: "reject", reason: "Provider is not an approved CE provider.", afterDays: 5 },
        ],
      },
      cpr("2025-12-06", "2027-12-31"),
    ],
  },
  {
    key: "helen",
    clinic: "baltimore",
    name: "Helen Park, PT",
    email: "helen.park@harborpt.example",
    profession: "PT",
    createdOn: "2019-03-04",
    archivedOn: "2026-06-30",
    licenses: [
      {
        jurisdiction: "US-MD",
        number: "PT19433",
        issuedOn: "2009-06-01",
        expiresOn: "2025-05-31",
        status: "expired",
      },
    ],
    records: [dnL1("KinetaCore", "2019-09-22"), cpr("2023-01-10", "2025-01-31")],
  },
  {
    key: "luis",
    clinic: "tampa",
    name: "Luis Carvajal, PT",
    email: "luis.carvajal@harborpt.example",
    profession: "PT",
    createdOn: "2022-04-11",
    licenses: [
      {
        jurisdiction: "US-FL",
        number: "PT31877",
        issuedOn: "2015-09-30",
        expiresOn: "2027-11-30",
        status: "active",
      },
    ],
    records: [
      {
        kind: "dn-course",
        title: "Dry Needling Certification (DN-1 and DN-2)",
        provider: "Structure & Function Education",
        completedOn: "2024-02-25",
        hours: { theory: 26, practical: 28, online: 0 },
        topics: [...L1_TOPICS, "spine-techniques", "emergency-response", "adverse-event-reporting"],
        history: [verify()],
      },
      {
        kind: "supervised-sessions",
        title: "Supervised DN patient sessions",
        provider: "Harbor PT Tampa",
        completedOn: "2024-06-28",
        count: 25,
        notes: "Supervisor: K. Alvarez, PT, DPT (FL PT18820).",
        history: [verify()],
      },
      {
        kind: "board-notification",
        title: "Notice of DN qualification to the Florida Board of Physical Therapy",
        provider: null,
        completedOn: "2024-07-08",
        jurisdiction: "US-FL",
        history: [verify()],
      },
      cpr("2025-10-04", "2027-10-31"),
      safety("2026-05-12"),
    ],
  },
  {
    key: "rachel",
    clinic: "tampa",
    name: "Rachel Stein, PT",
    email: "rachel.stein@harborpt.example",
    profession: "PT",
    createdOn: "2025-02-03",
    licenses: [
      {
        jurisdiction: "US-FL",
        number: "PT34102",
        issuedOn: "2017-08-14",
        expiresOn: "2027-11-30",
        status: "active",
      },
      {
        jurisdiction: "US-MD",
        number: "PT25318",
        issuedOn: "2018-02-05",
        expiresOn: "2027-05-31",
        status: "active",
      },
      {
        jurisdiction: "US-NY",
        number: "031877",
        issuedOn: "2014-10-01",
        expiresOn: "2026-09-30",
        status: "expired",
      },
      {
        jurisdiction: "US-GA",
        number: "PT012244",
        issuedOn: "2020-01-22",
        expiresOn: "2027-12-31",
        status: "inactive",
      },
    ],
    records: [
      {
        kind: "dn-course",
        title: "Dry Needling Level 1",
        provider: "Evidence in Motion",
        completedOn: "2025-04-27",
        hours: { theory: 24, practical: 30, online: 0 },
        topics: L1_TOPICS,
        provenance: "provider-reported",
        history: [verify(2)],
      },
      {
        kind: "supervised-sessions",
        title: "Supervised DN patient sessions (in progress)",
        provider: "Harbor PT Tampa",
        completedOn: "2026-10-30",
        count: 12,
      },
      cpr("2025-05-17", "2027-05-31"),
    ],
  },
  {
    key: "andre",
    clinic: "tampa",
    name: "Andre Dupree, PT",
    email: "andre.dupree@harborpt.example",
    profession: "PT",
    createdOn: "2024-08-19",
    licenses: [
      {
        jurisdiction: "US-FL",
        number: "PT33590",
        issuedOn: "2016-05-12",
        expiresOn: "2027-11-30",
        status: "active",
      },
    ],
    records: [
      {
        kind: "dn-course",
        title: "Dry Needling Theory Online",
        provider: "Spinal Manipulation Institute",
        completedOn: "2026-08-09",
        hours: { theory: 0, practical: 0, online: 30 },
        topics: ["anatomy", "indications-contraindications", "pain-science"],
      },
      {
        kind: "dn-course",
        title: "Dry Needling Lab Intensive",
        provider: "Spinal Manipulation Institute",
        completedOn: "2026-09-13",
        hours: { theory: 4, practical: 16, online: 0 },
        topics: ["psychomotor-skills", "clean-needle-technique"],
      },
      cpr("2026-01-24", "2028-01-31"),
    ],
  },
  {
    key: "keisha",
    clinic: "tampa",
    name: "Keisha Morgan, PTA",
    email: "keisha.morgan@harborpt.example",
    profession: "PTA",
    createdOn: "2023-11-06",
    licenses: [
      {
        jurisdiction: "US-FL",
        number: "PTA12967",
        issuedOn: "2021-07-19",
        expiresOn: "2027-11-30",
        status: "active",
      },
    ],
    records: [cpr("2025-09-13", "2027-09-30"), safety("2025-10-01")],
  },
  {
    key: "owen",
    clinic: "tampa",
    name: "Owen Fitzgerald, PT",
    email: "owen.fitzgerald@harborpt.example",
    profession: "PT",
    createdOn: "2025-07-07",
    licenses: [
      // Licensed in 2025: short of Florida's two years of practice before needling.
      {
        jurisdiction: "US-FL",
        number: "PT36841",
        issuedOn: "2025-06-02",
        expiresOn: "2027-11-30",
        status: "active",
      },
    ],
    records: [
      {
        kind: "dn-course",
        title: "Dry Needling Level 1",
        provider: "KinetaCore",
        completedOn: "2026-03-08",
        hours: { theory: 25, practical: 29, online: 0 },
        topics: L1_TOPICS,
        history: [verify()],
      },
      {
        kind: "dn-course",
        title: "Dry Needling Level 1",
        provider: "KinetaCore",
        completedOn: "2026-03-08",
        hours: { theory: 25, practical: 29, online: 0 },
        topics: L1_TOPICS,
        history: [{ withdraw: "Entered twice by mistake.", afterDays: 1 }],
      },
      cpr("2025-06-21", "2027-06-30"),
    ],
  },
];

/**
 * Inserts the demo data in one transaction and reports what it wrote. The histories carry their
 * own dates; `now` (from the caller's clock) stamps the seeding itself.
 */
export async function seedDemo(db: Db, now: Date): Promise<DemoSeedSummary> {
  return db.transaction().execute(async (trx) => {
    const organization = await buildOrganization(trx, {
      name: DEMO_ORGANIZATION_NAME,
      createdAt: "2019-03-01T15:00:00.000Z",
    });
    const clinics: Record<PractitionerSpec["clinic"], Clinic> = {
      baltimore: await buildClinic(trx, {
        organizationId: organization.id,
        name: "Harbor PT Baltimore (Federal Hill)",
        jurisdiction: "US-MD",
        createdAt: "2019-03-01T15:00:00.000Z",
      }),
      tampa: await buildClinic(trx, {
        organizationId: organization.id,
        name: "Harbor PT Tampa (Hyde Park)",
        jurisdiction: "US-FL",
        createdAt: "2022-03-14T15:00:00.000Z",
      }),
    };

    const users = {
      admin: await buildUser(trx, {
        organizationId: organization.id,
        email: "admin@dn.demo",
        name: "Avery Collins",
        role: "admin",
        password: DEMO_PASSWORD,
        createdAt: "2019-03-01T15:00:00.000Z",
      }),
      manager: await buildUser(trx, {
        organizationId: organization.id,
        email: "manager@dn.demo",
        name: "Morgan Ellis",
        role: "manager",
        password: DEMO_PASSWORD,
        createdAt: "2019-03-01T15:00:00.000Z",
      }),
      auditor: await buildUser(trx, {
        organizationId: organization.id,
        email: "auditor@dn.demo",
        name: "Sam Okafor",
        role: "auditor",
        password: DEMO_PASSWORD,
        createdAt: "2024-01-10T15:00:00.000Z",
      }),
    };

    let licenses = 0;
    let records = 0;
    let recordVersions = 0;
    const practitioners: Record<string, Practitioner> = {};
    const practitionerUsers: User[] = [];
    for (const spec of PRACTITIONERS) {
      const createdAt = instant(spec.createdOn);
      const practitioner = await buildPractitioner(trx, {
        organizationId: organization.id,
        clinicId: clinics[spec.clinic].id,
        name: spec.name,
        email: spec.email,
        profession: spec.profession,
        archivedAt: spec.archivedOn ? instant(spec.archivedOn) : null,
        createdAt,
        updatedAt: spec.archivedOn ? instant(spec.archivedOn) : createdAt,
      });
      practitioners[spec.key] = practitioner;
      for (const license of spec.licenses) {
        await buildLicense(trx, {
          practitionerId: practitioner.id,
          ...license,
          createdAt,
          updatedAt: createdAt,
        });
        licenses += 1;
      }
      let recorder = users.manager.id;
      if (spec.key === "dana") {
        const user = await buildUser(trx, {
          organizationId: organization.id,
          email: "pt@dn.demo",
          name: "Dana Whitfield",
          role: "practitioner",
          practitionerId: practitioner.id,
          password: DEMO_PASSWORD,
          createdAt,
        });
        practitionerUsers.push(user);
        recorder = user.id;
      }
      for (const recordSpec of spec.records) {
        recordVersions += await seedRecord(trx, practitioner.id, recordSpec, {
          recorder,
          reviewer: users.manager.id,
        });
        records += 1;
      }
    }

    await seedDemoContent(trx, organization.id, users.manager.id);
    await seedDemoStandards(trx, organization.id, users.manager.id);
    await insertAuditEvent(trx, {
      id: randomUUID(),
      organizationId: organization.id,
      actorId: null,
      at: now.toISOString(),
      action: "organization.seed",
      entityType: "organization",
      entityId: organization.id,
      before: null,
      after: { name: organization.name, practitioners: PRACTITIONERS.length, licenses, records },
    });

    return {
      organizationId: organization.id,
      clinics: Object.keys(clinics).length,
      practitioners: Object.keys(practitioners).length,
      licenses,
      records,
      recordVersions,
      users: [users.admin, users.manager, ...practitionerUsers, users.auditor].map(
        (user) => `${user.email} (${user.role})`,
      ),
    };
  });
}

/** Writes a record's first version and the versions its history adds; returns how many. */
async function seedRecord(
  db: Db,
  practitionerId: string,
  spec: RecordSpec,
  people: { recorder: string; reviewer: string },
): Promise<number> {
  const { history = [], ...fields } = spec;
  const recordedAt = instant(spec.completedOn, 3);
  let current = await buildTrainingRecord(db, {
    provenance: "self-reported",
    provider: null,
    ...fields,
    practitionerId,
    recordedAt,
    recordedBy: people.recorder,
  });
  let versions = 1;
  let day = 3;
  for (const step of history) {
    day += step.afterDays;
    const at = instant(spec.completedOn, day);
    let next: TrainingRecord;
    if ("review" in step) {
      next = {
        ...current,
        status: step.review === "verify" ? "verified" : "rejected",
        reviewedBy: people.reviewer,
        reviewedAt: at,
        reviewReason: step.reason ?? null,
      };
    } else if ("correct" in step) {
      next = {
        ...current,
        ...step.correct,
        status: "pending",
        reviewedBy: null,
        reviewedAt: null,
        reviewReason: null,
      };
    } else {
      next = {
        ...current,
        status: "withdrawn",
        reviewedBy: people.recorder,
        reviewedAt: at,
        reviewReason: step.withdraw,
      };
    }
    next = {
      ...next,
      version: current.version + 1,
      recordedAt: at,
      recordedBy: "review" in step ? people.reviewer : people.recorder,
    };
    await supersedeRecordVersion(db, current.id, current.version, at);
    current = await insertRecordVersion(db, next);
    versions += 1;
  }
  return versions;
}

/** Seeds the demo data unless an organization already exists (first run only). */
export async function seedDemoIfEmpty(db: Db, now: Date): Promise<DemoSeedSummary | null> {
  if ((await countOrganizations(db)) > 0) return null;
  return seedDemo(db, now);
}
