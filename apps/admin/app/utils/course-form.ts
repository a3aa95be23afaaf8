/**
 * The course catalog form. Approvals are written one per line, fields separated by "|":
 * `body | name | jurisdiction | approved on | expires on | reference`, e.g.
 * `state-board | Maryland Board of Physical Therapy Examiners | US-MD | 2025-01-15 | 2027-01-14 | MD-DN-2025-014`.
 */
import { type Course, CreateCourseInputSchema } from "@dn/schema";

export interface CourseFormValues {
  provider: string;
  title: string;
  level: string;
  theory: string;
  practical: string;
  online: string;
  topics: string[];
  exams: string[];
  approvals: string;
  url: string;
  description: string;
}

export function courseFormValues(course: Course | null): CourseFormValues {
  return {
    provider: course?.provider ?? "",
    title: course?.title ?? "",
    level: course?.level ?? "",
    theory: course ? String(course.hours.theory) : "0",
    practical: course ? String(course.hours.practical) : "0",
    online: course ? String(course.hours.online) : "0",
    topics: course?.topics ?? [],
    exams: course?.exams ?? [],
    approvals: (course?.approvals ?? [])
      .map((a) =>
        [
          a.body,
          a.name,
          a.jurisdiction ?? "",
          a.approvedOn,
          a.expiresOn ?? "",
          a.reference ?? "",
        ].join(" | "),
      )
      .join("\n"),
    url: course?.url ?? "",
    description: course?.description ?? "",
  };
}

export function courseValuesFromFormData(formData: FormData): CourseFormValues {
  const get = (name: string) => String(formData.get(name) ?? "");
  return {
    provider: get("provider"),
    title: get("title"),
    level: get("level"),
    theory: get("theory"),
    practical: get("practical"),
    online: get("online"),
    topics: formData.getAll("topics").map(String),
    exams: formData.getAll("exams").map(String),
    approvals: get("approvals"),
    url: get("url"),
    description: get("description"),
  };
}

function hours(value: string): number | string {
  const trimmed = value.trim();
  if (trimmed === "") return 0;
  const number = Number(trimmed);
  return Number.isNaN(number) ? trimmed : number;
}

export function courseInputOf(values: CourseFormValues): Record<string, unknown> {
  const optional = (value: string) => (value.trim() === "" ? null : value);
  return {
    provider: values.provider,
    title: values.title,
    level: optional(values.level),
    hours: {
      theory: hours(values.theory),
      practical: hours(values.practical),
      online: hours(values.online),
    },
    topics: values.topics,
    exams: values.exams,
    approvals: values.approvals
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .map((line) => {
        const [
          body = "",
          name = "",
          jurisdiction = "",
          approvedOn = "",
          expiresOn = "",
          reference = "",
        ] = line.split("|").map((part) => part.trim());
        return {
          body,
          name,
          jurisdiction: optional(jurisdiction),
          approvedOn,
          expiresOn: optional(expiresOn),
          reference: optional(reference),
        };
      }),
    url: optional(values.url),
    description: optional(values.description),
  };
}

/** Errors by form field: hours.theory shows under "theory", approvals.0.x as "line 1 (x)". */
export function readCourseForm(values: CourseFormValues) {
  const parsed = CreateCourseInputSchema.safeParse(courseInputOf(values));
  if (parsed.success) return { success: true as const, input: parsed.data };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const [head = "form", index, ...rest] = issue.path.map(String);
    let field = head;
    let message = issue.message;
    if (head === "hours" && index) field = index;
    else if (head === "approvals" && index !== undefined) {
      message = `line ${Number(index) + 1}${rest.length ? ` (${rest.join(".")})` : ""}: ${issue.message}`;
    } else if (index !== undefined) message = `${issue.message}`;
    errors[field] = [...(errors[field] ?? []), message];
  }
  return { success: false as const, errors };
}
