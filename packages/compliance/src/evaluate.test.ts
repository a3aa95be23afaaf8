import type { DossierLicense, DossierRecordInput, Profession, StandardDocument } from "@dn/schema";
import { findStandard, standardVersions } from "@dn/standards";
import { describe, expect, test } from "vitest";
import { evaluate, NoVersionInForceError } from "./evaluate.ts";
import { ce, course, cpr, dossier, exam, license, notified, sessions } from "./test-builders.ts";
import type { ExclusionReason, Verdict } from "./types.ts";

function standard(id: string, asOf: string): StandardDocument {
  const found = findStandard(id, asOf);
  if (!found) throw new Error(`no version of ${id} in force on ${asOf}`);
  return found;
}

function draftOf(id: string): StandardDocument {
  const found = standardVersions(id).find((v) => v.draft);
  if (!found) throw new Error(`no draft of ${id}`);
  return found;
}

interface RequirementExpectation {
  met?: boolean;
  metIfPendingVerified?: boolean;
  provisional?: boolean;
  have?: number;
  need?: number;
  validUntil?: string | null;
  excluded?: ExclusionReason[];
  explanation?: string;
  gap?: string;
}

interface Scenario {
  name: string;
  standard: string | StandardDocument;
  asOf: string;
  knownAt?: string;
  profession?: Profession;
  licenses: DossierLicense[];
  records: DossierRecordInput[];
  status: Verdict;
  version?: number;
  summary?: string;
  nextLapse?: string | null;
  requirements?: Record<string, RequirementExpectation>;
  warning?: string;
}

const NOW = "2026-06-01";

const FL_TOPICS = {
  first: ["needle-handling-and-disposal", "indications-contraindications", "psychomotor-skills"],
  second: ["adverse-event-reporting"],
} as const;

function floridaRecords(
  change: {
    second?: DossierRecordInput;
    sessions?: DossierRecordInput;
    notice?: DossierRecordInput;
  } = {},
) {
  return [
    course("2024-01-10", { theory: 12, practical: 15 }, { topics: [...FL_TOPICS.first] }),
    change.second ??
      course("2024-03-10", { theory: 10, practical: 17 }, { topics: [...FL_TOPICS.second] }),
    change.sessions ?? sessions("2024-05-01", 25),
    change.notice ?? notified("2024-05-15", "US-FL"),
  ];
}

const MD_TOPICS = [
  "spine-techniques",
  "extremity-techniques",
  "indications-contraindications",
  "bloodborne-pathogens",
  "needle-handling-and-disposal",
  "emergency-response",
  "documentation",
] as const;

const KS_TOPICS = [
  "anatomy",
  "indications-contraindications",
  "evidence-based-practice",
  "clean-needle-technique",
  "bloodborne-pathogens",
  "emergency-response",
  "psychomotor-skills",
] as const;

const DE_TOPICS = [
  "evidence-based-practice",
  "anatomy",
  "needle-handling-and-disposal",
  "indications-contraindications",
  "secondary-effects",
  "emergency-response",
] as const;

function delawareRecords(cprCard: DossierRecordInput) {
  return [course("2024-01-01", { theory: 20, practical: 34 }, { topics: [...DE_TOPICS] }), cprCard];
}

