/**
 * "Log from the course catalog": a GET form that reloads the records page with `?course=<id>`,
 * whose loader then fills the log form in from the course. Works without scripts (the button);
 * with scripts, choosing a course submits straight away.
 */
import { Form } from "@remix-run/react";

export interface CourseOption {
  id: string;
  label: string;
}

export function CoursePrefill({
  courses,
  selectedId,
}: {
  courses: readonly CourseOption[];
  selectedId: string | null;
}) {
  if (courses.length === 0) return null;
  return (
    <Form
      method="get"
      className="stack course-prefill"
      aria-label="Fill in from the course catalog"
    >
      <div className="field">
        <label htmlFor="course-prefill">From the course catalog (optional)</label>
        <select
          id="course-prefill"
          name="course"
          defaultValue={selectedId ?? ""}
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
        >
          <option value="">Not from the catalog</option>
          {courses.map((course) => (
            <option key={course.id} value={course.id}>
              {course.label}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button">
        Fill in from course
      </button>
    </Form>
  );
}
