/**
 * Real DN education sources, as described in /work/shared/CONTENT.md: the literature and the
 * videos a typical public page about dry needling cites. The bibliographic facts (titles,
 * authors, publishers, years, channels, cited studies) are real; the excerpts are our own
 * paraphrases of the point each source is cited for. The demo seed and the tests use them.
 *
 * The video links are YouTube searches for the title and channel: the page links to where the
 * video can be found rather than guessing a provider id it cannot check.
 */
import type {
  CreateCourseInput,
  CreateLiteratureReferenceInput,
  CreateVideoInput,
} from "@dn/schema";

export const LITERATURE_KEYS = [
  "dommerholt-2013",
  "dommerholt-2018-ebook",
  "schleip-2013",
  "fernandez-2011",
  "skirven-2020",
  "piedade-2019",
  "chaitow-2012",
  "wardle-2014",
  "mcgowan-2016",
  "blackwell-ruminant-2017",
] as const;
export type LiteratureKey = (typeof LITERATURE_KEYS)[number];

export const LITERATURE: Record<LiteratureKey, CreateLiteratureReferenceInput> = {
  "dommerholt-2013": {
    excerpt:
      "Dry needling uses a thin, solid filiform needle with no injected medication; the needle is inserted into myofascial trigger points to reduce pain and restore function, and the approach rests on both research evidence and clinical reasoning.",
    excerptKind: "paraphrase",
    workTitle: "Trigger Point Dry Needling",
    subtitle: "An Evidence and Clinical-Based Approach",
    authors: [
      { family: "Dommerholt", given: "Jan" },
      { family: "Fernández de las Peñas", given: "César" },
    ],
    publisher: "Elsevier Health Sciences",
    year: 2013,
    tags: ["trigger-points", "evidence"],
  },
  "dommerholt-2018-ebook": {
    excerpt:
      "The later e-book edition of the same text: the technique and its safety considerations, for readers who want the clinical detail.",
    excerptKind: "paraphrase",
    workTitle: "Trigger Point Dry Needling",
    subtitle: "An Evidence and Clinical-Based Approach",
    edition: "e-book ed.",
    authors: [
      { family: "Dommerholt", given: "Jan" },
      { family: "Fernández de las Peñas", given: "César" },
    ],
    publisher: "Elsevier Health Sciences",
    year: 2018,
    tags: ["trigger-points", "evidence"],
  },
  "schleip-2013": {
    excerpt:
      "Fascia forms a continuous tensional network through the body, which is why a needle placed in one region can change tension and sensitivity beyond the spot treated.",
    excerptKind: "paraphrase",
    workTitle: "Fascia",
    subtitle: "The Tensional Network of the Human Body",
    authors: [
      { family: "Schleip", given: "Robert" },
      { family: "Findley", given: "Thomas W." },
      { family: "Chaitow", given: "Leon" },
      { family: "Huijing", given: "Peter" },
    ],
    publisher: "Elsevier Health Sciences",
    year: 2013,
    tags: ["fascia", "evidence"],
  },
  "fernandez-2011": {
    excerpt:
      "Needling has been studied for decades: an early prospective study followed injured workers with low back pain treated with dry needling and reported better outcomes than in those who were not.",
    excerptKind: "paraphrase",
    workTitle: "Neck and Arm Pain Syndromes",
    authors: [
      { family: "Fernández de las Peñas", given: "César" },
      { family: "Cleland", given: "Joshua" },
      { family: "Huijbregts", given: "Peter A." },
    ],
    publisher: "Elsevier Health Sciences",
    year: 2011,
    citedStudies: [
      {
        authors: "Gunn et al.",
        year: 1980,
        note: "An early prospective study of dry needling for injured workers with low back pain.",
      },
    ],
    tags: ["evidence", "neck-pain"],
  },
  "skirven-2020": {
    excerpt:
      "Hand and upper-extremity rehabilitation texts now describe dry needling among the manual techniques for myofascial pain of the forearm and shoulder girdle.",
    excerptKind: "paraphrase",
    workTitle: "Rehabilitation of the Hand and Upper Extremity",
    authors: [
      { family: "Skirven", given: "Terri M." },
      { family: "Osterman", given: "A. Lee" },
    ],
    etAl: true,
    publisher: "Elsevier Health Sciences",
    year: 2020,
    tags: ["upper-extremity"],
  },
  "piedade-2019": {
    excerpt:
      "In sports medicine, dry needling is one option for treating myofascial trigger points in athletes, used alongside exercise and load management rather than instead of them.",
    excerptKind: "paraphrase",
    workTitle: "The Sports Medicine Physician",
    authors: [
      { family: "Piedade", given: "Sérgio Rocha" },
      { family: "Imhoff", given: "Andreas B." },
    ],
    etAl: true,
    publisher: "Springer",
    year: 2019,
    tags: ["sports-medicine"],
  },
  "chaitow-2012": {
    excerpt:
      "Superficial dry needling places the needle in the tissue above a trigger point; deep dry needling reaches the trigger point itself. The two are described as distinct techniques with different effects.",
    excerptKind: "paraphrase",
    workTitle: "Chronic Pelvic Pain and Dysfunction",
    authors: [
      { family: "Chaitow", given: "Leon" },
      { family: "Jones", given: "Ruth" },
      { family: "Chaitow", given: "Sasha" },
    ],
    publisher: "Elsevier Health Sciences",
    year: 2012,
    citedStudies: [
      {
        authors: "Dommerholt et al.",
        year: 2006,
        note: "Cited for the distinction between superficial and deep dry needling.",
      },
    ],
    tags: ["pelvic-pain", "technique"],
  },
  "wardle-2014": {
    excerpt:
      "Superficial dry needling to a depth of 2-3 mm is described as a way to reduce the soreness that can follow treatment.",
    excerptKind: "paraphrase",
    workTitle: "Clinical Naturopathy",
    authors: [
      { family: "Wardle", given: "Jon" },
      { family: "Sarris", given: "Jerome" },
    ],
    publisher: "Elsevier Health Sciences",
    year: 2014,
    tags: ["aftercare", "technique"],
  },
  "mcgowan-2016": {
    excerpt:
      "Dry needling is also used in animal physiotherapy, for myofascial pain in horses and dogs.",
    excerptKind: "paraphrase",
    workTitle: "Animal Physiotherapy",
    authors: [
      { family: "McGowan", given: "Catherine" },
      { family: "Goff", given: "Lesley" },
    ],
    publisher: "Wiley",
    year: 2016,
    tags: ["veterinary"],
  },
  "blackwell-ruminant-2017": {
    excerpt:
      "Veterinary references describe needling for livestock as well: the literature on dry needling is not only about human physical therapy.",
    excerptKind: "paraphrase",
    workTitle: "Blackwell's Five-Minute Veterinary Consult",
    subtitle: "Ruminant",
    authors: [],
    publisher: "Wiley",
    year: 2017,
    tags: ["veterinary"],
  },
};

