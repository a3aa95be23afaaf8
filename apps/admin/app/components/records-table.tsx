import { RECORD_KIND_LABELS, type TrainingRecord } from "@dn/schema";
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatHours } from "~/utils/format.ts";
import { StatusBadge } from "./status-badge.tsx";

/** What a record adds up to, in one short phrase suited to its kind. */
export function recordSummary(record: TrainingRecord): string {
  switch (record.kind) {
    case "dn-course":
    case "ce-activity":
      return formatHours(record.hours);
    case "supervised-sessions":
      return record.count === null ? "—" : `${record.count} sessions`;
    case "exam":
      return [
        record.examType,
        record.passed === null ? null : record.passed ? "passed" : "not passed",
      ]
        .filter(Boolean)
        .join(", ");
    case "cpr":
      return record.expiresOn ? `expires ${record.expiresOn}` : "—";
    case "board-notification":
      return record.jurisdiction ?? "—";
  }
}

/** Training records with their review status, the reviewer's reason and a link to their history. */
export function RecordsTable({
  records,
  caption,
  actions,
  highlightId,
}: {
  records: TrainingRecord[];
  caption: string;
  actions?: (record: TrainingRecord) => ReactNode;
  highlightId?: string | null;
}) {
  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Completed</th>
            <th scope="col">Record</th>
            <th scope="col">Details</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr
              key={record.id}
              className={record.id === highlightId ? "row--highlight" : undefined}
            >
              <td className="nowrap" data-label="Completed">
                {record.completedOn}
              </td>
              <th scope="row">
                <span className="record-title">{record.title}</span>
                <span className="muted record-meta">
                  {RECORD_KIND_LABELS[record.kind]}
                  {record.provider ? ` · ${record.provider}` : ""}
                </span>
              </th>
              <td data-label="Details">
                {recordSummary(record)}
                {record.topics.length > 0 ? (
                  <span className="muted record-meta">{record.topics.length} topics</span>
                ) : null}
              </td>
              <td data-label="Status">
                <StatusBadge status={record.status} />
                {record.reviewReason ? <p className="reason">{record.reviewReason}</p> : null}
              </td>
              <td className="row-actions">
                <Link to={`/records/${record.id}/history`}>
                  History<span className="visually-hidden"> of {record.title}</span>
                </Link>
                <Link to={`/records/${record.id}/evidence`}>
                  Certificates<span className="visually-hidden"> for {record.title}</span>
                </Link>
                {actions?.(record)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
