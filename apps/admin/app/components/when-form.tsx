import { Form } from "@remix-run/react";
import { Field } from "~/components/forms.tsx";
import type { When } from "~/utils/when.ts";

/** The "as of" date and "known at" instant controls, as a GET form (works without JavaScript). */
export function WhenForm({ when, label }: { when: When; label: string }) {
  return (
    <Form method="get" className="when-form" aria-label={label}>
      <Field
        label="As of"
        htmlFor="asOf"
        hint="The date to evaluate on (default today)."
        hintId="asOf-hint"
        errorId="asOf-errors"
        errors={when.errors.asOf}
      >
        <input
          id="asOf"
          name="asOf"
          type="date"
          defaultValue={when.values.asOf}
          aria-describedby="asOf-hint asOf-errors"
          aria-invalid={when.errors.asOf ? true : undefined}
        />
      </Field>
      <Field
        label="Known at"
        htmlFor="knownAt"
        hint="Reproduce an audit: ignore records entered after this instant, e.g. 2026-03-01T12:00:00Z."
        hintId="knownAt-hint"
        errorId="knownAt-errors"
        errors={when.errors.knownAt}
      >
        <input
          id="knownAt"
          name="knownAt"
          type="text"
          inputMode="text"
          placeholder="YYYY-MM-DDTHH:MM:SSZ"
          defaultValue={when.values.knownAt}
          aria-describedby="knownAt-hint knownAt-errors"
          aria-invalid={when.errors.knownAt ? true : undefined}
        />
      </Field>
      <div className="button-row">
        <button type="submit" className="button button--primary">
          Evaluate
        </button>
      </div>
    </Form>
  );
}
