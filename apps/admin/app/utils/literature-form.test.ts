import { describe, expect, test } from "vitest";
import { literatureFormValues, readLiteratureForm } from "./literature-form.ts";

const values = {
  ...literatureFormValues(null),
  excerpt: "Superficial dry needling at 2-3 mm reduces soreness.",
  workTitle: "Clinical Naturopathy",
  authors: "Wardle, Jon\nSarris, Jerome",
  publisher: "Elsevier Health Sciences",
  year: "2014",
  citedStudies: "Gunn et al.; 1980; early prospective study",
};

describe("the literature form", () => {
  test("reads authors and cited studies one per line", () => {
    const result = readLiteratureForm(values);
    expect(result.success && result.input.authors).toEqual([
      { family: "Wardle", given: "Jon" },
      { family: "Sarris", given: "Jerome" },
    ]);
    expect(result.success && result.input.citedStudies).toEqual([
      { authors: "Gunn et al.", year: 1980, title: null, note: "early prospective study" },
    ]);
  });

  test("round-trips a stored reference through the form", () => {
    const first = readLiteratureForm(values);
    if (!first.success) throw new Error("expected success");
    const stored = {
      ...first.input,
      id: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a11",
      organizationId: "8f0c7c0e-2f4b-4d43-9a57-0d6b3c8f1a12",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
    };
    const again = readLiteratureForm(literatureFormValues(stored));
    expect(again.success && again.input).toEqual(first.input);
  });

  test("names the line at fault", () => {
    const result = readLiteratureForm({
      ...values,
      year: "1200",
      url: "not a url",
      citedStudies: "Gunn et al.; soon",
    });
    expect(result.success ? null : result.errors).toEqual({
      year: ["must be 1450 or later"],
      url: ["must be a web address starting with http:// or https://, e.g. https://example.org"],
      citedStudies: ["line 1 (year): must be a year such as 2013"],
    });
  });
});
