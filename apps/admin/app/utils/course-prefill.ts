import type { Course } from "@dn/schema";

/** The catalog as options for the records form. */
export function courseOptions(courses: readonly Course[]) {
  return courses.map((course) => ({
    id: course.id,
    label: `${course.title}${course.level ? ` (${course.level})` : ""} · ${course.provider}`,
  }));
}

/** What logging a record from `course` fills in: a DN course with its provider, hours, topics. */
export function recordDefaultsFromCourse(course: Course | null) {
  if (!course) return {};
  return {
    kind: "dn-course",
    title:
      course.level && !course.title.includes(course.level)
        ? `${course.title} (${course.level})`
        : course.title,
    provider: course.provider,
    hours: {
      theory: String(course.hours.theory),
      practical: String(course.hours.practical),
      online: String(course.hours.online),
    },
    topics: [...course.topics],
  };
}
