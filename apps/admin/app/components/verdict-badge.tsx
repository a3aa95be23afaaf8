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
