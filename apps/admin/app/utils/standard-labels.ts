import type { StandardKind, StandardStatus } from "@dn/schema";

export const KIND_LABELS: Record<StandardKind, string> = {
  "state-board": "State board",
  "professional-body": "Professional body",
  "clinic-policy": "Clinic policy",
};

export const STATUS_LABELS: Record<StandardStatus, string> = {
  permitted: "Permitted",
  prohibited: "Prohibited",
  "pending-rules": "Pending rules",
  silent: "Silent",
};

const BASE_FIELDS = new Set([
  "id",
  "title",
  "citation",
  "verifiedOnly",
  "advisory",
  "confidence",
  "notes",
  "kind",
]);

/** "minTotal" → "min total". */
function words(key: string): string {
  return key.replace(/([A-Z])/g, " $1").toLowerCase();
}

function show(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map((item) => (typeof item === "object" ? show(item) : String(item))).join(", ");
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value)
      .map(([key, inner]) => `${words(key)}: ${show(inner)}`)
      .join("; ");
  }
  return String(value);
}

/** The kind-specific settings of a requirement, as label/value pairs for a definition list. */
export function requirementSettings(requirement: Record<string, unknown>): [string, string][] {
  return Object.entries(requirement)
    .filter(([key, value]) => !BASE_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => [words(key), show(value)]);
}