const scenarios: Scenario[] = [
  // Florida ---------------------------------------------------------------------------------
  {
    name: "FL: 54 face-to-face hours, all topics, 25 sessions and an attestation qualify",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords(),
    status: "qualified",
    summary:
      "Qualified until 2027-12-31 (Active Florida PT license, 2 years of licensed practice).",
    nextLapse: "2028-01-01",
    requirements: {
      license: {
        met: true,
        explanation: "licensed since 2020-01-01: 6.4 years on 2026-06-01 (2 required)",
      },
      training: { met: true, have: 54, need: 50 },
      topics: { met: true, have: 4, need: 4 },
      "supervised-sessions": { met: true, have: 25, need: 25 },
      attestation: { met: true },
    },
  },
  {
    name: "FL: a license expiring within 60 days makes a qualified PT expiring",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01", "2026-07-15")],
    records: floridaRecords(),
    status: "expiring",
    nextLapse: "2026-07-16",
    summary:
      "Expiring: qualified, but Active Florida PT license, 2 years of licensed practice lapses on 2026-07-16.",
  },
  {
    name: "FL: licensed 1.4 years is short of the 2-year minimum, reached in 2027",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2025-01-01", "2027-12-31")],
    records: floridaRecords(),
    status: "not-qualified",
    requirements: {
      license: {
        met: false,
        have: 1.4,
        need: 2,
        gap: "needs 2 years of licensure (reached on 2027-01-01)",
      },
    },
  },
  {
    name: "FL: online hours do not count toward the face-to-face 50, and an online course cannot cover a topic",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords({
      second: course("2024-03-10", { online: 27 }, { topics: [...FL_TOPICS.second] }),
    }),
    status: "not-qualified",
    requirements: {
      training: {
        met: false,
        have: 27,
        need: 50,
        excluded: ["online"],
        explanation:
          "27 of 50 face-to-face hours; 27 online hours do not count: this standard requires face-to-face.",
        gap: "23 more face-to-face hours",
      },
      topics: { met: false, have: 3, excluded: ["online"] },
    },
  },
  {
    name: "FL: pending supervised sessions give pending-verification",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords({ sessions: sessions("2024-05-01", 25, { status: "pending" }) }),
    status: "pending-verification",
    summary:
      "Pending verification: qualified once 1 pending record is verified (25 supervised DN patient sessions).",
    requirements: {
      "supervised-sessions": {
        met: false,
        metIfPendingVerified: true,
        have: 0,
        excluded: ["not-verified"],
      },
    },
  },
  {
    name: "FL: rejected supervised sessions do not count",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords({ sessions: sessions("2024-05-01", 25, { status: "rejected" }) }),
    status: "not-qualified",
    requirements: {
      "supervised-sessions": { met: false, metIfPendingVerified: false, excluded: ["rejected"] },
    },
  },
  {
    name: "FL: an attestation filed with another state's board does not count",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords({ notice: notified("2024-05-15", "US-GA") }),
    status: "not-qualified",
    requirements: { attestation: { met: false, excluded: ["other-jurisdiction"] } },
  },
  {
    name: "FL: as known before the sessions and attestation were recorded, the PT was not qualified",
    standard: "us-fl-dn",
    asOf: NOW,
    knownAt: "2024-05-01T00:00:00Z",
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords(),
    status: "not-qualified",
    requirements: {
      "supervised-sessions": { met: false, have: 0, excluded: ["recorded-after-known-at"] },
      attestation: { met: false, excluded: ["recorded-after-known-at"] },
      training: { met: true },
    },
  },
  {
    name: "FL: a course completed after the evaluation date does not count",
    standard: "us-fl-dn",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords({
      second: course(
        "2026-07-01",
        { theory: 10, practical: 17 },
        { topics: [...FL_TOPICS.second] },
      ),
    }),
    status: "not-qualified",
    requirements: { training: { met: false, have: 27, excluded: ["completed-after-as-of"] } },
  },
  {
    name: "FL: a PTA may not needle under a PT-only rule",
    standard: "us-fl-dn",
    asOf: NOW,
    profession: "PTA",
    licenses: [license("US-FL", "2020-01-01", "2027-12-31")],
    records: floridaRecords(),
    status: "not-permitted",
    summary: "Not permitted: this standard applies to PT, not PTA.",
  },
  // Colorado --------------------------------------------------------------------------------
  {
    name: "CO 2016: the 46-hour rule applies and 2 years before training are met",
    standard: "us-co-dn",
    asOf: "2016-06-01",
    licenses: [license("US-CO", "2012-01-01")],
    records: [course("2014-05-01", { theory: 20, practical: 26 })],
    status: "qualified",
    version: 1,
    requirements: { training: { met: true, have: 46, need: 46 }, license: { met: true } },
  },
  {
    name: "CO 2016: a course taken 16 months after licensure fails the 2-year prerequisite",
    standard: "us-co-dn",
    asOf: "2016-06-01",
    licenses: [license("US-CO", "2013-01-01")],
    records: [course("2014-05-01", { theory: 20, practical: 26 })],
    status: "not-qualified",
    version: 1,
    requirements: { license: { met: false, need: 2 } },
  },
  {
    name: "CO 2026: 30 hours allow needling while the other 20 are completed within 4 years",
    standard: "us-co-dn",
    asOf: NOW,
    licenses: [license("US-CO", "2015-01-01")],
    records: [course("2025-01-10", { theory: 10, practical: 20 })],
    status: "qualified",
    version: 2,
    nextLapse: "2029-01-11",
    requirements: {
      training: {
        met: true,
        provisional: true,
        have: 30,
        need: 50,
        validUntil: "2029-01-10",
        gap: "20 more hours in total, 10 more face-to-face hours by 2029-01-10",
      },
    },
  },
  {
    name: "CO 2026: 30 hours from 2021 no longer allow needling after the 4-year deadline",
    standard: "us-co-dn",
    asOf: NOW,
    licenses: [license("US-CO", "2015-01-01")],
    records: [course("2021-01-10", { theory: 10, practical: 20 })],
    status: "not-qualified",
    requirements: { training: { met: false, provisional: false, have: 30 } },
  },
  {
    name: "CO 2026: a staged-use deadline two weeks away makes the PT expiring",
    standard: "us-co-dn",
    asOf: NOW,
    licenses: [license("US-CO", "2015-01-01")],
    records: [course("2022-06-15", { theory: 10, practical: 20 })],
    status: "expiring",
    nextLapse: "2026-06-16",
  },
  {
    name: "CO 2026: 40 in-person hours plus 10 online complete the 50",
    standard: "us-co-dn",
    asOf: NOW,
    licenses: [license("US-CO", "2015-01-01")],
    records: [
      course("2024-01-01", { theory: 15, practical: 25 }),
      course("2024-02-01", { online: 10 }),
    ],
    status: "qualified",
    requirements: { training: { met: true, provisional: false, have: 50, validUntil: null } },
  },
  {
    name: "CO 2026: hours from 2019 fall outside the 4-year window of a 2024 start",
    standard: "us-co-dn",
    asOf: NOW,
    licenses: [license("US-CO", "2015-01-01")],
    records: [
      course("2019-01-01", { theory: 5, practical: 15 }),
      course("2024-01-01", { theory: 10, practical: 20 }),
    ],
    status: "qualified",
    requirements: {
      training: {
        met: true,
        provisional: true,
        have: 30,
        validUntil: "2028-01-01",
        excluded: ["outside-window"],
      },
    },
  },
  // Maryland --------------------------------------------------------------------------------
  {
    name: "MD: 40 theory and 40 practical hours with every topic and registration qualify",
    standard: "us-md-dn",
    asOf: NOW,
    licenses: [license("US-MD", "2020-01-01")],
    records: [
      course("2023-01-01", { theory: 40 }, { topics: [...MD_TOPICS] }),
      course("2023-03-01", { practical: 40 }),
      notified("2023-04-01", "US-MD"),
    ],
    status: "qualified",
    version: 1,
  },
  {
    name: "MD: 20 online theory hours leave the theory minimum unmet",
    standard: "us-md-dn",
    asOf: NOW,
    licenses: [license("US-MD", "2020-01-01")],
    records: [
      course("2023-01-01", { theory: 20, online: 20 }, { topics: [...MD_TOPICS] }),
      course("2023-03-01", { practical: 40 }),
      notified("2023-04-01", "US-MD"),
    ],
    status: "not-qualified",
    requirements: {
      training: {
        met: false,
        have: 60,
        need: 80,
        explanation:
          "60 of 80 face-to-face hours; 20 of 40 theory hours; 40 of 40 practical hours; 20 online hours do not count: this standard requires face-to-face.",
        gap: "20 more face-to-face hours, 20 more theory hours",
      },
    },
  },
  {
    name: "MD December 2025 draft: 10 + 10 hours give provisional registration, flagged as a draft",
    standard: draftOf("us-md-dn"),
    asOf: NOW,
    licenses: [license("US-MD", "2025-06-01")],
    records: [course("2026-01-15", { theory: 10, practical: 10 }), notified("2026-02-01", "US-MD")],
    status: "qualified",
    version: 2,
    warning: "us-md-dn v2 is a draft (a proposal), not a rule in force.",
    requirements: { training: { met: true, provisional: true, validUntil: "2028-01-15" } },
  },
  // Utah ------------------------------------------------------------------------------------
  {
    name: "UT: 54 in-person hours in 3 years, 250 sessions and registration qualify; the 300-hour figure is advisory",
    standard: "us-ut-dn",
    asOf: NOW,
    licenses: [license("US-UT", "2015-01-01")],
    records: [
      course("2022-01-10", { practical: 27 }),
      course("2023-01-10", { practical: 27 }),
      sessions("2024-06-01", 250),
      notified("2024-07-01", "US-UT"),
    ],
    status: "qualified",
    warning:
      "Some advisory requirements are not met; they are shown but do not change the verdict.",
    requirements: { "total-course-hours": { met: false, have: 54, need: 300 } },
  },
  {
    name: "UT: two courses four years apart never meet 54 hours within 3 years",
    standard: "us-ut-dn",
    asOf: NOW,
    licenses: [license("US-UT", "2015-01-01")],
    records: [
      course("2019-01-01", { practical: 27 }),
      course("2023-01-02", { practical: 27 }),
      sessions("2024-06-01", 250),
      notified("2024-07-01", "US-UT"),
    ],
    status: "not-qualified",
    requirements: { training: { met: false, have: 27, excluded: ["outside-window"] } },
  },
  // Louisiana -------------------------------------------------------------------------------
  {
    name: "LA: DN education started 17 months after licensure fails the 2-year prerequisite",
    standard: "us-la-dn",
    asOf: NOW,
    licenses: [license("US-LA", "2022-01-01")],
    records: [course("2023-06-01", { theory: 20, practical: 30 }), notified("2023-07-01", "US-LA")],
    status: "not-qualified",
    requirements: {
      license: {
        met: false,
        gap: "needs 2 years of licensure before starting DN training (the first course came 1.4 years after licensure)",
      },
    },
  },
  {
    name: "LA: 50 face-to-face hours after 2 years of practice and a signed acknowledgement qualify",
    standard: "us-la-dn",
    asOf: NOW,
    licenses: [license("US-LA", "2018-01-01")],
    records: [course("2021-03-01", { theory: 20, practical: 30 }), notified("2021-04-01", "US-LA")],
    status: "qualified",
  },
  // Arizona ---------------------------------------------------------------------------------
  {
    name: "AZ: the 30-day filing window after training is open, so the PT is expiring",
    standard: "us-az-dn",
    asOf: NOW,
    licenses: [license("US-AZ", "2020-01-01")],
    records: [course("2026-05-20", { theory: 24 })],
    status: "expiring",
    nextLapse: "2026-06-20",
    requirements: {
      "board-notification": { met: true, provisional: true, validUntil: "2026-06-19" },
      exam: { met: false },
    },
  },
  {
    name: "AZ: once the 30-day filing window has passed without a filing, the PT is not qualified",
    standard: "us-az-dn",
    asOf: "2026-07-01",
    licenses: [license("US-AZ", "2020-01-01")],
    records: [course("2026-05-20", { theory: 24 })],
    status: "not-qualified",
    requirements: {
      "board-notification": {
        met: false,
        explanation:
          "No proof of training filed with US-AZ; it was due by 2026-06-19, 30 days after training was completed on 2026-05-20.",
      },
    },
  },
  {
    name: "AZ: 24 hours and a timely submission qualify; advisory topics and exam only warn",
    standard: "us-az-dn",
    asOf: NOW,
    licenses: [license("US-AZ", "2020-01-01")],
    records: [course("2026-05-20", { theory: 12, online: 12 }), notified("2026-05-25", "US-AZ")],
    status: "qualified",
    requirements: { training: { met: true, have: 24 }, topics: { met: false } },
  },
  // Delaware --------------------------------------------------------------------------------
  {
    name: "DE: an expired CPR card blocks qualification",
    standard: "us-de-dn",
    asOf: NOW,
    licenses: [license("US-DE", "2018-01-01")],
    records: delawareRecords(cpr("2023-01-01", "2025-01-01")),
    status: "not-qualified",
    requirements: {
      cpr: { met: false, excluded: ["expired"], gap: "a current CPR certification" },
    },
  },
  {
    name: "DE: CPR expiring in a month makes the PT expiring",
    standard: "us-de-dn",
    asOf: NOW,
    licenses: [license("US-DE", "2018-01-01")],
    records: delawareRecords(cpr("2024-07-01", "2026-07-01")),
    status: "expiring",
    nextLapse: "2026-07-02",
  },
  // Kansas ----------------------------------------------------------------------------------
  {
    name: "KS: a written exam alone does not satisfy the written and practical exam",
    standard: "us-ks-dn",
    asOf: NOW,
    licenses: [license("US-KS", "2018-01-01")],
    records: [
      course("2024-01-01", { theory: 10, practical: 10 }, { topics: [...KS_TOPICS] }),
      exam("2024-01-02", "written"),
    ],
    status: "not-qualified",
    requirements: {
      exam: { met: false, have: 1, need: 2, gap: "a passed practical exam" },
      topics: { met: true },
    },
  },
  {
    name: "KS: topics taught only online do not count; a failed exam does not count",
    standard: "us-ks-dn",
    asOf: NOW,
    licenses: [license("US-KS", "2018-01-01")],
    records: [
      course("2024-01-01", { online: 20 }, { topics: [...KS_TOPICS] }),
      exam("2024-01-02", "written-and-practical", false),
    ],
    status: "not-qualified",
    requirements: {
      topics: { met: false, have: 0, excluded: ["online"] },
      exam: { met: false, excluded: ["not-passed"] },
    },
  },
  // Nevada, Illinois, Tennessee -------------------------------------------------------------
  {
    name: "NV: 150 hours with 25 in person, exams passed and proof filed qualify",
    standard: "us-nv-dn",
    asOf: NOW,
    licenses: [license("US-NV", "2018-01-01")],
    records: [
      course("2023-01-01", { theory: 10, practical: 15 }),
      course("2023-02-01", { online: 125 }),
      exam("2023-01-01", "written-and-practical"),
      notified("2023-03-01", "US-NV"),
    ],
    status: "qualified",
    requirements: { training: { met: true, have: 150 } },
  },
  {
    name: "IL: 30 didactic hours (online allowed), 54 practicum hours and 200 treatments qualify",
    standard: "us-il-dn",
    asOf: NOW,
    licenses: [license("US-IL", "2018-01-01")],
    records: [
      course("2023-01-01", { online: 30 }),
      course("2023-04-01", { practical: 54 }),
      sessions("2023-10-01", 200),
    ],
    status: "qualified",
  },
  {
    name: "TN: no DN in the first year after licensure",
    standard: "us-tn-dn",
    asOf: NOW,
    licenses: [license("US-TN", "2025-09-01")],
    records: [
      course("2026-01-01", { theory: 10, practical: 14 }, { topics: ["bloodborne-pathogens"] }),
    ],
    status: "not-qualified",
    requirements: {
      license: { met: false, gap: "needs 1 year of licensure (reached on 2026-09-01)" },
      training: { met: true },
    },
  },
  // Prohibited ------------------------------------------------------------------------------
  {
    name: "CA: PTs may not needle, whatever their training",
    standard: "us-ca-dn",
    asOf: NOW,
    licenses: [license("US-CA", "2010-01-01")],
    records: [course("2020-01-01", { theory: 100, practical: 100 })],
    status: "not-permitted",
    summary: "Not permitted: US-CA does not permit PTs to perform dry needling.",
  },
  {
    name: "OR: authorized by law but not permitted until rules are adopted",
    standard: "us-or-dn",
    asOf: NOW,
    licenses: [license("US-OR", "2010-01-01")],
    records: [],
    status: "not-permitted",
    summary:
      "Not permitted: US-OR has authorized dry needling but it is not permitted until the board adopts rules.",
  },
  // CE renewal cycles -----------------------------------------------------------------------
  {
    name: "MD CE: 12 of 30 hours mid-cycle is on track, with the rest due at license expiry",
    standard: "us-md-pt-ce",
    asOf: NOW,
    licenses: [license("US-MD", "2015-04-01", "2027-03-31")],
    records: [ce("2025-03-15", { theory: 6 }), ce("2025-05-01", { theory: 12 })],
    status: "qualified",
    nextLapse: "2027-04-01",
    requirements: {
      ce: {
        met: true,
        provisional: true,
        have: 12,
        need: 30,
        excluded: ["outside-window"],
        explanation:
          "12 of 30 CE hours this cycle so far (cycle 2025-04-01 to 2027-03-31); the rest is due by 2027-03-31.",
        gap: "18 more CE hours this cycle by 2027-03-31",
      },
    },
  },
  {
    name: "MD CE: a month before the cycle ends, 12 of 30 hours makes the PT expiring",
    standard: "us-md-pt-ce",
    asOf: "2027-03-01",
    licenses: [license("US-MD", "2015-04-01", "2027-03-31")],
    records: [ce("2025-05-01", { theory: 12 })],
    status: "expiring",
    nextLapse: "2027-04-01",
  },
  {
    name: "MD CE: a PTA needs 20 hours, not 30",
    standard: "us-md-pt-ce",
    asOf: NOW,
    profession: "PTA",
    licenses: [license("US-MD", "2015-04-01", "2027-03-31")],
    records: [ce("2025-05-01", { theory: 12, online: 8 })],
    status: "qualified",
    requirements: { ce: { met: true, provisional: false, have: 20, need: 20 } },
  },
  {
    name: "MD CE: a cycle that ended short leaves an expired license unrenewable",
    standard: "us-md-pt-ce",
    asOf: NOW,
    licenses: [license("US-MD", "2015-04-01", "2026-03-31", "expired")],
    records: [ce("2025-05-01", { theory: 12 })],
    status: "not-qualified",
    requirements: { ce: { met: false, have: 12 }, license: { met: false } },
  },
  {
    name: "CT CE: no CE is due in the first renewal after licensure",
    standard: "us-ct-pt-ce",
    asOf: NOW,
    licenses: [license("US-CT", "2026-02-01", "2027-01-31")],
    records: [],
    status: "qualified",
    requirements: { ce: { met: true, provisional: false } },
  },
  {
    name: "OH CE: 24 hours without the 2-hour ethics/jurisprudence module leave a gap",
    standard: "us-oh-pt-ce",
    asOf: NOW,
    licenses: [license("US-OH", "2015-01-01", "2027-12-31")],
    records: [ce("2026-02-01", { theory: 24 })],
    status: "qualified",
    requirements: {
      ce: {
        met: true,
        provisional: true,
        gap: "2 more Ethics and jurisprudence hours by 2027-12-31",
      },
    },
  },
  {
    name: "KY CE: 30 hours including the 2-hour jurisprudence exam complete the biennium",
    standard: "us-ky-pt-ce",
    asOf: NOW,
    licenses: [license("US-KY", "2015-01-01", "2027-03-31")],
    records: [
      ce("2025-06-01", { theory: 28 }),
      ce("2025-07-01", { online: 2 }, { topics: ["jurisprudence"] }),
    ],
    status: "qualified",
    requirements: { ce: { met: true, provisional: false, have: 30 } },
  },
  {
    name: "AL CE: the fixed 1 October cycle excludes hours from September of the year before",
    standard: "us-al-pt-ce",
    asOf: NOW,
    licenses: [license("US-AL", "2015-01-01")],
    records: [ce("2025-09-15", { theory: 10 }), ce("2025-11-01", { theory: 4 })],
    status: "qualified",
    requirements: {
      ce: {
        met: true,
        provisional: true,
        have: 4,
        validUntil: "2026-09-30",
        excluded: ["outside-window"],
      },
    },
  },
  // Benchmarks and policy -------------------------------------------------------------------
  {
    name: "AMA benchmark: a 54-hour PT is 246 hours short of 300",
    standard: "ama-acupuncture-300",
    asOf: NOW,
    licenses: [license("US-FL", "2015-01-01")],
    records: [
      course("2023-01-01", { theory: 20, practical: 34 }),
      exam("2023-01-01", "written-and-practical"),
    ],
    status: "not-qualified",
    requirements: {
      training: { met: false, have: 54, need: 300, gap: "246 more hours in total" },
      exam: { met: true },
    },
  },
  {
    name: "Acupuncture program benchmark: 1,905 hours with 660 clinical and both exams qualify",
    standard: "acupuncture-program-1905",
    asOf: NOW,
    licenses: [license("US-MD", "2015-01-01")],
    records: [
      course("2020-01-01", { theory: 1245 }),
      course("2021-01-01", { practical: 660 }),
      exam("2021-06-01", "written"),
      exam("2021-06-02", "practical"),
    ],
    status: "qualified",
    requirements: { exam: { met: true, have: 2, need: 2 } },
  },
  {
    name: "Clinic policy: a safety refresher older than 12 months no longer counts",
    standard: "harbor-pt-dn-policy",
    asOf: NOW,
    licenses: [license("US-FL", "2020-01-01")],
    records: [
      course("2024-01-01", { theory: 20, practical: 34 }),
      exam("2024-01-02", "written-and-practical"),
      sessions("2024-03-01", 10),
      ce(
        "2025-01-01",
        { online: 2 },
        { topics: ["bloodborne-pathogens", "clean-needle-technique"] },
      ),
      cpr("2025-06-01", "2027-06-01"),
    ],
    status: "not-qualified",
    requirements: {
      "safety-refresher": { met: false, excluded: ["topic-not-covered", "outside-window"] },
    },
  },
];

