import { CreateLiteratureReferenceInputSchema } from "@dn/schema";
import { describe, expect, test } from "vitest";
import {
  formatAuthorList,
  formatCitation,
  formatCitedStudy,
  formatInTextCitation,
  initialsOf,
} from "./citation.ts";
import { LITERATURE, type LiteratureKey } from "./library.ts";

function reference(key: LiteratureKey) {
  return { ...CreateLiteratureReferenceInputSchema.parse(LITERATURE[key]) };
}

describe("formatCitation on the references in CONTENT.md", () => {
  test.each<[LiteratureKey, string]>([
    [
      "dommerholt-2013",
      "Dommerholt, J., & Fernández de las Peñas, C. (2013). Trigger Point Dry Needling: An Evidence and Clinical-Based Approach. Elsevier Health Sciences.",
    ],
    [
      "dommerholt-2018-ebook",
      "Dommerholt, J., & Fernández de las Peñas, C. (2018). Trigger Point Dry Needling: An Evidence and Clinical-Based Approach (e-book ed.). Elsevier Health Sciences.",
    ],
    [
      "schleip-2013",
      "Schleip, R., Findley, T. W., Chaitow, L., & Huijing, P. (2013). Fascia: The Tensional Network of the Human Body. Elsevier Health Sciences.",
    ],
    [
      "fernandez-2011",
      "Fernández de las Peñas, C., Cleland, J., & Huijbregts, P. A. (2011). Neck and Arm Pain Syndromes. Elsevier Health Sciences.",
    ],
    [
      "skirven-2020",
      "Skirven, T. M., Osterman, A. L., et al. (2020). Rehabilitation of the Hand and Upper Extremity. Elsevier Health Sciences.",
    ],
    [
      "piedade-2019",
      "Piedade, S. R., Imhoff, A. B., et al. (2019). The Sports Medicine Physician. Springer.",
    ],
    [
      "chaitow-2012",
      "Chaitow, L., Jones, R., & Chaitow, S. (2012). Chronic Pelvic Pain and Dysfunction. Elsevier Health Sciences.",
    ],
    [
      "wardle-2014",
      "Wardle, J., & Sarris, J. (2014). Clinical Naturopathy. Elsevier Health Sciences.",
    ],
    ["mcgowan-2016", "McGowan, C., & Goff, L. (2016). Animal Physiotherapy. Wiley."],
    [
      "blackwell-ruminant-2017",
      "Blackwell's Five-Minute Veterinary Consult: Ruminant. (2017). Wiley.",
    ],
  ])("%s", (key, expected) => {
    expect(formatCitation(reference(key)).text).toBe(expected);
  });

  test("the title (with its subtitle) is the one italic run", () => {
    const { parts } = formatCitation(reference("dommerholt-2018-ebook"));
    expect(parts.filter((part) => part.italic).map((part) => part.text)).toEqual([
      "Trigger Point Dry Needling: An Evidence and Clinical-Based Approach",
    ]);
    expect(parts.map((part) => part.text).join("")).toBe(
      formatCitation(reference("dommerholt-2018-ebook")).text,
    );
  });

  test("in-text citations use et al. from three authors on", () => {
    expect(formatInTextCitation(reference("dommerholt-2013"))).toBe(
      "(Dommerholt & Fernández de las Peñas, 2013)",
    );
    expect(formatInTextCitation(reference("schleip-2013"))).toBe("(Schleip et al., 2013)");
    expect(formatInTextCitation(reference("skirven-2020"))).toBe("(Skirven et al., 2020)");
    expect(
      formatInTextCitation({
        ...reference("wardle-2014"),
        authors: reference("wardle-2014").authors.slice(0, 1),
      }),
    ).toBe("(Wardle, 2014)");
    expect(formatInTextCitation(reference("blackwell-ruminant-2017"))).toBe(
      "(Blackwell's Five-Minute Veterinary Consult, 2017)",
    );
  });

  test("cited studies are given as cited", () => {
    const [gunn] = reference("fernandez-2011").citedStudies;
    expect(gunn && formatCitedStudy(gunn)).toBe("Gunn et al. (1980)");
    expect(
      formatCitedStudy({ authors: "Dommerholt et al.", year: 2006, title: "Is it?", note: null }),
    ).toBe("Dommerholt et al. (2006). Is it?");
  });

  test("pages and a URL follow the edition and the publisher", () => {
    const citation = formatCitation({
      ...reference("wardle-2014"),
      edition: "2nd ed.",
      pages: "pp. 85-97",
      url: "https://example.org/book",
    });
    expect(citation.text).toBe(
      "Wardle, J., & Sarris, J. (2014). Clinical Naturopathy (2nd ed., pp. 85-97). Elsevier Health Sciences. https://example.org/book",
    );
  });
});

describe("author names", () => {
  test.each([
    ["César", "C."],
    ["Terri M.", "T. M."],
    ["A. Lee", "A. L."],
    ["Sérgio Rocha", "S. R."],
    ["Jean-Pierre", "J.-P."],
    ["émile", "É."],
  ])("initials of %s are %s", (given, initials) => {
    expect(initialsOf(given)).toBe(initials);
  });

  test("one, two, three authors, and et al.", () => {
    const a = { family: "Alpha", given: "Ann" };
    const b = { family: "Beta", given: "Bo" };
    const c = { family: "Gamma", given: null };
    expect(formatAuthorList([a], false)).toBe("Alpha, A.");
    expect(formatAuthorList([a, b], false)).toBe("Alpha, A., & Beta, B.");
    expect(formatAuthorList([a, b, c], false)).toBe("Alpha, A., Beta, B., & Gamma");
    expect(formatAuthorList([a], true)).toBe("Alpha, A., et al.");
    expect(formatAuthorList([], false)).toBe("");
  });
});
