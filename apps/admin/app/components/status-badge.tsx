import type { ReviewStatus } from "@dn/schema";

const LABELS: Record<ReviewStatus, string> = {
  pending: "Pending review",
  verified: "Verified",
  rejected: "Rejected",
  withdrawn: "Withdrawn",
};

export function StatusBadge({ status }: { status: ReviewStatus }) {
  return <span className={`badge badge--${status}`}>{LABELS[status]}</span>;
}