describe("evaluate: hand-checked scenarios", () => {
  test("there are at least 30 scenarios", () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(30);
  });

  test.each(scenarios.map((s) => [s.name, s] as const))("%s", (_name, scenario) => {
    const doc =
      typeof scenario.standard === "string"
        ? standard(scenario.standard, scenario.asOf)
        : scenario.standard;
    const result = evaluate(
      dossier({
        profession: scenario.profession,
        licenses: scenario.licenses,
        records: scenario.records,
      }),
      doc,
      { asOf: scenario.asOf, ...(scenario.knownAt ? { knownAt: scenario.knownAt } : {}) },
    );
    expect(result.status, result.summary).toBe(scenario.status);
    if (scenario.version !== undefined) expect(result.standard.version).toBe(scenario.version);
    if (scenario.summary !== undefined) expect(result.summary).toBe(scenario.summary);
    if (scenario.nextLapse !== undefined)
      expect(result.nextLapse?.on ?? null).toBe(scenario.nextLapse);
    if (scenario.warning !== undefined) expect(result.warnings).toContain(scenario.warning);
    for (const [id, expected] of Object.entries(scenario.requirements ?? {})) {
      const actual = result.requirements.find((r) => r.id === id);
      if (!actual) throw new Error(`no requirement ${id} in ${doc.id}`);
      const { excluded, explanation, ...fields } = expected;
      expect(actual, id).toMatchObject(fields);
      if (excluded)
        expect(
          actual.excluded.map((e) => e.reason),
          id,
        ).toEqual(excluded);
      if (explanation) expect(actual.explanation, id).toContain(explanation);
    }
  });
});

