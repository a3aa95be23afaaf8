export type VerdictName =
  | "not-permitted"
  | "not-qualified"
  | "pending-verification"
  | "expiring"
  | "qualified";

export const VERDICT_TEXT: Record<VerdictName, string> = {
  "not-permitted": "Not permitted",
  "not-qualified": "Not qualified",
  "pending-verification": "Pending verification",
  expiring: "Expiring",
  qualified: "Qualified",
};

/** A verdict as a coloured pill that also says it in words. */
export function VerdictBadge({ verdict }: { verdict: VerdictName | null }) {
  if (verdict === null) return <span className="verdict verdict--none">No rule in force</span>;
  return <span className={`verdict verdict--${verdict}`}>{VERDICT_TEXT[verdict]}</span>;
}

export type RequirementStateName = "met" | "not-met" | "due-on-track" | "due-behind";

export const REQUIREMENT_STATE_TEXT: Record<RequirementStateName, string> = {
  met: "Met",
  "not-met": "Not met",
  "due-on-track": "Due, on track",
  "due-behind": "Due, behind",
};

const STATE_CLASS: Record<RequirementStateName, string> = {
  met: "verdict--qualified",
  "not-met": "verdict--not-qualified",
  "due-on-track": "verdict--due-on-track",
  "due-behind": "verdict--due-behind",
};

/**
 * A requirement's state as a pill: met, not met, or due by a date (on track or behind). The
 * date is part of the words, so a due requirement never reads as plain "met".
 */
export function RequirementStateBadge({
  state,
  dueBy,
  advisory = false,
}: {
  state: RequirementStateName;
  dueBy: string | null;
  advisory?: boolean;
}) {
  const text =
    state === "due-on-track" || state === "due-behind"
      ? `Due by ${dueBy}, ${state === "due-on-track" ? "on track" : "behind"}`
      : REQUIREMENT_STATE_TEXT[state];
  return (
    <span className={`verdict ${STATE_CLASS[state]}`}>
      {text}
      {advisory ? " (advisory)" : ""}
    </span>
  );
}
