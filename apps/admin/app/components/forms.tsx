import type { ReactNode } from "react";

/** Error messages for one field (or the whole form), announced to assistive technology. */
export function ErrorList({ id, errors }: { id?: string; errors?: string[] | null }) {
  const messages = errors?.filter(Boolean) ?? [];
  if (messages.length === 0) return null;
  return (
    <ul id={id} className="error-list" aria-live="polite">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}

/** A label, the control, an optional hint and the field's errors, stacked. */
export function Field({
  label,
  htmlFor,
  hint,
  hintId,
  errorId,
  errors,
  children,
  className,
}: {
  label: ReactNode;
  htmlFor: string;
  hint?: ReactNode;
  hintId?: string;
  errorId: string;
  errors?: string[] | null;
  children: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={["field", errors?.length ? "field--invalid" : "", className ?? ""]
        .join(" ")
        .trim()}
    >
      <label htmlFor={htmlFor}>{label}</label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}