describe("evaluate: version selection and options", () => {
  const d = dossier({
    licenses: [license("US-CO", "2012-01-01")],
    records: [course("2014-05-01", { theory: 46 })],
  });

  test("given every version, the one in force on asOf is used", () => {
    const versions = standardVersions("us-co-dn");
    expect(evaluate(d, versions, { asOf: "2016-06-01" }).standard.version).toBe(1);
    expect(evaluate(d, versions, { asOf: "2026-06-01" }).standard.version).toBe(2);
  });

  test("a date before any version is in force is refused with the standard named", () => {
    expect(() => evaluate(d, standardVersions("us-fl-dn"), { asOf: "2019-01-01" })).toThrow(
      NoVersionInForceError,
    );
    expect(() => evaluate(d, standardVersions("us-fl-dn"), { asOf: "2019-01-01" })).toThrow(
      "no version of standard us-fl-dn is in force on 2019-01-01",
    );
  });

  test("a version evaluated outside its effective range carries a warning", () => {
    const old = standard("us-co-dn", "2016-06-01");
    expect(evaluate(d, old, { asOf: "2026-06-01" }).warnings).toContain(
      "us-co-dn v1 was not in force on 2026-06-01 (in force 2013-01-01 to 2018-12-31).",
    );
  });

  test("bad options are refused with a clear message", () => {
    const fl = standard("us-fl-dn", NOW);
    expect(() => evaluate(d, fl, { asOf: "2026-02-30" })).toThrow("asOf must be a real date");
    expect(() => evaluate(d, fl, { asOf: NOW, knownAt: "last week" })).toThrow(
      "knownAt must be an ISO timestamp",
    );
    expect(() => evaluate(d, fl, { asOf: NOW, horizonDays: -1 })).toThrow(
      "horizonDays must be a whole number",
    );
  });

  test("the horizon decides whether a coming lapse makes the PT expiring", () => {
    const fl = standard("us-fl-dn", NOW);
    const qualified = dossier({
      licenses: [license("US-FL", "2020-01-01", "2026-09-15")],
      records: floridaRecords(),
    });
    expect(evaluate(qualified, fl, { asOf: NOW }).status).toBe("qualified");
    expect(evaluate(qualified, fl, { asOf: NOW, horizonDays: 120 }).status).toBe("expiring");
  });
});

