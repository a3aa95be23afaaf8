import { getFormProps, getTextareaProps, type SubmissionResult, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Form, useNavigation } from "@remix-run/react";
import { ErrorList } from "~/components/forms.tsx";
import { StandardSourceFormSchema } from "~/utils/standard-form.ts";

export interface EditorProblem {
  path: string;
  line: number | null;
  message: string;
}

/**
 * The standard editor: the whole document as YAML (or JSON) in one text area, and every problem
 * the schema or the API found, each with its field path and line. Works without JavaScript.
 */
export function StandardEditor({
  defaultSource,
  lastResult,
  problems,
  submitLabel,
}: {
  defaultSource: string;
  lastResult: SubmissionResult | undefined;
  problems: EditorProblem[];
  submitLabel: string;
}) {
  const navigation = useNavigation();
  const [form, fields] = useForm({
    id: "standard-editor",
    lastResult,
    defaultValue: { source: defaultSource },
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) =>
      parseWithZod(formData, { schema: StandardSourceFormSchema, disableAutoCoercion: true }),
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <ErrorList id={form.errorId} errors={form.errors} />
      {problems.length > 0 ? (
        <div className="problems" role="alert" id="standard-problems">
          <h2>
            {problems.length === 1 ? "1 problem" : `${problems.length} problems`} to fix before
            saving
          </h2>
          <ul>
            {problems.map((problem, index) => (
              <li key={`${index}-${problem.path}`}>
                <code>{problem.path}</code>
                {problem.line !== null ? ` (line ${problem.line})` : ""}: {problem.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className={`field${fields.source.errors || problems.length ? " field--invalid" : ""}`}>
        <label htmlFor={fields.source.id}>Standard document (YAML or JSON)</label>
        <p className="hint" id="source-hint">
          Every field of the standard: id, version, title, kind, jurisdiction, status, effective
          dates, citations, confidence and requirements. Saving never overwrites a version.
        </p>
        <textarea
          {...getTextareaProps(fields.source)}
          className="source-editor"
          spellCheck={false}
          aria-describedby={`source-hint ${fields.source.errorId}${problems.length ? " standard-problems" : ""}`}
          aria-invalid={fields.source.errors || problems.length ? true : undefined}
        />
        <ErrorList id={fields.source.errorId} errors={fields.source.errors} />
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="button button--primary"
          disabled={navigation.state === "submitting"}
        >
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}
