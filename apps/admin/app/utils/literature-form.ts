/**
 * The literature form: plain fields, with the lists written one per line so the form works
 * without scripts. Authors are "Family, Given names"; cited studies "Authors; year; note".
 */
import { CreateLiteratureReferenceInputSchema, type LiteratureReference } from "@dn/schema";

export type LiteratureFormValues = Record<
  | "excerpt"
  | "excerptKind"
  | "workTitle"
  | "subtitle"
  | "edition"
  | "authors"
  | "etAl"
  | "publisher"
  | "year"
  | "pages"
  | "url"
  | "citedStudies"
  | "tags",
  string
>;

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** Form values to the create input (not yet validated); optional fields left empty are absent. */
export function literatureInputOf(values: LiteratureFormValues): Record<string, unknown> {
  const optional = (value: string) => (value.trim() === "" ? null : value);
  return {
    excerpt: values.excerpt,
    excerptKind: values.excerptKind || "paraphrase",
    workTitle: values.workTitle,
    subtitle: optional(values.subtitle),
    edition: optional(values.edition),
    authors: lines(values.authors).map((line) => {
      const [family = "", ...given] = line.split(",");
      const rest = given.join(",").trim();
      return { family: family.trim(), given: rest === "" ? null : rest };
    }),
    etAl: values.etAl === "on" || values.etAl === "true",
    publisher: values.publisher,
    year: values.year.trim() === "" ? undefined : Number(values.year),
    pages: optional(values.pages),
    url: optional(values.url),
    citedStudies: lines(values.citedStudies).map((line) => {
      const [authors = "", year = "", ...note] = line.split(";").map((part) => part.trim());
      return { authors, year: Number(year), note: note.join("; ") || null };
    }),
    tags: values.tags
      .split(/[,\s]+/)
      .map((tag) => tag.trim())
      .filter(Boolean),
  };
}

export function literatureFormValues(reference: LiteratureReference | null): LiteratureFormValues {
  return {
    excerpt: reference?.excerpt ?? "",
    excerptKind: reference?.excerptKind ?? "paraphrase",
    workTitle: reference?.workTitle ?? "",
    subtitle: reference?.subtitle ?? "",
    edition: reference?.edition ?? "",
    authors: (reference?.authors ?? [])
      .map((author) => (author.given ? `${author.family}, ${author.given}` : author.family))
      .join("\n"),
    etAl: reference?.etAl ? "on" : "",
    publisher: reference?.publisher ?? "",
    year: reference ? String(reference.year) : "",
    pages: reference?.pages ?? "",
    url: reference?.url ?? "",
    citedStudies: (reference?.citedStudies ?? [])
      .map((study) =>
        [study.authors, String(study.year), study.note ?? ""].filter(Boolean).join("; "),
      )
      .join("\n"),
    tags: (reference?.tags ?? []).join(", "),
  };
}

/** Field errors keyed by form field ("authors.0.family" shows under "authors"). */
export function readLiteratureForm(values: LiteratureFormValues) {
  const parsed = CreateLiteratureReferenceInputSchema.safeParse(literatureInputOf(values));
  if (parsed.success) return { success: true as const, input: parsed.data };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const [head, index, ...rest] = issue.path.map(String);
    const field = head ?? "form";
    const where =
      index !== undefined
        ? `line ${Number(index) + 1}${rest.length ? ` (${rest.join(".")})` : ""}: `
        : "";
    errors[field] = [...(errors[field] ?? []), `${where}${issue.message}`];
  }
  return { success: false as const, errors };
}
