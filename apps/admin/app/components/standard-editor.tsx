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
          dates, citations, confidence and requirements. Saving keeps a draft, which applies to
          nobody until you publish it from the standard's page; a published version never changes.
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

/**
 * Publishes a custom standard's draft version: the explicit step after which the version never
 * changes and starts to apply, only where assigned or to the whole organization. Plain HTML
 * form (works without JavaScript); the route's action calls `standards.publish`.
 */
export function PublishStandardForm({
  version,
  currentScope,
  error,
}: {
  version: number;
  currentScope: "assigned" | "organization";
  error: string | null;
}) {
  const navigation = useNavigation();
  return (
    <Form method="post" className="card stack" aria-labelledby="publish-heading">
      <h2 id="publish-heading">Publish version {version}</h2>
      <p className="muted">
        Version {version} is a draft: it applies to nobody, and you may still edit it. Once
        published it never changes (a later change is the next version) and it applies from its
        effective date.
      </p>
      <ErrorList id="publish-errors" errors={error ? [error] : null} />
      <input type="hidden" name="intent" value="publish" />
      <input type="hidden" name="version" value={version} />
      <fieldset className="group">
        <legend>Applies to</legend>
        <label>
          <input
            type="radio"
            name="scope"
            value="assigned"
            defaultChecked={currentScope === "assigned"}
          />{" "}
          Only where assigned: the clinics and practitioners on the Assignments page (a state rule
          also applies by clinic state and licenses)
        </label>
        <label>
          <input
            type="radio"
            name="scope"
            value="organization"
            defaultChecked={currentScope === "organization"}
          />{" "}
          The whole organization: every practitioner
        </label>
      </fieldset>
      <div className="button-row">
        <button
          type="submit"
          className="button button--primary"
          disabled={navigation.state === "submitting"}
        >
          Publish version {version}
        </button>
      </div>
    </Form>
  );
}