function youtubeSearch(query: string): string {
  return `https://www.youtube.com/results?search_query=${encodeURIComponent(query).replaceAll("%20", "+")}`;
}

export const VIDEO_KEYS = [
  "choosept",
  "ohio-state",
  "kevin-brown",
  "larry-keeley",
  "bjc-health",
  "christianacare",
] as const;
export type VideoKey = (typeof VIDEO_KEYS)[number];

export const VIDEOS: Record<VideoKey, CreateVideoInput> = {
  choosept: {
    title: "Dry Needling by a Physical Therapist",
    channel: "ChoosePT",
    provider: "youtube",
    url: youtubeSearch("Dry Needling by a Physical Therapist ChoosePT"),
    description: "The American Physical Therapy Association's consumer channel on DN by PTs.",
  },
  "ohio-state": {
    title: "How dry needling can help muscle pain",
    channel: "Ohio State Wexner Medical Center",
    provider: "youtube",
    url: youtubeSearch("How dry needling can help muscle pain Ohio State Wexner Medical Center"),
  },
  "kevin-brown": {
    title: "Dry Needling for Shoulder and Lower Neck Pain",
    channel: "Dr. Kevin Brown",
    provider: "youtube",
    url: youtubeSearch("Dry Needling for Shoulder and Lower Neck Pain Dr. Kevin Brown"),
  },
  "larry-keeley": {
    title: "Trigger Point Dry Needling",
    channel: "Larry Keeley",
    provider: "youtube",
    url: youtubeSearch("Trigger Point Dry Needling Larry Keeley"),
  },
  "bjc-health": {
    title: "How dry needling differs from acupuncture (explainer)",
    channel: "BJC Health",
    provider: "youtube",
    url: youtubeSearch("BJC dry needling acupuncture"),
  },
  christianacare: {
    title: "Dry needling: an overview (explainer)",
    channel: "ChristianaCare",
    provider: "youtube",
    url: youtubeSearch("ChristianaCare dry needling"),
  },
};