describe("evaluate: record versions and knownAt", () => {
  const fl = standard("us-fl-dn", NOW);
  const licenses = [license("US-FL", "2020-01-01", "2027-12-31")];

  test("a correction recorded after knownAt is ignored: the version known then is used", () => {
    const original = sessions("2024-05-01", 25, {
      id: "s1",
      version: 1,
      recordedAt: "2024-05-02T00:00:00Z",
    });
    const corrected = sessions("2024-05-01", 5, {
      id: "s1",
      version: 2,
      recordedAt: "2025-01-01T00:00:00Z",
    });
    const records = [
      ...floridaRecords().filter((r) => r.kind !== "supervised-sessions"),
      original,
      corrected,
    ];
    const d = dossier({ licenses, records });
    expect(evaluate(d, fl, { asOf: NOW, knownAt: "2024-12-31T00:00:00Z" }).status).toBe(
      "qualified",
    );
    const now = evaluate(d, fl, { asOf: NOW });
    expect(now.status).toBe("not-qualified");
    expect(now.requirements.find((r) => r.id === "supervised-sessions")).toMatchObject({ have: 5 });
  });

  test("a withdrawal recorded after knownAt does not change the past audit", () => {
    const original = sessions("2024-05-01", 25, {
      id: "s1",
      version: 1,
      recordedAt: "2024-05-02T00:00:00Z",
    });
    const withdrawn = sessions("2024-05-01", 25, {
      id: "s1",
      version: 2,
      status: "withdrawn",
      recordedAt: "2025-01-01T00:00:00Z",
    });
    const records = [
      ...floridaRecords().filter((r) => r.kind !== "supervised-sessions"),
      withdrawn,
      original,
    ];
    const d = dossier({ licenses, records });
    expect(evaluate(d, fl, { asOf: NOW, knownAt: "2024-12-31T00:00:00Z" }).status).toBe(
      "qualified",
    );
    const now = evaluate(d, fl, { asOf: NOW });
    expect(now.requirements.find((r) => r.id === "supervised-sessions")?.excluded[0]?.reason).toBe(
      "withdrawn",
    );
  });

  test("verifiedOnly: false lets pending evidence count", () => {
    const relaxed: StandardDocument = {
      ...fl,
      requirements: fl.requirements.map((r) =>
        r.kind === "supervised-sessions" ? { ...r, verifiedOnly: false } : r,
      ),
    };
    const d = dossier({
      licenses,
      records: floridaRecords({ sessions: sessions("2024-05-01", 25, { status: "pending" }) }),
    });
    expect(evaluate(d, relaxed, { asOf: NOW }).status).toBe("qualified");
  });
});