/**
 * The course shape CONTENT.md describes: a provider offering two 27-hour in-person levels with
 * written and practical exams, 54 hours together. The provider is fictional.
 */
export const COURSES: CreateCourseInput[] = [
  {
    provider: "Chesapeake Manual Therapy Institute",
    title: "Dry Needling Level 1: Foundations",
    level: "Level 1",
    hours: { theory: 11, practical: 16, online: 0 },
    topics: [
      "bloodborne-pathogens",
      "clean-needle-technique",
      "indications-contraindications",
      "emergency-response",
      "needle-handling-and-disposal",
      "anatomy",
      "psychomotor-skills",
      "trigger-points",
    ],
    exams: ["written", "practical"],
    approvals: [
      {
        body: "state-board",
        name: "Maryland Board of Physical Therapy Examiners",
        jurisdiction: "US-MD",
        reference: "MD-DN-2025-014",
        approvedOn: "2025-01-15",
        expiresOn: "2027-01-14",
      },
      {
        body: "apta-chapter",
        name: "APTA Maryland",
        reference: "APTAMD-25-221",
        approvedOn: "2025-02-03",
      },
    ],
    description:
      "Two and a half days in person: safety, clean needle technique, palpation and needling of the neck, shoulder and lower back, with a written and a practical exam.",
  },
  {
    provider: "Chesapeake Manual Therapy Institute",
    title: "Dry Needling Level 2: Advanced Regions",
    level: "Level 2",
    hours: { theory: 9, practical: 18, online: 0 },
    topics: [
      "spine-techniques",
      "extremity-techniques",
      "secondary-effects",
      "adverse-event-reporting",
      "psychomotor-skills",
      "documentation",
      "informed-consent",
    ],
    exams: ["written", "practical"],
    approvals: [
      {
        body: "state-board",
        name: "Maryland Board of Physical Therapy Examiners",
        jurisdiction: "US-MD",
        reference: "MD-DN-2025-015",
        approvedOn: "2025-01-15",
        expiresOn: "2027-01-14",
      },
      {
        body: "fsbpt",
        name: "FSBPT ProCert",
        reference: "PC-2025-0876",
        approvedOn: "2025-03-10",
        expiresOn: "2026-12-31",
      },
    ],
    description:
      "Level 1 is a prerequisite. Spine and extremity regions, managing secondary effects and reporting adverse events.",
  },
  {
    provider: "Northfield Online Continuing Education",
    title: "Bloodborne Pathogens and Clean Needle Technique Refresher",
    level: "Refresher",
    hours: { theory: 0, practical: 0, online: 3 },
    topics: ["bloodborne-pathogens", "clean-needle-technique", "needle-handling-and-disposal"],
    exams: ["written"],
    approvals: [],
    description: "A self-paced OSHA bloodborne pathogens and clean needle technique refresher.",
  },
];
